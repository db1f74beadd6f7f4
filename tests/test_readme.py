"""The README's tables keep up with the code: every script is in the scripts table, and every option of every
command is in that command's row of the commands table."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from generator.cli import parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_every_script_is_in_the_scripts_table():
    table = _section("Scripts")
    scripts = sorted(p.name for p in (ROOT / "scripts").iterdir() if p.suffix in (".py", ".sh"))
    assert scripts
    assert [s for s in scripts if f"`scripts/{s}`" not in table] == []


def test_every_command_option_is_in_the_commands_table():
    rows = {m.group(1): line for line in _section("Commands").splitlines()
            if (m := re.match(r"\| `python3 -m generator (\w+)", line))}
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, p in sub.choices.items():
        assert name in rows, name
        for action in p._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help" and opt not in rows[name]:
                    missing.append(f"{name} {opt}")
    assert missing == []
