"""The publisher's notes (the notes resource, standard 1.3) matched to the results they are about. Pure.

A note is about one provider; an empty measure means every measure, an empty period every period.
Each scores row gets "caution" (some note that applies says to use the results with caution) and
"notes" (the words of every note that applies, caution first, then by code; "" when none). The words
stay as the publisher wrote them: each output escapes them for where they land.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SEPARATOR = " "  # between notes in the one "notes" cell: each note is whole sentences


def attach(scores: pd.DataFrame, notes: pd.DataFrame | None) -> pd.DataFrame:
    scores = scores.copy()
    scores["caution"] = False
    scores["notes"] = ""
    if notes is None or not len(notes) or not len(scores):
        return scores
    n = notes[["provider", "measure", "period", "code", "text", "caution"]].rename(
        columns={"measure": "n_measure", "period": "n_period", "caution": "n_caution"})
    key = scores[["provider", "measure", "period"]].assign(_at=np.arange(len(scores)))  # by position: any index
    pairs = key.merge(n, on="provider", how="inner")
    fits = ((pairs["n_measure"] == "") | (pairs["n_measure"] == pairs["measure"])) & \
           ((pairs["n_period"] == "") | (pairs["n_period"] == pairs["period"]))
    pairs = pairs[fits].drop_duplicates(["_at", "code", "text"])
    if not len(pairs):
        return scores
    pairs = pairs.assign(_order=~pairs["n_caution"].astype(bool), _num=pd.to_numeric(pairs["code"], errors="coerce"))
    pairs = pairs.sort_values(["_at", "_order", "_num", "code"], kind="stable")
    words = pairs.groupby("_at")["text"].agg(SEPARATOR.join)
    caution = pairs.groupby("_at")["n_caution"].agg(lambda c: bool(np.any(c.astype(bool))))
    text, flag = np.full(len(scores), "", object), np.zeros(len(scores), bool)
    text[words.index.to_numpy()] = words.to_numpy(dtype=object)
    flag[caution.index.to_numpy()] = caution.to_numpy(dtype=bool)
    scores["notes"], scores["caution"] = text, flag
    return scores
