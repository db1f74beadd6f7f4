"""What compare() worked out for each measure, period and peer group in an earlier build, so that a build with
one new month computes only the groups whose inputs changed (issue 20). Pure: the build reads and writes the
entries (site/compare_cache.py); compare() only looks them up and records what this build used.

A group's key is a sha256 of everything its figures are made from: the code and library versions (salt), the
settings, the kind and polarity of the measure, whether it is ranked, its published benchmark, and the bytes of
every input column of its rows, in order. Anything else gives another key, so an entry is never stale.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from generator.settings import Settings

Entry = tuple[dict[str, np.ndarray], dict]  # compare._group_columns' (columns, info)


@dataclass
class Memo:
    salt: str  # the versions of the code and libraries the entries were made with
    found: dict[str, Entry] = field(default_factory=dict)  # read from the cache before the build
    used: dict[str, Entry] = field(default_factory=dict)  # every group of this build, found or new
    hits: int = 0

    def get(self, key: str, size: int) -> Entry | None:
        entry = self.found.get(key)
        if entry is None or any(len(a) != size for a in entry[0].values()):
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: Entry) -> None:
        self.used[key] = entry


def group_key(salt: str, figures: pd.DataFrame, kind: str, hib: bool, ranked: bool, benchmark: dict | None,
              st: Settings) -> str:
    h = hashlib.sha256()
    head = [salt, repr(st), kind, hib, ranked, benchmark, len(figures), list(figures.columns)]
    h.update(json.dumps(head, sort_keys=True, default=str).encode("utf-8"))
    for c in figures.columns:
        h.update(np.ascontiguousarray(figures[c].to_numpy(dtype="float64", na_value=np.nan)).tobytes())
    return h.hexdigest()
