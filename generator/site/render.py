"""Stage 5: render every page as Markdown text (or an HTML body) with jinja2: {path: page}.

From FORK_FROM providers a second process (forked.py) makes the downloads and the provider pages meanwhile and,
in a build, writes those pages into the built site itself (Later.fill_site, fill.py); otherwise nothing here writes.
"""
from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Callable
from types import SimpleNamespace as NS

import jinja2
from markupsafe import Markup

from generator.compute import trends
from generator.stats.intervals import EXACT_BELOW
from generator.stats.overdispersion import WINSOR
from generator.stats.spc import RUN
from generator.stats.standardise import WEIGHT_CAP
from generator.site import downloads, feed, forked
from generator.site.fill import fill_folder
from generator.text import escape
from generator.views import (casestudy, choice, choice_static, changes as changes_view, comparators, finder, provider,
                             urls, wording)
from generator.views.context import Context, codes_view
from generator.views.shared import Shared, shared_views
from generator.views.publisher import minimums
from generator.paths import TEMPLATES_DIR
from generator.data.previous import BASELINE_DIR
from generator.data.reserved import RESERVED
from generator.settings import LIMIT_TEXT, LIMITS
from generator.site.shells import EncodedPage, HeldRows, HtmlPage, PendingPage, hold_rows

RELEASES_PAGE = "releases/index.md"
ABOUT = "about.md"
RED_FLAGS_LISTED = 1000  # more flags than this: the red-flags page counts them, commissioner pages list them
PROVIDERS_LISTED = 1500  # more providers than this: the finder page lists none without JavaScript (commissioner pages do)
FINDER_PAGE = "providers/index.md"
WRITTEN = "written"  # what the second process says, with their paths, once it has written its pages (Later.fill_site)
FORK_FROM = 300  # providers: from this many, their pages are rendered in a second process (forked.py)


def benchmark_rows(ctx: Context) -> list[NS]:
    """The published benchmarks (standard 1.4) the methods page lists: measure name, period, label, value, source."""
    marks = comparators.benchmarks(ctx.dataset)
    return [NS(measure=ctx.measure(m).name, period=p, **vars(b)) for (m, p), b in sorted(marks.items())
            if m in ctx.measures.index]


def environment(html: bool = False) -> jinja2.Environment:
    """Templates for Markdown pages (every {{ value }} escaped for Markdown and HTML at once), or with
    html=True for HTML bodies that skip Markdown (plain HTML escaping, a third of the bytes)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        auto_reload=False,  # one build: each template is read once, not checked on every page (issue 20)
        autoescape=html,
        finalize=None if html else escape.text,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json"] = escape.script_json
    env.filters["page_title"] = escape.page_title
    env.filters["band_label"] = wording.band_label
    env.filters["band_against"] = wording.band_against
    env.filters["band_icon"] = wording.band_icon
    env.filters["ordinal"] = wording.ordinal
    env.globals["href"] = urls.href
    env.globals["md_link"] = lambda src, target: Markup(urls.md_link(src, target))  # paths from validated ids
    env.globals["urls"] = urls
    env.globals["recent_months"] = trends.RECENT
    env.globals["method"] = NS(spc_run=RUN, exact_below=EXACT_BELOW, weight_cap=WEIGHT_CAP, winsor=WINSOR)  # methods page
    return env


def render_site(ctx: Context, shared: Shared, workers: int = 1) -> dict[str, str | HtmlPage | HeldRows]:
    """Every generated page of the site, keyed by its path under docs/: Markdown text, or an
    HtmlPage for pages filled into a shell after MkDocs (see shells.py). Templates see the context as `ctx`."""
    return render_all(ctx, shared, workers, files=False, held=False)[0]


def render_all(ctx: Context, shared: Shared | None = None, workers: int | None = None, files: bool = True,
               held: bool = True) -> tuple[dict[str, str | HtmlPage | HeldRows], dict[str, str | bytes], Shared]:
    """render_site's pages, (files=True) site_files' files, and the shared views (shared_views(ctx) unless
    given): render_later's, once the provider pages are all there. held: pages kept out of search as
    shells.HeldRows, their tables' rows kept from MkDocs."""
    pages, generated, shared, later = render_later(ctx, shared, workers, files, held)
    return (later.fill(pages) if later is not None else pages), generated, shared


def render_later(ctx: Context, shared: Shared | None = None, workers: int | None = None, files: bool = True,
                 held: bool = True) -> tuple[dict[str, str | HtmlPage | HeldRows], dict[str, str | bytes], Shared,
                                             Later | None]:
    """render_all's pages, files and shared views, without waiting for the provider pages when a second
    process renders them (2 workers and FORK_FROM providers or more; forked.py): it is started before the
    shared views are worked out, makes second_files first (the downloads and the finder's figures: they are
    among the files returned), then the provider pages, which stand as shells.PendingPage in the pages until
    Later.fill puts them in, in the same order, or Later.fill_site has that process write them into the built
    site. MkDocs needs none of them (one shell page stands for them all), so it can run meanwhile."""
    html_env = environment(html=True)
    template = html_env.get_template("provider.html.j2")  # thousands of pages: HTML bodies, filled after MkDocs
    comp = comparators.comparators(ctx) if shared is None else shared.comparators

    def provider_pages():
        for prov in provider.provider_views(ctx, comp):
            yield prov.page, HtmlPage(prov.name, template.render(page=prov.page, ctx=ctx, p=prov))

    def second_process(heard):  # the downloads, then the provider pages: about half the work each side
        if files:
            yield "", second_files(ctx)
        made = [(path, EncodedPage.of(page)) for path, page in provider_pages()]  # kept until the parent says
        site = heard()  # write them into the built site at this path (Later.fill_site), or None: send them (Later.fill)
        if site is None:
            yield from ((path, page.decoded()) for path, page in made)
        else:
            for folder in sorted({posixpath.dirname(path) for path, _ in made}):
                fill_folder(Path(site), folder, [m for m in made if posixpath.dirname(m[0]) == folder])
            yield WRITTEN, [path for path, _ in made]

    if (workers or forked.workers()) < 2 or len(ctx.providers) < FORK_FROM:
        shared = shared_views(ctx, comp) if shared is None else shared
        pages = _other_pages(ctx, shared, html_env, provider_pages(), held)
        return pages, site_files(ctx, shared) if files else {}, shared, None
    child = forked.Forked(second_process, listens=True)
    try:
        shared = shared_views(ctx, comp) if shared is None else shared
        paths = provider.pages(ctx)
        pages = _other_pages(ctx, shared, html_env, ((path, PendingPage("", "")) for path in paths), held)
        generated = site_files(ctx, shared, (lambda: child.first()[1]) if files else None) if files else {}
        return pages, generated, shared, Later(child, paths, 1 if files else 0)
    except BaseException:
        child.stop()
        raise


class Later:
    """The provider pages the second process is still rendering (render_later): fill() has it send them,
    fill_site() has it write them into the built site itself."""

    def __init__(self, child: forked.Forked, paths: list[str], skip: int):
        self._child, self._paths, self._skip = child, paths, skip

    def _made(self) -> list:
        """What the second process made after the files it sent first, once it has ended."""
        try:
            return list(self._child.items())[self._skip:]
        finally:
            self._child.stop()

    def fill(self, pages: dict) -> dict:
        """pages with each PendingPage replaced by its page, once the second process has made them all."""
        self._child.tell(None)
        got = self._made()
        if [path for path, _ in got] != self._paths:
            raise RuntimeError("the second process made other provider pages than were expected")
        pages.update(got)
        return pages

    def fill_site(self, site: Path) -> Callable[[], None]:
        """Have the second process write its pages into the built site (MkDocs has made their folder's shell)
        while this one fills the others: no page crosses between the processes. Returns what waits for it."""
        self._child.tell(str(site))

        def wait() -> None:
            if self._made() != [(WRITTEN, self._paths)]:
                raise RuntimeError("the second process wrote other provider pages than were expected")
        return wait

    def check(self) -> None:
        """Raise the second process's error now, if it has failed already."""
        self._child.check()

    def stop(self) -> None:
        """End the second process (the build stopped before it needed the pages)."""
        self._child.stop()


def _other_pages(ctx: Context, shared: Shared, html_env: jinja2.Environment,
                 provider_pages, held: bool = False) -> dict[str, str | HtmlPage | HeldRows]:
    """Every page but the provider pages, which come from provider_pages (an iterable of (path, page)) if
    given, else from the second process."""
    env = environment()
    pages: dict[str, str | HtmlPage | HeldRows] = {}

    def put(path: str, template: str, **values):
        pages[path] = env.get_template(template).render(page=path, ctx=ctx, **values)

    put("index.md", "home.md.j2")
    put("measures/index.md", "measures.md.j2")
    for table in shared.league_tables:
        put(table.page, "league.md.j2", t=table)
    put(FINDER_PAGE, "finder.md.j2", index=shared.finder_index, listed=PROVIDERS_LISTED)
    pages.update(provider_pages or ())
    put("commissioners/index.md", "commissioners.md.j2", commissioners=shared.commissioners)
    for c in shared.commissioners:
        put(c.page, "commissioner.md.j2", c=c)
    put("red-flags.md", "redflags.md.j2", listed=RED_FLAGS_LISTED, commissioners=shared.commissioners)
    cases = casestudy.case_study_views(ctx)
    put("case-studies/index.md", "case_studies.md.j2", cases=cases, themes=casestudy.theme_labels(ctx))
    for c in cases:
        put(c.page, "case_study.md.j2", c=c)
    for theme, label in casestudy.theme_labels(ctx).items():
        put(casestudy.theme_page(theme), "theme.md.j2", label=label,
            cases=[c for c in cases if theme in {t.id for t in c.themes}])
    put("downloads/index.md", "downloads.md.j2")
    put(changes_view.PAGE, "changes.md.j2", ch=shared.changes)
    put(RELEASES_PAGE, "releases.md.j2", earlier=earlier_releases(ctx))
    put(f"releases/{ctx.release.period}.md", "releases.md.j2", earlier=None)
    cv = choice_static.choice_views(ctx, shared.choice, shared.comparators)
    put(choice.PAGE, "choice.md.j2", v=cv)
    static = html_env.get_template("choice_static.html.j2")
    for s in cv.static:
        pages[s.page] = HtmlPage(f"{s.setting_label}: {s.name}" + (f" ({s.part_label})" if s.parts else ""),
                                 static.render(page=s.page, ctx=ctx, v=cv, s=s))
    put("methods.md", "methods.md.j2", minimums=minimums(ctx.dataset), benchmarks=benchmark_rows(ctx),
        published=downloads.has_published(ctx.results),
        peer_groups=sorted(set(ctx.dataset["providers"]["peer_group"]) - {""}))  # standard 1.4
    put("data-standard.md", "standard.md.j2", schemas=ctx.standard)
    if ctx.words.publisher.given:  # a publisher that names itself: About in its words (its own docs/about.md wins)
        put(ABOUT, "about.md.j2")
    put("problem-codes.md", "codes.md.j2", codes=codes_view(), limits=limits_view(), reserved=sorted(RESERVED))
    if held:  # tables' rows skip MkDocs: the writer puts them back (shells.HeldRows)
        pages = {k: hold_rows(v) if isinstance(v, str) else v for k, v in pages.items()}
    return pages


def limits_view() -> list:
    """Each limit on what validation and imports read: its setting name, value and what it bounds."""
    return [NS(name=k, value=f"{getattr(LIMITS, k):,.0f}", what=text) for k, text in LIMIT_TEXT.items()]


def site_files(ctx: Context, shared: Shared, made: Callable[[], dict] | None = None) -> dict[str, str | bytes]:
    """Generated non-page files: the finder's index, redirect pages, second_files (from made() when the second
    process made them: asked for last), the release files, the compare files. Not the charts: they are
    still being drawn (build.Built.finish_charts adds them)."""
    files: dict[str, str | bytes] = dict(finder.files(ctx, shared.finder_index, figures=False))
    files.update(casestudy.redirects(ctx))
    rest = release_files(ctx)
    rest.update(choice.choice_files(ctx, shared.choice, shared.comparators))
    files.update(made() if made else second_files(ctx))
    files.update(rest)
    return files


def second_files(ctx: Context) -> dict[str, str | bytes]:
    """The files the second process makes, when there is one: the downloads and the finder's figures."""
    return {**downloads.download_files(ctx.results, ctx.release, ctx.example), **finder.figure_files(ctx)}


def release_files(ctx: Context) -> dict[str, str]:
    """The release record, the feed, and this release's baseline for the next one to compare with."""
    base = ctx.baseline
    files = {
        "release.json": feed.release_json(ctx.release, base),
        "feed.xml": feed.atom(ctx.release, base, ctx.site_url, ctx.example),
        "downloads/case-studies.json": json.dumps(sorted(ctx.dataset["case-studies"]["id"]), indent=1) + "\n",
    }
    if base is not None and base.latest is not None and not base.from_archive:  # the archive keeps it otherwise
        files[f"{BASELINE_DIR}/release.json"] = json.dumps({"period": base.period, "published": base.published},
                                                          sort_keys=True, indent=1) + "\n"
        files[f"{BASELINE_DIR}/latest.csv"] = base.latest.to_csv(index=False, lineterminator="\n")
        if base.flags is not None:
            files[f"{BASELINE_DIR}/flags.csv"] = base.flags.to_csv(index=False, lineterminator="\n")
        files[f"{BASELINE_DIR}/case-studies.json"] = json.dumps(sorted(base.case_studies), indent=1) + "\n"
    return files


def earlier_releases(ctx: Context) -> list[dict]:
    """Earlier releases kept in the archive (attached under releases/), newest first."""
    base = ctx.baseline
    return list(base.releases) if base is not None and base.from_archive else []
