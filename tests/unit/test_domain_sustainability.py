import json

import pytest

from shelter_desk.domain import sustainability as rss
from shelter_desk.domain.sustainability import (
    DEFAULT,
    AnswerOption,
    Question,
    Questionnaire,
    score_answers,
    unknown_answers,
)


def _best(q: Question) -> str:
    return max((o for o in q.options if o.score is not None), key=lambda o: o.score or 0).code


def _worst(q: Question) -> str:
    return min((o for o in q.options if o.score is not None), key=lambda o: o.score or 0).code


def test_fifteen_indicators_five_per_dimension() -> None:
    assert sum(len(v) for v in rss.INDICATORS.values()) == 15
    for dimension, indicators in rss.INDICATORS.items():
        assert len(indicators) == 5
        used = {q.indicator for q in DEFAULT.questions if q.dimension == dimension}
        assert used == {code for code, _label in indicators}


def test_every_indicator_weighs_the_same_inside_its_dimension() -> None:
    totals: dict[tuple[str, str], float] = {}
    for q in DEFAULT.questions:
        totals[(q.dimension, q.indicator)] = totals.get((q.dimension, q.indicator), 0) + q.weight
    assert all(total == pytest.approx(1.0) for total in totals.values())


def test_questions_have_scored_and_unscored_options() -> None:
    assert 25 <= len(DEFAULT.questions) <= 32
    for q in DEFAULT.questions:
        scores = [o.score for o in q.options if o.score is not None]
        assert max(scores) == 1.0 and min(scores) == 0.0, q.code
        assert q.option("DontKnow") is not None and q.option("DontKnow").score is None  # type: ignore[union-attr]


def test_best_and_worst_answers() -> None:
    best = score_answers({q.code: _best(q) for q in DEFAULT.questions})
    assert (best.economic, best.social, best.psychosocial, best.composite) == (1, 1, 1, 1)
    assert best.coverage == pytest.approx(1.0)
    worst = score_answers({q.code: _worst(q) for q in DEFAULT.questions})
    assert (worst.economic, worst.social, worst.psychosocial, worst.composite) == (0, 0, 0, 0)


def test_no_answers_means_no_scores() -> None:
    scores = score_answers({})
    assert scores == rss.SustainabilityScores(None, None, None, None, 0.0)


def test_missing_answers_renormalise_weights_inside_a_dimension() -> None:
    # EconomicSatisfaction weighs 1/2 (two questions in its indicator), Working 1/3.
    scores = score_answers({"EconomicSatisfaction": "VerySatisfied", "Working": "No"})
    assert scores.economic == pytest.approx(0.5 / (0.5 + 1 / 3))
    assert scores.social is None and scores.psychosocial is None
    assert scores.composite == scores.economic
    assert scores.coverage == pytest.approx((0.5 + 1 / 3) / 15)


def test_composite_uses_the_dimensions_that_have_scores() -> None:
    scores = score_answers({"Working": "Yes", "FeelsSafe": "VeryUnsafe"})
    assert scores.economic == 1.0 and scores.psychosocial == 0.0
    assert scores.composite == pytest.approx(0.5)
    assert scores.dimension("Social") is None
    assert scores.dimension("Economic") == 1.0


def test_dont_know_unknown_questions_and_unknown_options_are_left_out() -> None:
    answers = {
        "Working": "Yes",
        "HasDebt": "DontKnow",
        "ChildrenInSchool": "NoSchoolAgeChildren",
        "RetiredQuestion": "Yes",
        "FeelsSafe": "Maybe",
    }
    scores = score_answers(answers)
    assert scores.economic == 1.0
    assert scores.social is None
    assert scores.psychosocial is None
    assert unknown_answers(answers) == {"RetiredQuestion": "Yes", "FeelsSafe": "Maybe"}


def test_an_organisation_can_bring_its_own_questionnaire() -> None:
    data = {
        "code": "OrgRSS",
        "version": "2",
        "dimension_weights": {"Economic": 2, "Social": 1, "Psychosocial": 1},
        "questions": [
            {
                "code": "Job",
                "dimension": "Economic",
                "indicator": "Employment",
                "text": "Working?",
                "options": [
                    {"code": "Y", "label": "Yes", "score": 1},
                    {"code": "N", "label": "No", "score": 0},
                ],
            },
            {
                "code": "Home",
                "dimension": "Social",
                "indicator": "Housing",
                "text": "Housed?",
                "weight": 3,
                "options": [
                    {"code": "Y", "label": "Yes", "score": 1},
                    {"code": "N", "label": "No", "score": 0},
                ],
            },
            {
                "code": "Calm",
                "dimension": "Psychosocial",
                "indicator": "Wellbeing",
                "text": "Calm?",
                "options": [
                    {"code": "Y", "label": "Yes", "score": 1},
                    {"code": "N", "label": "No", "score": 0},
                    {"code": "DK", "label": "Don't know"},
                ],
            },
        ],
    }
    questionnaire = Questionnaire.from_dict(json.loads(json.dumps(data)))
    scores = score_answers({"Job": "Y", "Home": "N", "Calm": "N"}, questionnaire)
    assert scores.composite == pytest.approx((2 * 1 + 0 + 0) / 4)
    assert Questionnaire.from_dict(questionnaire.to_dict()) == questionnaire
    assert questionnaire.question("Calm").option("DK").score is None  # type: ignore[union-attr]


def test_default_questionnaire_survives_its_own_dict_form() -> None:
    assert Questionnaire.from_dict(json.loads(json.dumps(DEFAULT.to_dict()))) == DEFAULT


def _question(code: str = "Q", dimension: str = "Economic", score: float | None = 1.0) -> Question:
    return Question(code, dimension, "I", "text?", (AnswerOption("A", "a", score),))


@pytest.mark.parametrize(
    "make",
    [
        lambda: Questionnaire("X", "1", (_question(), _question())),
        lambda: Questionnaire("X", "1", (_question(dimension="Spiritual"),)),
        lambda: Questionnaire("X", "1", (_question(score=1.5),)),
        lambda: Questionnaire("X", "1", (Question("Q", "Social", "I", "t", ()),)),
        lambda: Questionnaire(
            "X", "1", (Question("Q", "Social", "I", "t", _question().options, 0),)
        ),
        lambda: Questionnaire("X", "1", (_question(),), (("Economic", 1.0),)),
    ],
)
def test_malformed_questionnaires_are_refused(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]
