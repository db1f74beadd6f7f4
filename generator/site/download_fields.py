"""What the downloads hold: each file's fields with their types and descriptions, and which optional fields
(the publisher's notes, published figures, benchmarks, peer groups, ratings: standards 1.3 and 1.4) a build's data
has. Pure: read by downloads.py and the README it writes."""
from __future__ import annotations

import pandas as pd

METHODS_VERSION = "1.0"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

RESULT_FIELDS = [
    ("provider", "string", "Provider code"), ("provider_name", "string", "Provider name"),
    ("provider_type", "string", "nhs-trust, gp-practice or independent"), ("commissioner", "string", "Commissioner code"),
    ("measure", "string", "Measure id"), ("period", "string", "YYYY-MM, YYYY-Qn or YYYY"),
    ("responses", "integer", "Responses (empty when fewer than {suppress_below}: suppressed)"),
    ("estimate", "number", "Result: a proportion 0-1, a mean score, or a ratio (empty when suppressed)"),
    ("lower95", "number", "Lower 95% confidence limit"), ("upper95", "number", "Upper 95% confidence limit"),
    ("lower998", "number", "Lower 99.8% confidence limit"), ("upper998", "number", "Upper 99.8% confidence limit"),
    ("z_adjusted", "number", "Overdispersion-adjusted z-score against providers of the same type"),
    ("band", "string", "Band id (much-better ... much-worse, too-few, suppressed)"),
    ("band_label", "string", "Band in words, as on the site"),
    ("rank_lower", "integer", "Best plausible position (2.5th percentile of simulated ranks; 1 = best)"),
    ("rank_upper", "integer", "Worst plausible position (97.5th percentile)"),
    ("rank_of", "integer", "Number of providers ranked"),
]
# Only when the data has a publisher's note or minimum sample (standard 1.3): other sites' files stay as they were.
NOTE_FIELDS = [
    ("min_sample", "integer", "The publisher's minimum number of responses for a comparison (empty: none); "
                              "a result from fewer has band too-few and no position"),
    ("caution", "boolean", "true when a note of the publisher says to use this result with caution"),
    ("publisher_notes", "string", "The publisher's notes on this result, in their own words (empty: none)"),
]
# Only when the data has a published figure or benchmark (standard 1.4): other sites' files stay as they were.
PUBLISHED_FIELDS = [
    ("published", "number", "The publisher's own figure as published, in the measure's units (a percentage for a "
                            "proportion); estimate is this figure and its limits come from the count it implies "
                            "(empty: none given, or suppressed)"),
]
BENCHMARK_FIELDS = [
    ("target", "number", "The figure the result is compared with, on the scale of estimate: the published benchmark "
                         "where target_label names one, else the figure of all providers of the same type together"),
    ("target_label", "string", "The published benchmark the result is compared with, e.g. a national average "
                               "(empty: compared with all providers of the same type together)"),
]
# Only when the data has them (standard 1.4): the peer group, and the publisher's own ratings in ratings.csv.
PEER_FIELDS = [("peer_group", "string", "The peer group the provider is compared with, in the publisher's words")]
RATING_FIELDS = [
    ("provider", "string", "Provider code"), ("provider_name", "string", "Provider name"),
    ("publisher", "string", "Who published the rating: the publisher's own, not worked out by this site"),
    ("rating", "string", "The publisher's rating id"), ("label", "string", "What the rating is, in the publisher's words"),
    ("measure", "string", "Measure id the rating is about (empty: the provider as a whole)"),
    ("period", "string", "Period the rating is for (empty: not given)"),
    ("value", "string", "The rating as the publisher published it (empty: none given; see note)"),
    ("out_of", "integer", "The top of the rating's scale (e.g. 5 stars); empty: the value is words"),
    ("note", "string", "The publisher's footnote on the rating, in their words"),
]
FLAG_FIELDS = [("provider", "string", "Provider code"), ("rule", "string", "Red-flag rule id (see redflags.toml)"),
               ("measure", "string", "Measure id, empty for rules across sources"), ("period", "string", "Period"),
               ("evidence", "string", "The evidence in words")]
TREND_FIELDS = [("provider", "string", "Provider code"), ("measure", "string", "Measure id"), ("period", "string", "Month"),
                ("value", "number", "Published value"), ("mean", "number", "Centre line"),
                ("upper", "number", "Upper process limit"), ("lower", "number", "Lower process limit"),
                ("point_type", "string", "SPC point type"), ("rule", "string", "SPC rule that fired"),
                ("trial", "boolean", "Limits are trial limits (fewer than {spc_min_points} points)")]


def has_notes(results) -> bool:
    """The results carry a publisher's note or minimum sample (so the downloads have NOTE_FIELDS)."""
    sc = results.scores
    return bool(sc["notes"].ne("").any() or sc["min_sample"].notna().any())


def has_published(results) -> bool:
    """Some published result is the publisher's own figure (scores.published, standard 1.4)."""
    sc = results.scores
    return bool("published" in sc and sc["published"].notna().any())


def has_benchmarks(results) -> bool:
    """Some comparison is against a published benchmark (the benchmarks resource, standard 1.4)."""
    return bool(results.peers["benchmark"].ne("").any())


def result_fields(results) -> list[tuple[str, str, str]]:
    return (RESULT_FIELDS + (NOTE_FIELDS if has_notes(results) else []) + (PUBLISHED_FIELDS if has_published(results) else [])
            + (BENCHMARK_FIELDS if has_benchmarks(results) else []) + (PEER_FIELDS if has_peer_groups(results) else []))


def has_peer_groups(results) -> bool:
    p = results.dataset["providers"]
    return bool("peer_group" in p and p["peer_group"].ne("").any())


def rating_table(ds) -> pd.DataFrame:
    """The publisher's own ratings (the ratings resource), one row each, with the provider's name and who published them."""
    t = ds.tables.get("ratings")
    if t is None or not len(t):
        return pd.DataFrame(columns=[f[0] for f in RATING_FIELDS])
    names = ds["providers"].set_index("code")["name"]
    pubs = ds["sources"].set_index("id")["publisher"]
    return t.assign(provider_name=t["provider"].map(names), publisher=t["source"].map(pubs).fillna("")) \
        .sort_values(["provider", "rating", "measure", "period"]).reset_index(drop=True)
