"""Reading a data package's descriptor (datapackage.json): bounded in size, depth and number length; duplicate
keys, NaN and special files (FIFOs, devices, looping links) are reported, never trusted or raised."""
from __future__ import annotations

import errno
import json
import stat
from pathlib import Path
from typing import Any, NoReturn

from generator.problems import Problem
from generator.settings import LIMITS

MAX_DESCRIPTOR_BYTES = LIMITS.descriptor_bytes
MAX_JSON_DEPTH = LIMITS.json_depth
MAX_JSON_DIGITS = LIMITS.json_number_digits


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        dup = next(k for i, k in enumerate(keys) if k in keys[:i])
        raise ValueError(f"the key {dup[:80]!r} appears twice in one object (JSON readers disagree on which to keep)")
    return dict(pairs)


def _number(text: str) -> float | int:
    if len(text) > MAX_JSON_DIGITS:
        raise ValueError(f"a number has {len(text):,} characters; at most {MAX_JSON_DIGITS} are allowed (limit json_number_digits)")
    return float(text) if any(c in text for c in ".eE") else int(text)


def _constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON value")


def kind_of(mode: int) -> str:
    return "named pipe (FIFO)" if stat.S_ISFIFO(mode) else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else \
        "socket" if stat.S_ISSOCK(mode) else "folder" if stat.S_ISDIR(mode) else "special file"


def _too_deep(obj: object, limit: int) -> bool:
    stack = [(obj, 0)]
    while stack:
        o, d = stack.pop()
        if d > limit:
            return True
        if isinstance(o, dict):
            stack.extend((v, d + 1) for v in o.values())
        elif isinstance(o, list):
            stack.extend((v, d + 1) for v in o)
    return False


def read_json(path: Path, rel: str, where: dict[str, Any]) -> tuple[object | None, bytes, list[Problem]]:
    """A small JSON file (descriptor or schema), read within the size and depth limits."""
    where = dict(where, file=rel)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return None, b"", [Problem("package-json", f"{rel} is not a regular file (it is a "
                                                       f"{kind_of(st.st_mode)}); nothing was read", **where)]
        size = st.st_size
        if size > MAX_DESCRIPTOR_BYTES:
            return None, b"", [Problem("file-too-large", f"{rel} has {size} bytes; the limit is {MAX_DESCRIPTOR_BYTES}", **where)]
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
        obj = json.loads(text, object_pairs_hook=_unique_keys, parse_int=_number, parse_float=_number,
                         parse_constant=_constant)
    except UnicodeDecodeError:
        return None, b"", [Problem("encoding-error", f"{rel} is not UTF-8 text", **where)]
    except json.JSONDecodeError as e:
        return None, b"", [Problem("package-json", f"{rel} is not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})", **where)]
    except RecursionError:
        return None, b"", [Problem("package-json", f"{rel} is nested too deeply to read", **where)]
    except ValueError as e:
        return None, b"", [Problem("package-json", f"{rel} cannot be read: {e}", **where)]
    except RuntimeError:  # Path.stat on a symbolic-link loop
        return None, b"", [Problem("package-json", f"{rel} is a symbolic link that loops", **where)]
    except OSError as e:
        what = "is a symbolic link that loops" if e.errno == errno.ELOOP else f"cannot be read: {e.strerror}"
        return None, b"", [Problem("package-json", f"{rel} {what}", **where)]
    if _too_deep(obj, MAX_JSON_DEPTH):
        return None, b"", [Problem("package-json", f"{rel} is nested deeper than {MAX_JSON_DEPTH} levels", **where)]
    return obj, data, []
