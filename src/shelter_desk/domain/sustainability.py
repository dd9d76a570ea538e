"""The reintegration sustainability questionnaire and its scoring.

What is verified, and from where:

* IOM measures sustainable reintegration with a **Reintegration Sustainability Survey** of
  **15 indicators** over three dimensions, **economic, social and psychosocial**, with a
  scoring system that gives a score per dimension and a composite score (IOM news release
  on *Setting Standards for an Integrated Approach to Reintegration*, Samuel Hall / IOM
  MEASURE project, 2017; IOM Reintegration Handbook, 2019, §2.2.5). Reintegration is
  sustainable when economic self-sufficiency, social stability and psychosocial wellbeing
  make further migration a matter of choice rather than necessity (Handbook, Module 1).

What is approximated (IOM's questionnaire text and its weights could not be retrieved here):

* The questions are written in our own words around the indicator areas of the IOM survey
  as we know them: five indicators per dimension (``INDICATORS``), 27 questions.
* Answer scales and their scores (0 = worst, 1 = best) are ours.
* Weights: IOM's composite uses weights derived statistically in the MEASURE study; those
  figures are not reproduced. Here every indicator counts equally inside its dimension
  (a question's weight is 1 / the number of questions of its indicator) and the three
  dimensions count equally in the composite.

The questionnaire is data (:class:`Questionnaire`), so an organisation can replace
:data:`DEFAULT` with its own (``Questionnaire.from_dict``) without code changes.

Scoring (:func:`score_answers`): each answered question scores its option's value. A
dimension's score is the weighted mean of its scored answers; unanswered questions, codes
this questionnaire does not know, and answers whose option has no score ("don't know", "not
applicable", "refused") are left out and the remaining weights renormalised. A dimension
with no scored answer has no score (``None``); the composite is the weighted mean of the
dimension scores that exist, renormalised the same way, and ``None`` if none exists.
``coverage`` tells how much of the questionnaire's weight was actually scored, so a caller
can warn when a score rests on few answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shelter_desk.i18n import N_

ECONOMIC, SOCIAL, PSYCHOSOCIAL = "Economic", "Social", "Psychosocial"
DIMENSIONS: tuple[str, ...] = (ECONOMIC, SOCIAL, PSYCHOSOCIAL)


@dataclass(frozen=True, slots=True)
class AnswerOption:
    code: str
    label: str
    score: float | None  # None: recorded but not scored (don't know, not applicable...)


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    dimension: str
    indicator: str
    text: str
    options: tuple[AnswerOption, ...]
    weight: float = 1.0

    def option(self, code: str) -> AnswerOption | None:
        for option in self.options:
            if option.code == code:
                return option
        return None


@dataclass(frozen=True, slots=True)
class Questionnaire:
    code: str
    version: str
    questions: tuple[Question, ...]
    dimension_weights: tuple[tuple[str, float], ...] = (
        (ECONOMIC, 1.0),
        (SOCIAL, 1.0),
        (PSYCHOSOCIAL, 1.0),
    )

    def __post_init__(self) -> None:
        codes = [q.code for q in self.questions]
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate question code")
        weights = dict(self.dimension_weights)
        if set(weights) != set(DIMENSIONS) or any(w <= 0 for w in weights.values()):
            raise ValueError("dimension weights must be positive for every dimension")
        for q in self.questions:
            if q.dimension not in DIMENSIONS:
                raise ValueError(f"unknown dimension for {q.code}")
            if q.weight <= 0:
                raise ValueError(f"weight of {q.code} must be positive")
            option_codes = [o.code for o in q.options]
            if not option_codes or len(set(option_codes)) != len(option_codes):
                raise ValueError(f"options of {q.code} missing or duplicated")
            for o in q.options:
                if o.score is not None and not 0.0 <= o.score <= 1.0:
                    raise ValueError(f"score of {q.code}/{o.code} outside 0..1")

    def question(self, code: str) -> Question | None:
        for q in self.questions:
            if q.code == code:
                return q
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "version": self.version,
            "dimension_weights": dict(self.dimension_weights),
            "questions": [
                {
                    "code": q.code,
                    "dimension": q.dimension,
                    "indicator": q.indicator,
                    "text": q.text,
                    "weight": q.weight,
                    "options": [
                        {"code": o.code, "label": o.label, "score": o.score} for o in q.options
                    ],
                }
                for q in self.questions
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Questionnaire:
        """Build an organisation's own questionnaire from plain data (e.g. JSON)."""
        weights = data.get("dimension_weights") or {d: 1.0 for d in DIMENSIONS}
        return cls(
            code=str(data["code"]),
            version=str(data["version"]),
            dimension_weights=tuple((d, float(weights[d])) for d in DIMENSIONS),
            questions=tuple(
                Question(
                    code=str(q["code"]),
                    dimension=str(q["dimension"]),
                    indicator=str(q["indicator"]),
                    text=str(q["text"]),
                    weight=float(q.get("weight", 1.0)),
                    options=tuple(
                        AnswerOption(
                            str(o["code"]),
                            str(o["label"]),
                            None if o.get("score") is None else float(o["score"]),
                        )
                        for o in q["options"]
                    ),
                )
                for q in data["questions"]
            ),
        )


@dataclass(frozen=True, slots=True)
class SustainabilityScores:
    economic: float | None
    social: float | None
    psychosocial: float | None
    composite: float | None
    coverage: float = 0.0  # share of the questionnaire's weight that was scored, 0..1

    def dimension(self, code: str) -> float | None:
        return {ECONOMIC: self.economic, SOCIAL: self.social, PSYCHOSOCIAL: self.psychosocial}[code]


# --- Answer scales --------------------------------------------------------------------

_DONT_KNOW = AnswerOption("DontKnow", N_("Don't know"), None)
_REFUSED = AnswerOption("Refused", N_("Prefers not to answer"), None)
_NOT_APPLICABLE = AnswerOption("NotApplicable", N_("Not applicable"), None)


def _scale(*options: tuple[str, str, float]) -> tuple[AnswerOption, ...]:
    return (*(AnswerOption(c, label, s) for c, label, s in options), _DONT_KNOW, _REFUSED)


_SATISFACTION = _scale(
    ("VerySatisfied", N_("Very satisfied"), 1.0),
    ("Satisfied", N_("Satisfied"), 0.75),
    ("Neutral", N_("Neither satisfied nor dissatisfied"), 0.5),
    ("Dissatisfied", N_("Dissatisfied"), 0.25),
    ("VeryDissatisfied", N_("Very dissatisfied"), 0.0),
)
_QUALITY = _scale(
    ("VeryGood", N_("Very good"), 1.0),
    ("Good", N_("Good"), 0.75),
    ("Fair", N_("Fair"), 0.5),
    ("Poor", N_("Poor"), 0.25),
    ("VeryPoor", N_("Very poor or none"), 0.0),
)
# How often something bad happens: never is best.
_HARM_FREQUENCY = _scale(
    ("Never", N_("Never"), 1.0),
    ("Rarely", N_("Rarely"), 2 / 3),
    ("Sometimes", N_("Sometimes"), 1 / 3),
    ("Often", N_("Often"), 0.0),
)
# How often something good happens: often is best.
_GOOD_FREQUENCY = _scale(
    ("Often", N_("Often"), 1.0),
    ("Sometimes", N_("Sometimes"), 2 / 3),
    ("Rarely", N_("Rarely"), 1 / 3),
    ("Never", N_("Never"), 0.0),
)
_YES_GOOD = _scale(("Yes", N_("Yes"), 1.0), ("No", N_("No"), 0.0))
_NO_GOOD = _scale(("No", N_("No"), 1.0), ("Yes", N_("Yes"), 0.0))
_YES_PARTLY_NO = _scale(
    ("Yes", N_("Yes"), 1.0), ("Partly", N_("Partly"), 0.5), ("No", N_("No"), 0.0)
)


INDICATORS: dict[str, tuple[tuple[str, str], ...]] = {
    ECONOMIC: (
        ("EconomicSituation", N_("Economic situation")),
        ("FoodSecurity", N_("Food security")),
        ("Borrowing", N_("Ability to borrow")),
        ("Debt", N_("Debt")),
        ("Employment", N_("Work and productive assets")),
    ),
    SOCIAL: (
        ("Housing", N_("Housing")),
        ("Education", N_("Children's schooling")),
        ("Justice", N_("Access to justice")),
        ("Documentation", N_("Identity documents")),
        ("Services", N_("Water, health care and public services")),
    ),
    PSYCHOSOCIAL: (
        ("SocialParticipation", N_("Participation in social life")),
        ("SupportNetwork", N_("Support network")),
        ("Belonging", N_("Belonging and discrimination")),
        ("Safety", N_("Safety and tensions")),
        ("Wellbeing", N_("Psychological wellbeing")),
    ),
}


def _q(
    code: str, dimension: str, indicator: str, text: str, options: tuple[AnswerOption, ...]
) -> Question:
    return Question(code, dimension, indicator, text, options)


_QUESTIONS: tuple[Question, ...] = (
    _q(
        "EconomicSatisfaction",
        ECONOMIC,
        "EconomicSituation",
        N_("How satisfied are you with your economic situation now?"),
        _SATISFACTION,
    ),
    _q(
        "IncomeCoversNeeds",
        ECONOMIC,
        "EconomicSituation",
        N_("Does your household's income cover its basic needs?"),
        _YES_PARTLY_NO,
    ),
    _q(
        "FoodReduced",
        ECONOMIC,
        "FoodSecurity",
        N_("In the last month, how often did your household eat less or worse for lack of money?"),
        _HARM_FREQUENCY,
    ),
    _q(
        "CanBorrow",
        ECONOMIC,
        "Borrowing",
        N_("If you needed money urgently, could you borrow it?"),
        _YES_GOOD,
    ),
    _q(
        "BorrowsForDailyNeeds",
        ECONOMIC,
        "Borrowing",
        N_("How often do you borrow money to pay for everyday needs?"),
        _HARM_FREQUENCY,
    ),
    _q("HasDebt", ECONOMIC, "Debt", N_("Do you have debts at the moment?"), _NO_GOOD),
    _q(
        "DebtAboveMonthlySpending",
        ECONOMIC,
        "Debt",
        N_("Are your debts larger than what your household spends in a month?"),
        (*_NO_GOOD, _NOT_APPLICABLE),
    ),
    _q(
        "Working",
        ECONOMIC,
        "Employment",
        N_("Are you working or earning an income at the moment?"),
        _YES_GOOD,
    ),
    _q(
        "ProductiveAssets",
        ECONOMIC,
        "Employment",
        N_("Do you own or use productive assets (land, animals, tools, a business)?"),
        _YES_GOOD,
    ),
    _q(
        "AccessToTrainingOrJobs",
        ECONOMIC,
        "Employment",
        N_("If you wanted, could you get training or help to find work?"),
        _YES_GOOD,
    ),
    _q(
        "HousingSituation",
        SOCIAL,
        "Housing",
        N_("Where do you live now?"),
        _scale(
            ("OwnOrRented", N_("In a home I own or rent"), 1.0),
            ("WithRelatives", N_("With relatives or friends"), 0.5),
            ("TemporaryShelter", N_("In a temporary shelter"), 0.25),
            ("NoHousing", N_("Nowhere stable"), 0.0),
        ),
    ),
    _q(
        "HousingQuality",
        SOCIAL,
        "Housing",
        N_("How would you rate the condition of your housing?"),
        _QUALITY,
    ),
    _q(
        "ChildrenInSchool",
        SOCIAL,
        "Education",
        N_("Do the school-age children in your household go to school?"),
        (
            AnswerOption("All", N_("All of them"), 1.0),
            AnswerOption("Some", N_("Some of them"), 0.5),
            AnswerOption("None", N_("None of them"), 0.0),
            AnswerOption("NoSchoolAgeChildren", N_("No school-age children"), None),
            _DONT_KNOW,
            _REFUSED,
        ),
    ),
    _q(
        "AccessToJustice",
        SOCIAL,
        "Justice",
        N_("If you were wronged, could you turn to the police or the courts?"),
        _YES_GOOD,
    ),
    _q(
        "HasIdentityDocument",
        SOCIAL,
        "Documentation",
        N_("Do you have a valid identity document?"),
        _YES_GOOD,
    ),
    _q(
        "DrinkingWater",
        SOCIAL,
        "Services",
        N_("How is your access to safe drinking water?"),
        _QUALITY,
    ),
    _q("HealthCare", SOCIAL, "Services", N_("How is your access to health care?"), _QUALITY),
    _q(
        "PublicServices",
        SOCIAL,
        "Services",
        N_("Can you use public services and social support like others around you?"),
        _YES_PARTLY_NO,
    ),
    _q(
        "SocialActivities",
        PSYCHOSOCIAL,
        "SocialParticipation",
        N_("How often do you take part in social or community activities?"),
        _GOOD_FREQUENCY,
    ),
    _q(
        "PeopleToCountOn",
        PSYCHOSOCIAL,
        "SupportNetwork",
        N_("Do you have people you can count on when you need help?"),
        _scale(
            ("Several", N_("Yes, several people"), 1.0),
            ("OneOrTwo", N_("Yes, one or two people"), 0.5),
            ("Nobody", N_("No one"), 0.0),
        ),
    ),
    _q(
        "FeelsPartOfCommunity",
        PSYCHOSOCIAL,
        "Belonging",
        N_("Do you feel part of the community where you live?"),
        _YES_PARTLY_NO,
    ),
    _q(
        "Discrimination",
        PSYCHOSOCIAL,
        "Belonging",
        N_("How often are you treated badly or unfairly by people around you?"),
        _HARM_FREQUENCY,
    ),
    _q(
        "FeelsSafe",
        PSYCHOSOCIAL,
        "Safety",
        N_("How safe do you feel where you live?"),
        _scale(
            ("VerySafe", N_("Very safe"), 1.0),
            ("Safe", N_("Safe"), 2 / 3),
            ("Unsafe", N_("Unsafe"), 1 / 3),
            ("VeryUnsafe", N_("Very unsafe"), 0.0),
        ),
    ),
    _q(
        "Tensions",
        PSYCHOSOCIAL,
        "Safety",
        N_("How often are there serious arguments or tensions with family or neighbours?"),
        _HARM_FREQUENCY,
    ),
    _q(
        "Distress",
        PSYCHOSOCIAL,
        "Wellbeing",
        N_("How often do you feel very sad, anxious, angry or unable to sleep?"),
        _HARM_FREQUENCY,
    ),
    _q(
        "WantsPsychosocialSupport",
        PSYCHOSOCIAL,
        "Wellbeing",
        N_("Would you like support to cope with how you feel?"),
        _NO_GOOD,
    ),
    _q(
        "CanStayByChoice",
        PSYCHOSOCIAL,
        "Wellbeing",
        N_("Do you feel you could build your life here without needing to leave again?"),
        _YES_PARTLY_NO,
    ),
)


def _equal_indicator_weights(questions: tuple[Question, ...]) -> tuple[Question, ...]:
    """Give every indicator the same total weight inside its dimension."""
    per_indicator: dict[tuple[str, str], int] = {}
    for q in questions:
        key = (q.dimension, q.indicator)
        per_indicator[key] = per_indicator.get(key, 0) + 1
    return tuple(
        Question(
            q.code,
            q.dimension,
            q.indicator,
            q.text,
            q.options,
            1.0 / per_indicator[(q.dimension, q.indicator)],
        )
        for q in questions
    )


DEFAULT = Questionnaire(
    code="ShelterDeskRSS", version="1", questions=_equal_indicator_weights(_QUESTIONS)
)


def score_answers(
    answers: Mapping[str, str], questionnaire: Questionnaire = DEFAULT
) -> SustainabilityScores:
    """Dimension scores and composite (0..1) for ``answers`` (question code -> option
    code); see the module docstring for how missing answers are handled."""
    total_weight = sum(q.weight for q in questionnaire.questions)
    weighted: dict[str, float] = {d: 0.0 for d in DIMENSIONS}
    weights: dict[str, float] = {d: 0.0 for d in DIMENSIONS}
    for q in questionnaire.questions:
        answer = answers.get(q.code)
        option = q.option(answer) if answer is not None else None
        if option is None or option.score is None:
            continue
        weighted[q.dimension] += q.weight * option.score
        weights[q.dimension] += q.weight
    dims: dict[str, float | None] = {
        d: (weighted[d] / weights[d] if weights[d] > 0 else None) for d in DIMENSIONS
    }
    dim_weights = dict(questionnaire.dimension_weights)
    present = [(dim_weights[d], s) for d, s in dims.items() if s is not None]
    composite = sum(w * s for w, s in present) / sum(w for w, _ in present) if present else None
    scored = sum(weights.values())
    return SustainabilityScores(
        economic=dims[ECONOMIC],
        social=dims[SOCIAL],
        psychosocial=dims[PSYCHOSOCIAL],
        composite=composite,
        coverage=scored / total_weight if total_weight else 0.0,
    )


def unknown_answers(
    answers: Mapping[str, str], questionnaire: Questionnaire = DEFAULT
) -> dict[str, str]:
    """Answers that do not fit the questionnaire: question code -> the offending value."""
    problems: dict[str, str] = {}
    for code, value in answers.items():
        question = questionnaire.question(code)
        if question is None or question.option(value) is None:
            problems[code] = value
    return problems
