"""An Atom feed announcing releases, the release record carried from site to site, and the release's
schema.org Dataset metadata for page heads. Pure."""
from __future__ import annotations

import json

from generator.text.escape import svg_text as xml_text
from generator.data import periods
from generator.compute.release import Release
from generator.text.escape import script_json


def releases(release: Release, baseline) -> list[dict]:
    """This release and the earlier ones, newest first."""
    current = {"period": release.period, "published": release.published}
    earlier = [r for r in (baseline.releases if baseline else []) if r.get("period") != release.period]
    return [current, *earlier]


def release_json(release: Release, baseline) -> str:
    rel = releases(release, baseline)
    return json.dumps({"period": release.period, "published": release.published, "releases": rel[1:]},
                      sort_keys=True, indent=1) + "\n"


def atom(release: Release, baseline, site_url: str, example: bool) -> str:
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries = []
    for r in releases(release, baseline):
        when = f"{r['published']}T00:00:00Z"
        title = f"Results for data up to {periods.label(r['period'])}" + (" (example data)" if example else "")
        entries.append(
            f"<entry><id>urn:experience-tables:release:{xml_text(r['period'])}</id><title>{xml_text(title)}</title>"
            f"<updated>{xml_text(when)}</updated><link href=\"{xml_text(base)}changes/\"/>"
            f"<summary>{xml_text(title)}, published {xml_text(r['published'])}.</summary></entry>")
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
            "<id>urn:experience-tables:releases</id><title>Patient experience league tables: releases</title>"
            f"<updated>{xml_text(release.published)}T00:00:00Z</updated>"
            f"<link rel=\"self\" href=\"{xml_text(base)}feed.xml\"/>" + "".join(entries) + "</feed>\n")


def dataset_jsonld(release: Release, title: str, example: bool) -> str:
    """schema.org Dataset metadata for every page head, safe inside a <script> element."""
    data = {
        "@context": "https://schema.org", "@type": "Dataset", "name": title,
        "description": ("Fictional example data. " if example else "") + "Patient experience results by provider.",
        "dateModified": release.published, "temporalCoverage": f"{release.earliest}/{release.period}",
        "isAccessibleForFree": True,
    }
    return str(script_json(data))
