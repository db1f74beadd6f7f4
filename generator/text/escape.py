"""Escaping for every place package text lands. Data is hostile until escaped."""
from __future__ import annotations

import json
import re

from markupsafe import Markup

_UNSAFE = re.compile(r"[^A-Za-z0-9 \u00a0-\u2027\u202a-\ud7ff\ue000-\uffff]")


def _entity(m: re.Match) -> str:
    ch = m.group()
    o = ord(ch)
    if ch in "\r\n\t":
        return " "
    if o < 32 or o == 127 or 0xD800 <= o <= 0xDFFF:
        return ""
    return f"&#{o};"


_ASCII = {o: _entity(_UNSAFE.match(chr(o))) for o in range(128) if _UNSAFE.match(chr(o))}  # type: ignore[arg-type]


def text(value) -> Markup:
    """Literal text, safe in Markdown, in HTML text and in quoted HTML attributes.

    Every ASCII character other than letters, digits and space (and U+2028/2029)
    becomes a numeric character reference, which Markdown leaves alone and
    browsers show as the character itself: no markup, link, emphasis, table cell
    break or entity from data can take effect. Control characters are dropped;
    newlines become spaces.
    """
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    s = str(value)
    if s.isascii():  # most values: one table lookup per character, the same text as the expression below
        return Markup(s.translate(_ASCII))
    return Markup(_UNSAFE.sub(_entity, s))


def page_title(value) -> Markup:
    """A page title for YAML front matter. The theme puts it into <title> and the header
    as it is, so it is HTML-escaped here, then quoted as a JSON string (valid YAML)."""
    s = "".join(ch for ch in str(value) if ord(ch) >= 32)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")
    return Markup(json.dumps(s, ensure_ascii=False))


def script_json(value) -> Markup:
    """JSON to embed in a <script type="application/json"> element: cannot close it."""
    s = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    s = s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    s = s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(s)


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f]")


def svg_text(value) -> str:
    """Text for an SVG <text> or <title> element (XML)."""
    s = _CONTROL.sub("", "" if value is None else str(value))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A text cell a spreadsheet will not execute (leading = + - @ tab CR get a quote)."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value
