"""What this release is: its data period, publication date and next expected update."""
from __future__ import annotations

import datetime as dt
import os

from generator.text.escape import script_json

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def publication_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.datetime.now(dt.timezone.utc).date()


def period_label(period: str) -> str:
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        return f"{MONTHS[int(period[5:]) - 1]} {period[:4]}"
    if "-Q" in period:
        return f"quarter {period[-1]} of {period[:4]}"
    return period


def release_info(results, settings) -> dict:
    periods = sorted(results.latest.values())
    monthly = [p for p in periods if len(p) == 7 and p[4] == "-" and p[5:].isdigit()]
    latest = (monthly or periods or [""])[-1]
    earliest = min((ps[-1] for ps in results.periods.values()), default="")
    published = publication_date()
    q = (published.month - 1) // 3 * 3 + 3  # quarterly: the first month of the next quarter
    nxt = dt.date(published.year + (q // 12), q % 12 + 1, 1)
    return {
        "period": latest, "period_label": period_label(latest), "earliest": earliest,
        "published": published.isoformat(), "next_update": nxt.isoformat(), "settings": settings,
    }


def dataset_jsonld(release: dict, title: str, example: bool) -> str:
    """schema.org Dataset metadata for every page head, safe inside a <script> element."""
    data = {
        "@context": "https://schema.org", "@type": "Dataset", "name": title,
        "description": ("Fictional example data. " if example else "") + "Patient experience results by provider.",
        "dateModified": release["published"], "temporalCoverage": f"{release['earliest']}/{release['period']}",
        "isAccessibleForFree": True,
    }
    return str(script_json(data))
