"""The validated, typed data the rest of the pipeline works from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from generator.data.publisher import DEFAULT as DEFAULT_PUBLISHER, Publisher

STANDARD_VERSION = "1.4"  # 1.1 added the optional scales resource, 1.2 the optional postcode-districts,
# 1.3 the optional notes resource (the publisher's footnotes) and the optional min_sample column of measures,
# 1.4 the optional benchmarks, ratings (the publisher's own ratings) resources, the optional published column of
# scores and the optional peer_group and ownership of providers,
# and the optional "publisher" object of datapackage.json (the publisher's words: data/publisher.py)
READS = ("1.0", "1.1", "1.2", "1.3", "1.4")  # versions of the standard this tool reads: each later one only adds
RESOURCES = ("commissioners", "providers", "measures", "groups", "scores",
             "case-studies", "redirects", "sources", "scales", "postcode-districts", "notes", "benchmarks", "ratings")


@dataclass
class PackageInfo:
    name: str
    title: str
    folder: str
    example: bool
    licenses: list[dict[str, Any]]
    files: dict[str, str]  # relative file path -> sha256


@dataclass
class Dataset:
    """Typed tables, one per standard resource, merged across packages.

    Column types: codes and ids str; integers pandas Int64 (nullable);
    numbers float64 (NaN when empty); dates datetime64 (NaT when empty);
    booleans bool. Every table has a "_package" column naming its package.
    """
    tables: dict[str, pd.DataFrame]
    packages: list[PackageInfo] = field(default_factory=list)
    publisher: Publisher = DEFAULT_PUBLISHER  # the publisher's words (datapackage.json "publisher", standard 1.4)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def example(self) -> bool:
        return any(p.example for p in self.packages)
