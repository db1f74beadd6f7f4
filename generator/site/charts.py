"""Stage 4: league-table charts (caterpillar and funnel) as SVG, with matplotlib.

Each chart is drawn from a small spec of published (already suppressed) figures.
Charts are drawn in parallel and cached by a hash of their spec, so a rebuild
with unchanged inputs draws none. Charts carry no text from data packages.
"""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from generator.data import periods
from generator.views import urls
from generator.views.context import Chart
from generator.settings import DEFAULT, Settings
from generator.compute.transform import FUNNEL_XLABEL, funnel_size
from generator.stats.bands import BETTER_ANY, WORSE_ANY


STYLE_VERSION = "4"  # change when draw() changes, so cached charts are redrawn
BLUE, ORANGE, GREY, INK = "#0072B2", "#D55E00", "#8c8c8c", "#1a1a1a"
RASTER_ABOVE = 400  # more providers than this: points and ranges drawn as one embedded image (size, speed)


def specs(results, st: Settings = DEFAULT) -> dict[str, dict]:
    """One spec per chart: the numbers it shows, nothing else. Drawn for the periods that have positions
    (the latest and st.history_periods earlier ones)."""
    out = {}
    latest = []  # (measure, period, peer) of the latest periods' charts
    sc = periods.recent_rows(results.scores, results.periods, st.history_periods + 1)
    curves = {k: c for k, c in results.funnels.groupby(["measure", "period", "peer"], sort=False)}
    no_curve = results.funnels.iloc[:0]
    marked = {(x.measure, x.period, x.peer) for x in results.peers.itertuples(index=False) if getattr(x, "benchmark", "")}
    for (measure, period, peer), g in sc.groupby(["measure", "period", "peer"], sort=True):
        g = g[g["estimate"].notna()]
        if g.empty:
            continue
        kind = g["kind"].iat[0]
        scale = 100.0 if kind == "proportion" else 1.0
        size = funnel_size(g, kind)  # the same x axis as the limit curves (transform.funnel_curves)
        curve = curves.get((measure, period, peer), no_curve)
        base = {"kind": kind, "scale": scale, "target": float(g["target"].iat[0]) * scale if g["target"].notna().any() else None}
        if (measure, period, peer) in marked:  # the target line is a published benchmark (the alt text says so)
            base["benchmark"] = True
        pts = {"est": (g["estimate"] * scale).round(6).tolist(), "lo": (g["lower95"] * scale).round(6).tolist(),
               "hi": (g["upper95"] * scale).round(6).tolist(), "band": g["band"].tolist(),
               "size": size.round(6).tolist()}
        out[urls.chart_key(measure, period, peer, "caterpillar")] = {
            "type": "caterpillar", **base, **pts, "hib": bool(g["higher_is_better"].iat[0])}
        lim = {}
        for conf in (0.95, 0.998):
            c = curve[curve["confidence"] == conf]
            lim[str(conf)] = {"x": c["size"].round(6).tolist(), "lo": (c["lower_adj"] * scale).round(6).tolist(),
                              "hi": (c["upper_adj"] * scale).round(6).tolist()}
        out[urls.chart_key(measure, period, peer, "funnel")] = {
            "type": "funnel", **base, **pts, "limits": lim, "xlabel": FUNNEL_XLABEL.get(kind, "Number of responses")}
        if g["age"].iat[0] == 0:  # the measure's latest period
            latest.append((measure, period, peer))
    for measure, period, peer in latest:  # latest period: a phone-sized drawing, text 9 pt at 360 px
        for kind in ("caterpillar", "funnel"):
            out[urls.chart_key(measure, period, peer, kind, phone=True)] = {
                **out[urls.chart_key(measure, period, peer, kind)], "phone": True}
    return out  # (earlier periods' wide charts scroll sideways on a phone: see site.css .chart-scroll)


def alt_text(key: str, spec: dict) -> str:
    n = len(spec["est"])
    worse = sum(b in WORSE_ANY for b in spec["band"])
    better = sum(b in BETTER_ANY for b in spec["band"])
    mark = "; the middle line is the published benchmark they are compared with" if spec.get("benchmark") else ""
    if spec["type"] == "funnel":
        return (f"Funnel plot of the {n} providers with a published result against the expected range for their size: "
                f"{better} above the range (better than expected), {worse} below it (worse){mark}. "
                "The table below lists every provider's figures.")
    return (f"Chart of the results of the {n} providers with a published result, in order, each with its likely range: "
            f"{better} better and {worse} worse than expected{mark}. The table below lists the same figures.")


def spec_hash(spec: dict) -> str:
    blob = json.dumps({"v": STYLE_VERSION, "s": spec}, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()[:32]


def draw_all(results, cache_dir: Path | None = None, workers: int | None = None,
             st: Settings = DEFAULT) -> tuple[dict[str, Chart], dict[str, int]]:
    """Every chart as {key: Chart}, plus counts {"drawn", "cached"}."""
    todo, out = {}, {}
    for key, spec in specs(results, st).items():
        h = spec_hash(spec)
        cached = cache_dir / f"{h}.svg" if cache_dir else None
        if cached is not None and cached.is_file():
            out[key] = Chart(svg=cached.read_text(encoding="utf-8"), alt=alt_text(key, spec), hash=h)
        else:
            todo[key] = (spec, h)
    workers = workers or min(2, os.cpu_count() or 1)
    keys = sorted(todo)
    if keys:
        if workers > 1 and len(keys) > 8:
            with ProcessPoolExecutor(workers) as pool:
                svgs = list(pool.map(draw, [todo[k][0] for k in keys], chunksize=8))
        else:
            svgs = [draw(todo[k][0]) for k in keys]
        for k, svg in zip(keys, svgs):
            out[k] = Chart(svg=svg, alt=alt_text(k, todo[k][0]), hash=todo[k][1], new=True)
    return out, {"drawn": len(keys), "cached": len(out) - len(keys)}


def _plain_formatter():
    from matplotlib.ticker import LogFormatter

    class Plain(LogFormatter):
        """Log-axis labels as plain whole numbers (the ticks LogFormatter would label)."""
        def __call__(self, x, pos=None):
            if not super().__call__(x, pos):
                return ""
            return f"{x:,.0f}" if x >= 1 else f"{x:g}"  # expected counts can be below 1
    return Plain


def draw(spec: dict) -> str:
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    _Plain = _plain_formatter()
    plt.rcParams.update({"svg.hashsalt": "experience-tables", "svg.fonttype": "none", "font.size": 9})
    phone = bool(spec.get("phone"))
    fig, ax = plt.subplots(figsize=(3.6, 3.4) if phone else (7.2, 3.2))
    colours = [BLUE if b in BETTER_ANY else ORANGE if b in WORSE_ANY else GREY for b in spec["band"]]
    markers = ["^" if b in BETTER_ANY else "v" if b in WORSE_ANY else "o" for b in spec["band"]]
    est, lo, hi = (np.asarray(spec[k], dtype=float) for k in ("est", "lo", "hi"))
    unit = "%" if spec["kind"] == "proportion" else ""
    raster = len(est) > RASTER_ABOVE
    if spec["type"] == "caterpillar":
        order = np.argsort(-est if spec["hib"] else est, kind="stable")
        x = np.arange(1, len(order) + 1)
        ax.vlines(x, lo[order], hi[order], color=GREY, linewidth=0.8, rasterized=raster)
        for m in sorted(set(markers)):  # sorted: set order changes with PYTHONHASHSEED
            sel = np.array([markers[i] == m for i in order])
            ax.scatter(x[sel], est[order][sel], c=[colours[i] for i in order[sel]], marker=m, s=14, zorder=3,
                       rasterized=raster)
        ax.set_xlabel("Providers in order of result\n(best first)" if phone else "Providers in order of result (best first)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # a position is a whole number
    else:
        size = np.asarray(spec["size"], dtype=float)
        for conf, style in (("0.95", "--"), ("0.998", "-")):
            c = spec["limits"][conf]
            ax.plot(c["x"], c["lo"], style, color=INK, linewidth=0.9)
            ax.plot(c["x"], c["hi"], style, color=INK, linewidth=0.9)
        for m in sorted(set(markers)):  # sorted: set order changes with PYTHONHASHSEED
            sel = np.array([k == m for k in markers])
            ax.scatter(size[sel], est[sel], c=[colours[i] for i in np.flatnonzero(sel)], marker=m, s=16, zorder=3,
                       rasterized=raster)
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
    fig.tight_layout()
    buf = io.StringIO()
    dpi: dict[str, Any] = {"dpi": 150} if raster else {}
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, **dpi)
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog and doctype
