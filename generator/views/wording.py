"""Plain-English words for bands, values and provider types (methods.md §7)."""
from __future__ import annotations

import math

import pandas as pd

from generator.data import scales
from generator.stats.bands import BAND_LABELS, against
from generator.compute.trends import RECENT
from generator.settings import Settings
from generator.compute.words import SOURCES, SPC_RULES, value  # noqa: F401 (the words flags use, for pages too)

BANDS = {  # label (stats.bands: the one band vocabulary) and icon
    **{band: (BAND_LABELS[band], icon) for band, icon in {
        "much-better": "▲▲", "better": "▲", "somewhat-better": "△", "about-same": "●",
        "somewhat-worse": "▽", "worse": "▼", "much-worse": "▼▼", "too-few": "○"}.items()},
    "suppressed": ("Fewer than {below} responses: not shown", "–"),  # below: Settings.suppress_below
}
BAND_ORDER = list(BANDS)

TYPES = {
    "nhs-trust": ("NHS trust", "NHS trusts", "trust"),
    "gp-practice": ("GP practice", "GP practices", "practice"),
    "independent": ("independent provider", "independent providers", "provider"),
}
TYPE_SINGULAR_TITLES = {"nhs-trust": "NHS trust", "gp-practice": "GP practice", "independent": "Independent provider"}
TYPE_TITLES = {
    "nhs-trust": "NHS trusts", "gp-practice": "GP practices", "independent": "Independent providers",
}



def peer_plural(peer: str) -> str:
    """What the providers of a peer group are called, plural: a type's words ('NHS trusts'), or the peer group's
    name as the publisher gave it (providers.peer_group, standard 1.4: 'critical access hospitals')."""
    return TYPES[peer][1] if peer in TYPES else peer


def peer_title(peer: str) -> str:
    """A peer group as a heading: 'NHS trusts', 'Critical access hospitals'."""
    return TYPE_TITLES[peer] if peer in TYPE_TITLES else peer[:1].upper() + peer[1:]


SETTINGS = {  # setting id -> what a patient would call the service
    "inpatient": "Hospital stay (inpatient care)",
    "maternity": "Maternity care (labour and birth)",
    "ae": "A&E (accident and emergency)",
    "gp": "GP practice",
    "outpatient": "Outpatient appointments",
    "community": "Community services",
    "mental-health": "Mental health services",
    "ambulance": "Ambulance service",
}


def setting_label(setting: str) -> str:
    """What a patient would call a service; organisation-wide measures cover the whole provider."""
    if setting == "organisation":
        return "Whole organisation"
    return SETTINGS.get(setting, setting.replace("-", " ").capitalize())


def points(share: float) -> str:
    """A difference between two shares in percentage points, signed, never "-0.0"."""
    s = f"{share * 100:+.1f}"
    return "0.0" if s in ("+0.0", "-0.0") else s


SPC = {
    "special_cause_improvement": "Recent months show a real improvement, more than chance would explain.",
    "special_cause_concern": "Recent months show a real change for the worse, more than chance would explain.",
    "special_cause_neutral_high": "Recent months are unusually high, more than chance would explain.",
    "special_cause_neutral_low": "Recent months are unusually low, more than chance would explain.",
    "recent_improvement": f"A real improvement in the last {RECENT} months, more than chance would explain; "
                          "the latest month is back within the usual range.",
    "recent_concern": f"A real change for the worse in the last {RECENT} months, more than chance would explain; "
                      "the latest month is back within the usual range.",
    "mixed": f"The last {RECENT} months show both a real change for the worse and a real improvement, "
             "more than chance would explain.",
    "common_cause": "No real change recently: month-to-month ups and downs are within what chance would explain.",
    "trial": "Fewer than {min_points} months of data, so no trend verdict yet.",  # Settings.spc_min_points
    "none": "No monthly series to judge a trend.",
}
SPC_EARLIER = "Marked months earlier in the series were out of the ordinary."


def band_label(band: str, st: Settings | None = None) -> str:
    """A band in words. The suppressed band's words name Settings.suppress_below: give st wherever it can be met."""
    label = BANDS.get(band, BANDS["too-few"])[0]
    if band != "suppressed":
        return label
    if st is None:
        raise ValueError("the words for a suppressed result name the settings' suppress_below: pass the settings")
    return label.format(below=st.suppress_below)


def band_against(band: str, st: Settings, benchmark: str = "") -> str:
    """A band in words, for a result judged against a published benchmark (its label) when there is one:
    'About the same as the England average', not '... as other providers'."""
    if benchmark and band == "about-same":
        return f"About the same as the {benchmark}"
    return against(band_label(band, st), benchmark)  # 'Better than the US national average': one yardstick


CAUTION = "Use with caution"  # before the publisher's reason, wherever a note of theirs says so
PUBLISHER_NOTE = "Note from the publisher"  # before a note of theirs that is not a caution


def note_words(caution: bool) -> str:
    """The lead-in to a row's notes from the publisher (their words follow, as written)."""
    return CAUTION if caution else PUBLISHER_NOTE


def sample_noun(kind: str) -> str:
    """What a publisher's minimum sample counts (measures.min_sample)."""
    return "patients covered" if kind == "ratio" else "completed surveys"


def enough_words(kind: str, band_below: int, min_sample=None) -> str:
    """What a result needs to be compared, for the league page's counts: Settings.band_below, and the publisher's
    minimum sample (measures.min_sample) where it is set."""
    minimum = None if pd.isna(min_sample) else int(min_sample)
    if kind == "ratio":
        out = f"an expected count of at least {band_below}"
        return out + (f" and at least {minimum:,} {sample_noun(kind)} (the publisher's minimum)" if minimum else "")
    if minimum and minimum > band_below:
        return f"at least {minimum:,} {sample_noun(kind)} (the publisher's minimum)"
    return f"at least {band_below} responses"


def min_sample_words(minimum: float, kind: str) -> str:
    """Why a result under the publisher's minimum sample (measures.min_sample) is not compared."""
    return f"Not compared: the publisher does not compare results from fewer than {int(minimum):,} {sample_noun(kind)}."


def spc_words(verdict: str, st: Settings) -> str:
    """The sentence for a trend verdict (trial limits name Settings.spc_min_points)."""
    return SPC.get(verdict, SPC["none"]).format(min_points=st.spc_min_points)


def band_icon(band: str) -> str:
    return BANDS.get(band, BANDS["too-few"])[1]


def band_phrase(band: str, peer: str, st: Settings | None = None, plural: str | None = None) -> str:
    """'about the same as other NHS trusts' and the like; plural: the publisher's word for the peer's kind
    (views/publisher.py), default the standard's (or a peer group's own name)."""
    others = f"other {plural or peer_plural(peer)}"
    if band == "about-same":
        return f"about the same as {others}"
    if band in BANDS and band not in ("too-few", "suppressed"):
        return f"{band_label(band).lower()} compared with {others}"
    return band_label(band, st).lower()


def interval(lo: float, hi: float, kind: str) -> str:
    if lo is None or hi is None or (isinstance(lo, float) and (math.isnan(lo) or math.isnan(hi))):
        return "–"
    return f"{value(lo, kind)} to {value(hi, kind)}"


def ordinal(n: int) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_text(lo: float, hi: float, of: int) -> str:
    if lo is None or (isinstance(lo, float) and math.isnan(lo)):
        return "not ranked"
    lo, hi = int(round(lo)), int(round(hi))
    if lo == hi:
        return f"ranked {ordinal(lo)} of {of}"
    return f"between {ordinal(lo)} and {ordinal(hi)} of {of}"


def scale_words(table, measure: str) -> str:
    """'score 0 to 10' for a measure with a scale (the scales table), else ''."""
    b = scales.bounds(table).get(measure)
    return "" if b is None else f"score {b[0]:g} to {b[1]:g}"
