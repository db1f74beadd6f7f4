"""Stage 7: run MkDocs (Material theme, strict) on the staged docs."""
from __future__ import annotations

import logging
from pathlib import Path


class MkDocsFailed(Exception):
    pass


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _generated(files: dict[str, str | bytes]):
    """A plugin handing MkDocs the build's generated files (charts, downloads, JSON) from memory (issue 20):
    it writes each once into the site, where it would otherwise copy it from the docs folder the writer had
    written it to. A file of the same path in the docs folder is replaced, as the writer's copy replaced it."""
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import File

    class Generated(BasePlugin):
        def on_files(self, found, config):
            for rel in sorted(files):
                old = found.get_file_from_path(rel)
                if old is not None:
                    found.remove(old)
                found.append(File.generated(config, rel, content=files[rel]))
            return found
    return Generated()


def run(config_file: Path, docs_dir: Path, site_dir: Path, extra: dict, site_url: str | None = None,
        files: dict[str, str | bytes] | None = None) -> None:
    """Build the site; any MkDocs warning fails the build (strict mode). files: generated files that are not
    in the docs folder (path under it -> content), written into the site as if they were."""
    from mkdocs.commands import build as mk_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    log = logging.getLogger("mkdocs")
    handler = _Collect()
    log.addHandler(handler)
    old_level = log.level
    log.setLevel(logging.WARNING)
    try:
        cfg = load_config(config_file=str(config_file), strict=True, docs_dir=str(docs_dir.resolve()),
                          site_dir=str(site_dir.resolve()), **({} if site_url is None else {"site_url": site_url}))
        cfg["extra"].update(extra)
        if files:
            cfg.plugins["generator-files"] = _generated(files)
        mk_build.build(cfg)
    except MkDocsException as e:
        raise MkDocsFailed("; ".join(handler.messages) or str(e)) from None
    finally:
        log.removeHandler(handler)
        log.setLevel(old_level)
    if handler.messages:
        raise MkDocsFailed("; ".join(handler.messages))
