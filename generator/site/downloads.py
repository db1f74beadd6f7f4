"""Open data out: the computed results as CSV, JSON and a zipped Frictionless data package.

Built only from Results, after disclosure control, so every file shows exactly
what the pages show. Text cells are neutralised against spreadsheet formulas.
"""
from __future__ import annotations

import csv
import io
import json
import threading
import zipfile
from collections.abc import Callable

import numpy as np
import pandas as pd

from generator.views import wording
from generator.text.escape import csv_cell
from generator.data import periods
from generator.compute.release import Release
from generator.settings import Settings
from generator.site.download_fields import (  # noqa: F401 (has_published: read by render.py)
    METHODS_VERSION, FIXED_ZIP_TIME, RESULT_FIELDS, NOTE_FIELDS, PUBLISHED_FIELDS, BENCHMARK_FIELDS, PEER_FIELDS, RATING_FIELDS,
    FLAG_FIELDS, TREND_FIELDS, has_notes, has_published, has_benchmarks, result_fields, has_peer_groups, rating_table,
)


def _band_labels(sc: pd.DataFrame, st: Settings) -> list[str]:
    """Each row's band in the site's words: against its published benchmark when it has one (review 19)."""
    pairs = list(zip(sc["band"], sc["benchmark"] if "benchmark" in sc else [""] * len(sc)))
    words = {k: wording.band_against(k[0], st, str(k[1] or "")) for k in set(pairs)}
    return [words[k] for k in pairs]


def result_table(results, providers: pd.DataFrame, st: Settings) -> pd.DataFrame:
    sc = results.scores
    p = providers.set_index("code")
    out = pd.DataFrame({
        "provider": sc["provider"], "provider_name": sc["provider"].map(p["name"]),
        "provider_type": sc["provider"].map(p["type"]), "commissioner": sc["provider"].map(p["commissioner"]),
        "measure": sc["measure"], "period": sc["period"], "responses": sc["responses"],
        "estimate": sc["estimate"], "lower95": sc["lower95"], "upper95": sc["upper95"],
        "lower998": sc["lower998"], "upper998": sc["upper998"], "z_adjusted": sc["z_adj"],
        "band": sc["band"], "band_label": _band_labels(sc, st),
        "rank_lower": sc["rank_lower"], "rank_upper": sc["rank_upper"],
        "rank_of": sc["rank_n"].where(sc["rank_lower"].notna()),
    })
    if has_notes(results):
        out = out.assign(min_sample=sc["min_sample"], caution=sc["caution"], publisher_notes=sc["notes"])
    if has_published(results):
        out = out.assign(published=sc["published"])
    if has_benchmarks(results):  # from the peer table, where a target that would reveal a hidden result is hidden
        at = pd.MultiIndex.from_frame(sc[["measure", "period", "peer"]])
        peers = results.peers.drop_duplicates(["measure", "period", "peer"]).set_index(["measure", "period", "peer"])
        out = out.assign(target=peers["target"].reindex(at).to_numpy(), target_label=peers["benchmark"].reindex(at).to_numpy())
    if has_peer_groups(results):
        out = out.assign(peer_group=sc["provider"].map(p["peer_group"]))
    return out.sort_values(["measure", "period", "provider"]).reset_index(drop=True)


def _cells(df: pd.DataFrame, fields) -> list[list[str]]:
    """Each field's column as CSV text cells: fixed number formats, formula-safe text."""
    cols = []
    for name, typ, _ in fields:
        s = df[name]
        if typ in ("number", "integer"):
            a = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan).tolist()
            if typ == "number":
                cols.append([f"{v:.6f}" if v == v else "" for v in a])  # v != v: missing (NaN)
            else:
                cols.append([str(int(round(v))) if v == v else "" for v in a])
        elif typ == "boolean":
            cols.append([("true" if bool(v) else "false") for v in s])
        else:
            cols.append(_text_cells(s.tolist()))
    return cols


def _text_cells(values: list) -> list[str]:
    """csv_cell of each value, worked out once per distinct value (codes, ids and periods repeat)."""
    memo: dict = {}
    out = []
    for v in values:
        key = (v.__class__, v)  # 1, 1.0 and True are equal keys but different text
        c = memo.get(key)
        if c is None:
            c = memo[key] = csv_cell("" if _missing(v) else str(v))
        out.append(c)
    return out


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _write(names: list[str], cols: list[list[str]], start: int = 0, end: int | None = None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    w.writerows(zip(*(c[start:end] for c in cols)))
    return buf.getvalue()


def to_csv(df: pd.DataFrame, fields) -> str:
    """CSV text with fixed number formats and formula-safe text cells."""
    return _write([f[0] for f in fields], _cells(df, fields))


def described(fields, st: Settings) -> list[tuple[str, str, str]]:
    """Fields with the thresholds in their descriptions taken from the settings."""
    return [(n, t, d.format(suppress_below=st.suppress_below, spc_min_points=st.spc_min_points)) for n, t, d in fields]


def in_publisher_words(fields, pub, types: set[str]) -> list[tuple[str, str, str]]:
    """The kind and commissioner columns described in the publisher's words (data/publisher.py), when it gives them."""
    if not pub.given:
        return fields
    kinds = ", ".join(f"{t} ({pub.kind(t)[1]})" for t in sorted(types))
    one = pub.level.one if pub.level else "area"  # no commissioning level: the commissioners' rows are areas
    level = f"{one[:1].upper()}{one[1:]} code"
    words = {"provider_type": f"Kind of provider: {kinds}", "commissioner": level}
    return [(n, t, words.get(n, d)) for n, t, d in fields]


def _schema(fields) -> dict:
    return {"fields": [{"name": n, "type": t, "description": d} for n, t, d in fields]}


def _jsonable(v):
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return round(float(v), 6)
    return v


def _json_column(values: list) -> list:
    """_jsonable over a column's Python values (a column of floats: one comprehension, same results)."""
    if all(type(v) is float for v in values):
        return [None if v != v else round(v, 6) for v in values]
    return [_jsonable(v) for v in values]


def provider_json(table: pd.DataFrame, flags: pd.DataFrame, latest: dict[str, str]) -> dict[str, str]:
    """One small JSON file per provider, holding what its page shows: the latest period of each measure
    (result, likely range, band, responses, position range) and its red flags. Every period is in the measure CSVs and the zip: at England scale
    full histories would add 200 MB."""
    table = periods.latest_rows(table, latest).sort_values(["provider", "measure"], kind="stable")
    out = {}
    fl = {k: g for k, g in flags.groupby("provider")}
    skip = ("provider", "provider_name", "provider_type", "commissioner",  # in the head of the file
            "lower998", "upper998", "z_adjusted")  # not on the provider's page: in the measure files and the zip
    keys = [k for k in table.columns if k not in skip]
    cols = [_json_column(table[k].tolist()) for k in keys]
    for i, k in enumerate(keys):
        if k in ("responses", "rank_lower", "rank_upper", "rank_of", "min_sample"):
            cols[i] = [None if v is None else int(round(v)) for v in cols[i]]
    records = [dict(zip(keys, row)) for row in zip(*cols)]
    codes = table["provider"].tolist()
    first = table.drop_duplicates("provider")
    heads = {c: (n, t, m) for c, n, t, m in zip(first["provider"].tolist(), first["provider_name"].tolist(),
                                                 first["provider_type"].tolist(), first["commissioner"].tolist())}
    start = 0
    while start < len(codes):
        code = codes[start]
        end = start
        while end < len(codes) and codes[end] == code:
            end += 1
        name, ptype, comm = heads[code]
        doc = {"provider": code, "name": name, "type": ptype, "commissioner": comm, "results": records[start:end],
               "flags": [{k: _jsonable(v) for k, v in f.items() if k != "provider"}
                         for f in fl[code].to_dict("records")] if code in fl else []}
        out[f"downloads/providers/{code.lower()}.json"] = json.dumps(
            doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        start = end
    return out


def package_zip(files: dict[str, str], descriptor: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        entries = {"datapackage.json": json.dumps(descriptor, indent=2, sort_keys=True) + "\n", **files}
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"experience-results/{name}", FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name])
    return buf.getvalue()


def zip_later(files: dict[str, str], descriptor: dict) -> Callable[[], bytes]:
    """package_zip in a thread, for the caller to go on meanwhile (zlib lets go of the interpreter while it
    compresses: at England scale 3 s for 110 MB): call what it returns for the bytes, or its error."""
    out: list = []

    def run() -> None:
        try:
            out.append(package_zip(files, descriptor))
        except BaseException as e:  # raised in the caller, by result()
            out.append(e)

    thread = threading.Thread(target=run, name="package-zip", daemon=True)
    thread.start()

    def result() -> bytes:
        thread.join()
        if isinstance(out[0], BaseException):
            raise out[0]
        return out[0]
    return result


def _resource(name: str, path: str, fields) -> dict:
    return {"name": name, "path": path, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": _schema(fields)}


def download_files(results, release: Release, example: bool) -> dict[str, str | bytes]:
    """The zipped package (every period of results, flags, trends: one file each) and, unzipped, the
    latest period of each measure (what its league table shows) at stable addresses, described by their
    own datapackage.json. Each figure is published unzipped once: earlier periods only in the zip (at
    England scale every period unzipped is about 100 MB)."""
    ds = results.dataset
    fields = result_fields(results)
    described_fields, trend_fields = described(fields, release.settings), described(TREND_FIELDS, release.settings)
    described_fields = in_publisher_words(described_fields, ds.publisher, set(ds["providers"]["type"]))
    table = result_table(results, ds["providers"], release.settings)
    cells = _cells(table, fields)
    results_csv = _write([f[0] for f in fields], cells)
    flags_csv = to_csv(results.flags, FLAG_FIELDS)
    trends_csv = to_csv(results.trends, TREND_FIELDS)
    rated = rating_table(ds)  # the publisher's own ratings, when there are some (standard 1.4)
    extra = {"ratings.csv": to_csv(rated, RATING_FIELDS)} if len(rated) else {}
    ratings = [_resource("ratings", "ratings.csv", RATING_FIELDS)] if extra else []
    readme = readme_text(release, example, has_notes(results), bool(extra), has_benchmarks(results))
    descriptor = {
        "name": "patient-experience-results", "title": "Patient experience league tables: computed results",
        "version": release.period, "created": f"{release.published}T00:00:00Z",
        "licenses": [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0"}] if not example else
        [{"name": "CC0-1.0", "title": "Fictional example data"}],
        "x-methods-version": METHODS_VERSION, "x-example-data": example,
        "resources": [_resource("results", "results.csv", described_fields), _resource("flags", "flags.csv", FLAG_FIELDS),
                      _resource("trends", "trends.csv", trend_fields)] + ratings,
    }
    zipped = zip_later({"results.csv": results_csv, "flags.csv": flags_csv, "trends.csv": trends_csv, "README.md": readme,
                        **extra}, descriptor)  # compressed while the files below are made
    files: dict[str, str | bytes] = {"downloads/flags.csv": flags_csv}
    # sorted by measure then period: each measure's latest period is one slice (what its league table shows)
    latest = periods.latest_mask(table, results.latest).to_numpy()
    measures = table["measure"].tolist()
    start, per_measure = 0, []
    for m, g in table.groupby("measure", sort=True):
        start = measures.index(m, start)
        rows = latest[start:start + len(g)].nonzero()[0]
        first, end = (start + rows[0], start + rows[-1] + 1) if len(rows) else (start, start)
        files[f"downloads/measures/{m}.csv"] = _write([f[0] for f in fields], cells, first, end)
        per_measure.append(_resource(f"results-{m}", f"measures/{m}.csv", described_fields))
    files.update(provider_json(table, results.flags, results.latest))
    files.update({f"downloads/{k}": v for k, v in extra.items()})
    files["downloads/datapackage.json"] = json.dumps(
        {**descriptor, "resources": per_measure + [_resource("flags", "flags.csv", FLAG_FIELDS)] + ratings},
        indent=2, sort_keys=True) + "\n"
    files["downloads/README.txt"] = readme
    files["downloads/experience-results.zip"] = zipped()
    return files


def readme_text(release: Release, example: bool, notes: bool = False, ratings: bool = False,
                benchmarks: bool = False) -> str:
    st = release.settings
    note = ("These are FICTIONAL EXAMPLE DATA, made up to show how the site works. Do not use them to choose care.\n\n"
            if example else "")
    return (f"# Patient experience league tables: computed results\n\n{note}"
            f"Release: data up to {release.period}, published {release.published}. "
            f"Methods version {METHODS_VERSION}.\n\n"
            "Each row compares one provider with providers of the same type on one measure and period"
            + (" (or, where target_label names a published benchmark, with that benchmark). " if benchmarks else ". ")
            + f"Figures from fewer than {st.suppress_below} responses are suppressed (empty) everywhere; from "
            f"{st.suppress_below} to {st.band_below - 1} responses they are shown without a band. "
            + ("Where the publisher sets a minimum number of responses (min_sample), results from fewer are "
               "shown without a band or position; caution and publisher_notes carry the publisher's own notes. "
               if notes else "")
            + "Positions are ranges (rank_lower to rank_upper), never single ranks.\n\n"
            + ("ratings.csv holds the publisher's own ratings of providers as the publisher published them "
               "(e.g. star ratings): they were not worked out by this site and rest on the publisher's own "
               "methods.\n\n" if ratings else "")
            + "Caveats: differences between providers reflect case mix and chance as well as care; read the band "
            "and the interval, not the order of rows.\n\n"
            "Citation: Patient experience league tables, computed results, release "
            f"{release.period} ({release.published}).\n")
