"""The publisher's context (standard 1.4): the optional "publisher" object of datapackage.json.

    "publisher": {
      "name": "Centers for Medicare & Medicaid Services",
      "country": "the United States",
      "kinds": {"independent": ["hospital", "hospitals"]},
      "commissioning": {"one": "state", "many": "states", "by": "in"},
      "place": "zip",
      "sources": {"survey": "HCAHPS patient survey"}
    }

Every key is optional; what is left out keeps NHS England's words (DEFAULT), so a package without the object
(standard 1.0 to 1.3) reads exactly as before. "commissioning": null says the publisher has no commissioning
level. Packages built together that each give the object must give the same one (publisher-conflict); a bad
value is a publisher-invalid problem, never an exception. The strings are the publisher's: pages escape them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from generator.data.reserved import SHELL_TEXT
from generator.problems import Problem

DESCRIPTOR = "datapackage.json"
KIND_IDS = ("nhs-trust", "gp-practice", "independent")  # providers.type (standard/providers.json)
SOURCE_IDS = ("fft", "survey", "complaints", "staff")    # measures.source (standard/measures.json)
PLACES = ("postcode", "zip", "none")  # how a patient finds places near them: UK postcode, US ZIP code, not at all
KEYS = ("name", "country", "kinds", "commissioning", "place", "sources")
LEVEL_KEYS = ("one", "many", "by", "about")
MAX_WORDS = 120  # characters in one of the publisher's words
Bad = Callable[[str, str], None]  # reports a problem: (where in the object, message)


@dataclass(frozen=True)
class Level:
    """What the commissioning level is called: one, many, the words before its name on a provider
    ("commissioned by", "in"), and an optional gloss ("integrated care boards")."""
    one: str = "commissioner"
    many: str = "commissioners"
    by: str = "commissioned by"
    about: str = "integrated care boards"


@dataclass(frozen=True)
class Publisher:
    name: str = "NHS England"
    country: str = "England"
    kinds: dict[str, tuple[str, str]] = field(default_factory=lambda: {
        "nhs-trust": ("NHS trust", "NHS trusts"), "gp-practice": ("GP practice", "GP practices"),
        "independent": ("independent provider", "independent providers")})
    level: Level | None = field(default_factory=Level)
    place: str = "postcode"
    sources: dict[str, str] = field(default_factory=lambda: {
        "fft": "Friends and Family Test", "survey": "National patient survey",
        "complaints": "Complaints", "staff": "Staff survey"})
    given: bool = False  # a package gave the object (else these are the defaults)

    def kind(self, type_id: str) -> tuple[str, str]:
        """(one, many) for a provider type; an unknown type is a provider."""
        return self.kinds.get(type_id, ("provider", "providers"))

    def source(self, source_id: str) -> str:
        return self.sources.get(source_id, source_id)


DEFAULT = Publisher()


def _words(value: Any) -> str | None:
    """A usable word or phrase, else None: text of 1 to MAX_WORDS characters with no control characters and no
    lone surrogates (JSON can spell them, "\\ud800"; no page can be written with one)."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_WORDS:
        return None
    return None if any(ord(ch) < 32 or 127 <= ord(ch) < 160 or 0xD800 <= ord(ch) < 0xE000 for ch in value) \
        else value.strip()


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate
    return text if len(text) <= 60 else text[:57] + "..."


def parse(block: Any, package: str) -> tuple[Publisher, list[Problem]]:
    """The publisher's context from one package's "publisher" object, and the problems with it."""
    out: list[Problem] = []

    def bad(where: str, message: str) -> None:
        out.append(Problem("publisher-invalid", message, package, field=f"publisher.{where}".rstrip("."), file=DESCRIPTOR))

    if not isinstance(block, dict):
        bad("", f"publisher is {_show(block)}; it must be an object such as {{\"name\": ..., \"country\": ...}}")
        return DEFAULT, out
    for key in block:
        if key not in KEYS:
            bad(str(key)[:40], f"publisher has {_show(key)}, which the standard does not define; the keys are: {', '.join(KEYS)}")
    pub = replace(DEFAULT, given=True)
    for key in ("name", "country"):
        if key in block:
            w = _words(block[key])
            if w is None:
                bad(key, f"publisher {key} is {_show(block[key])}; give text of 1 to {MAX_WORDS} characters")
            else:
                pub = replace(pub, name=w) if key == "name" else replace(pub, country=w)
    kinds = dict(pub.kinds)
    for kid, pair in _mapping(block, "kinds", KIND_IDS, "provider type", bad).items():
        words = [_words(x) for x in pair] if isinstance(pair, list) and len(pair) == 2 else [None]
        if None in words:
            bad(f"kinds.{kid}", f"kinds.{kid} is {_show(pair)}; give one and many, as [\"hospital\", \"hospitals\"]")
        else:
            kinds[kid] = (str(words[0]), str(words[1]))
    sources = dict(pub.sources)
    for sid, name in _mapping(block, "sources", SOURCE_IDS, "source", bad).items():
        w = _words(name)
        if w is None:
            bad(f"sources.{sid}", f"sources.{sid} is {_show(name)}; give the source's name as text")
        else:
            sources[sid] = w
    pub = replace(pub, kinds=kinds, sources=sources, level=_level(block, bad))
    if "place" in block:
        if block["place"] in PLACES:
            pub = replace(pub, place=block["place"])
        else:
            bad("place", f"place is {_show(block['place'])}; it must be one of: {', '.join(PLACES)}")
    for where, text in _texts(block):
        if SHELL_TEXT in text.upper():  # the words reach the menu of pages the site fills in after MkDocs
            # (site/shells.py), some with their first letter made a capital (views/publisher.py first_upper)
            bad(where, f"publisher {where} is {_show(text)}, which holds {SHELL_TEXT}: text the site uses inside its "
                       f"pages; choose other words")
    return pub, out


def _texts(value: Any, where: str = "") -> list[tuple[str, str]]:
    """(where, text) for every string in the publisher object, keys aside, as bad() names places."""
    if isinstance(value, str):
        return [(where, value)]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    return [found for k, v in items for found in _texts(v, f"{where}.{str(k)[:40]}".lstrip("."))]


def _mapping(block: dict[str, Any], key: str, ids: tuple[str, ...], what: str, bad: Bad) -> dict[str, Any]:
    value = block.get(key, {})
    if not isinstance(value, dict):
        bad(key, f"{key} is {_show(value)}; it must be an object keyed by {what}")
        return {}
    for k in value:
        if k not in ids:
            bad(f"{key}.{str(k)[:40]}", f"{key} names {_show(k)}, which is not a {what} of the standard ({', '.join(ids)})")
    return {k: v for k, v in value.items() if k in ids}


def _level(block: dict[str, Any], bad: Bad) -> Level | None:
    if "commissioning" not in block:
        return Level()
    value = block["commissioning"]
    if value is None:
        return None
    if not isinstance(value, dict) or not all(k in value for k in ("one", "many", "by")):
        bad("commissioning", f"commissioning is {_show(value)}; give {{\"one\": ..., \"many\": ..., \"by\": ...}}, "
                             f"or null when there is no commissioning level")
        return Level()
    words: dict[str, str] = {"about": ""}
    for k, v in value.items():
        if k not in LEVEL_KEYS:
            bad(f"commissioning.{str(k)[:40]}", f"commissioning has {_show(k)}; its keys are: {', '.join(LEVEL_KEYS)}")
            continue
        w = _words(v)
        if w is None:
            bad(f"commissioning.{k}", f"commissioning.{k} is {_show(v)}; give text of 1 to {MAX_WORDS} characters")
            return Level()
        words[k] = w
    return Level(**words)


def read(descriptors: list[tuple[str, dict[str, Any]]]) -> tuple[Publisher, list[Problem]]:
    """The context of packages built together: (package name, its datapackage.json) in order. Packages
    without a "publisher" object take it from those with one, which must agree."""
    given = [(name, d["publisher"]) for name, d in descriptors if isinstance(d, dict) and "publisher" in d]
    if not given:
        return DEFAULT, []
    first_name, first = given[0]
    pub, out = parse(first, first_name)
    for name, block in given[1:]:
        if block != first:
            out.append(Problem("publisher-conflict", f"package {name}'s publisher differs from package {first_name}'s; "
                                                     f"packages built together must give the same one (or leave it out)",
                               name, field="publisher", file=DESCRIPTOR))
    return pub, out
