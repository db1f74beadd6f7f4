"""A release's lean archived copy, kept for citations and corrections. Pure: returns {path: content}.

Each release leaves, under releases/<period>/ of every later site:
  index.html               what the release was, with a link to the current site
  measures/<id>/index.html its league table for each measure (latest period), self-contained HTML
  changes/index.html       its "What changed" page
  experience-results.zip   its results data package (every period, red flags, trends)
  release.json             its record: period, dates, SHA-256 checksums of what was published, and, only when
                           the publisher supplies a secret key (INPUT_KEY_ENV), keyed digests of the inputs
A plain checksum of an input file would let anyone recover a suppressed figure by trying every small
value until the checksum matches, so none is published.
Provider pages are not kept per release. The pages carry their own styles and no
scripts, so they keep working whatever later releases change in the site's assets.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from types import SimpleNamespace as NS

from generator.views import changes as changes_view, wording
from generator.views.context import Context
from generator.data.previous import PACKAGE, RECORD
from generator.settings import Settings

ZIP = "downloads/" + PACKAGE


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


INPUT_KEY_ENV = "RELEASE_INPUT_KEY"  # the publisher's secret key for the inputs' digests (never published)


def input_checksums(datapackages: list[Path], key: str | None = None) -> dict:
    """The inputs' entry in the release record. Inputs hold unpublished (suppressed) figures, so a plain
    checksum would give them away: with a secret key (argument, else the INPUT_KEY_ENV variable) each file has
    an HMAC-SHA256 digest, which only the key's holder can check; without one there are no digests."""
    key = key if key is not None else os.environ.get(INPUT_KEY_ENV, "")
    if not key:
        return {"digest": "none", "note": f"the input files hold unpublished figures, so no checksum of them is "
                                          f"published; set {INPUT_KEY_ENV} to record keyed (HMAC-SHA256) digests"}
    files = {}
    for root in datapackages:
        for p in sorted(root.rglob("*")):
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts):
                files[f"{root.name}/{p.relative_to(root).as_posix()}"] = hmac.new(
                    key.encode("utf-8"), p.read_bytes(), hashlib.sha256).hexdigest()
    return {"digest": "HMAC-SHA256", "note": f"keyed with the publisher's secret {INPUT_KEY_ENV}; only its holder "
                                             f"can check an input file against these", "files": files}


def output_checksums(files: dict[str, str | bytes]) -> dict[str, str]:
    """The published downloads; the thousands of per-provider files share one digest (over name and content)."""
    out, providers = {}, hashlib.sha256()
    for rel in sorted(files):
        if rel.startswith("downloads/providers/"):
            data = files[rel]
            providers.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(
                data.encode("utf-8") if isinstance(data, str) else data).digest())
        elif rel.startswith("downloads/"):
            out[rel] = sha256(files[rel])
    out["downloads/providers/"] = providers.hexdigest()
    return out


def _table(t: NS, st: Settings) -> NS:
    below = st.suppress_below
    rows = [NS(name=r.name, code=r.code, value=r.value, interval=r.interval, band_label=r.band_label, rank=r.rank,
               responses=f"{r.responses:,}" if r.responses is not None else f"fewer than {below}") for r in t.rows]
    groups = [NS(title=g.title, n=g.n, peer_label=g.peer_label,
                 counts=[NS(label=wording.band_label(b, st), n=g.counts[b]) for b in wording.BAND_ORDER if g.counts[b]])
              for g in t.groups]
    return NS(id=t.measure.id, name=t.measure.name, description=t.measure.description, source=t.source, hib=t.hib,
              period=t.period, counted=t.counted, rows=rows, total=t.total, capped=len(rows) < t.total, groups=groups)


def lean_release(ctx: Context, tables: list[NS], changes: NS | None, files: dict[str, str | bytes],
                 inputs: dict) -> dict[str, str | bytes]:
    """The archived copy of this release, keyed by path inside releases/<period>/."""
    from generator.site.render import environment
    env = environment(html=True)
    rel = ctx.release
    base = ctx.baseline
    baseline = base.period if ctx.changes is not None and base is not None else ""
    pkg = files[ZIP]
    r = NS(period=rel.period, period_label=rel.period_label, published=rel.published, example=ctx.example,
           baseline=baseline, zip_mb=f"{len(pkg) / 1e6:.1f} MB" if len(pkg) >= 1e5 else f"{len(pkg) / 1e3:.0f} KB")
    latest = [_table(t, ctx.settings) for t in tables if t.period == t.latest]
    out: dict[str, str | bytes] = {
        "index.html": env.get_template("archive_index.html.j2").render(r=r, tables=latest, root="../../", home=""),
        "changes/index.html": env.get_template("archive_changes.html.j2").render(
            r=r, root="../../../", home="../",
            ch=changes_view.unlinked(changes, f"../../{baseline}/" if base is not None and base.from_archive
                                     and baseline else "")),
        PACKAGE: pkg,
    }
    league = env.get_template("archive_league.html.j2")
    for t in latest:
        out[f"measures/{t.id}/index.html"] = league.render(r=r, t=t, root="../../../../", home="../../")
    record = {
        "period": r.period, "period_label": r.period_label, "published": r.published, "example": r.example,
        "baseline": baseline, "case_studies": sorted(ctx.dataset["case-studies"]["id"]),
        "inputs": inputs, "outputs": output_checksums(files),
        "archived": {k: sha256(v) for k, v in sorted(out.items())},
    }
    out[RECORD] = _dump(record)
    return out


def _dump(record: dict) -> str:
    return json.dumps(record, indent=1, sort_keys=True) + "\n"


# Downloads that carry the publication date; the rest are the published data themselves.
DATED = {"downloads/README.txt", "downloads/datapackage.json", ZIP}


def carry_over(old: dict | None, files: dict[str, str | bytes]) -> dict[str, str | bytes] | None:
    """A period archived before, built again. None: keep the archived copy as it is (the same published data,
    whatever day it is rebuilt on). Otherwise a correction: the new copy, whose record keeps the first
    publication date and says when it was corrected."""
    if not old:
        return files
    new = json.loads(files[RECORD])
    data = [{k: v for k, v in r.get("outputs", {}).items() if k not in DATED} for r in (old, new)]
    if data[0] == data[1]:
        return None
    new["corrected"] = new["published"]
    new["published"] = old.get("published") or new["published"]
    return {**files, RECORD: _dump(new)}
