"""MkDocs hook for `serve`: after each (re)build, fill the shell pages as a full build does. The pages
are the ones `serve` left beside the staged docs folder (write.save_pending)."""
from __future__ import annotations

from pathlib import Path


def on_post_build(config, **_):
    from generator.site import write
    pages = write.read_pending(Path(config["docs_dir"]))
    if pages:
        write.fill_shells(Path(config["site_dir"]), pages)
