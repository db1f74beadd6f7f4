"""MkDocs hook for `serve`: after each (re)build, fill the shell pages as a full build does."""
from __future__ import annotations

from pathlib import Path


def on_post_build(config, **_):
    from generator import serve
    from generator.site import write
    if serve.PENDING:
        write.fill_shells(Path(config["site_dir"]), serve.PENDING)
