"""Command line: validate, build, serve, import, new. Exit codes: 0 ok, 1 invalid data or failed build, 2 bad usage."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generator import paths

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
CONFIG_HELP = (f"your site's mkdocs.yml: its settings replace the generator's (default: {paths.MKDOCS_YML} in the "
               "current folder if there is one, else the generator's own settings)")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no traceback
        raise UsageError(f"{self.prog}: {message} (see --help)")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m generator",
                description="Validate patient-experience data packages and build the league-table site.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    v = sub.add_parser("validate", help="check data packages against the data standard")
    v.add_argument("paths", nargs="*", type=Path, help=f"package folders (default: {paths.DATAPACKAGES}/)")
    v.add_argument("--json", action="store_true", help="print the report as JSON")
    v.add_argument("--strict", action="store_true", help="fail on warnings too")
    v.add_argument("--site", type=Path, default=paths.SITE,
                   help="the published site, whose case-study ids must still exist or be redirected (default: site/)")
    b = sub.add_parser("build", help="validate, compute and build the site")
    b.add_argument("--datapackages", type=Path, default=paths.DATAPACKAGES, help="folder of data packages")
    b.add_argument("--out", type=Path, default=paths.SITE,
                   help="output folder for the site (created if missing; a symbolic link is followed and kept, "
                        "the site replacing the folder it points to; the whole folder is replaced, so a file, an input folder or "
                        "one holding it, the current folder or one holding it, and a non-empty folder that is not "
                        "a site this generator published are refused)")
    b.add_argument("--no-cache", action="store_true", help="use no cache: draw every chart and build the site again even when nothing changed")
    b.add_argument("--archive", type=Path, help="folder of earlier releases: attached under releases/, and this one added")
    b.add_argument("--json", action="store_true", help="print problems as JSON if the data are invalid")
    b.add_argument("--site-url", help="address the site is published at (default: site_url in the configuration)")
    b.add_argument("--config", type=Path, help=CONFIG_HELP)
    s = sub.add_parser("serve", help="build, then serve the site with live reload")
    s.add_argument("--datapackages", type=Path, default=paths.DATAPACKAGES)
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--config", type=Path, help=CONFIG_HELP)
    n = sub.add_parser("new", help="start a publisher's repository: mkdocs.yml, datapackages/, workflow, README")
    n.add_argument("folder", type=Path, help="a new or empty folder")
    i = sub.add_parser("import", help="import an official file into a data package")
    i.add_argument("format", choices=["fft", "hcahps", "ods-trusts", "ods-practices", "onspd", "cms-hospitals"])
    i.add_argument("file", type=Path)
    i.add_argument("--into", type=Path, required=True, help="package folder to create or update")
    i.add_argument("--service", choices=["inpatient", "ae", "ambulance"], help="FFT service, if the file does not tell")
    return p


def _exists(paths_: list[Path]) -> None:
    for p in paths_:
        if not p.exists():
            raise UsageError(f"python -m generator: no such file or folder: {p}")


def cmd_validate(a) -> int:
    from generator.problems import is_error
    from generator.report import render_json, render_table, summary_line
    from generator.data.validate import validate_paths

    targets = a.paths or [paths.DATAPACKAGES]
    _exists(targets)
    from generator.data.previous import published_case_studies
    _, problems = validate_paths(targets, published_ids=published_case_studies(a.site if a.site.is_dir() else None))
    failed = any(is_error(p) for p in problems) or (a.strict and problems)
    if a.json:
        print(render_json(problems))
    else:
        if problems:
            print(render_table(problems))
        print(summary_line(problems))
    return EXIT_INVALID if failed else EXIT_OK


def cmd_build(a) -> int:
    from generator.build import BadOut, build, inputs_of, out_folder
    from generator.site_config import ConfigError
    from generator.problems import is_error
    from generator.progress import Progress
    from generator.report import render_json, render_table, summary_line
    from generator.site.write import BuildLocked

    _exists([a.datapackages] + ([a.config] if a.config else []))
    try:
        out_folder(a.out, inputs_of([a.datapackages], a.archive, a.config))  # refused before any work
    except BadOut as e:
        raise UsageError(f"python -m generator build: {e}") from None
    try:
        res = build([a.datapackages], a.out, progress=Progress(), cache_dir=None if a.no_cache else paths.CACHE,
                    archive=a.archive, site_url=a.site_url, config_file=a.config)
    except (BuildLocked, ConfigError) as e:
        print(f"build stopped: {e}", file=sys.stderr)
        return EXIT_INVALID
    errors = [p for p in res.problems if is_error(p)]
    if not res.ok:
        if errors:
            print(render_json(res.problems) if a.json else render_table(res.problems))
            print(summary_line(res.problems))
        print(f"Build failed: {res.error.rstrip('.')}. Nothing was published; {a.out} is unchanged.", file=sys.stderr)
        return EXIT_INVALID
    s = res.summary
    if s.get("unchanged"):
        print(f"Unchanged: {a.out}/ already holds the build of these data packages, settings, configuration and "
              f"generator ({s['pages']} pages, data to {s['release']}); checked in {s['seconds']} s, nothing rewritten. "
              f"Use --no-cache to build it again.")
        return EXIT_OK
    print(f"Built {s['pages']} pages for {s['providers']} providers and {s['measures']} measures "
          f"(data to {s['release']}) in {s['seconds']} s: {a.out}/ ({s['site_bytes'] / 1e6:.1f} MB); "
          f"charts drawn {s['charts_drawn']}, reused {s['charts_cached']}.")
    return EXIT_OK


def cmd_serve(a) -> int:
    from generator.serve import serve
    from generator.site_config import ConfigError
    _exists([a.datapackages] + ([a.config] if a.config else []))
    try:
        return serve(a.datapackages, a.port, a.config)
    except ConfigError as e:
        print(f"serve stopped: {e}", file=sys.stderr)
        return EXIT_INVALID


def cmd_new(a) -> int:
    from generator.new_site import NotEmpty, new
    try:
        written = new(a.folder)
    except NotEmpty as e:
        raise UsageError(f"python -m generator new: {e}") from None
    for p in written:
        print(f"wrote {p}")
    print(f"Next: put data packages in {a.folder / paths.DATAPACKAGES}/, then run "
          f"`python3 -m generator build` in {a.folder}.")
    return EXIT_OK


def cmd_import(a) -> int:
    from generator.importers import run_import
    from generator.problems import is_error
    from generator.report import render_table

    _exists([a.file])
    summary, problems = run_import(a.format, a.file, a.into, service=a.service)
    if problems:
        print(render_table(problems))
    print(json.dumps(summary, sort_keys=True, default=str))
    return EXIT_INVALID if any(is_error(p) for p in problems) else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    try:
        a = parser().parse_args(argv)
        if a.command is None:
            parser().print_help()
            return EXIT_USAGE
        return {"validate": cmd_validate, "build": cmd_build, "serve": cmd_serve, "import": cmd_import,
                "new": cmd_new}[a.command](a)
    except UsageError as e:
        print(str(e), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
