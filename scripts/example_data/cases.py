"""Fictional case studies linked to planted improvements, and their expected effect."""
from __future__ import annotations

# --- case studies ---------------------------------------------------------------------------

FICTION = "*This case study is fictional. It was written as example data for testing the site.*"
PRACTICE_BODY = """{fiction}

## What was wrong

In the summer of 2023 only about four in five patients of {name} said their experience was good.
Comments in the Friends and Family Test kept returning to the same three things:

- the phone line was engaged at 8am and patients gave up;
- people did not know which member of the team they would see;
- test results came back with no explanation.

## What we did

From 1 October 2023 the practice:

1. added a call-back queue so that nobody has to redial;
2. published a weekly rota that names the nurse, pharmacist and GP on duty;
3. sent every test result with a short plain-English note;
4. met a patient panel of twelve people each month to read the comments together.

## What changed

Within four months more than nine in ten patients said their experience was good, and the
practice has stayed there since. The monthly Friends and Family Test chart shows a sustained
shift upwards from October 2023.

## What others can take from it

- Read the free-text comments, not only the score.
- Fix the first contact before anything else.
- Tell patients what changed because of what they said.
"""
AE_BODY = """{fiction}

## The problem

The emergency department at {name} heard from too few patients. Paper cards at the exit
reached about one in twenty people, and mostly those who waited least.

## What we did

From 15 January 2024 every patient leaving the department received a text message with
one question and a free-text box. We also:

- offered the question in the eight languages most spoken locally;
- let staff see the comments from their own shift the next morning;
- chose one theme each fortnight to work on (waiting-room updates came first).

## What we found

The number of responses more than doubled, and the share of good experiences rose from
about 80% to nearly 90% over the following months. Because the new responses came from a
wider mix of patients, the improvement is not only a change in who answered: the comments
named the hourly waiting-time updates again and again.

## Lessons

1. More responses make a month-to-month chart worth reading.
2. Share comments with the team who created the experience, quickly.
"""
MATERNITY_BODY = """{fiction}

## Why commissioners acted

{icb} saw maternity comments about meeting a different midwife at every appointment.
It wrote continuity of carer into the 2023-24 contracts with {names}.

## The levers

- a quality incentive paid for each team that reached continuity for most women;
- a shared measure: the maternity Friends and Family Test, reviewed at every contract meeting;
- money for one extra community midwife team at each trust from 1 July 2023.

## What happened

Both trusts' maternity scores rose from August 2023 and stayed higher through 2024.

## Points for other commissioners

1. Pick a measure patients already answer, and agree it with providers before the year starts.
2. Pay for the change, not only for the result.
3. Look at both trusts' charts together: a shared rise is stronger evidence than one.
"""


def case_studies(ref: dict) -> tuple[list[dict], list[dict]]:
    sp = ref["special"]
    names = {p["code"]: p["name"] for p in ref["providers"]}
    icb = {c["code"]: c["name"] for c in ref["commissioners"]}
    mat = sp["maternity_study"]
    studies = [
        {"id": "turning-feedback-into-change", "title": f"Turning feedback into change at {names[sp['improving']]}",
         "themes": "improving-experience", "setting": "gp", "providers": sp["improving"], "measures": "fft-gp",
         "intervention_date": "2023-10-01", "published": "2024-09-02",
         "summary": "A GP practice fixed its phone line, named its team and explained test results, "
                    "and patients' experience improved within four months.",
         "body": PRACTICE_BODY.format(fiction=FICTION, name=names[sp["improving"]])},
        {"id": "text-message-feedback-in-ae", "title": "Hearing from more A&E patients by text message",
         "themes": "data-collection improving-experience", "setting": "ae", "providers": sp["ae_study"],
         "measures": "fft-ae", "intervention_date": "2024-01-15", "published": "2024-11-18",
         "summary": "An emergency department asked every patient one question by text, doubled its responses "
                    "and acted on what they said.",
         "body": AE_BODY.format(fiction=FICTION, name=names[sp["ae_study"]])},
        {"id": "maternity-continuity-through-the-contract", "title": "Continuity of midwife written into the contract",
         "themes": "commissioning-levers improving-experience", "setting": "maternity", "providers": " ".join(mat),
         "measures": "fft-maternity", "intervention_date": "2023-07-01", "published": "2024-06-03",
         "summary": "An integrated care board used its contracts and a quality incentive to give women the same "
                    "midwife throughout pregnancy.",
         "body": MATERNITY_BODY.format(fiction=FICTION, icb=icb[[p["commissioner"] for p in ref["providers"]
                                                                  if p["code"] == mat[0]][0]],
                                       names=" and ".join(names[c] for c in mat))},
    ]
    redirects = [{"from": "sms-feedback-in-ae", "to": "text-message-feedback-in-ae"}]
    return studies, redirects


def case_truth(ref: dict) -> dict:
    return {"case_study": "turning-feedback-into-change", "provider": ref["special"]["improving"],
            "measure": "fft-gp", "intervention_date": "2023-10-01"}
