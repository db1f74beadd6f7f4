"""Pages MkDocs does not convert one by one: thousands of provider pages; and the rows of league tables.

MkDocs with Material costs about 65 ms a page, most of it Markdown and theme
work that is the same on every provider page. So such a page is rendered as an
HTML body, and MkDocs builds one *shell* page per folder (same depth, so every
relative link to assets is right) with a title token and a body token. The
writer then copies the shell once per page, putting in the title, the body and
the page's own address. Pure: text in, text out.
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass

from generator.data.reserved import SHELL_TEXT
from generator.views.urls import url_dir

NAME = "page-shell"  # cannot clash with a page: provider codes have no hyphen
TITLE, BODY = f"{SHELL_TEXT}TITLEZZ", f"{SHELL_TEXT}BODYZZ"  # the menu around them holds the publisher's words
# and configuration, which may not hold SHELL_TEXT (data/publisher.py, site_config.py)
_INDENT = re.compile(r"\n[ \t]+")
_BLANKS = re.compile(r"\n{2,}")


@dataclass(frozen=True)
class HtmlPage:
    """A page given as an HTML body (already escaped) and a plain-text title."""
    title: str
    body: str


@dataclass(frozen=True)
class PendingPage(HtmlPage):
    """A page still being rendered in a second process (render.render_later): MkDocs needs only its folder's
    shell; it must be replaced before the shells are filled (write.fill_shells refuses it)."""


def shell_path(page: str) -> str:
    """The shell Markdown file for a page path such as providers/x1a.md."""
    return posixpath.join(posixpath.dirname(page), f"{NAME}.md")


def shell_markdown() -> str:
    return (f"---\ntitle: {TITLE}\nsearch:\n  exclude: true\nhide:\n  - toc\n---\n\n{BODY}\n")


@dataclass(frozen=True)
class Shell:
    folder: str  # e.g. providers
    parts: tuple[str, ...]  # the shell's HTML split at the tokens and at its own address
    marks: tuple[str, ...]  # what goes between parts: "title", "body" or "url"


def parse(folder: str, shell_html: str) -> Shell:
    """Split a built shell page. Its indentation is dropped (the theme's markup has no <pre>)."""
    if "<pre" in shell_html or "<textarea" in shell_html:
        raise ValueError("shell page has whitespace-sensitive markup")
    text = _BLANKS.sub("\n", _INDENT.sub("\n", shell_html))
    text = re.sub(rf"<p>{BODY}</p>", BODY, text)
    if text.count(BODY) != 1:
        raise ValueError("shell page must hold the body token exactly once")
    own = f"{folder}/{NAME}/"
    pattern = re.compile("(" + "|".join(re.escape(t) for t in (TITLE, BODY, own)) + ")")
    pieces = pattern.split(text)
    kinds = {TITLE: "title", BODY: "body", own: "url"}
    return Shell(folder, tuple(pieces[0::2]), tuple(kinds[t] for t in pieces[1::2]))


def fill(shell: Shell, page: str, content: HtmlPage) -> str:
    values = {"title": html.escape(content.title, quote=True), "body": content.body, "url": url_dir(page) + "/"}
    return "".join(_between(shell.parts, [values[mark] for mark in shell.marks]))


def _between(parts, fillers) -> list:
    """parts with one filler between each two: [p0, f0, p1, f1, p2...]."""
    out = [parts[0]]
    for filler, part in zip(fillers, parts[1:]):
        out += [filler, part]
    return out


@dataclass(frozen=True)
class EncodedPage:
    """An HtmlPage with its body as UTF-8: how the second process holds thousands of them until it writes them
    (a text with one character beyond ASCII takes 2 bytes for every character: 358 MB, not 180, at England scale)."""
    title: str
    body: bytes

    @staticmethod
    def of(page: HtmlPage) -> "EncodedPage":
        return EncodedPage(page.title, page.body.encode("utf-8"))

    def decoded(self) -> HtmlPage:
        return HtmlPage(self.title, self.body.decode("utf-8"))


def fill_encoded(shell: Shell, page: str, content: EncodedPage, parts: list[bytes] | None = None) -> bytes:
    """fill(), as UTF-8, for a page held encoded; parts: the shell's parts as UTF-8, when encoded once already."""
    values = {"title": html.escape(content.title, quote=True).encode("utf-8"), "body": content.body,
              "url": (url_dir(page) + "/").encode("utf-8")}
    parts = parts if parts is not None else [part.encode("utf-8") for part in shell.parts]
    return b"".join(_between(parts, [values[mark] for mark in shell.marks]))


ROWS = f"<!--{SHELL_TEXT}ROWSZZ-->"  # stands in for a table's rows in the Markdown MkDocs converts: markup, which
# escaped package text cannot spell (letters alone reach every page, e.g. a publisher's word in the menu)
_TABLE = re.compile(r"^<table[ >]", re.M)  # a table that starts a raw HTML block: Markdown copies it as it is
_BODY, _END = "<tbody>\n", "</tbody>\n</table>"
_UNSEARCHED = "\nsearch:\n  exclude: true\n"  # front matter that keeps a page out of the search index


@dataclass(frozen=True)
class HeldRows:
    """A Markdown page whose tables' rows MkDocs does not see (issue 20: it would parse every tag of them,
    most of its time, only to pass them through). The rows lie in raw HTML blocks, which Markdown copies
    to the page as they are, so the writer puts them back in the built page in place of the ROWS tokens,
    in order."""
    markdown: str
    rows: tuple[str, ...]

    @property
    def text(self) -> str:
        """The page's Markdown with its rows in place, as it was rendered."""
        return _put(self.markdown, self.rows)


def hold_rows(text: str) -> str | HeldRows:
    """A page's Markdown with the rows of its tables held back: of every table on a page kept out of search,
    and of tables marked data-search-exclude on other pages (the search index is made from what MkDocs
    sees). The text as it is if no rows are held, or if the token could be confused with its text. It reads the
    raw text: a template must not put a table at the start of a line inside a code block or comment."""
    if ROWS in text:
        return text
    head, sep, _ = text.partition("\n---\n")
    unsearched = text.startswith("---\n") and bool(sep) and _UNSEARCHED in head + "\n"
    parts, rows, at = [], [], 0
    for m in _TABLE.finditer(text):
        if m.start() < at:
            continue
        body, end, inner = text.find(_BODY, m.start()), text.find(_END, m.start()), text.find("<table", m.end())
        if body < 0 or end < body or 0 <= inner < end:  # no rows, or a table within: left to Markdown
            continue
        first = body + len(_BODY)
        if end > first and (unsearched or "data-search-exclude" in text[m.start():text.find(">", m.start())]):
            parts += [text[at:first], ROWS + "\n"]
            rows.append(text[first:end])
            at = end
    return HeldRows("".join(parts) + text[at:], tuple(rows)) if rows else text


def put_rows(built_html: str, rows: tuple[str, ...]) -> str:
    """A built page with its held rows back in place of the tokens."""
    if built_html.count(ROWS + "\n") != len(rows):
        raise ValueError("built page must hold one rows token per held table")
    return _put(built_html, rows)


def _put(text: str, rows: tuple[str, ...]) -> str:
    return "".join(_between(text.split(ROWS + "\n"), rows))


def sitemap(xml: str, folder: str, pages: list[str]) -> str:
    """The sitemap with the shell's entry replaced by one entry per page."""
    own = f"{folder}/{NAME}/"
    m = re.search(r"[ \t]*<url>\s*<loc>[^<]*" + re.escape(own) + r"</loc>.*?</url>\n?", xml, re.S)
    if m is None:
        return xml
    entry = m.group()
    new = "".join(entry.replace(own, url_dir(p) + "/") for p in sorted(pages))
    return xml[:m.start()] + new + xml[m.end():]
