"""Attacks on a built site: what an outsider can recover from what it publishes (issue #15).

Each attack reads only published files (pages, downloads) plus public metadata
(the reference package's measures and groups) and, to be stronger than a real
attacker, the true list of which hidden cells hold fewer than 10 responses. The
raw data is used only to check that a recovered figure is the true one. Each
returns a dict of counts: 'recovered' is the number of hidden figures pinned.
"""
from __future__ import annotations

import csv
import html
import io
import itertools
import json
import math
import re
import zipfile
from pathlib import Path

import numpy as np
from scipy.optimize import linprog, minimize_scalar

SMALL = 10  # Settings.suppress_below


def truth(packages: Path) -> dict:
    """(provider, measure, period, group) -> (responses, numerator) from the raw example data."""
    out = {}
    for f in sorted(packages.rglob("*.csv")):
        with f.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if {"provider", "measure", "period", "group", "responses"} <= set(r) and r["responses"]:
                    x = float(r["numerator"]) if r.get("numerator") else math.nan
                    out[(r["provider"], r["measure"], r["period"], r["group"])] = (int(float(r["responses"])), x)
    return out


def _reference(packages: Path, name: str) -> list[dict]:
    with (packages / "example-reference" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def results_csv(site: Path) -> list[dict]:
    with zipfile.ZipFile(site / "downloads" / "experience-results.zip") as z:
        return list(csv.DictReader(io.StringIO(z.read("experience-results/results.csv").decode("utf-8"))))


# --- 1. pooled-target inversion from published z and estimates ------------------------------------

def fit_target(rows: list[dict]) -> float | None:
    """The peer target p = sum x / sum n, fitted by least squares from published estimates, sizes and z."""
    pts = [(math.asin(math.sqrt(float(r["estimate"]))), 1 / (2 * math.sqrt(int(r["responses"]))), float(r["z_adjusted"]))
           for r in rows if r["z_adjusted"] and r["estimate"] and r["responses"]]
    if len(pts) < 3:
        return None
    y, s, z = (np.array(c) for c in zip(*pts))

    def spread(log_tau2):
        t = y - z * np.sqrt(s ** 2 + math.exp(log_tau2))
        return float(np.var(t))
    best = min([(spread(-60), -60.0)] + [(spread(v), v) for v in [minimize_scalar(spread, bounds=(-25, 0), method="bounded").x]])
    t = float(np.mean(y - z * np.sqrt(s ** 2 + math.exp(best[1]))))
    if math.sqrt(best[0]) > 1e-5:  # the rows do not share one target: no fit
        return None
    return math.sin(t) ** 2


def _candidates(k: int):
    cells = [(n, x) for n in range(1, SMALL) for x in range(n + 1)]
    return itertools.product(cells, repeat=k)


def _solve(vis_n: int, vis_x: int, k: int, ok) -> set:
    """Every assignment of (n, x) to k hidden rows whose pooled figure passes ok(pooled)."""
    return {c for c in _candidates(k)
            if ok((vis_x + sum(x for _, x in c)) / (vis_n + sum(n for n, _ in c)))}


def _pinned(sols: set, true: list[tuple]) -> int:
    """Hidden rows (or, failing that, the hidden rows together) pinned to their true figures."""
    if not sols:
        return 0
    got = sum(all(s[i] == true[i] for s in sols) for i in range(len(true)))
    together = {(sum(n for n, _ in s), sum(x for _, x in s)) for s in sols}
    if got == 0 and together == {(sum(n for n, _ in true), sum(x for _, x in true))}:
        got = 1
    return got


def pooled_target_attack(site: Path, packages: Path) -> dict:
    kinds = {m["id"]: m["kind"] for m in _reference(packages, "measures.csv")}
    real = truth(packages)
    groups: dict[tuple, list[dict]] = {}
    for r in results_csv(site):
        if kinds.get(r["measure"]) == "proportion":
            groups.setdefault((r["measure"], r["period"], r["provider_type"]), []).append(r)
    out = {"groups": 0, "recovered": 0}
    for (measure, period, _), rows in sorted(groups.items()):
        hidden = [r for r in rows if not r["responses"]]
        if not hidden or len(hidden) > 2:
            continue
        p = fit_target(rows)
        if p is None:
            continue
        out["groups"] += 1
        vis = [(int(r["responses"]), round(float(r["estimate"]) * int(r["responses"]))) for r in rows if r["responses"]]
        sols = _solve(sum(n for n, _ in vis), sum(x for _, x in vis), len(hidden), lambda q: abs(q - p) < 2e-6)
        true = [tuple(int(v) for v in real[(r["provider"], measure, period, "all")]) for r in hidden]
        out["recovered"] += _pinned(sols, true)
    return out


# --- 2. the league page's pooled figure ("the figure for all of them together") -------------------

def _pages(site: Path):
    for f in sorted((site / "measures").rglob("index.html")):
        yield f.relative_to(site).parent.as_posix(), html.unescape(f.read_text(encoding="utf-8"))


ROW = re.compile(r'<tr [^>]*?data-type="([^"]+)"[^>]*data-code="([^"]+)">(.*?)</tr>', re.S)


def league_sections(text: str):
    """(peer, published pooled % or None, [(peer, code, estimate or None, responses or None)]) per peer.

    The page gives one sentence per peer type, in the order of the type ids, and one table of rows."""
    targets = [None if m.group(2) is None else float(m.group(2))
               for m in re.finditer(r"<p>[\d,]+ [^;<]+(; the figure for all of them together(?: \([^)]*\))? is ([\d.]+)%)?\.</p>", text)]
    by_peer: dict[str, list] = {}
    for peer, code, cells in ROW.findall(text):
        sorts = re.findall(r'data-sort="([^"]*)"', cells)
        est = float(sorts[0]) if sorts and sorts[0] not in ("", "-1") else None
        n = int(sorts[2]) if len(sorts) > 2 and sorts[2].isdigit() and est is not None else None
        by_peer.setdefault(peer, []).append((peer, code, est, n))
    for (peer, rows), target in zip(sorted(by_peer.items()), targets):
        yield peer, target, rows


def league_pooled_attack(site: Path, packages: Path) -> dict:
    kinds = {m["id"]: m["kind"] for m in _reference(packages, "measures.csv")}
    real = truth(packages)
    out = {"sections": 0, "recovered": 0}
    for page, text in _pages(site):
        parts = page.split("/")
        if len(parts) < 2:
            continue
        measure = parts[1]
        if kinds.get(measure) != "proportion":
            continue
        period = parts[2] if len(parts) > 2 else re.search(r"Period: ([\d-]+)<", text).group(1)
        for _, target, rows in league_sections(text):
            hidden = [r for r in rows if r[2] is None]
            if target is None or not hidden or len(hidden) > 2:
                continue
            out["sections"] += 1
            vis = [(n, round(e * n)) for _, _, e, n in rows if e is not None]
            sols = _solve(sum(n for n, _ in vis), sum(x for _, x in vis), len(hidden),
                          lambda q: round(q * 100 + 1e-9, 1) == target)
            true = [tuple(int(v) for v in real[(code, measure, period, "all")]) for _, code, _, _ in hidden]
            out["recovered"] += _pinned(sols, true)
    return out


# --- 3 and 4. group tables: differencing against the total, then linear bounds ----------------------

GROUP_ROW = re.compile(r"<tr><td>(.*?)(?: <small>.*?</small>)?</td><td>(.*?)</td><td>.*?</td><td>(.*?)</td>")


def group_tables(site: Path, packages: Path):
    """Each published breakdown table: (provider, measure, period, dimension, T, X, cells), cells being
    (group, count or None, positives or None, truly fewer than 10)."""
    dims = {g["label"]: (g["id"], g["dimension"]) for g in _reference(packages, "groups.csv")}
    real = truth(packages)
    for f in sorted((site / "downloads" / "providers").glob("*.json")):
        info = json.loads(f.read_text(encoding="utf-8"))
        overall = {r["measure"]: r for r in info["results"]}
        page = site / "providers" / f.stem / "index.html"
        text = html.unescape(page.read_text(encoding="utf-8"))
        for measure, period, body in re.findall(r'<details id="groups-([^"]+)"><summary>.*?\(([\d-]+Q?\d*)\)</summary>(.*?)</details>', text, re.S):
            o = overall.get(measure)
            if o is None or o["responses"] is None or o["period"] != period:
                continue
            tables: dict[str, list] = {}
            for label, value, count in GROUP_ROW.findall(body):
                gid, dim = dims[label.strip()]
                n = int(count.replace(",", "")) if count.replace(",", "").isdigit() else None
                x = round(float(value.rstrip("%")) / 100 * n) if n is not None else None
                small = real[(info["provider"], measure, period, gid)][0] < SMALL
                tables.setdefault(dim, []).append((gid, n, x, small))
            for dim, cells in tables.items():
                yield (info["provider"], measure, period, dim, o["responses"], round(o["estimate"] * o["responses"]), cells)


def hidden_tables(site: Path, packages: Path):
    """Each table with hidden cells: (hidden cells, their total count, their total positives), by
    subtracting the visible cells from the provider's published total."""
    for *_, T, X, cells in group_tables(site, packages):
        hidden = [c for c in cells if c[1] is None]
        if hidden:
            yield (hidden, T - sum(c[1] for c in cells if c[1] is not None),
                   X - sum(c[2] for c in cells if c[1] is not None))


def differencing_attack(site: Path, packages: Path) -> dict:
    """Plain arithmetic: hidden total = published total - visible cells; pinned when one cell is hidden, when
    k small cells share 9k or k responses, or when the hidden respondents' positives are 0 or all."""
    out = {"tables": 0, "recovered": 0, "alike": 0}
    for hidden, nh, xh in hidden_tables(site, packages):
        out["tables"] += 1
        small = all(c[3] for c in hidden)
        if len(hidden) == 1 or (small and nh in (len(hidden) * (SMALL - 1), len(hidden))):
            out["recovered"] += len(hidden)
        if xh in (0, nh):
            out["alike"] += len(hidden)
    out["recovered"] += out["alike"]
    return out


def bounds(nh: int, xh: int, small: list[bool]) -> tuple[list, list]:
    """Linear bounds an attacker gets on each hidden cell's count and positives, knowing their totals.

    Variables n_1..n_k, x_1..x_k: sum n = nh, sum x = xh, 0 <= x_i <= n_i, n_i in 1..9 (small) or 10..nh.
    Returns ([(min n_i, max n_i)], [(min x_i, max x_i)]), or ([], []) when nothing fits.
    """
    k = len(small)
    a_eq = np.zeros((2, 2 * k))
    a_eq[0, :k] = 1
    a_eq[1, k:] = 1
    a_ub = np.hstack([-np.eye(k), np.eye(k)])  # x_i - n_i <= 0
    box = [(1, SMALL - 1) if s else (SMALL, max(nh, SMALL)) for s in small] + [(0, None)] * k
    out = []
    for j in range(2 * k):
        lim = []
        for sign in (1, -1):
            c = np.zeros(2 * k)
            c[j] = sign
            r = linprog(c, A_ub=a_ub, b_ub=np.zeros(k), A_eq=a_eq, b_eq=[nh, xh], bounds=box, method="highs")
            if r.status != 0:
                return [], []
            lim.append(sign * r.fun)
        out.append((round(lim[0], 6), round(lim[1], 6)))
    return out[:k], out[k:]


def bounds_attack(site: Path, packages: Path) -> dict:
    """Linear bounds on every hidden cell: a count or a numerator pinned, or a cell's share of positives
    forced to 0% or 100% (its positives' bounds meet 0 or its count)."""
    out = {"tables": 0, "recovered": 0, "counts": 0, "numerators": 0, "alike": 0}
    for hidden, nh, xh in hidden_tables(site, packages):
        out["tables"] += 1
        nb, xb = bounds(nh, xh, [c[3] for c in hidden])
        for (nlo, nhi), (xlo, xhi) in zip(nb, xb):
            pinned_n, pinned_x = nlo == nhi, xlo == xhi
            alike = xhi == 0 or xh == nh
            out["counts"] += pinned_n
            out["numerators"] += pinned_x
            out["alike"] += alike
            out["recovered"] += pinned_n or pinned_x or alike
    return out


def main(argv: list[str]) -> None:
    """python3 tests/attacks.py SITE [PACKAGES]: each attack's counts on a built site."""
    site = Path(argv[0])
    packages = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "datapackages"
    for attack in (pooled_target_attack, league_pooled_attack, differencing_attack, bounds_attack):
        print(attack.__name__, attack(site, packages))


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
