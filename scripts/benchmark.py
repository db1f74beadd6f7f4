#!/usr/bin/env python3
"""England-scale build benchmark (issue 10). Not a unit test: run it by hand or in CI.

Generates a seeded fictional data set in the standard (scripts/england_data.py:
7,300 providers, 42 measures, 24 months with group breakdowns, ~2.7 million
score rows), builds the site from it, each build in a fresh process as CI runs
it, and prints per stage the wall seconds, CPU seconds (the build's process and
its children) and peak memory (PSS of the build's process plus its children,
sampled every 0.5 s from /proc and at each stage's start and end; the total includes
importing the generator), then the page
count, site size, largest pages and what the finder and search load first.
Before the measured build, the quarter before it is built (its own chart
cache) and archived in a folder standing in for the release store
(scripts/bench_release.py), so the measured release starts from an empty
folder with a real "What changed" and an archived copy to weigh. A rebuild
with the same inputs and caches follows (the no-change rebuild), then the
update: one more month of FFT data (drawn with the rest, held back) is added
and the site built again with the caches the earlier builds left.

    python scripts/benchmark.py                 # England scale, in /tmp/england-bench
    python scripts/benchmark.py --small         # 4% of England (292 providers), about a minute
    python scripts/benchmark.py --work DIR --reuse-data --json out.json
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_release  # noqa: E402
import england_data  # noqa: E402
from generator.progress import Progress  # noqa: E402

STAGES = ["key", "validate", "compute", "charts", "render", "write", "mkdocs", "fill", "publish"]
PAGE_BUDGET, FIRST_LOAD_BUDGET = 100_000, 1_000_000


def _proc_kb(path: str, field: str) -> int:
    try:
        with open(path, encoding="ascii") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def tree_kb(pid: int | None = None) -> int:
    """Memory of a process and all its descendants, in KB: proportional set size (PSS), so pages
    that forked chart workers share with the parent are counted once, not once per process."""
    todo, total = [pid or os.getpid()], 0
    while todo:
        p = todo.pop()
        total += _proc_kb(f"/proc/{p}/smaps_rollup", "Pss:")
        todo += _children(p)
    return total


class Meter(Progress):
    """Progress that also records CPU seconds and peak tree RSS for each stage."""

    def __init__(self, interval: float = 0.5):  # reading PSS walks the page tables of every process: every
        # 50 ms it slowed the build it measured by 6-8 s at England scale (render 36.5 -> 29.9 s at 0.5 s)
        super().__init__(quiet=True)
        self.peak_kb: dict[str, int] = {}
        self.cpu: dict[str, float] = {}
        self._cpu0 = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self._thread.start()

    @staticmethod
    def _cpu_now() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def _sample(self, interval: float) -> None:
        while not self._stop.wait(interval):
            stage = self._stage
            if stage is not None:
                kb = tree_kb()
                if kb > self.peak_kb.get(stage, 0):
                    self.peak_kb[stage] = kb

    def stage(self, name: str, detail: str = "") -> None:
        super().stage(name, detail)
        self._cpu0 = self._cpu_now()
        self.peak_kb[name] = max(self.peak_kb.get(name, 0), tree_kb())
        print(f"  {name}…", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self._stage is not None:
            self.cpu[self._stage] = self._cpu_now() - self._cpu0
            self.peak_kb[self._stage] = max(self.peak_kb.get(self._stage, 0), tree_kb())
        super().done()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def machine() -> str:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    load = os.getloadavg()[0]
    return (f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; {os.cpu_count()} CPUs ({model or platform.machine()}); "
            f"{mem:.0f} GB RAM; Python {platform.python_version()}; load average {load:.1f} at start")


def build_once(data: Path, site: Path, cache: Path, archive: Path | None = None) -> dict:
    """One build in a process of its own, as CI runs it: memory left over from an earlier build in the same
    process would count towards this one's peak, and its figures would depend on what ran before."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        subprocess.run([sys.executable, __file__, "--one-build", str(data), str(site), str(cache),
                        str(archive or ""), str(out)], check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def _one_build(data: Path, site: Path, cache: Path, archive: Path | None) -> dict:
    t0 = time.perf_counter()  # from before the import: a CI run pays for it too
    from generator.build import build
    meter = Meter()
    try:
        res = build([data], site, progress=meter, cache_dir=cache, archive=archive)
    finally:
        meter.close()
    if not res.ok:
        raise SystemExit(f"build failed: {res.error}; first problems: {res.problems[:5]}")
    return {"wall": dict(meter.timings), "cpu": meter.cpu, "peak_mb": {k: v / 1024 for k, v in meter.peak_kb.items()},
            "total": time.perf_counter() - t0, "summary": res.summary,
            "main_peak_rss_mb": _proc_kb("/proc/self/status", "VmHWM:") / 1024}


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0


def site_figures(site: Path) -> dict:
    pages = sorted(site.rglob("*.html"))
    sizes = {p: p.stat().st_size for p in pages}
    prov = {p: s for p, s in sizes.items() if p.parent.parent.name == "providers"}
    largest = max(sizes, key=sizes.get)
    largest_prov = max(prov, key=prov.get) if prov else None
    finder = [site / "providers" / "index.html", site / "assets" / "providers.json"]
    finder_bytes = sum(p.stat().st_size for p in finder if p.is_file())
    search = site / "search" / "search_index.json"
    compare = [site / "compare" / "index.html", site / "assets" / "choice.json"]
    folders: dict[str, int] = {}
    files = 0
    for p in site.rglob("*"):
        if p.is_file():
            parts = p.relative_to(site).parts
            top = parts[0] if len(parts) > 1 else "(top)"
            folders[top] = folders.get(top, 0) + p.stat().st_size
            files += 1
    return {
        "folders_mb": {k: round(v / 1e6, 1) for k, v in sorted(folders.items(), key=lambda kv: -kv[1])},
        "compare_first_load": sum(p.stat().st_size for p in compare if p.is_file()),
        "pages": len(pages), "site_mb": sum(folders.values()) / 1e6, "files": files,
        "largest_page": (str(largest.relative_to(site)), sizes[largest]),
        "largest_provider_page": (str(largest_prov.relative_to(site)), prov[largest_prov]) if prov else None,
        "provider_pages_over_budget": sum(1 for s in prov.values() if s > PAGE_BUDGET),
        "finder_first_load": finder_bytes, "finder_first_load_gz": sum(_gz(p) for p in finder),
        "providers_json": (site / "assets" / "providers.json").stat().st_size if finder[1].is_file() else 0,
        "search_index": search.stat().st_size if search.is_file() else 0, "search_index_gz": _gz(search),
    }


def table(first: dict, second: dict, update: dict) -> str:
    lines = [f"{'stage':<10} {'wall s':>8} {'cpu s':>8} {'peak PSS MB':>12} | {'no-change s':>11} | {'update s':>8}"]
    for s in STAGES:
        if s in first["wall"] or s in update["wall"]:
            lines.append(f"{s:<10} {first['wall'].get(s, 0):>8.1f} {first['cpu'].get(s, 0):>8.1f} "
                         f"{first['peak_mb'].get(s, 0):>12.0f} | {second['wall'].get(s, 0):>11.1f} | "
                         f"{update['wall'].get(s, 0):>8.1f}")
    lines.append(f"{'total':<10} {first['total']:>8.1f} {sum(first['cpu'].values()):>8.1f} "
                 f"{max(first['peak_mb'].values()):>12.0f} | {second['total']:>11.1f} | {update['total']:>8.1f}")
    lines.append(f"peak RSS of the main process (VmHWM): {first['main_peak_rss_mb']:.0f} MB")
    return "\n".join(lines)


BUDGETS = {"total": 90, "no_change": 20, "update": 60, "peak": 4096, "page": PAGE_BUDGET / 1e3, "first": FIRST_LOAD_BUDGET / 1e3}


def markdown(first: dict, second: dict, update: dict, figs: dict, counts: dict, machine_line: str, rel: dict) -> str:
    """The README block: the figures of this run against the scale issue's budgets."""
    def ok(value, budget):
        return "within" if value <= budget else "over"
    peak = max(max(first["peak_mb"].values()), max(update["peak_mb"].values(), default=0))
    lpp = figs["largest_provider_page"]
    first_load = max(figs["finder_first_load"], figs["compare_first_load"]) / 1e3
    rows = ["| stage | full: wall s | cpu s | peak PSS MB | no-change: wall s | one new month: wall s |",
            "| --- | --- | --- | --- | --- | --- |"]
    rows += [f"| {s} | {first['wall'].get(s, 0):.1f} | {first['cpu'].get(s, 0):.1f} | {first['peak_mb'].get(s, 0):,.0f} | "
             f"{second['wall'].get(s, 0):.1f} | {update['wall'].get(s, 0):.1f} |"
             for s in STAGES if s in first["wall"] or s in update["wall"]]
    rows.append(f"| **total** | **{first['total']:.1f}** | {sum(first['cpu'].values()):.1f} | **{peak:,.0f}** | "
                f"**{second['total']:.1f}** | **{update['total']:.1f}** |")
    sizes = ", ".join(f"{k} {v:,.0f}" for k, v in figs["folders_mb"].items() if v >= 1)
    return "\n".join([
        f"Data: {counts['providers']:,} providers, {counts['measures']} measures, {counts['periods']} months, "
        f"{counts['score_rows']:,} score rows. Machine: {machine_line}.", "", *rows, "",
        "| budget | measured | |", "| --- | --- | --- |",
        f"| full build ≤ 90 s | {first['total']:.0f} s | {ok(first['total'], BUDGETS['total'])} |",
        f"| no-change rebuild ≤ 20 s | {second['total']:.1f} s | {ok(second['total'], BUDGETS['no_change'])} |",
        f"| one-new-month update ≤ 60 s | {update['total']:.0f} s ({update['summary'].get('charts_drawn')} charts drawn, "
        f"{update['summary'].get('charts_cached')} reused) | {ok(update['total'], BUDGETS['update'])} |",
        f"| peak memory ≤ 4 GB | {peak / 1024:.2f} GB (PSS of the build and its workers, full or update) |"
        f" {ok(peak, BUDGETS['peak'])} |",
        *bench_release.markdown_rows(rel),
        f"| provider page ≤ 100 KB | largest {lpp[1] / 1e3:.0f} KB; {figs['provider_pages_over_budget']} over |"
        f" {ok(lpp[1] / 1e3, BUDGETS['page'])} |",
        f"| first load of finder / compare / search ≤ 1 MB | finder {figs['finder_first_load'] / 1e3:,.0f} KB, compare "
        f"{figs['compare_first_load'] / 1e3:,.0f} KB, search index {figs['search_index'] / 1e3:,.0f} KB |"
        f" {ok(max(first_load, figs['search_index'] / 1e3), BUDGETS['first'])} |",
        f"| rebuild draws 0 charts | {second['summary']['charts_drawn']} drawn in {second['total']:.0f} s | "
        f"{'within' if second['summary']['charts_drawn'] == 0 else 'over'} |",
        "", f"Site by folder (MB): {sizes}.",
    ])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--one-build"]:  # build_once's child: DATA SITE CACHE ARCHIVE OUT
        data, site, cache, archive, out = argv[1:6]
        figures = _one_build(Path(data), Path(site), Path(cache), Path(archive) if archive else None)
        Path(out).write_text(json.dumps(figures, default=str), encoding="utf-8")
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="4%% of England (292 providers): about a minute with the rebuild")
    ap.add_argument("--scale", type=float, help="share of England's providers (overrides --small)")
    ap.add_argument("--work", type=Path, help="folder for data, site and chart cache (default /tmp/england-bench[-small])")
    ap.add_argument("--reuse-data", action="store_true", help="keep data already generated in --work at this scale")
    ap.add_argument("--no-rebuild", action="store_true", help="skip the no-change rebuild and the one-new-month update")
    ap.add_argument("--one-quarter", action="store_true",
                    help="skip the earlier quarter built first (then 'What changed' has nothing to compare)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--markdown", type=Path, help="also write the README's table of figures here")
    a = ap.parse_args(argv)
    scale = a.scale if a.scale is not None else 0.04 if a.small else 1.0
    work = a.work or Path(f"/tmp/england-bench{'-small' if scale < 1 else ''}")
    data, site, cache = work / "data", work / "site", work / "cache"
    print(machine())
    stamp, held = work / "data.json", work / "next-month.csv"
    t0 = time.perf_counter()
    if a.reuse_data and stamp.is_file() and held.is_file() and json.loads(stamp.read_text())["scale"] == scale:
        counts = json.loads(stamp.read_text())["counts"]
        gen = 0.0
    else:
        counts = england_data.generate(data, scale, next_month=held)
        gen = time.perf_counter() - t0
        stamp.write_text(json.dumps({"scale": scale, "counts": counts}))
    print(f"data: {counts['providers']} providers, {counts['measures']} measures, {counts['periods']} months, "
          f"{counts['score_rows']:,} score rows, {counts['bytes'] / 1e6:.0f} MB CSV "
          f"({'reused' if not gen else f'generated in {gen:.1f} s'})")
    archive = work / "archive"  # a folder standing in for the release store
    for p in (site, cache, archive, work / "previous-site", work / "previous-cache", work / "next-data",
              work / ".site.previous"):  # (a build keeps the site it replaced there: write.keep_previous)
        shutil.rmtree(p, ignore_errors=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1735689600")
    if not a.one_quarter:
        print("an earlier quarter, first (its release is archived):", file=sys.stderr)
        build_once(bench_release.previous_quarter(data, work / "previous-data"), work / "previous-site",
                   work / "previous-cache", archive)  # CI keeps no chart cache between quarters
        shutil.rmtree(work / "previous-site")  # the next run starts from an empty folder, as a fresh runner does
    print("this quarter:", file=sys.stderr)
    first = build_once(data, site, cache, archive)
    figs = site_figures(site)
    rel = bench_release.figures(site, archive)
    second = update = {"wall": {}, "peak_mb": {}, "total": 0.0, "summary": {"charts_drawn": None}}
    if not a.no_rebuild:
        print("the same quarter again (no change):", file=sys.stderr)
        second = build_once(data, site, cache, archive)
        print(f"one new month ({england_data.NEXT_MONTH}), with the caches of the builds before:", file=sys.stderr)
        update = build_once(england_data.with_next_month(data, held, work / "next-data"), site, cache, archive)
    print()
    print(table(first, second, update))
    s = first["summary"]
    lp, lpp = figs["largest_page"], figs["largest_provider_page"]
    print(f"\npages {figs['pages']:,} (files {figs['files']:,}); site {figs['site_mb']:.0f} MB")
    print(f"live site {rel['site_bytes'] / 1e6:.1f} MB; one archived quarter {rel['archive_release_bytes'] / 1e6:.1f} MB "
          f"({rel['archive_by_file_mb']}); live + 8 quarters {rel['live_plus_8_bytes'] / 1e6:.0f} MB; largest page "
          f"{rel['largest_page']} {rel['largest_page_bytes'] / 1e3:.0f} KB; 'What changed' {rel['changes_page_bytes'] / 1e3:.0f} KB")
    print(f"largest page {lp[0]} {lp[1] / 1e3:.0f} KB; largest provider page "
          f"{lpp[0] if lpp else '-'} {lpp[1] / 1e3 if lpp else 0:.0f} KB; "
          f"provider pages over {PAGE_BUDGET // 1000} KB: {figs['provider_pages_over_budget']}")
    print(f"finder first load (providers/index.html + assets/providers.json): {figs['finder_first_load'] / 1e3:.0f} KB "
          f"({figs['finder_first_load_gz'] / 1e3:.0f} KB gzipped); providers.json {figs['providers_json'] / 1e3:.0f} KB")
    print(f"search index (loaded whole on first search): {figs['search_index'] / 1e3:.0f} KB "
          f"({figs['search_index_gz'] / 1e3:.0f} KB gzipped)")
    print(f"charts drawn {s['charts_drawn']}, reused {s['charts_cached']}; "
          f"no-change rebuild drew {second['summary']['charts_drawn']}"
          f"{' (nothing to do)' if second['summary'].get('unchanged') else ''}; update drew "
          f"{update['summary']['charts_drawn']}, reused {update['summary'].get('charts_cached')}")
    if a.markdown:
        a.markdown.write_text(markdown(first, second, update, figs, counts, machine(), rel) + "\n", encoding="utf-8")
    if a.json:
        a.json.write_text(json.dumps({"machine": machine(), "scale": scale, "data": counts, "build": first,
                                      "rebuild": second, "update": update, "site": figs, **rel}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
