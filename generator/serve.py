"""`serve`: build the site, then serve the staged docs with MkDocs' live reload."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from generator import paths


def serve(datapackages: Path, port: int, config_file: Path | None = None) -> int:
    """config_file: the publisher's mkdocs.yml, found as `build` finds it (see site_config.py)."""
    from mkdocs.commands import serve as mk_serve

    from generator import site_config
    from generator.build import compute
    from generator.progress import Progress
    from generator.report import render_table
    from generator.site.write import html_pages, save_pending, stage_docs

    config = site_config.load(config_file)
    built = compute([datapackages], progress=Progress(), cache_dir=paths.CACHE,
                    site_url=config.site_url(), site_name=config.site_name())
    if not built.result.ok:
        print(render_table(built.result.problems))
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="experience-serve-"))
    try:
        docs = stage_docs(tmp, config.docs, built.pages, built.files)
        save_pending(docs, html_pages(built.pages))  # the hook fills them in after each rebuild
        mk_serve.serve(config_file=str(config.write(tmp)), docs_dir=str(docs), dev_addr=f"127.0.0.1:{port}",
                       extra={**config.settings.get("extra", {}), "generator": False, **built.mkdocs_extra},
                       hooks=[str(Path(__file__).parent / "site" / "shell_hook.py")])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0
