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

from generator.views.urls import url_dir

NAME = "page-shell"  # cannot clash with a page: provider codes have no hyphen
TITLE, BODY = "ZZSHELLTITLEZZ", "ZZSHELLBODYZZ"
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
    values = {"title": html.escape(content.title, quote=True), "body": content.body,
              "url": url_dir(page) + "/"}
    out = [shell.parts[0]]
    for mark, part in zip(shell.marks, shell.parts[1:]):
        out += [values[mark], part]
    return "".join(out)


ROWS = "ZZSHELLROWSZZ"  # stands in for a league table's rows in the Markdown MkDocs converts
_TBODY = re.compile(r'(<table class="league-table"[^>]*>.*?<tbody>\n)(.*?)(</tbody>\n</table>)', re.S)


@dataclass(frozen=True)
class HeldRows:
    """A Markdown page whose league-table rows MkDocs does not see (issue 20: it would parse every tag of
    them, most of its time, only to pass them through). The rows lie in a raw HTML block, which Markdown
    copies to the page as it is, so the writer puts them back in the built page in place of the ROWS token."""
    markdown: str
    rows: str

    @property
    def text(self) -> str:
        """The page's Markdown with its rows in place, as it was rendered."""
        return self.markdown.replace(ROWS + "\n", self.rows, 1)


def hold_rows(text: str) -> str | HeldRows:
    """A league page's Markdown with its table's rows held back (the text as it is if it has no such table,
    or if the token could be confused with its text)."""
    m = _TBODY.search(text)
    if m is None or ROWS in text or not m.group(2):
        return text
    return HeldRows(text[:m.start(2)] + ROWS + "\n" + text[m.end(2):], m.group(2))


def put_rows(built_html: str, rows: str) -> str:
    """A built page with its held rows back in place of the token."""
    if built_html.count(ROWS + "\n") != 1:
        raise ValueError("built page must hold the rows token exactly once")
    return built_html.replace(ROWS + "\n", rows, 1)


def sitemap(xml: str, folder: str, pages: list[str]) -> str:
    """The sitemap with the shell's entry replaced by one entry per page."""
    own = f"{folder}/{NAME}/"
    m = re.search(r"[ \t]*<url>\s*<loc>[^<]*" + re.escape(own) + r"</loc>.*?</url>\n?", xml, re.S)
    if m is None:
        return xml
    entry = m.group()
    new = "".join(entry.replace(own, url_dir(p) + "/") for p in sorted(pages))
    return xml[:m.start()] + new + xml[m.end():]
