"""Relative links between pages: the fast path arithmetic agrees with posixpath.relpath."""
from __future__ import annotations

import posixpath

from hypothesis import given, strategies as st

from generator.views import urls

SEGMENT = st.sampled_from(["a", "b", "providers", "x1a", "measures", "fft"])
PATH = st.lists(SEGMENT, min_size=0, max_size=4).map("/".join)


@given(PATH, PATH)
def test_rel_matches_relpath(dest, base):
    assert urls._rel(dest, base) == posixpath.relpath(dest or ".", base or ".")


def test_href_between_pages_and_files():
    assert urls.href("providers/x1a.md", "measures/fft/index.md") == "../../measures/fft/"
    assert urls.href("providers/x1a.md", "providers/x1a.md") == "./"
    assert urls.href("index.md", "providers/index.md") == "providers/"
    assert urls.href("measures/fft/2024.md", "charts/fft/a.svg") == "../../../charts/fft/a.svg"


def test_chart_keys_and_their_files():
    key = urls.chart_key("fft-ae", "2024-12", "nhs-trust", "funnel")
    assert key == "fft-ae/2024-12-nhs-trust-funnel"
    assert urls.chart(urls.chart_key("fft-ae", "2024-12", "nhs-trust", "caterpillar", phone=True)) == \
        "charts/fft-ae/2024-12-nhs-trust-caterpillar-phone.svg"
