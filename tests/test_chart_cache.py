"""The chart cache never serves stale or corrupt output, and the drawing pool draws what draw() draws (issue 20)."""
from __future__ import annotations

from pathlib import Path

from generator.site import charts
from generator.site.write import save_cache


def _spec(n: int, kind: str = "caterpillar", shift: float = 0.0, phone: bool = False) -> dict:
    est = [50 + shift + (i * 7919 % 97) / 4 for i in range(n)]
    bands = ["better" if e > 70 else "worse" if e < 55 else "about-same" for e in est]
    spec = {"type": kind, "kind": "proportion", "scale": 100.0, "target": 60.0, "est": est,
            "lo": [e - 5 for e in est], "hi": [e + 5 for e in est], "band": bands,
            "size": [20 + 13 * i for i in range(n)], "hib": True}
    if kind == "funnel":
        spec.pop("hib")
        spec["xlabel"] = "Number of responses"
        spec["limits"] = {c: {"x": [20, 20 + 13 * n], "lo": [40 - w, 55 - w], "hi": [80 + w, 65 + w]}
                          for c, w in (("0.95", 0), ("0.998", 3))}
    if phone:
        spec["phone"] = True
    return spec


def _draw(specs: dict, cache: Path, **kw):
    out, counts = charts.draw_specs(specs, cache, **kw)
    save_cache(cache, out)
    return out, counts


def test_a_valid_entry_is_reused_byte_for_byte(tmp_path):
    specs = {"a": _spec(30)}
    first, c1 = _draw(specs, tmp_path)
    again, c2 = _draw(specs, tmp_path)
    assert (c1["drawn"], c2["drawn"], c2["cached"]) == (1, 0, 1)
    assert again["a"].svg == first["a"].svg and again["a"].svg.startswith("<svg")
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(charts.CACHE_SUFFIX)] == []  # no temp files


def test_a_truncated_or_edited_entry_is_redrawn_not_published(tmp_path):
    specs = {"a": _spec(30)}
    first, _ = _draw(specs, tmp_path)
    (entry,) = tmp_path.iterdir()
    whole = entry.read_bytes()
    for damaged in (whole[: len(whole) // 2], whole.replace(b"Result", b"Resulx", 1), b"", whole[:40]):
        entry.write_bytes(damaged)
        out, counts = _draw(specs, tmp_path)
        assert counts == {"drawn": 1, "cached": 0}
        assert out["a"].svg == first["a"].svg
        assert entry.read_bytes() == whole  # and the entry is written afresh


def test_an_entry_from_another_style_or_matplotlib_is_not_used(tmp_path, monkeypatch):
    specs = {"a": _spec(30)}
    monkeypatch.setattr(charts, "STYLE_VERSION", "old-style")
    _draw(specs, tmp_path)
    assert _draw(specs, tmp_path)[1]["drawn"] == 0
    monkeypatch.undo()
    assert _draw(specs, tmp_path)[1]["drawn"] == 1
    monkeypatch.setattr(charts, "_matplotlib_version", lambda: "0.0-other")
    assert _draw(specs, tmp_path)[1]["drawn"] == 1
    assert len(list(tmp_path.iterdir())) == 3  # one entry per style and matplotlib version


def test_the_pool_draws_what_draw_draws_in_any_order():
    specs = {f"{i:02d}": _spec(n, kind, shift=i, phone=i % 3 == 0)
             for i, (n, kind) in enumerate([(30, "caterpillar"), (450, "funnel"), (12, "funnel"), (420, "caterpillar")] * 3)}
    pooled, counts = charts.draw_specs(specs, None, workers=2)
    assert counts["drawn"] == len(specs)
    alone = {k: charts.draw(specs[k]) for k in reversed(sorted(specs))}  # one process, another order
    assert [k for k in specs if pooled[k].svg != alone[k]] == []


def test_the_drawing_module_loads_neither_pandas_nor_scipy():
    """The chart workers import chart_draw alone: they hold matplotlib, not the build's libraries."""
    import subprocess
    import sys
    code = ("import sys, generator.site.chart_draw as d; d.draw_many([]); "
            "print(sorted(m for m in ('pandas', 'scipy', 'generator.stats', 'generator.compute') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]", run.stdout


def test_a_chart_is_named_by_the_json_of_what_it_shows_lists_written_once():
    """spec_hash writes a list shared by a group's drawings once (issue 20) and names each chart as the whole
    spec's sorted JSON does; a changed value, even in a shared list, changes the name."""
    import hashlib
    import json
    cat = _spec(40)
    fun = {**_spec(40, "funnel"), "est": cat["est"], "band": cat["band"]}  # iter_specs shares the lists
    group = [cat, fun, {**cat, "phone": True}, {**fun, "phone": True}]
    seen: dict = {}
    names = [charts.spec_hash(s, seen) for s in group]
    plain = [hashlib.sha256(json.dumps({"v": charts.STYLE_VERSION, "mpl": charts._matplotlib_version(), "s": s},
                                       sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:32] for s in group]
    assert names == plain == [charts.spec_hash(s) for s in group] and len(set(names)) == 4
    changed = {**fun, "est": [*cat["est"][:-1], cat["est"][-1] + 0.1]}
    assert charts.spec_hash(changed, seen) != names[1]
