"""The HCAHPS measures CMS publishes per hospital, and how each becomes a standard measure.

Each topic has a top-box and a bottom-box answer percent (imported as proportions:
higher-is-better and lower-is-better), usually a middle answer (not imported: it has
no direction), a linear mean score 0-100 (imported as a mean) and a star rating
(kept in stars.csv, not a standard resource).

No standard error or deviation is published for the linear mean score. We approximate
the standard deviation of one patient's answer from the three published answer
percents, scoring each answer on CMS's linear 0-100 scale (always 100, usually 66.7,
sometimes 33.3, never 0) and a combined answer ("sometimes or never") at its midpoint;
the standard error is then sd / sqrt(completed surveys). It is an approximation: the
percents are rounded and case-mix adjusted, and a composite score averages several
questions, so its real spread is smaller (the interval is on the wide side).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

FREQUENCY = (100.0, 200 / 3, 50 / 3)  # always, usually, sometimes-or-never (midpoint of 33.3 and 0)


@dataclass(frozen=True)
class Topic:
    stem: str            # measure ids start hcahps-<stem>
    label: str
    top: str             # CMS measure ids
    middle: str | None
    bottom: str
    linear: str
    star: str
    top_name: str
    bottom_name: str
    scale: tuple         # linear-scale score of top, middle, bottom answer


TOPICS = [
    Topic("clean", "Cleanliness", "H_CLEAN_HSP_A_P", "H_CLEAN_HSP_U_P", "H_CLEAN_HSP_SN_P", "H_CLEAN_LINEAR_SCORE",
          "H_CLEAN_STAR_RATING", "Room and bathroom were always clean", "Room and bathroom were sometimes or never clean", FREQUENCY),
    Topic("comp-1", "Nurse communication", "H_COMP_1_A_P", "H_COMP_1_U_P", "H_COMP_1_SN_P", "H_COMP_1_LINEAR_SCORE",
          "H_COMP_1_STAR_RATING", "Nurses always communicated well", "Nurses sometimes or never communicated well", FREQUENCY),
    Topic("comp-2", "Doctor communication", "H_COMP_2_A_P", "H_COMP_2_U_P", "H_COMP_2_SN_P", "H_COMP_2_LINEAR_SCORE",
          "H_COMP_2_STAR_RATING", "Doctors always communicated well", "Doctors sometimes or never communicated well", FREQUENCY),
    Topic("comp-3", "Staff responsiveness", "H_COMP_3_A_P", "H_COMP_3_U_P", "H_COMP_3_SN_P", "H_COMP_3_LINEAR_SCORE",
          "H_COMP_3_STAR_RATING", "Always got help as soon as they wanted", "Sometimes or never got help as soon as they wanted", FREQUENCY),
    Topic("comp-4", "Pain management", "H_COMP_4_A_P", "H_COMP_4_U_P", "H_COMP_4_SN_P", "H_COMP_4_LINEAR_SCORE",
          "H_COMP_4_STAR_RATING", "Pain was always well controlled", "Pain was sometimes or never well controlled", FREQUENCY),
    Topic("comp-5", "Communication about medicines", "H_COMP_5_A_P", "H_COMP_5_U_P", "H_COMP_5_SN_P", "H_COMP_5_LINEAR_SCORE",
          "H_COMP_5_STAR_RATING", "Staff always explained medicines before giving them",
          "Staff sometimes or never explained medicines before giving them", FREQUENCY),
    Topic("comp-6", "Discharge information", "H_COMP_6_Y_P", None, "H_COMP_6_N_P", "H_COMP_6_LINEAR_SCORE",
          "H_COMP_6_STAR_RATING", "Were given information about what to do during their recovery at home",
          "Were not given information about what to do during their recovery at home", (100.0, None, 0.0)),
    Topic("comp-7", "Care transition", "H_COMP_7_SA", "H_COMP_7_A", "H_COMP_7_D_SD", "H_COMP_7_LINEAR_SCORE",
          "H_COMP_7_STAR_RATING", "Strongly agreed they understood their care when they left hospital",
          "Disagreed or strongly disagreed they understood their care when they left hospital", FREQUENCY),
    Topic("hsp-rating", "Overall hospital rating", "H_HSP_RATING_9_10", "H_HSP_RATING_7_8", "H_HSP_RATING_0_6",
          "H_HSP_RATING_LINEAR_SCORE", "H_HSP_RATING_STAR_RATING", "Rated the hospital 9 or 10 out of 10",
          "Rated the hospital 6 or lower out of 10", (95.0, 75.0, 30.0)),  # midpoints of 90-100, 70-80, 0-60
    Topic("quiet", "Quietness", "H_QUIET_HSP_A_P", "H_QUIET_HSP_U_P", "H_QUIET_HSP_SN_P", "H_QUIET_LINEAR_SCORE",
          "H_QUIET_STAR_RATING", "Area around their room was always quiet at night",
          "Area around their room was sometimes or never quiet at night", FREQUENCY),
    Topic("recmnd", "Recommending the hospital", "H_RECMND_DY", "H_RECMND_PY", "H_RECMND_DN", "H_RECMND_LINEAR_SCORE",
          "H_RECMND_STAR_RATING", "Would definitely recommend the hospital",
          "Would probably not or definitely not recommend the hospital", FREQUENCY),
]
SUMMARY_STAR = "H_STAR_RATING"


def measure_id(cms_id: str) -> str:
    return "hcahps-" + cms_id.lower().removeprefix("h_").replace("_", "-")


BY_ID: dict[str, tuple[Topic, str]] = {}  # CMS id -> (topic, role: top/middle/bottom/linear/star)
for _t in TOPICS:
    for _role in ("top", "middle", "bottom", "linear", "star"):
        if getattr(_t, _role):
            BY_ID[getattr(_t, _role)] = (_t, _role)


def measure_rows() -> list[dict]:
    base = {"source": "survey", "dataset": "cms-hcahps", "setting": "inpatient"}
    rows = []
    for t in TOPICS:
        for role, name, polarity in (("top", t.top_name, "higher-is-better"), ("bottom", t.bottom_name, "lower-is-better")):
            cms = getattr(t, role)
            rows.append(base | {"id": measure_id(cms), "name": f"{name} (US hospital survey)", "kind": "proportion",
                                "polarity": polarity, "unit": "%",
                                "description": f"{t.label}: share of surveyed patients who gave this answer (HCAHPS {cms}). "
                                "CMS adjusts the percents for patient mix; the count of patients is worked out as "
                                "percent x completed surveys, rounded."})
        rows.append(base | {"id": measure_id(t.linear), "name": f"{t.label}: mean score out of 100 (US hospital survey)",
                            "kind": "mean", "polarity": "higher-is-better", "unit": "points",
                            "description": f"{t.label}: CMS's linear mean score (HCAHPS {t.linear}), 0 to 100, adjusted for "
                            "patient mix. CMS publishes no standard error: the standard deviation given here is our "
                            "approximation from the published answer percents (each answer scored on the 0-100 scale, "
                            "a combined answer at its midpoint), so intervals are approximate and on the wide side."})
    return rows


def approx_sd(topic: Topic, percents: dict[str, float]) -> float | None:
    """Standard deviation of one answer on the 0-100 scale, from the answer percents; None if any is missing."""
    pairs = [(percents.get(getattr(topic, role)), score)
             for role, score in zip(("top", "middle", "bottom"), topic.scale) if getattr(topic, role)]
    if any(p is None for p, _ in pairs):
        return None
    total = sum(p for p, _ in pairs)
    if total <= 0:
        return None
    mean = sum(p * s for p, s in pairs) / total
    return math.sqrt(sum(p * (s - mean) ** 2 for p, s in pairs) / total)
