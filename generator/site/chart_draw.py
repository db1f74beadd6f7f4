"""Drawing one chart (caterpillar or funnel) as SVG with matplotlib, from its spec (site/charts.py).

This module needs only numpy, matplotlib and site/forked.py (the standard library): the chart workers
(charts.Drawing) are fresh processes that import it and nothing else of the build, so they neither copy the
build's memory nor load pandas or scipy.
Each point's tone (better, worse or neither) comes worked out in the spec (charts.drawable), from the bands.
"""
from __future__ import annotations

import io
import os
from typing import Any

import numpy as np

BLUE, ORANGE, GREY, INK = "#0072B2", "#D55E00", "#8c8c8c", "#1a1a1a"
MARKS = {"better": ("^", BLUE), "worse": ("v", ORANGE), "": ("o", GREY)}  # tone: marker and colour
RASTER_ABOVE = 400  # more providers than this: points and ranges drawn as one embedded image (size, speed)


def _plain_formatter():
    from matplotlib.ticker import LogFormatter

    class Plain(LogFormatter):
        """Log-axis labels as plain whole numbers (the ticks LogFormatter would label)."""
        def __call__(self, x, pos=None):
            if not super().__call__(x, pos):
                return ""
            return f"{x:,.0f}" if x >= 1 else f"{x:g}"  # expected counts can be below 1
    return Plain


WORKER_NICE = 10  # chart workers give way to the build's rendering and draw in the time it leaves


def yield_processors() -> None:
    """A chart worker's first act (Unix): a lower priority than the build, which goes on rendering meanwhile;
    and (Linux) to end when the build ends, however it ends."""
    from generator.site.forked import die_with_parent  # the standard library only: no copy of the build
    if hasattr(os, "nice"):
        os.nice(WORKER_NICE)
    die_with_parent()


def _tick_labels(axis, lo: float, hi: float) -> list[str]:
    """The labels the axis will print between lo and hi (major ticks, and minor ones where they are labelled)."""
    out = []
    for locator, formatter in ((axis.get_major_locator(), axis.get_major_formatter()),
                               (axis.get_minor_locator(), axis.get_minor_formatter())):
        ticks = [t for t in locator() if min(lo, hi) <= t <= max(lo, hi)]
        out += [s for s in formatter.format_ticks(ticks) if s]
    return out


def _fit(fig, ax) -> None:
    """Margins that hold the axes' labels, as tight_layout would set them, from the labels' sizes measured once
    each: tight_layout lays out and measures every tick, which was half of the time a chart took."""
    import matplotlib
    from matplotlib.font_manager import FontProperties
    r = fig.canvas.get_renderer()
    w, h = fig.get_size_inches() * fig.dpi
    pt = fig.dpi / 72
    size = matplotlib.rcParams["font.size"]
    prop = FontProperties(size=size)

    def width(s: str) -> float:
        return r.get_text_width_height_descent(s, prop, ismath=False)[0]
    line = r.get_text_width_height_descent("lp", prop, ismath=False)[1]  # a line of text, as matplotlib measures it
    pad = 1.08 * size * pt  # tight_layout's padding
    tick = (matplotlib.rcParams["ytick.major.size"] + matplotlib.rcParams["ytick.major.pad"]) * pt
    label_pad = matplotlib.rcParams["axes.labelpad"] * pt
    ys = _tick_labels(ax.yaxis, *ax.get_ylim())
    xs = _tick_labels(ax.xaxis, *ax.get_xlim())
    left = pad + ax.yaxis.label.get_window_extent(r).width + label_pad + tick + max(map(width, ys), default=0)
    bottom = pad + ax.xaxis.label.get_window_extent(r).height + label_pad + tick + line
    right = pad + max(map(width, xs), default=0) / 2  # the last label may stand at the axis's end
    top = pad  # a label at the top of the y axis stands half in this padding, as under tight_layout
    fig.subplots_adjust(left=left / w, right=1 - right / w, bottom=bottom / h, top=1 - top / h)


def draw_many(specs: list[dict]) -> list[str]:
    """What a chart worker does with one batch of specs."""
    return [draw(s) for s in specs]


def draw(spec: dict) -> str:
    """One chart's SVG, without XML prolog. spec: as charts.specs() makes it, plus "tone" (charts.drawable)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
    _Plain = _plain_formatter()
    matplotlib.rcParams.update({"svg.hashsalt": "experience-tables", "svg.fonttype": "none", "font.size": 9})
    phone = bool(spec.get("phone"))
    fig = Figure(figsize=(3.6, 3.4) if phone else (7.2, 3.2))  # not pyplot: no window manager to keep or close
    FigureCanvasAgg(fig)  # what tight_layout measures text with, as under pyplot with the Agg backend
    ax = fig.subplots()
    tone = np.asarray(spec["tone"], dtype=object)
    # one scatter per tone, in one colour: matplotlib then stamps one marker (Agg draw_markers; in the SVG one
    # <path> in <defs> and a <use> per point), about a third quicker for the raster charts than a colour per point
    groups = sorted((m, t, c) for t, (m, c) in MARKS.items() if (tone == t).any())  # drawn in order of marker

    est, lo, hi = (np.asarray(spec[k], dtype=float) for k in ("est", "lo", "hi"))
    unit = "%" if spec["kind"] == "proportion" else ""
    raster = len(est) > RASTER_ABOVE
    if spec["type"] == "caterpillar":
        order = np.argsort(-est if spec["hib"] else est, kind="stable")
        x = np.arange(1, len(order) + 1)
        # every likely range as one line broken by gaps (NaN), not a collection of one path per provider:
        # the same strokes, drawn in a fraction of the time
        xs = np.repeat(x, 3).astype(float)
        ys = np.column_stack([lo[order], hi[order], np.full(len(x), np.nan)]).ravel()
        xs[2::3] = np.nan
        ax.plot(xs, ys, color=GREY, linewidth=0.8, solid_capstyle="butt", rasterized=raster)
        for m, t, c in groups:
            sel = tone[order] == t
            ax.scatter(x[sel], est[order][sel], c=c, marker=m, s=14, zorder=3, rasterized=raster)
        ax.set_xlabel("Providers in order of result\n(best first)" if phone else "Providers in order of result (best first)")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5 if phone else 10, integer=True))  # whole numbers; on a phone, few
    else:
        size = np.asarray(spec["size"], dtype=float)
        for conf, style in (("0.95", "--"), ("0.998", "-")):
            c = spec["limits"][conf]
            ax.plot(c["x"], c["lo"], style, color=INK, linewidth=0.9)
            ax.plot(c["x"], c["hi"], style, color=INK, linewidth=0.9)
        for m, t, c in groups:
            sel = tone == t
            ax.scatter(size[sel], est[sel], c=c, marker=m, s=16, zorder=3, rasterized=raster)
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(_Plain(labelOnlyBase=False))  # 200, not 2×10²
        ax.xaxis.set_minor_formatter(_Plain(labelOnlyBase=False))
        ax.set_xlabel(spec["xlabel"] + (" (log scale)\ndashed: 95% range, solid: 99.8%" if phone else
                                        " (log scale); dashed: 95% range, solid: 99.8% range"))
        if phone:
            ax.xaxis.set_minor_formatter(_Plain(labelOnlyBase=True))  # fewer labels where there is less room
    if spec["target"] is not None:
        ax.axhline(spec["target"], color=INK, linewidth=0.8, alpha=0.6)
    ax.set_ylabel(f"Result{' (' + unit + ')' if unit else ''}")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _fit(fig, ax)
    buf = io.StringIO()
    dpi: dict[str, Any] = {"dpi": 150} if raster else {}
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, **dpi)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog and doctype
