"""What the site states besides the data packages: the red-flag rules (redflags.toml), the method's
calibration (calibration.json, written by scripts/calibrate.py) and the data standard's table schemas.
Read once per build, here, and handed on; the views never read a file."""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from generator import paths


@dataclass(frozen=True)
class Reference:
    rules: tuple[dict[str, Any], ...]              # red-flag rules, in the file's order
    calibration: Mapping[str, Any]                 # calibration.json, read-only
    schemas: tuple[tuple[str, dict[str, Any]], ...]  # (resource name, table schema), by name


def parse_rules(text: str) -> tuple[dict[str, Any], ...]:
    """The [[rule]] tables of a red-flag rules file."""
    return tuple(tomllib.loads(text).get("rule", []))


def read_rules(path: Path = paths.REDFLAGS_CONFIG) -> tuple[dict[str, Any], ...]:
    return parse_rules(path.read_text(encoding="utf-8"))


def read(rules: Path = paths.REDFLAGS_CONFIG, calibration: Path = paths.CALIBRATION,
         standard: Path = paths.STANDARD_DIR) -> Reference:
    """Every reference file, read once."""
    return Reference(
        rules=read_rules(rules),
        calibration=MappingProxyType(json.loads(calibration.read_text(encoding="utf-8"))),
        schemas=tuple((p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(standard.glob("*.json"))),
    )
