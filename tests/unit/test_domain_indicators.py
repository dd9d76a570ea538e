import pytest

from shelter_desk.domain import indicators as ind
from shelter_desk.domain.indicators import assess_delphi, dimension_is_positive


def test_eleven_ilo_forced_labour_indicators() -> None:
    assert len(ind.FORCED_LABOUR_INDICATORS) == 11
    assert ind.FORCED_LABOUR_INDICATORS.codes()[0] == "AbuseOfVulnerability"
    assert ind.FORCED_LABOUR_INDICATORS.codes()[-1] == "ExcessiveOvertime"


def test_delphi_list_for_adults_in_labour_exploitation() -> None:
    assert len(ind.DELPHI_INDICATORS) == 67
    per_dimension = {d: len(ind.indicators_of(d)) for d in ind.DELPHI_DIMENSIONS.codes()}
    assert per_dimension == {
        ind.DECEPTIVE_RECRUITMENT: 10,
        ind.COERCIVE_RECRUITMENT: 10,
        ind.RECRUITMENT_ABUSE_OF_VULNERABILITY: 16,
        ind.EXPLOITATIVE_CONDITIONS: 9,
        ind.COERCION_AT_DESTINATION: 15,
        ind.ABUSE_OF_VULNERABILITY_AT_DESTINATION: 7,
    }
    assert len(ind.DELPHI_BY_CODE) == 67  # codes unique
    for indicator in ind.DELPHI_INDICATORS:
        assert indicator.code.startswith(indicator.dimension + ".")
        assert indicator.weight in ind.WEIGHTS


def test_known_weights() -> None:
    weight = {code: i.weight for code, i in ind.DELPHI_BY_CODE.items()}
    assert weight["DeceptiveRecruitment.NatureOfJob"] == ind.STRONG
    assert weight["DeceptiveRecruitment.Education"] == ind.WEAK
    # The same indicator weighs more at destination than at recruitment.
    assert weight["CoerciveRecruitment.ConfiscationOfDocuments"] == ind.MEDIUM
    assert weight["CoercionAtDestination.ConfiscationOfDocuments"] == ind.STRONG
    assert weight["ExploitativeConditions.ExcessiveHours"] == ind.STRONG
    strong_in_vulnerability = [
        i
        for i in ind.DELPHI_INDICATORS
        if i.weight == ind.STRONG
        and i.dimension
        in (ind.RECRUITMENT_ABUSE_OF_VULNERABILITY, ind.ABUSE_OF_VULNERABILITY_AT_DESTINATION)
    ]
    assert strong_in_vulnerability == []


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "positive"),
    [
        (0, 0, 0, False),
        (1, 0, 0, False),
        (2, 0, 0, True),
        (1, 1, 0, True),
        (1, 0, 1, True),
        (0, 3, 0, True),
        (0, 2, 1, True),
        (0, 2, 0, False),
        (0, 1, 1, False),
        (0, 1, 2, False),
        (0, 0, 4, False),
        (4, 9, 9, True),
    ],
)
def test_dimension_rule(strong: int, medium: int, weak: int, positive: bool) -> None:
    assert dimension_is_positive(strong, medium, weak) is positive


VICTIM = (
    "DeceptiveRecruitment.NatureOfJob",
    "DeceptiveRecruitment.Wages",
    "ExploitativeConditions.ExcessiveHours",
    "ExploitativeConditions.LowOrNoSalary",
    "CoercionAtDestination.ConfiscationOfDocuments",
    "CoercionAtDestination.DebtBondage",
)


def test_all_three_elements_make_a_victim_of_labour_trafficking() -> None:
    result = assess_delphi(VICTIM)
    assert result.victim_of_labour_trafficking
    assert result.elements_present == ("Recruitment", "Exploitation", "Coercion")
    assert result.elements_missing == ()
    assert result.conclusion == (
        "Indicative, not verified against the source (ILO/EC 2009). "
        "Indicators show trafficking for labour exploitation"
    )
    dr = result.dimension(ind.DECEPTIVE_RECRUITMENT)
    assert (dr.strong, dr.medium, dr.weak, dr.positive) == (1, 1, 0, True)
    cd = result.dimension(ind.COERCION_AT_DESTINATION)
    assert (cd.strong, cd.medium, cd.weak, cd.positive) == (2, 0, 0, True)
    assert not result.dimension(ind.COERCIVE_RECRUITMENT).positive


def test_missing_coercion_is_reported() -> None:
    result = assess_delphi(VICTIM[:4])
    assert not result.victim_of_labour_trafficking
    assert result.elements_present == ("Recruitment", "Exploitation")
    assert result.elements_missing == ("Coercion",)
    assert result.conclusion == (
        "Indicative, not verified against the source (ILO/EC 2009). "
        "Not all elements of trafficking are shown by the indicators"
    )


def test_nothing_ticked() -> None:
    result = assess_delphi([])
    assert result.elements_present == ()
    assert result.elements_missing == ("Recruitment", "Exploitation", "Coercion")
    assert not any(d.positive for d in result.dimensions)
    assert [d.dimension for d in result.dimensions] == list(ind.DELPHI_DIMENSIONS.codes())
    assert result.conclusion == (
        "Indicative, not verified against the source (ILO/EC 2009). "
        "No element of trafficking is shown by the indicators"
    )


def test_abuse_of_vulnerability_can_carry_recruitment_and_coercion() -> None:
    result = assess_delphi(
        [
            # three medium: recruitment by abuse of vulnerability
            "RecruitmentAbuseOfVulnerability.EconomicReasons",
            "RecruitmentAbuseOfVulnerability.IllegalStatus",
            "RecruitmentAbuseOfVulnerability.LackOfInformation",
            # two medium and one weak: exploitation
            "ExploitativeConditions.HazardousWork",
            "ExploitativeConditions.BadLivingConditions",
            "ExploitativeConditions.NoAccessToEducation",
            # two medium and one weak: abuse of vulnerability at destination
            "AbuseOfVulnerabilityAtDestination.DependencyOnExploiters",
            "AbuseOfVulnerabilityAtDestination.UnknownArea",
            "AbuseOfVulnerabilityAtDestination.PersonalCharacteristics",
        ]
    )
    assert result.victim_of_labour_trafficking
    assert result.dimension(ind.RECRUITMENT_ABUSE_OF_VULNERABILITY).positive
    assert result.dimension(ind.ABUSE_OF_VULNERABILITY_AT_DESTINATION).positive
    assert not result.dimension(ind.COERCION_AT_DESTINATION).positive


def test_indicators_of_different_dimensions_do_not_add_up() -> None:
    result = assess_delphi(["DeceptiveRecruitment.NatureOfJob", "CoerciveRecruitment.DebtBondage"])
    assert "Recruitment" not in result.elements_present
    assert result.dimension(ind.DECEPTIVE_RECRUITMENT).strong == 1
    assert result.dimension(ind.COERCIVE_RECRUITMENT).medium == 1


def test_weak_indicators_alone_never_make_a_dimension() -> None:
    weak = [i.code for i in ind.DELPHI_INDICATORS if i.weight == ind.WEAK]
    result = assess_delphi(weak)
    assert not any(d.positive for d in result.dimensions)


def test_duplicates_count_once_and_unknown_codes_are_set_aside() -> None:
    result = assess_delphi(
        [
            "ExploitativeConditions.HazardousWork",
            "ExploitativeConditions.HazardousWork",
            "ExploitativeConditions.HazardousWork",
            "Future.Indicator",
        ]
    )
    assert result.dimension(ind.EXPLOITATIVE_CONDITIONS).medium == 1
    assert not result.dimension(ind.EXPLOITATIVE_CONDITIONS).positive
    assert result.ignored == ("Future.Indicator",)


def test_unknown_dimension_lookup_raises() -> None:
    with pytest.raises(KeyError):
        assess_delphi([]).dimension("Nope")


def test_delphi_code_list_labels() -> None:
    assert ind.DELPHI_INDICATOR_LIST.label("CoercionAtDestination.ViolenceOnVictim") == (
        "Violence against the person"
    )
    assert len(ind.DELPHI_INDICATOR_LIST) == 67


UNVERIFIED = "Indicative, not verified against the source (ILO/EC 2009). "


@pytest.mark.parametrize(
    "ticked",
    [(), VICTIM[:4], VICTIM],
    ids=["nothing", "some elements", "all elements"],
)
def test_every_conclusion_says_it_is_not_verified_against_the_source(
    ticked: tuple[str, ...],
) -> None:
    """Issue 11 item 14: the weights were entered from memory and could not be checked
    against the ILO/EC brochure, so no result may read as a finding."""
    conclusion = assess_delphi(ticked).conclusion
    assert conclusion.startswith(UNVERIFIED)
    assert len(conclusion) > len(UNVERIFIED)


def test_module_says_what_was_not_verified() -> None:
    doc = ind.__doc__ or ""
    assert "Not verified" in doc
    assert "WCMS_105023" in doc
