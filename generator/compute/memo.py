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

Entry = tuple[dict[str, np.ndarray], dict]  # compare._group_columns' (columns, info); info may hold its "curves"
CURVES = ("confidence", "size", "lower", "upper", "lower_adj", "upper_adj")  # funnel columns kept per group (all
# but measure, period and peer, which the build's own peer row gives)


@dataclass
class Memo:
    salt: str  # the versions of the code and libraries the entries were made with
    found: dict[str, Entry] = field(default_factory=dict)  # read from the cache before the build
    used: dict[str, Entry] = field(default_factory=dict)  # every group of this build, found or new
    order: list[str] = field(default_factory=list)  # the key of each group, in the order compare() met them
    hits: int = 0

    def get(self, key: str, size: int) -> Entry | None:
        entry = self.found.get(key)
        if entry is None or any(len(a) != size for a in entry[0].values()):
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: Entry) -> None:
        self.used[key] = entry
        self.order.append(key)

    def curves(self) -> list[dict | None]:
        """Each group's funnel curves (an array per CURVES column), in order, where its entry holds them."""
        return [self.used[k][1].get("curves") for k in self.order]

    def keep_curves(self, funnels: pd.DataFrame, peers: pd.DataFrame) -> None:
        """Put each group's rows of funnels (transform.funnel_curves; peers: a row per group, in order) in its
        entry: they are made from the group's inputs alone (its target and tau2 are in the entry)."""
        rows = funnels.groupby(["measure", "period", "peer"], sort=False).indices
        values = {c: funnels[c].to_numpy(dtype="float64") for c in CURVES}
        for key, group in zip(self.order, zip(peers["measure"], peers["period"], peers["peer"])):
            cols, info = self.used[key]
            if "curves" not in info:
                at = rows.get(group, [])
                self.used[key] = (cols, {**info, "curves": {c: values[c][at] for c in CURVES}})


def group_key(salt: str, figures: pd.DataFrame, kind: str, hib: bool, ranked: bool, benchmark: dict | None,
              st: Settings) -> str:
    h = hashlib.sha256()
    head = [salt, repr(st), kind, hib, ranked, benchmark, len(figures), list(figures.columns)]
    h.update(json.dumps(head, sort_keys=True, default=str).encode("utf-8"))
    for c in figures.columns:
        h.update(np.ascontiguousarray(figures[c].to_numpy(dtype="float64", na_value=np.nan)).tobytes())
    return h.hexdigest()
