"""Provider pages are filled into a shell page MkDocs built once (generator/site/shells.py)."""
from __future__ import annotations

import gzip
import shutil

import pytest

from generator.site import shells
from generator.text import escape
from site_support import ROOT, build_example

MINIMAL = ROOT / "tests" / "packages" / "minimal"


def test_fill_puts_title_body_and_address_in_every_place():
    built = ("<html><head><title>ZZSHELLTITLEZZ - Site</title>\n"
             "    <link rel=\"canonical\" href=\"https://example.org/providers/page-shell/\"></head>\n"
             "  <body><h1>ZZSHELLTITLEZZ</h1>\n<p>ZZSHELLBODYZZ</p>\n</body></html>")
    shell = shells.parse("providers", built)
    page = shells.fill(shell, "providers/xr1.md", shells.HtmlPage("A & B <Trust>", "<p>body</p>"))
    assert page == ("<html><head><title>A &amp; B &lt;Trust&gt; - Site</title>\n"
                    "<link rel=\"canonical\" href=\"https://example.org/providers/xr1/\"></head>\n"
                    "<body><h1>A &amp; B &lt;Trust&gt;</h1>\n<p>body</p>\n</body></html>")


def test_a_shell_without_its_body_token_is_refused():
    with pytest.raises(ValueError):
        shells.parse("providers", "<p>no token</p>")
    with pytest.raises(ValueError):
        shells.parse("providers", "<pre> ZZSHELLBODYZZ </pre>")


def test_built_provider_pages_hold_no_shell_traces():
    out, _, _ = build_example()
    assert not (out / "providers" / shells.NAME).exists()
    page = (out / "providers" / "x1a" / "index.html").read_text(encoding="utf-8")
    assert "ZZSHELL" not in page and shells.NAME not in page
    assert "<h1>Exampleton Teaching Hospitals NHS Foundation Trust</h1>" in page
    assert page.count('<td class="result" data-measure=') >= 5


def test_canonical_links_and_sitemap_name_each_provider_page(tmp_path):
    from generator.build import build
    (tmp_path / "mkdocs.yml").write_text('site_url: "https://experience.example.org/"\n', encoding="utf-8")
    shutil.copytree(MINIMAL, tmp_path / "pkgs" / "minimal")
    res = build([tmp_path / "pkgs"], tmp_path / "site", cache_dir=None, config_file=tmp_path / "mkdocs.yml")
    assert res.ok, res.error
    page = (tmp_path / "site" / "providers" / "xr2" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://experience.example.org/providers/xr2/">' in page
    xml = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://experience.example.org/providers/xr1/" in xml and "/providers/xr2/" in xml
    assert shells.NAME not in xml
    assert gzip.decompress((tmp_path / "site" / "sitemap.xml.gz").read_bytes()).decode("utf-8") == xml
    feed = (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8")
    assert 'href="https://experience.example.org/changes/"' in feed  # the pages read the config's address too


def test_site_url_given_to_the_build_reaches_every_page_that_needs_it(tmp_path):
    from generator.build import build
    shutil.copytree(MINIMAL, tmp_path / "pkgs" / "minimal")
    url = "https://example.org/experience/"
    res = build([tmp_path / "pkgs"], tmp_path / "site", cache_dir=None, site_url=url)
    assert res.ok, res.error
    site = tmp_path / "site"
    page = (site / "providers" / "xr2" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{url}providers/xr2/">' in page
    assert f"{url}providers/xr1/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    missing = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/experience/assets/stylesheets/' in missing and 'href="/assets/' not in missing
    assert f'href="{url}changes/"' in (site / "feed.xml").read_text(encoding="utf-8")


def test_league_rows_held_from_mkdocs_give_the_same_built_site(tmp_path, monkeypatch):
    """Tables' rows skip MkDocs on pages kept out of search (shells.HeldRows, issue 20): league tables (two
    on a page with two kinds of provider) and commissioners' lists; the built site is byte for byte the one
    MkDocs makes from the whole Markdown, and no token is left."""
    from generator.build import build
    from generator.site import render
    shutil.copytree(MINIMAL, tmp_path / "pkgs" / "minimal")
    held = []
    real = shells.hold_rows
    monkeypatch.setattr(render, "hold_rows", lambda text: held.append(real(text)) or held[-1])
    res = build([tmp_path / "pkgs"], tmp_path / "held", cache_dir=None)
    assert res.ok, res.error
    rows = [h for h in held if isinstance(h, shells.HeldRows)]
    assert rows and all(r.startswith("<tr") for h in rows for r in h.rows)
    assert max(len(h.rows) for h in rows) >= 2  # a league page of two provider types
    assert any("Results better than expected" in h.markdown for h in rows)  # a commissioner's page
    monkeypatch.setattr(render, "hold_rows", lambda text: text)
    assert build([tmp_path / "pkgs"], tmp_path / "whole", cache_dir=None).ok
    files = sorted(p.relative_to(tmp_path / "held") for p in (tmp_path / "held").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "held" / rel).read_bytes() == (tmp_path / "whole" / rel).read_bytes(), rel
        if rel.suffix == ".html":
            assert shells.ROWS.encode() not in (tmp_path / "held" / rel).read_bytes()


def test_held_rows_go_back_where_they_were_and_a_lost_token_is_refused():
    page = ('---\ntitle: t\nsearch:\n  exclude: true\n---\n<div class="league">\n<table class="league-table" data-x>\n'
            '<caption>c</caption>\n<thead></thead>\n<tbody>\n<tr id="p-a"><td>a</td></tr>\n<tr id="p-b"><td>b</td></tr>\n'
            '</tbody>\n</table>\n</div>\n\n<table>\n<tbody>\n<tr><td>c</td></tr>\n</tbody>\n</table>\n')
    held = shells.hold_rows(page)
    assert isinstance(held, shells.HeldRows) and "p-a" not in held.markdown and len(held.rows) == 2
    assert held.text == page and shells.put_rows(held.markdown, held.rows) == page
    assert shells.hold_rows("# no table\n") == "# no table\n"
    searched = page.replace("search:\n  exclude: true\n", "")
    assert shells.hold_rows(searched) == searched  # the search index is made from what MkDocs sees
    marked = searched.replace("<table>", "<table data-search-exclude>")
    assert len(shells.hold_rows(marked).rows) == 1 and "<td>c</td>" not in shells.hold_rows(marked).markdown
    in_code = page.replace("<table>\n<tbody>", "    <table>\n<tbody>")
    assert len(shells.hold_rows(in_code).rows) == 1  # not a raw HTML block: left to Markdown
    with pytest.raises(ValueError):
        shells.put_rows("<p>ZZSHELLROWSZZ</p>", held.rows)  # Markdown changed the token: refused, not published
    with pytest.raises(ValueError):
        shells.put_rows("ZZSHELLROWSZZ\n", held.rows)  # a token lost


def test_the_rows_token_cannot_come_from_package_text(tmp_path, pkgtools):
    """Package text is escaped (text/escape.py) but letters pass: a publisher's word spelling the rows token showed in
    every page's menu, and was taken for a held table's token (a build stopped with a traceback, review 30). The
    token is markup that escaped text cannot spell; and publisher words may not hold its letters at all now
    (test_a_publisher_word_cannot_spell_a_shell_token), so a provider's name spells them here."""
    assert shells.ROWS not in str(escape.text(shells.ROWS)) and shells.ROWS not in str(escape.page_title(shells.ROWS))
    page = "---\nsearch:\n  exclude: true\n---\n<table>\n<tbody>\n<tr><td>a</td></tr>\n</tbody>\n</table>\n"
    held = shells.hold_rows(page)
    assert isinstance(held, shells.HeldRows)
    built = f'<nav><span class="md-ellipsis">\n  {escape.text(shells.ROWS)}\n</span></nav>\n' + held.markdown
    assert shells.put_rows(built, held.rows).endswith(page) and built.count("<tr>") == 0
    from generator.build import build
    pkg = pkgtools.copy_minimal(tmp_path / "pk")
    letters = "".join(ch for ch in shells.ROWS if ch.isalpha())
    pkgtools.set_cell(pkg, "providers.csv", 2, "name", letters)
    res = build([tmp_path / "pk"], tmp_path / "site", cache_dir=None)
    assert res.ok, (res.error, res.problems[:3])
    page_html = (tmp_path / "site" / "commissioners" / "qxa" / "index.html").read_text(encoding="utf-8")
    assert letters in page_html and "<small>XR1</small></td>" in page_html and shells.ROWS not in page_html


@pytest.mark.parametrize("token", [shells.TITLE, shells.BODY, "z" + shells.TITLE[1:], "z" + shells.BODY[1:]])
def test_a_publisher_word_cannot_spell_a_shell_token(tmp_path, pkgtools, token):
    """A publisher's words are in every page's menu, the provider pages' shell too: a word spelling the body token
    stopped the build with a traceback, the title token put each provider's name in place of the menu's word.
    Such a word is a publisher-invalid problem, reported where it is, and nothing is published. The menu makes the
    word's first letter a capital (views/publisher.py first_upper): "zZSHELL..." spells the token there (review 31)."""
    from generator.build import build
    from generator.problems import is_error
    pkg = pkgtools.copy_minimal(tmp_path / "pk")
    pkgtools.edit_descriptor(pkg, lambda d: d.update(standard="1.4", publisher={
        "commissioning": {"one": "board", "many": f"{token} boards", "by": "in"}}))
    res = build([tmp_path / "pk"], tmp_path / "site", cache_dir=None)
    assert not res.ok
    assert [(p.code, p.file, p.field) for p in res.problems if is_error(p)] == [
        ("publisher-invalid", "datapackage.json", "publisher.commissioning.many")]
    assert not (tmp_path / "site").exists()


def test_a_site_configuration_cannot_spell_a_shell_token(tmp_path):
    """The publisher's mkdocs.yml reaches the shell as well (site name, menu): it is refused with a message."""
    from generator.site_config import ConfigError, load
    (tmp_path / "mkdocs.yml").write_text(f"site_name: Care {shells.TITLE}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="site uses inside its pages"):
        load(tmp_path / "mkdocs.yml")
    (tmp_path / "mkdocs.yml").write_text("site_name: Care\nnav:\n  - Home: index.md\n  - Boards: b.md\n", encoding="utf-8")
    assert load(tmp_path / "mkdocs.yml").site_name() == "Care"


def test_a_page_held_encoded_is_written_as_the_same_bytes():
    """The second process holds its pages as UTF-8 (shells.EncodedPage, issue 20: half the memory); written into
    the shell they are byte for byte what the text page gives."""
    shell = shells.parse("providers", "<html><title>ZZSHELLTITLEZZ</title><a href='providers/page-shell/'>x</a>"
                                      "<p>ZZSHELLBODYZZ</p> · end</html>")
    page = shells.HtmlPage("A & B “care” ▲", "<p>Résumé ▽ 95% · ’</p>")
    encoded = shells.EncodedPage.of(page)
    assert len(encoded.body) < 2 * len(page.body) and encoded.decoded() == page
    assert shells.fill_encoded(shell, "providers/x1.md", encoded) == shells.fill(shell, "providers/x1.md", page).encode("utf-8")
