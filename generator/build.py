"""The orchestrator: validate → compare → charts → render → write → MkDocs → publish.

Everything is computed before anything is written, but for two things made meanwhile: the charts (worker
processes, site/charts.py) and the provider pages (a second process, site/render.py), which are written into the
staging folder once MkDocs has built it. The site is replaced only when all of it is built, MkDocs without a
warning; a failure anywhere publishes nothing.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import paths
from generator.problems import Problem, is_error
from generator.progress import Progress
from generator.settings import DEFAULT, Settings
from generator.views import urls

if TYPE_CHECKING:
    from generator.compute.memo import Memo
    from generator.site.charts import Drawing
    from generator.site.render import Later
    from generator.views.context import Chart


@dataclass
class BuildResult:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    error: str = ""
    release_files: dict = field(default_factory=dict)  # this release's archived copy (archive.py), with --archive


@dataclass
class Built:
    """What compute() hands to the writer: every page and file, rendered, nothing written yet; with
    compute(later=True), the charts (drawing) and the provider pages (later) may still be in the making.
    On bad data only `result` is set (ok False, with the problems)."""
    result: BuildResult
    pages: dict = field(default_factory=dict)    # path under docs/ -> Markdown text or shells.HtmlPage
    files: dict[str, str | bytes] = field(default_factory=dict)  # other generated files: assets, downloads (charts: finish_charts)
    charts: dict[str, Chart] = field(default_factory=dict)       # the charts (their SVGs once finish_charts())
    mkdocs_extra: dict = field(default_factory=dict)             # MkDocs `extra` values: example_data, dataset_jsonld
    words: dict = field(default_factory=dict)  # the publisher's words for the site configuration (site_config.use_words)
    memo: Memo | None = None  # compare()'s groups, for the next build (site/compare_cache.py)
    drawing: Drawing | None = None  # charts still being drawn (compute(..., later=True))
    later: Later | None = None      # provider pages still being rendered (compute(..., later=True))

    def finish_charts(self) -> dict[str, str | bytes]:
        """Wait for the charts being drawn; their SVG files, by path in the site."""
        if self.drawing is not None:
            self.charts = self.drawing.finish()[0]
            self.drawing = None
        return {urls.chart(key): c.svg for key, c in self.charts.items()}


class BadOut(Exception):
    """--out cannot hold the site (a file, or a link to nothing); the message says why."""


SITE_MARKER = ".generator-site"  # written at the top of every site this generator publishes


def _is_our_site(folder: Path) -> bool:
    """A site this generator published: it has the marker, or (a site from before the marker) the
    generator's own page and stylesheet."""
    return (folder / SITE_MARKER).is_file() or \
        ((folder / "index.html").is_file() and (folder / "assets" / "site.css").is_file())


def _within(a: Path, b: Path) -> bool:
    """a is b or lies inside it."""
    return a == b or b in a.parents


def inputs_of(datapackages: list[Path], archive: Path | None, config_file: Path | None) -> list[Path | None]:
    """The folders a build reads, which publishing to --out must never delete."""
    return list(datapackages) + [archive] + ([Path(config_file).parent] if config_file else [])


def out_folder(out: Path, inputs: list[Path | None] | None = None) -> Path:
    """The folder the site is published to. A symbolic link is followed: the site replaces the folder it
    points to and the link is kept. A regular file, or a link to a file or to nothing, is refused. Publishing
    replaces the whole folder, so it is also refused when it is, or holds, an input folder (inputs) or the
    current folder, or when it is a non-empty folder that is not a site this generator published."""
    out = Path(out)
    if out.is_symlink():
        try:
            target = out.resolve(strict=True)
        except (OSError, RuntimeError):
            raise BadOut(f"--out {out} is a symbolic link to nothing (or a loop); give a folder") from None
        if not target.is_dir():
            raise BadOut(f"--out {out} is a symbolic link to {target}, which is not a folder; give a folder")
        out = target
    elif out.exists() and not out.is_dir():
        raise BadOut(f"--out {out} is a file, not a folder; give a folder (it is created if missing)")
    real = out.resolve()
    if _within(Path.cwd().resolve(), real):
        raise BadOut(f"--out {out} is the current folder or holds it; publishing would delete it: give a new folder")
    for p in inputs or []:
        if p is not None and _within(Path(p).resolve(), real):
            raise BadOut(f"--out {out} is or holds the input {p}; publishing would delete it: give another folder")
    if real.is_dir() and any(real.iterdir()) and not _is_our_site(real):
        raise BadOut(f"--out {out} is a folder that is not empty and is not a site this generator published; "
                     f"publishing would delete what is in it: give a new or empty folder")
    return out


def asset_files() -> dict[str, bytes]:
    out = {}
    for p in sorted(paths.ASSETS_DIR.rglob("*")):
        if p.is_file() and p.suffix in (".css", ".js"):
            out["assets/" + p.relative_to(paths.ASSETS_DIR).as_posix()] = p.read_bytes()
    return out


def compute(datapackages: list[Path], settings: Settings = DEFAULT, progress: Progress | None = None,
            cache_dir: Path | None = None, previous_site: Path | None = None, site_url: str | None = None,
            archive: Path | None = None, site_name: str = "", later: bool = False) -> Built:
    """Every stage up to rendered text, with no writing (chart cache aside). later: the charts and the
    provider pages may still be in the making when this returns (Built.finish_charts and Built.later's
    fill_site wait for them), so that they are made while the writer and MkDocs work.
    With an archive of earlier releases, "What changed" compares with the newest one before this release, and
    result.release_files holds this release's archived copy. site_name: the configuration's (site_config.py),
    for the dataset's description in each page."""
    from generator.data.validate import validate_paths
    from generator.compute.compare import compare
    from generator.site import compare_cache
    from generator.site.charts import Drawing, iter_specs
    from generator.site.forked import give_back_memory
    from generator.site.render import render_later
    from generator.views.context import build_context
    from generator.data import reference
    from generator.data.previous import archive_baseline, published_case_studies, read_baseline
    from generator.compute.release import release_info
    from generator.site.feed import dataset_jsonld

    progress = progress or Progress(quiet=True)
    progress.stage("validate", ", ".join(str(p) for p in datapackages))
    ds, problems = validate_paths(datapackages, published_ids=published_case_studies(previous_site, archive))
    if ds is None or any(is_error(p) for p in problems):
        progress.done()
        return Built(BuildResult(ok=False, problems=problems, error="invalid data"))
    if not len(ds["scores"]) or not len(ds["measures"]):
        progress.done()
        what = "scores" if not len(ds["scores"]) else "measures"
        empty = Problem("nothing-to-publish", f"the packages hold no {what} (perhaps only reference data such as an "
                                              f"ODS import); there is nothing to publish", resource=what)
        return Built(BuildResult(ok=False, problems=problems + [empty], error=f"no {what}"))
    ref = reference.read()  # the red-flag rules, calibration and the standard's schemas: read once
    progress.stage("compute")
    memo = compare_cache.load(cache_dir)  # an earlier build's groups: only changed ones are worked out
    results = compare(ds, settings, list(ref.rules), memo)
    release = release_info(results, settings)
    give_back_memory()  # compare()'s working memory, before the chart workers start
    progress.stage("charts")
    drawing = Drawing(iter_specs(results, settings), cache_dir)  # in worker processes, while pages are rendered
    charts, counts = drawing.charts, drawing.counts()
    give_back_memory()
    progress.stage("render")
    baseline = archive_baseline(archive, release.period) if archive is not None else \
        read_baseline(previous_site, release.period) if previous_site is not None else None
    ctx = build_context(results, charts, release, ref, baseline, site_url=site_url or "")
    try:  # downloads and provider pages in a second process meanwhile (site/forked.py)
        pages, generated, shared, pending = render_later(ctx)
        if pending is not None and not later:
            pages, pending = pending.fill(pages), None
    except BaseException:
        drawing.cancel()
        raise
    files: dict[str, str | bytes] = {**asset_files(), **generated}
    lean = {}
    if archive is not None:
        from generator.site.archive import input_checksums, lean_release
        lean = lean_release(ctx, shared.league_tables, shared.changes, files, input_checksums(datapackages))
    progress.done()
    extra = {"example_data": ds.example,
             "dataset_jsonld": dataset_jsonld(release, site_name, ds.example)}
    summary = {"providers": len(ds["providers"]), "measures": len(results.latest),
               "score_rows": len(ds["scores"]), "pages": len(pages), "charts_drawn": counts["drawn"],
               "charts_cached": counts["cached"], "release": release.period,
               "groups_reused": memo.hits if memo else 0, "groups": len(results.peers)}
    words = {"description": ctx.words.description, "levels": ctx.words.levels_title} if ds.publisher.given else {}
    built = Built(BuildResult(ok=True, problems=problems, summary=summary, release_files=lean), pages, files, charts,
                  extra, words, memo, drawing, pending)
    if not later:
        built.files.update(built.finish_charts())
    return built


def build(datapackages: list[Path], out: Path, settings: Settings = DEFAULT, progress: Progress | None = None,
          cache_dir: Path | None = paths.CACHE, config_file: Path | None = None, archive: Path | None = None,
          site_url: str | None = None) -> BuildResult:
    """config_file is the publisher's mkdocs.yml (default: the one in the current folder, if any; see
    site_config.py). site_url, when given, replaces the configuration's: the address the site is published
    at (canonical links, sitemap, feed, 404 page and the printed comparison need it)."""
    from generator import site_config
    from generator.compute.release import publication_date
    from generator.site import buildkey, write

    out = out_folder(out, inputs_of(datapackages, archive, config_file))
    progress = progress or Progress(quiet=True)
    config = site_config.load(config_file)  # before the work: a bad file stops the build at once
    if site_url is None:
        site_url = config.site_url()  # the pages and MkDocs read the same address
    key = ""
    if cache_dir is not None:  # a build whose inputs and --out are as a recorded build left them has nothing to do
        progress.stage("key", "hashing the inputs")
        key = buildkey.build_key(datapackages, settings, config, site_url, publication_date().isoformat())
        with write.lock(out):
            same = buildkey.unchanged(cache_dir, out, buildkey.with_archive(key, archive))
        if same is not None:
            summary, problems = same
            progress.done()
            summary.update(unchanged=True, charts_drawn=0, charts_cached=summary["charts_drawn"] + summary["charts_cached"],
                           seconds=round(progress.total(), 1))
            return BuildResult(ok=True, problems=problems, summary=summary)
    clearing = write.clear_previous(out, SITE_MARKER)  # the site the last build replaced, while this one works
    try:
        built = compute(datapackages, settings, progress, cache_dir, previous_site=out, site_url=site_url,
                        archive=archive, site_name=config.site_name(), later=True)
        result, drawing, pending = built.result, built.drawing, built.later
        if not result.ok:
            return result
        try:
            clearing.wait()  # long done: before this build keeps the site it replaces in the same place
            return _publish(built, out, progress, cache_dir, config, archive, key, site_url)
        finally:  # the build stopped before it waited for them: the chart workers and the second process end
            if drawing is not None:
                drawing.cancel()
            if pending is not None:
                pending.stop()
    finally:
        clearing.wait()


def _publish(built: Built, out: Path, progress: Progress, cache_dir: Path | None, config, archive: Path | None,
             key: str, site_url: str) -> BuildResult:
    """Write the built site to a staging folder, build it with MkDocs there, and put it in place of --out."""
    from generator.site import buildkey, compare_cache, mkdocs_stage, write
    from generator.text import escape

    result, extra = built.result, built.mkdocs_extra
    if built.words:  # the theme prints these as they are (MkDocs does not escape): escaped here, as for HTML
        config.use_words(str(escape.text(built.words["description"])), str(escape.text(built.words["levels"])))
        if config.own_page("about.md"):
            built.pages.pop("about.md", None)
    with write.lock(out):
        write.clean_stale(out)
        staging = write.new_staging(out)
        removal = write.Removal(None)
        try:
            progress.stage("write", f"{len(built.pages)} pages")
            docs = write.stage_docs(staging, config.docs, built.pages, {})  # the files go to MkDocs from memory
            compare_cache.save(cache_dir, built.memo)
            html, files = write.html_pages(built.pages), built.files
            built.pages, built.files = {}, {}  # free memory before MkDocs reads every page again
            if built.later is not None:
                built.later.check()  # the second process failed already: stop before MkDocs
            progress.stage("mkdocs")
            mkdocs_stage.run(config.write(staging), docs, staging / "site", extra, site_url, files)
            del files
            progress.stage("fill", f"{len(html)} pages")
            # the provider pages, rendered meanwhile, are written by the process that rendered them
            elsewhere = built.later.fill_site(staging / "site") if built.later is not None else None
            write.fill_shells(staging / "site", html, elsewhere)
            del html
            write.add_files(staging / "site", built.finish_charts())  # drawn meanwhile: no page links need them before
            write.save_cache(cache_dir, built.charts)
            if archive is not None:
                write.attach_archive(staging / "site", archive, result.summary["release"])
            (staging / "site" / SITE_MARKER).write_text("Published by the league-table generator; a later build "
                                                        "replaces this whole folder.\n", encoding="utf-8")
            progress.stage("publish", str(out))
            removal = write.publish(staging / "site", out)
            if archive is not None:
                write.save_release(archive, result.summary["release"], result.release_files)
            if key:  # the record holds the site's digest; its size is read on the same walk
                digest, result.summary["site_bytes"] = buildkey.digest_and_size(out)
                buildkey.remember(cache_dir, out, buildkey.with_archive(key, archive), result.summary, result.problems,
                                  digest)
            else:
                result.summary["site_bytes"] = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
            removal.join()
            progress.done()
        except mkdocs_stage.MkDocsFailed as e:
            progress.done()
            return BuildResult(ok=False, problems=result.problems, summary=result.summary, error=f"MkDocs: {e}")
        finally:
            if built.later is not None:  # it may be writing into staging: it ends before staging goes
                built.later.stop()
            removal.wait()  # the old site, when it could not be kept beside --out (write.keep_previous)
            shutil.rmtree(staging, ignore_errors=True)
    result.summary["seconds"] = round(progress.total(), 1)
    return result
