"""Small trend charts drawn as SVG text (cheap enough for thousands of provider pages).

Only figures that passed disclosure control reach here. Colours are from the
Okabe-Ito colour-blind-safe palette and every special point also has its own shape.
"""
from __future__ import annotations

import math

from markupsafe import Markup

from generator.text.escape import svg_text

W, H, PAD = 320, 110, 6
LEFT, BOTTOM, FONT = 46, 20, 12  # room for the axis values; FONT in chart units (site.css keeps it >= 9 px as shown)
BLUE, ORANGE, GREY, INK = "#0072B2", "#D55E00", "#6b6b6b", "#1a1a1a"


def _xy(values, lo, hi):
    n = len(values)
    span = (hi - lo) or 1.0
    xs = [LEFT + (W - LEFT - PAD) * (i / max(n - 1, 1)) for i in range(n)]
    ys = [H - BOTTOM - (H - BOTTOM - PAD) * ((v - lo) / span) for v in values]
    return xs, ys


def _tick(v: float, kind: str) -> str:
    if kind == "proportion":
        return f"{v * 100:.1f}%"
    return f"{v:.1f}" if kind == "mean" else f"{v:.2f}"


def _axes(lo: float, hi: float, values: list, periods: list, kind: str) -> str:
    """Axis values: the highest and lowest figure, level with them; the first and last period."""
    vlo, vhi = min(values), max(values)
    y_hi, y_lo = _xy([vhi, vlo], lo, hi)[1]
    y_hi, y_lo = y_hi + 4, max(y_lo + 4, y_hi + 4 + FONT)  # the two labels never overlap
    t = f'font-size="{FONT}" fill="{INK}"'
    return (f'<path class="axis" d="M{LEFT - 3},{PAD}V{H - BOTTOM}H{W - PAD}"/>'
            f'<text {t} x="{LEFT - 5}" y="{y_hi:.0f}" text-anchor="end">{_tick(vhi, kind)}</text>'
            f'<text {t} x="{LEFT - 5}" y="{min(y_lo, H - BOTTOM + 4):.0f}" text-anchor="end">{_tick(vlo, kind)}</text>'
            f'<text {t} x="{LEFT}" y="{H - 3}">{svg_text(str(periods[0]))}</text>'
            f'<text {t} x="{W - PAD}" y="{H - 3}" text-anchor="end">{svg_text(str(periods[-1]))}</text>')


def trend_svg(tr, hist, meas, provider_name: str, mark: str | None = None):
    """An inline SVG of the series with SPC limits where there are monthly points."""
    if tr is not None and len(tr):
        pts = tr.sort_values("period")
        values = pts["value"].astype(float).tolist()
        kinds = pts["point_type"].tolist()
        mean = float(pts["mean"].iat[-1])
        upper, lower = float(pts["upper"].iat[-1]), float(pts["lower"].iat[-1])
        periods = pts["period"].tolist()
    else:
        pts = hist[hist["estimate"].notna()].sort_values("period")
        values = pts["estimate"].astype(float).tolist()
        kinds = ["common_cause"] * len(values)
        mean = upper = lower = math.nan
        periods = pts["period"].tolist()
    return trend_svg_values(values, kinds, mean, upper, lower, periods, meas, mark)


def trend_svg_values(values: list, kinds: list, mean: float, upper: float, lower: float, periods: list, meas,
                     mark: str | None = None, named: bool = True):
    """trend_svg from plain lists: values and point types in period order, the last limits, the periods.
    named=False leaves the measure's name out of the text alternative (for a table row that names it).
    Inline in HTML only: lines are styled by the .trend rules in site.css, coordinates are whole pixels."""
    if len(values) < 2:
        return None
    scale = 100 if meas.kind == "proportion" else 1
    bounds = [v for v in values + [upper, lower] if not math.isnan(v)]
    lo, hi = min(bounds), max(bounds)
    pad = (hi - lo) * 0.08 or 0.01
    lo, hi = lo - pad, hi + pad
    xs, ys = _xy(values, lo, hi)
    alt = _alt(meas, periods, values, scale, named)
    parts = [f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" class="trend" aria-label="{svg_text(alt)}">']
    for level, cls in ((mean, "mid"), (upper, "lim"), (lower, "lim")):
        if not math.isnan(level) and lo <= level <= hi:
            y = _xy([level], lo, hi)[1][0]
            parts.append(f'<path class="{cls}" d="M{LEFT},{y:.0f}H{W - PAD}"/>')
    parts.append(_axes(lo, hi, values, periods, meas.kind))
    if mark:
        parts.append(_mark(periods, mark))
    path = "".join(f"{'M' if i == 0 else 'L'}{x:.0f},{y:.0f}" for i, (x, y) in enumerate(zip(xs, ys)))
    parts.append(f'<path class="ln" d="{path}"/>')
    dots = "".join(f"M{x:.0f},{y:.0f}h0" for x, y, k in zip(xs, ys, kinds) if not k.startswith("special_cause"))
    if dots:  # ordinary points: one path of round dots, a tenth of the bytes of a circle each
        parts.append(f'<path class="pt" d="{dots}"/>')
    parts += [_marker(x, y, k) for x, y, k in zip(xs, ys, kinds) if k.startswith("special_cause")]
    parts.append("</svg>")
    return Markup("".join(parts))


def _marker(x: float, y: float, kind: str) -> str:
    if kind == "special_cause_concern":  # orange diamond
        return f'<path d="M{x:.1f},{y - 5:.1f}L{x + 5:.1f},{y:.1f}L{x:.1f},{y + 5:.1f}L{x - 5:.1f},{y:.1f}Z" fill="{ORANGE}"/>'
    if kind == "special_cause_improvement":  # blue square
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{BLUE}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="none" stroke="{INK}" stroke-width="1.5"/>'  # neutral


def _alt(meas, periods, values, scale, named: bool = True) -> str:
    unit = "%" if meas.kind == "proportion" else ""
    first, last = values[0] * scale, values[-1] * scale
    return (f"{'Trend of ' + meas.name if named else 'Over time'} from {periods[0]} to {periods[-1]}: "
            f"{first:.1f}{unit} at the start, {last:.1f}{unit} at the end, "
            f"lowest {min(values) * scale:.1f}{unit}, highest {max(values) * scale:.1f}{unit}.")


def _mark(periods: list[str], mark: str) -> str:
    """A vertical line where an intervention happened (first period starting on or after `mark`)."""
    from generator.data.periods import start as period_start
    import pandas as pd
    when = pd.Timestamp(mark)
    starts = [period_start(p) for p in periods]
    i = next((k for k, s in enumerate(starts) if s >= when), len(periods) - 1)
    x = LEFT + (W - LEFT - PAD) * ((i - 0.5 if i > 0 else 0) / max(len(periods) - 1, 1))
    return (f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{H}" stroke="{BLUE}" stroke-width="2" stroke-dasharray="2 2"/>'
            f'<text x="{x + 3:.1f}" y="{FONT}" font-size="{FONT}" fill="{INK}">change made</text>')
