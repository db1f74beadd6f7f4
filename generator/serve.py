"""`serve`: build the site, then serve the staged docs with MkDocs' live reload."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from generator import paths

PENDING: dict = {}  # HTML pages for shell_hook to fill after each MkDocs rebuild


def serve(datapackages: Path, port: int, config_file: Path | None = None) -> int:
    """config_file: the publisher's mkdocs.yml, found as `build` finds it (see site_config.py)."""
    from mkdocs.commands import serve as mk_serve

    from generator import site_config
    from generator.build import compute
    from generator.progress import Progress
    from generator.report import render_table
    from generator.site.write import html_pages, stage_docs

    config = site_config.load(config_file)
    result, pages, files, rest = compute([datapackages], progress=Progress(), cache_dir=paths.CACHE,
                                         site_url=config.site_url(), site_name=config.site_name())
    if not result.ok:
        print(render_table(result.problems))
        return 1
    _, extra = rest
    tmp = Path(tempfile.mkdtemp(prefix="experience-serve-"))
    try:
        docs = stage_docs(tmp, config.docs, pages, files)
        PENDING.update(html_pages(pages))
        mk_serve.serve(config_file=str(config.write(tmp)), docs_dir=str(docs), dev_addr=f"127.0.0.1:{port}",
                       extra={**config.settings.get("extra", {}), "generator": False, **extra},
                       hooks=[str(Path(__file__).parent / "site" / "shell_hook.py")])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0
