"""The build context (generator/views/context.py): frozen, built once from what the data stage read; the
views and the renderer read no file. `serve` hands its pages to its MkDocs hook in a file, not a global."""
from __future__ import annotations

import dataclasses
import html
import os
import pathlib
from pathlib import Path

import pytest

from generator import paths
from generator.compute.compare import compare
from generator.compute.release import release_info
from generator.data import reference
from generator.data.validate import validate_paths
from generator.settings import DEFAULT
from generator.site import render, shell_hook, write
from generator.site.shells import HtmlPage
from generator.views.context import build_context
from generator.views.shared import shared_views

PACKAGE = Path(__file__).resolve().parent / "packages" / "minimal"


@pytest.fixture(scope="module")
def results():
    ds, problems = validate_paths([PACKAGE])
    assert ds is not None, problems[:5]
    return compare(ds)


def test_rendering_reads_no_reference_file(results, monkeypatch):
    ref = reference.read()
    reads = []
    real = pathlib.Path.read_text

    def read_text(self, *a, **k):
        reads.append(self.resolve())
        return real(self, *a, **k)

    monkeypatch.setattr(pathlib.Path, "read_text", read_text)
    ctx = build_context(results, {}, release_info(results, DEFAULT), ref)
    shared = shared_views(ctx)
    pages = render.render_site(ctx, shared)
    render.site_files(ctx, shared)
    reference_files = {paths.REDFLAGS_CONFIG, paths.CALIBRATION} | set(paths.STANDARD_DIR.glob("*.json"))
    assert not set(reads) & reference_files
    methods = html.unescape(pages["methods.md"])
    assert f"{ref.calibration['replicates']:,}" in methods  # the calibration read once, shown on the page
    assert all(r["title"] in html.unescape(pages["red-flags.md"]) for r in ref.rules)


def test_the_context_is_frozen(results):
    ctx = build_context(results, {}, release_info(results, DEFAULT), reference.read())
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.site_url = "https://example.org/"  # type: ignore[misc]


def test_other_rules_reach_the_pages(results):
    """The rules come from what the data stage read, not from the file: a changed title shows."""
    ref = reference.read()
    renamed = dataclasses.replace(ref, rules=tuple(dict(r, title=f"Renamed {r['id']}") for r in ref.rules))
    ctx = build_context(results, {}, release_info(results, DEFAULT), renamed)
    text = html.unescape(render.render_site(ctx, shared_views(ctx))["red-flags.md"])
    assert all(f"Renamed {r['id']}" in text for r in ref.rules)


def test_serve_hook_fills_the_pages_serve_left_beside_the_docs(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    pages = {"providers/x1.md": HtmlPage("X <1>", "<p>body & more</p>")}
    saved = write.save_pending(docs, pages)
    assert saved.parent == tmp_path and not any(docs.iterdir())  # beside the docs: MkDocs never publishes it
    filled = {}
    monkeypatch.setattr(write, "fill_shells", lambda site, got: filled.update(site=site, pages=got))
    shell_hook.on_post_build({"docs_dir": os.fspath(docs), "site_dir": os.fspath(tmp_path / "site")})
    assert filled == {"site": tmp_path / "site", "pages": pages}
    filled.clear()
    shell_hook.on_post_build({"docs_dir": os.fspath(tmp_path / "other" / "docs"), "site_dir": os.fspath(tmp_path)})
    assert filled == {}  # no file, nothing to fill


def test_serve_keeps_held_league_rows_for_its_hook(tmp_path):
    """League rows held from MkDocs (shells.HeldRows) reach serve's hook too: it puts them back after each rebuild."""
    from generator.site.shells import HeldRows, ROWS
    docs = tmp_path / "docs"
    docs.mkdir()
    write.save_pending(docs, {"measures/m1.md": HeldRows(f"<tbody>\n{ROWS}\n</tbody>", ("<tr><td>a &amp; b</td></tr>\n",))})
    (tmp_path / "site" / "measures" / "m1").mkdir(parents=True)
    built = tmp_path / "site" / "measures" / "m1" / "index.html"
    built.write_text(f"<table><tbody>\n{ROWS}\n</tbody></table>\n", encoding="utf-8")
    shell_hook.on_post_build({"docs_dir": os.fspath(docs), "site_dir": os.fspath(tmp_path / "site")})
    assert built.read_text(encoding="utf-8") == "<table><tbody>\n<tr><td>a &amp; b</td></tr>\n</tbody></table>\n"


def test_compute_reads_no_rules_file_when_the_build_hands_them_over(monkeypatch):
    """The build reads redflags.toml once (data/reference.py) and passes the rules to compare()."""
    ds, problems = validate_paths([PACKAGE])
    assert ds is not None, problems[:5]
    rules = list(reference.read().rules)

    def no_read():
        raise AssertionError("compute read the rules file itself")

    monkeypatch.setattr(reference, "read_rules", no_read)
    assert len(compare(ds, DEFAULT, rules).flags.columns)


def test_provider_pages_in_a_second_process_are_the_same_pages_in_the_same_order(results, monkeypatch):
    """render_all forks a process for the provider pages from render.FORK_FROM providers (issue 20): the pages
    and their order are those of one process, and the files those of site_files."""
    ctx = build_context(results, {}, release_info(results, DEFAULT), reference.read())
    shared = shared_views(ctx)
    one = render.render_site(ctx, shared)
    monkeypatch.setattr(render, "FORK_FROM", 1)
    started = []
    real = render.forked.Forked
    monkeypatch.setattr(render.forked, "Forked", lambda *a, **k: started.append(1) or real(*a, **k))
    two, files, again = render.render_all(ctx, None, workers=2, held=False)
    assert [t.page for t in again.league_tables] == [t.page for t in shared.league_tables]
    assert started == [1]
    assert list(two) == list(one) and two == one
    assert files == render.site_files(ctx, shared) and list(files) == list(render.site_files(ctx, shared))
    assert any(k.startswith("downloads/") for k in files)  # made in the second process, put in their place
    assert sum(isinstance(p, HtmlPage) and k.startswith("providers/") for k, p in two.items()) == len(ctx.providers)


def test_render_later_leaves_provider_pages_pending_then_fills_them_in_order(results, monkeypatch, tmp_path):
    """render_later returns before the second process has rendered the provider pages (issue 20: MkDocs runs
    meanwhile): each stands as a PendingPage, which the writer refuses to publish; Later.fill puts in the pages
    one process makes, in its order; the downloads made there first are already among the files."""
    from generator.site.shells import PendingPage
    ctx = build_context(results, {}, release_info(results, DEFAULT), reference.read())
    shared = shared_views(ctx)
    one = render.render_site(ctx, shared)
    monkeypatch.setattr(render, "FORK_FROM", 1)
    pages, files, _, later = render.render_later(ctx, None, workers=2, held=False)
    assert later is not None
    pending = [k for k, p in pages.items() if isinstance(p, PendingPage)]
    assert pending == [k for k in one if k.startswith("providers/") and k != render.FINDER_PAGE]
    assert files == render.site_files(ctx, shared)
    with pytest.raises(RuntimeError, match="never rendered"):
        write.fill_shells(tmp_path, write.html_pages(pages))
    filled = later.fill(pages)
    assert list(filled) == list(one) and filled == one


def test_an_error_in_the_second_process_is_raised_with_its_traceback():
    def make():
        yield 1
        raise ValueError("broken view")
    with pytest.raises(RuntimeError, match="broken view"):
        list(render.forked.Forked(make).items())
    assert list(render.forked.Forked(lambda: iter(range(200))).items()) == list(range(200))


def test_the_second_process_hears_the_parent_after_sending_what_it_made():
    """Forked(make, listens=True): what the child made before it waits reaches the parent first (the downloads
    the site files need), then it goes on with what the parent tells it (where to write the provider pages)."""
    def make(heard):
        yield "made"
        yield f"heard {heard()}"
        yield f"heard {heard()}"
    child = render.forked.Forked(make, listens=True)
    assert child.first() == "made"
    import time

    def slow_make():
        yield "first"
        time.sleep(30)
        yield "last"
    slow = render.forked.Forked(slow_make)
    began = time.monotonic()
    assert slow.first() == "first" and time.monotonic() - began < 20  # not held back until the child has done
    slow.stop()
    child.tell("go")
    child.tell(None)
    assert list(child.items()) == ["made", "heard go", "heard None"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "?"
    return state != "Z"  # a zombie has ended


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux (/proc, prctl)")
def test_the_second_process_and_chart_workers_end_when_the_build_is_killed(tmp_path):
    """A build killed by SIGKILL (the out-of-memory killer) or SIGTERM (a cancelled CI job) leaves no process
    behind: the second process, waiting for the parent's word, and the chart workers end with it (review 20)."""
    import signal
    import subprocess
    import sys
    import time
    script = tmp_path / "victim.py"
    script.write_text(
        "import sys, time\n"
        "from generator.site import forked, charts\n"
        "def make(heard):\n    yield 'made'\n    heard()\n    yield 'never'\n"
        "if __name__ == '__main__':\n"
        "    child = forked.Forked(make, listens=True)\n"
        "    child.first()\n"
        "    spec = {'type': 'caterpillar', 'kind': 'proportion', 'scale': 100.0, 'target': None, 'hib': True,\n"
        "            'est': [50.0] * 3000, 'lo': [40.0] * 3000, 'hi': [60.0] * 3000, 'band': [''] * 3000, 'size': [10.0] * 3000}\n"
        "    drawing = charts.Drawing({f'c{i}': {**spec, 'target': float(i)} for i in range(40)}, None, 2)\n"
        "    time.sleep(3)  # the workers have started\n"
        "    import multiprocessing\n"
        "    print(child._proc.pid, *[p.pid for p in multiprocessing.active_children() if p.pid != child._proc.pid], flush=True)\n"
        "    time.sleep(600)\n", encoding="utf-8")
    for sig in (signal.SIGKILL, signal.SIGTERM):
        proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
        pids = [int(p) for p in proc.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(pids) >= 2, pids  # the second process and at least one chart worker
        proc.send_signal(sig)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in pids if _alive(p)], f"left running after {sig!r}"


@pytest.mark.slow
def test_a_failure_in_the_second_process_stops_the_build_before_mkdocs(tmp_path, monkeypatch):
    """The second process fails while rendering (review 20): the build stops before MkDocs runs, publishes
    nothing, and leaves no staging folder (it does not go on writing into one)."""
    from generator.build import build
    from generator.site import mkdocs_stage
    from generator.views import provider
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(render, "FORK_FROM", 1)

    def broken(*a, **k):
        raise ValueError("broken provider view")
        yield  # a generator, as provider_views is
    monkeypatch.setattr(provider, "provider_views", broken)
    ran = []
    real_run = mkdocs_stage.run
    monkeypatch.setattr(mkdocs_stage, "run", lambda *a, **k: ran.append(1) or real_run(*a, **k))
    real_other = render._other_pages

    def slow_other(*a, **k):  # the parent is still rendering when the second process fails
        import time
        time.sleep(3)
        return real_other(*a, **k)
    monkeypatch.setattr(render, "_other_pages", slow_other)
    with pytest.raises(RuntimeError, match="broken provider view"):
        build([Path(__file__).resolve().parents[1] / "datapackages"], tmp_path / "site", cache_dir=tmp_path / "cache")
    assert ran == [] and not (tmp_path / "site").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.build")] == []  # no staging left
