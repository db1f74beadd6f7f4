"""Files written into a site: a generated file, and each HTML page of a folder in a copy of the folder's
shell page (shells.py). The writer (write.py) uses them, and so does the second process (render.Later),
which writes the provider pages it rendered into the built site itself.
"""
from __future__ import annotations

from pathlib import Path

from generator.site import shells
from generator.views.urls import url_dir


def write_file(path: Path, data: str | bytes) -> None:
    """data at path (folders made as needed); text as UTF-8 with newline line ends, as MkDocs writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(data)


def fill_folder(site: Path, folder: str, pages: list[tuple[str, shells.HtmlPage | shells.EncodedPage]]) -> int:
    """Write each HTML page of one folder into a copy of the folder's shell page, which MkDocs has built."""
    shell = shells.parse(folder, (site / folder / shells.NAME / "index.html").read_text(encoding="utf-8"))
    parts = [part.encode("utf-8") for part in shell.parts]  # once a folder, for pages held as UTF-8
    for rel, page in pages:
        write_file(site / url_dir(rel) / "index.html", shells.fill_encoded(shell, rel, page, parts)
                   if isinstance(page, shells.EncodedPage) else shells.fill(shell, rel, page))
    return len(pages)
