"""compare()'s groups kept between builds (compute/memo.py): read before compute, written after a build.

One file per group in CACHE/compare/, named by its key: NumPy's .npz (a zip, whose CRC-32 catches a damaged
file; no pickled objects are read), holding its key too. A file that cannot be read whole, or whose key is
not its name, is ignored and its group worked out again. After a build the folder holds exactly that build's groups.
"""
from __future__ import annotations

import io
import json
import os
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from generator import paths
from generator.compute.memo import CURVES, Entry, Memo
from generator.site.buildkey import tree_digest

_savez: Any = np.savez  # (its keyword arguments are the arrays' names)
FOLDER = "compare"
SUFFIX = ".npz"
_INFO, _KEY = "__info__", "__key__"  # the entry's info (JSON text) and key among its arrays
_CURVE = "curve:"  # the group's funnel curves (memo.CURVES), one float array each, beside its columns
_TEXT = ("band",)  # columns of text, stored as NumPy strings and read back as Python str objects


def salt() -> str:
    """The code and library versions a group's figures depend on (any change to the generator counts)."""
    return json.dumps({"generator": tree_digest(paths.PACKAGE_DIR), "numpy": np.__version__,
                       "pandas": metadata.version("pandas")})


def load(cache_dir: Path | None) -> Memo | None:
    if cache_dir is None:
        return None
    memo = Memo(salt())
    folder = cache_dir / FOLDER
    for f in sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []:
        entry = _read(f, f.name[:-len(SUFFIX)])
        if entry is not None:
            memo.found[f.name[:-len(SUFFIX)]] = entry
    return memo


def _read(f: Path, key: str) -> Entry | None:
    try:
        with np.load(f, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        if str(arrays.pop(_KEY)) != key:
            return None
        info = json.loads(str(arrays.pop(_INFO)))
        if not isinstance(info, dict):
            return None
        curves = {c[len(_CURVE):]: arrays.pop(c) for c in list(arrays) if c.startswith(_CURVE)}
        if curves:  # every column, floats in one dimension, of one length: else the entry is not used
            shapes = {(a.dtype.kind, a.shape) for a in curves.values()}
            if set(curves) != set(CURVES) or [(kind, len(shape)) for kind, shape in shapes] != [("f", 1)]:
                return None
            info["curves"] = curves
        for c in _TEXT:
            arrays[c] = arrays[c].astype(object)
        if len({len(a) for a in arrays.values()}) != 1:
            return None
        return arrays, info
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, json.JSONDecodeError):
        return None


def save(cache_dir: Path | None, memo: Memo | None) -> None:
    """Write this build's new groups (each whole or not at all) and remove the ones it did not use."""
    if cache_dir is None or memo is None:
        return
    folder = cache_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for key, (cols, info) in memo.used.items():
        target = folder / f"{key}{SUFFIX}"
        if key in memo.found and target.is_file():
            continue
        buf = io.BytesIO()
        arrays = {c: (a.astype(str) if c in _TEXT else a) for c, a in cols.items()}
        rest = {k: v for k, v in info.items() if k != "curves"}
        arrays.update({f"{_CURVE}{c}": np.asarray(a, dtype="float64") for c, a in info.get("curves", {}).items()})
        arrays.update({_INFO: np.array(json.dumps(rest, sort_keys=True)), _KEY: np.array(key)})
        _savez(buf, **arrays)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_bytes(buf.getvalue())
        os.replace(tmp, target)
    for f in folder.iterdir():
        if f.name.endswith(SUFFIX) and f.name[:-len(SUFFIX)] not in memo.used:
            f.unlink(missing_ok=True)
