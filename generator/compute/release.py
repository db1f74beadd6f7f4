"""What this release is: its data period, publication date and next expected update."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from generator.data import periods
from generator.settings import Settings


@dataclass(frozen=True)
class Release:
    """The release record: pages, downloads, the feed and the archive read it."""
    period: str           # the latest data period (the latest monthly one when any measure is monthly)
    period_label: str     # the same in words: 'September 2024'
    earliest: str         # the earliest period any measure publishes
    published: str        # publication date, ISO
    next_update: str      # first day of the next quarter, ISO
    settings: Settings


def publication_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.datetime.now(dt.timezone.utc).date()


def release_info(results, settings: Settings) -> Release:
    every = sorted(results.latest.values())
    monthly = [p for p in every if periods.is_month(p)]
    latest = (monthly or every or [""])[-1]
    earliest = min((ps[-1] for ps in results.periods.values()), default="")
    published = publication_date()
    q = (published.month - 1) // 3 * 3 + 3  # quarterly: the first month of the next quarter
    nxt = dt.date(published.year + (q // 12), q % 12 + 1, 1)
    return Release(period=latest, period_label=periods.label(latest), earliest=earliest,
                   published=published.isoformat(), next_update=nxt.isoformat(), settings=settings)
