"""The follow-up visit form: the reintegration sustainability questions with tick boxes.

Questions are grouped by dimension (economic, social, psychosocial) in the questionnaire's
order, each with its answer options. A filled form ticks the recorded answers and shows the
scores; scores are computed from the answers (never typed in), so a blank form has none.
"""

from __future__ import annotations

import datetime as dt

from shelter_desk.domain import codes
from shelter_desk.domain.case_file import CaseFile
from shelter_desk.domain.entities import FollowUp
from shelter_desk.domain.sustainability import DEFAULT, DIMENSIONS, Questionnaire, score_answers
from shelter_desk.i18n import N_
from shelter_desk.reports.forms_base import FormPrinter

TITLE = N_("Follow-up visit")
HOW_TO_ASK = N_(
    "Read each question aloud and tick one answer. If the person does not want to answer, "
    "tick that and go on."
)
PERSON_NAME = N_("Name of the person")
VISIT = N_("The visit")
SCHEDULED_ON = N_("Planned for")
DONE_ON = N_("Done on")
MODE = N_("How the visit was made")
DONE_BY = N_("Visit made by")
QUESTIONNAIRE = N_("Questionnaire")
SCORES = N_("Scores")
SCORE_OF = N_("{dimension} score")
COMPOSITE = N_("Overall score")
SCORES_COMPUTED = N_(
    "Scores are computed by Shelter Desk from the answers when the visit is recorded."
)
NOTES = N_("Notes")
NEXT_VISIT = N_("Next visit on")
CASEWORKER_SIGNATURE = N_("Caseworker's signature")


def chosen_follow_up(case: CaseFile, follow_up_id: str | None) -> FollowUp | None:
    """The visit to print: the one asked for, else the latest one done, else the next
    one planned; None when the case has none."""
    if follow_up_id is not None:
        for follow_up in case.follow_ups:
            if follow_up.id == follow_up_id:
                return follow_up
        raise ValueError(f"case {case.case.number} has no follow-up {follow_up_id}")
    done = [f for f in case.follow_ups if f.done_on is not None]
    if done:
        return max(done, key=lambda f: f.done_on or dt.date.min)
    planned = [f for f in case.follow_ups if f.scheduled_on is not None]
    if planned:
        return min(planned, key=lambda f: f.scheduled_on or dt.date.max)
    return case.follow_ups[-1] if case.follow_ups else None


def draw_follow_up(
    p: FormPrinter,
    case: CaseFile | None,
    follow_up: FollowUp | None,
    questionnaire: Questionnaire = DEFAULT,
) -> None:
    """Draw the visit form, blank or filled from ``follow_up``."""
    p.heading(TITLE)
    p.say(HOW_TO_ASK)
    if case is not None:
        person = case.person
        name = " ".join(x for x in (person.first_name, person.second_name) if x)
        p.field(PERSON_NAME, p.identity(name or person.first_name_latin))
    else:
        p.field(PERSON_NAME)
    visit = follow_up or FollowUp()
    p.heading(VISIT)
    p.field(SCHEDULED_ON, p.date(visit.scheduled_on))
    p.field(DONE_ON, p.date(visit.done_on))
    p.ticks(MODE, p.options(codes.FOLLOW_UP_MODE), [visit.mode], columns=3)
    p.field(DONE_BY, case.user_name(visit.done_by) if case is not None else "")
    p.field(QUESTIONNAIRE, f"{questionnaire.code}/{questionnaire.version}")

    for dimension in DIMENSIONS:
        p.heading(codes.REINTEGRATION_DIMENSION.label(dimension))
        for question in questionnaire.questions:
            if question.dimension != dimension:
                continue
            options = p.options((o.code, o.label) for o in question.options)
            answer = visit.answers.get(question.code)
            p.ticks(question.text, options, [answer] if answer else [], columns=2)

    p.heading(SCORES)
    if follow_up is None or not follow_up.answers:
        p.say(SCORES_COMPUTED)
    else:
        scores = score_answers(follow_up.answers, questionnaire)
        for dimension in DIMENSIONS:
            label = p.composed(SCORE_OF, dimension=codes.REINTEGRATION_DIMENSION.label(dimension))
            p.sheet.field(label, p.percent(scores.dimension(dimension)))
        p.field(COMPOSITE, p.percent(scores.composite))
    p.field(NOTES, p.identity(visit.notes), lines=3)
    p.field(NEXT_VISIT, p.date(visit.next_on))
    p.signature(CASEWORKER_SIGNATURE)
