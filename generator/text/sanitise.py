"""Case-study bodies: Markdown to HTML with an allowlist. No raw HTML, no script links."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _safe_link(url: str) -> bool:
    u = url.strip()
    if not _SCHEME.match(u.replace("\t", "").replace("\n", "")):
        return not u.startswith("//")  # relative links and anchors, but not protocol-relative hosts
    return u.lower().startswith(ALLOWED_SCHEMES)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # no images from case-study authors
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


_MD = _parser()


def body_html(markdown_text: str) -> str:
    """HTML for a case-study body: raw HTML shows as text; unsafe links stay plain text.

    Headings are shifted down one level so the page keeps a single H1.
    """
    html = _MD.render(markdown_text or "")
    html = re.sub(r"<(/?)h([1-5])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}>", html)
    return html
