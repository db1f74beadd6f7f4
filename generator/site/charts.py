"""Stage 4: league-table charts (caterpillar and funnel) as SVG, with matplotlib.

Each chart is drawn from a small spec of published (already suppressed) figures
(chart_draw.draw). Charts are drawn in 2 fresh processes at a lower priority while the
build goes on (Drawing), and cached by a hash of their spec, the style and matplotlib's
version, so a rebuild with unchanged inputs draws none. A cache entry holds the
SVG's own sha256 and is used only if it matches. Charts carry no text from data packages.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from dataclasses import replace
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from generator.data import periods
from generator.views import urls
from generator.views.context import Chart
from generator.settings import DEFAULT, Settings
from generator.compute.transform import FUNNEL_XLABEL, funnel_size
from generator.stats.bands import BETTER_ANY, WORSE_ANY
from generator.site import chart_draw
from generator.site.chart_draw import RASTER_ABOVE

__all__ = ["RASTER_ABOVE", "specs", "iter_specs", "draw", "draw_all", "draw_specs", "Drawing", "alt_text", "spec_hash"]


STYLE_VERSION = "7"  # change when chart_draw.draw() changes, so cached charts are redrawn
CACHE_SUFFIX = ".chart"  # a cache entry: b"sha256:<hex of the SVG>\n" then the SVG (UTF-8)
SERIAL_UP_TO = 8  # this many charts to draw or fewer: drawn here, without starting workers
BATCH = 4  # specs sent to a worker at a time


def specs(results, st: Settings = DEFAULT) -> dict[str, dict]:
    """One spec per chart: the numbers it shows, nothing else. Drawn for the periods that have positions
    (the latest and st.history_periods earlier ones)."""
    return dict(iter_specs(results, st))


def iter_specs(results, st: Settings = DEFAULT) -> Iterator[tuple[str, dict]]:
    """specs() one (key, spec) at a time, so they need not all be held at once."""
    sc = periods.recent_rows(results.scores, results.periods, st.history_periods + 1)
    curves = {k: c for k, c in results.funnels.groupby(["measure", "period", "peer"], sort=False)}
    no_curve = results.funnels.iloc[:0]
    marked = {(x.measure, x.period, x.peer): str(x.benchmark) for x in results.peers.itertuples(index=False)
              if getattr(x, "benchmark", "")}
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
            base["benchmark"] = marked[(measure, period, peer)]  # its label, e.g. 'US national average'
        pts = {"est": (g["estimate"] * scale).round(6).tolist(), "lo": (g["lower95"] * scale).round(6).tolist(),
               "hi": (g["upper95"] * scale).round(6).tolist(), "band": g["band"].tolist(),
               "size": size.round(6).tolist()}
        cat = {"type": "caterpillar", **base, **pts, "hib": bool(g["higher_is_better"].iat[0])}
        yield urls.chart_key(measure, period, peer, "caterpillar"), cat
        lim = {}
        for conf in (0.95, 0.998):
            c = curve[curve["confidence"] == conf]
            lim[str(conf)] = {"x": c["size"].round(6).tolist(), "lo": (c["lower_adj"] * scale).round(6).tolist(),
                              "hi": (c["upper_adj"] * scale).round(6).tolist()}
        fun = {"type": "funnel", **base, **pts, "limits": lim, "xlabel": FUNNEL_XLABEL.get(kind, "Number of responses")}
        yield urls.chart_key(measure, period, peer, "funnel"), fun
        if g["age"].iat[0] == 0:  # the measure's latest period: a phone-sized drawing, text 9 pt at 360 px
            for name, spec in (("caterpillar", cat), ("funnel", fun)):  # (earlier periods' wide charts scroll
                yield urls.chart_key(measure, period, peer, name, phone=True), {**spec, "phone": True}  # sideways)


def alt_text(key: str, spec: dict) -> str:
    n = len(spec["est"])
    worse = sum(b in WORSE_ANY for b in spec["band"])
    better = sum(b in BETTER_ANY for b in spec["band"])
    bench = spec.get("benchmark")
    mark = f"; the middle line is the {bench}, the published benchmark they are compared with" if bench else ""
    than = f"the {bench}" if bench else "expected"
    if spec["type"] == "funnel":
        return (f"Funnel plot of the {n} providers with a published result against the expected range for their size: "
                f"{better} above the range (better than {than}), {worse} below it (worse){mark}. "
                "The table below lists every provider's figures.")
    return (f"Chart of the results of the {n} providers with a published result, in order, each with its likely range: "
            f"{better} better and {worse} worse than {than}{mark}. The table below lists the same figures.")


@lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    return metadata.version("matplotlib")


def spec_hash(spec: dict, seen: dict[int, tuple[object, str]] | None = None) -> str:
    """The chart's name in the cache: what it shows, how it is drawn (STYLE_VERSION) and by which matplotlib.
    seen: values already written as JSON, by id (a chart's lists are shared with its other drawings: the
    funnel, caterpillar and phone ones); the name is the same without it. A list must not change after its
    chart is named (iter_specs makes new lists for each group)."""
    def dumped(v) -> str:
        if seen is None or not isinstance(v, (list, dict)):
            return json.dumps(v, sort_keys=True, separators=(",", ":"))
        kept = seen.get(id(v))
        if kept is None or kept[0] is not v:
            kept = seen[id(v)] = (v, json.dumps(v, sort_keys=True, separators=(",", ":")))
        return kept[1]
    body = ",".join(f"{json.dumps(k)}:{dumped(spec[k])}" for k in sorted(spec))
    blob = f'{{"mpl":{json.dumps(_matplotlib_version())},"s":{{{body}}},"v":{json.dumps(STYLE_VERSION)}}}'.encode()
    return hashlib.sha256(blob).hexdigest()[:32]


def cache_entry(svg: str) -> bytes:
    """What the cache keeps for a chart (write.save_cache writes it): the SVG's sha256, then the SVG."""
    data = svg.encode("utf-8")
    return b"sha256:" + hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data


def read_cached(cache_dir: Path | None, h: str) -> str | None:
    """The cached SVG named h, or None if there is none or it is not exactly what was written
    (truncated, edited, unreadable): then the chart is drawn again."""
    if cache_dir is None:
        return None
    try:
        data = (cache_dir / f"{h}{CACHE_SUFFIX}").read_bytes()
    except OSError:
        return None
    head, sep, svg = data.partition(b"\n")
    if not sep or head != b"sha256:" + hashlib.sha256(svg).hexdigest().encode("ascii"):
        return None
    try:
        text = svg.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.startswith("<svg") else None


def drawable(spec: dict) -> dict:
    """The spec as chart_draw.draw takes it: each point's tone worked out from its band here, so the
    workers need not import the statistics; the points as arrays, which a worker is sent in a quarter of
    the bytes lists take and which are held in a fraction of the memory while they wait."""
    out = {k: v for k, v in spec.items() if k != "band"}
    for k in ("est", "lo", "hi", "size"):
        out[k] = np.asarray(spec[k], dtype=float)
    out["tone"] = ["better" if b in BETTER_ANY else "worse" if b in WORSE_ANY else "" for b in spec["band"]]
    return out


def draw(spec: dict) -> str:
    """One chart's SVG (in this process)."""
    return chart_draw.draw(drawable(spec))


def draw_all(results, cache_dir: Path | None = None, workers: int | None = None,
             st: Settings = DEFAULT) -> tuple[dict[str, Chart], dict[str, int]]:
    """Every chart as {key: Chart}, plus counts {"drawn", "cached"}."""
    return Drawing(iter_specs(results, st), cache_dir, workers).finish()


def draw_specs(specs: Iterable[tuple[str, dict]] | dict[str, dict], cache_dir: Path | None = None,
               workers: int | None = None) -> tuple[dict[str, Chart], dict[str, int]]:
    """Charts of (key, spec) pairs, by key, drawn or read from the cache (Drawing), once all are done."""
    return Drawing(specs, cache_dir, workers).finish()


class Drawing:
    """Charts drawn while the build goes on (issue 20). Each chart is read from the cache if a sound entry is
    there; the others are drawn in `workers` fresh ("spawn") processes, which hold matplotlib and the specs
    they are given, not a copy of the build (SERIAL_UP_TO or fewer: drawn here, at once). `charts` names every
    chart with its text alternative at once, which is all a page needs; finish() waits for the drawings."""

    def __init__(self, specs: Iterable[tuple[str, dict]] | dict[str, dict], cache_dir: Path | None = None,
                 workers: int | None = None):
        items = specs.items() if isinstance(specs, dict) else specs
        workers = workers or min(2, os.cpu_count() or 1)
        self.charts: dict[str, Chart] = {}  # key -> Chart; svg "" while it is being drawn
        todo: list[tuple[str, dict]] = []
        seen: dict[int, tuple[object, str]] = {}  # one chart's lists, shared with its other drawings
        for key, spec in items:
            if spec.get("type") == "caterpillar" and not spec.get("phone"):
                seen.clear()  # a new group's charts begin: the lists before it are not seen again
            h = spec_hash(spec, seen)
            svg = read_cached(cache_dir, h)
            self.charts[key] = Chart(svg=svg or "", alt=alt_text(key, spec), hash=h, new=svg is None)
            if svg is None:
                todo.append((key, drawable(spec)))  # arrays, not lists, while they wait
        self.drawn = len(todo)
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: list[tuple[list[str], Future]] = []
        if len(todo) <= SERIAL_UP_TO or workers < 2:
            self._fill([k for k, _ in todo], [chart_draw.draw(d) for _, d in todo])
            return
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=chart_draw.yield_processors)
        try:
            for i in range(0, len(todo), BATCH):
                batch = todo[i:i + BATCH]
                self._waiting.append(([k for k, _ in batch], self._pool.submit(chart_draw.draw_many, [d for _, d in batch])))
        except BaseException:
            self.cancel()
            raise

    def _fill(self, keys: list[str], svgs: list[str]) -> None:
        for key, svg in zip(keys, svgs):
            self.charts[key] = replace(self.charts[key], svg=svg)

    def finish(self) -> tuple[dict[str, Chart], dict[str, int]]:
        """Every chart, drawn, by key, plus counts {"drawn", "cached"}."""
        try:
            for keys, fut in self._waiting:
                self._fill(keys, fut.result())
            self._waiting = []
        finally:
            self.cancel()
        return dict(sorted(self.charts.items())), self.counts()

    def counts(self) -> dict[str, int]:
        """{"drawn": charts being drawn or drawn, "cached": charts read from the cache}."""
        return {"drawn": self.drawn, "cached": len(self.charts) - self.drawn}

    def cancel(self) -> None:
        """Stop the workers (finish() does it when all is drawn; the build, when it stops early)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
