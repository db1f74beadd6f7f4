"""`new DIR`: start a publisher's repository, as `mkdocs new` does."""
from __future__ import annotations

from pathlib import Path

from generator import paths

# file in generator/scaffold/ -> where it goes in the new repository
FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "datapackages.md": "datapackages/README.md",
    "publish.yml": ".github/workflows/publish.yml",
}


class NotEmpty(Exception):
    """The folder exists and holds files (or is a file); nothing was written."""


def new(folder: Path) -> list[Path]:
    """Write the starting files into `folder` (created if missing). Returns the files written."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NotEmpty(f"{folder} is not an empty folder; give a new or empty one (nothing was written)")
    written = []
    for source, target in FILES.items():
        path = folder / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((paths.SCAFFOLD_DIR / source).read_bytes())
        written.append(path)
    return written
