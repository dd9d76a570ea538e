"""ILO indicators of forced labour and the ILO/EC Delphi indicators of trafficking.

Sources and what was checked:

* **ILO Indicators of Forced Labour** (ILO Special Action Programme to combat Forced
  Labour, 2012): the eleven indicators, in the ILO's order. The names match the ILO list
  and a public reference table that maps every Delphi indicator to them; the original ILO
  booklet itself could not be opened from here. Label wording is our own.
* **Operational indicators of trafficking in human beings** (ILO and European Commission,
  Delphi survey, March 2009, revised September 2009; ILO WCMS_105023), list for **adult
  victims of trafficking for labour exploitation**: six dimensions, each indicator weighted
  strong, medium or weak, 67 indicators. The ILO pages found confirm the six dimensions and
  the 2009 Delphi origin; the indicators, weights and the dimension rule below were taken
  from a public reference table that cites WCMS_105023 p.3, cross-checked with the
  brochure as we recall it (the PDF itself could not be opened from here). One
  disagreement: that table puts ``Difficulties in the past`` and ``Difficulty to organise
  the travel`` (recruitment by abuse of vulnerability) among the medium indicators, but
  out of the ILO's alphabetical order and next to the weak ones; we list both as weak, as
  we recall the brochure doing. Re-check against the PDF before relying on a borderline
  result. The brochure's lists for sexual exploitation and for children
  are not encoded; for children the Palermo Protocol does not require the means element.

The ILO rules implemented by :func:`assess_delphi`:

* A dimension is **positive** when it has at least two strong indicators, or one strong
  and at least one medium or weak, or three medium, or two medium and one weak.
* The three elements of trafficking are **recruitment** (deceptive recruitment, coercive
  recruitment or recruitment by abuse of vulnerability positive), **exploitation**
  (exploitative conditions of work positive) and **coercion** (coercion at destination or
  abuse of vulnerability at destination positive). A person is assessed a victim of
  trafficking for labour exploitation when all three are present. This combination is the
  brochure's as we recall it; the reference table also shows a stricter survey
  classification (used in ILO country surveys) that accepts only deceptive or coercive
  recruitment, which is not what is implemented here.

The result is computed from the ticked indicators and is never typed in; it supports the
caseworker's judgement and is not a legal identification.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shelter_desk.domain.codes import Code, CodeList
from shelter_desk.i18n import N_

# --- ILO 11 indicators of forced labour ----------------------------------------------

FORCED_LABOUR_INDICATORS = CodeList(
    "FORCED_LABOUR_INDICATORS",
    (
        Code("AbuseOfVulnerability", N_("Abuse of vulnerability")),
        Code("Deception", N_("Deception")),
        Code("RestrictionOfMovement", N_("Restriction of movement")),
        Code("Isolation", N_("Isolation")),
        Code("PhysicalAndSexualViolence", N_("Physical and sexual violence")),
        Code("IntimidationAndThreats", N_("Intimidation and threats")),
        Code("RetentionOfIdentityDocuments", N_("Retention of identity documents")),
        Code("WithholdingOfWages", N_("Withholding of wages")),
        Code("DebtBondage", N_("Debt bondage")),
        Code("AbusiveWorkingAndLivingConditions", N_("Abusive working and living conditions")),
        Code("ExcessiveOvertime", N_("Excessive overtime")),
    ),
)

# --- Delphi indicators (adults, labour exploitation) -----------------------------------

STRONG, MEDIUM, WEAK = "Strong", "Medium", "Weak"

WEIGHTS = CodeList(
    "DELPHI_WEIGHT",
    (Code(STRONG, N_("Strong")), Code(MEDIUM, N_("Medium")), Code(WEAK, N_("Weak"))),
)

DECEPTIVE_RECRUITMENT = "DeceptiveRecruitment"
COERCIVE_RECRUITMENT = "CoerciveRecruitment"
RECRUITMENT_ABUSE_OF_VULNERABILITY = "RecruitmentAbuseOfVulnerability"
EXPLOITATIVE_CONDITIONS = "ExploitativeConditions"
COERCION_AT_DESTINATION = "CoercionAtDestination"
ABUSE_OF_VULNERABILITY_AT_DESTINATION = "AbuseOfVulnerabilityAtDestination"

DELPHI_DIMENSIONS = CodeList(
    "DELPHI_DIMENSIONS",
    (
        Code(DECEPTIVE_RECRUITMENT, N_("Deceptive recruitment")),
        Code(COERCIVE_RECRUITMENT, N_("Coercive recruitment")),
        Code(RECRUITMENT_ABUSE_OF_VULNERABILITY, N_("Recruitment by abuse of vulnerability")),
        Code(EXPLOITATIVE_CONDITIONS, N_("Exploitative conditions of work")),
        Code(COERCION_AT_DESTINATION, N_("Coercion at destination")),
        Code(ABUSE_OF_VULNERABILITY_AT_DESTINATION, N_("Abuse of vulnerability at destination")),
    ),
)

RECRUITMENT, EXPLOITATION, COERCION = "Recruitment", "Exploitation", "Coercion"

DELPHI_ELEMENTS = CodeList(
    "DELPHI_ELEMENTS",
    (
        Code(RECRUITMENT, N_("Recruitment")),
        Code(EXPLOITATION, N_("Exploitation")),
        Code(COERCION, N_("Coercion")),
    ),
)

ELEMENT_DIMENSIONS: dict[str, tuple[str, ...]] = {
    RECRUITMENT: (
        DECEPTIVE_RECRUITMENT,
        COERCIVE_RECRUITMENT,
        RECRUITMENT_ABUSE_OF_VULNERABILITY,
    ),
    EXPLOITATION: (EXPLOITATIVE_CONDITIONS,),
    COERCION: (COERCION_AT_DESTINATION, ABUSE_OF_VULNERABILITY_AT_DESTINATION),
}


@dataclass(frozen=True, slots=True)
class DelphiIndicator:
    code: str  # "<Dimension>.<Indicator>", stable
    dimension: str
    weight: str
    label: str


def _dimension(name: str, *rows: tuple[str, str, str]) -> tuple[DelphiIndicator, ...]:
    return tuple(
        DelphiIndicator(f"{name}.{key}", name, weight, label) for key, weight, label in rows
    )


DELPHI_INDICATORS: tuple[DelphiIndicator, ...] = (
    *_dimension(
        DECEPTIVE_RECRUITMENT,
        ("NatureOfJob", STRONG, N_("Deceived about the nature of the job, location or employer")),
        ("ConditionsOfWork", MEDIUM, N_("Deceived about the conditions of work")),
        ("WorkContract", MEDIUM, N_("Deceived about the content or legality of the contract")),
        ("FamilyReunification", MEDIUM, N_("Deceived about family reunification")),
        ("HousingAndLiving", MEDIUM, N_("Deceived about housing and living conditions")),
        (
            "LegalDocuments",
            MEDIUM,
            N_("Deceived about legal documents or obtaining legal migration status"),
        ),
        ("TravelAndRecruitment", MEDIUM, N_("Deceived about travel and recruitment conditions")),
        ("Wages", MEDIUM, N_("Deceived about wages or earnings")),
        ("MarriageOrAdoption", MEDIUM, N_("Deceived by promises of marriage or adoption")),
        ("Education", WEAK, N_("Deceived about access to education")),
    ),
    *_dimension(
        COERCIVE_RECRUITMENT,
        ("ViolenceOnVictim", STRONG, N_("Violence against the person")),
        (
            "AbductionOrSale",
            MEDIUM,
            N_("Abduction, forced marriage, forced adoption or sale of the person"),
        ),
        ("ConfiscationOfDocuments", MEDIUM, N_("Documents confiscated")),
        ("DebtBondage", MEDIUM, N_("Debt bondage")),
        ("IsolationConfinement", MEDIUM, N_("Isolation, confinement or surveillance")),
        ("ThreatOfDenunciation", MEDIUM, N_("Threatened with denunciation to the authorities")),
        (
            "ThreatToInformFamily",
            MEDIUM,
            N_("Threatened with informing family, community or the public"),
        ),
        ("ThreatsOfViolence", MEDIUM, N_("Threats of violence against the person")),
        ("ViolenceOnFamily", MEDIUM, N_("Violence or threats against the family")),
        ("WithholdingOfMoney", MEDIUM, N_("Money withheld")),
    ),
    *_dimension(
        RECRUITMENT_ABUSE_OF_VULNERABILITY,
        ("DifficultFamilySituation", MEDIUM, N_("Abuse of a difficult family situation")),
        ("IllegalStatus", MEDIUM, N_("Abuse of irregular migration status")),
        ("LackOfEducation", MEDIUM, N_("Abuse of lack of education or language")),
        ("LackOfInformation", MEDIUM, N_("Abuse of lack of information")),
        ("ControlOfExploiters", MEDIUM, N_("Under the control of the exploiters")),
        ("EconomicReasons", MEDIUM, N_("Economic hardship")),
        (
            "FalseInformationLaw",
            MEDIUM,
            N_("False information about the law or the attitude of the authorities"),
        ),
        (
            "FalseInformationMigration",
            MEDIUM,
            N_("False information about successful migration"),
        ),
        ("FamilySituation", MEDIUM, N_("Family situation")),
        ("PersonalSituation", MEDIUM, N_("Personal situation")),
        (
            "EmotionalDependency",
            MEDIUM,
            N_("Psychological and emotional dependency"),
        ),
        (
            "RelationshipWithAuthorities",
            MEDIUM,
            N_("Relationship with the authorities or legal status"),
        ),
        ("CulturalReligiousBeliefs", WEAK, N_("Abuse of cultural or religious beliefs")),
        ("DifficultiesInPast", WEAK, N_("Difficulties in the past")),
        ("DifficultyOrganisingTravel", WEAK, N_("Difficulty organising the journey")),
        ("GeneralContext", WEAK, N_("General context (conflict, disaster, political climate)")),
    ),
    *_dimension(
        EXPLOITATIVE_CONDITIONS,
        ("ExcessiveHours", STRONG, N_("Excessive working days or hours")),
        ("BadLivingConditions", MEDIUM, N_("Bad living conditions")),
        ("HazardousWork", MEDIUM, N_("Hazardous work")),
        ("LowOrNoSalary", MEDIUM, N_("Low or no pay")),
        ("NoRespectOfLabourLaws", MEDIUM, N_("Labour law or signed contract not respected")),
        ("NoSocialProtection", MEDIUM, N_("No social protection (contract, insurance)")),
        ("VeryBadWorkingConditions", MEDIUM, N_("Very bad working conditions")),
        ("WageManipulation", MEDIUM, N_("Wage manipulation (fines, deductions)")),
        ("NoAccessToEducation", WEAK, N_("No access to education")),
    ),
    *_dimension(
        COERCION_AT_DESTINATION,
        ("ConfiscationOfDocuments", STRONG, N_("Documents confiscated")),
        ("DebtBondage", STRONG, N_("Debt bondage")),
        ("IsolationConfinement", STRONG, N_("Isolation, confinement or surveillance")),
        ("ViolenceOnVictim", STRONG, N_("Violence against the person")),
        ("ForcedIllicitActivities", MEDIUM, N_("Forced into illicit or criminal activities")),
        ("ForcedTasksOrClients", MEDIUM, N_("Forced to do tasks or take clients")),
        ("ForcedToActAgainstPeers", MEDIUM, N_("Forced to act against other victims")),
        ("ForcedToLie", MEDIUM, N_("Forced to lie to the authorities, family or others")),
        ("ThreatOfDenunciation", MEDIUM, N_("Threatened with denunciation to the authorities")),
        ("ThreatOfWorseConditions", MEDIUM, N_("Threatened with even worse working conditions")),
        ("ThreatsOfViolence", MEDIUM, N_("Threats of violence against the person")),
        ("UnderStrongInfluence", MEDIUM, N_("Under strong influence of the exploiters")),
        ("ViolenceOnFamily", MEDIUM, N_("Violence or threats against the family")),
        ("WithholdingOfWages", MEDIUM, N_("Wages withheld")),
        (
            "ThreatToInformFamily",
            WEAK,
            N_("Threatened with informing family, community or the public"),
        ),
    ),
    *_dimension(
        ABUSE_OF_VULNERABILITY_AT_DESTINATION,
        ("DependencyOnExploiters", MEDIUM, N_("Dependent on the exploiters")),
        ("UnknownArea", MEDIUM, N_("Difficulty living in an unknown area")),
        ("EconomicReasons", MEDIUM, N_("Economic hardship")),
        ("FamilySituation", MEDIUM, N_("Family situation")),
        (
            "RelationshipWithAuthorities",
            MEDIUM,
            N_("Relationship with the authorities or legal status"),
        ),
        ("DifficultiesInPast", WEAK, N_("Difficulties in the past")),
        ("PersonalCharacteristics", WEAK, N_("Personal characteristics")),
    ),
)

DELPHI_BY_CODE: dict[str, DelphiIndicator] = {ind.code: ind for ind in DELPHI_INDICATORS}

DELPHI_INDICATOR_LIST = CodeList(
    "DELPHI_INDICATORS", tuple(Code(ind.code, ind.label) for ind in DELPHI_INDICATORS)
)


def indicators_of(dimension: str) -> tuple[DelphiIndicator, ...]:
    return tuple(ind for ind in DELPHI_INDICATORS if ind.dimension == dimension)


# --- Assessment -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DimensionResult:
    dimension: str
    strong: int
    medium: int
    weak: int
    positive: bool


@dataclass(frozen=True, slots=True)
class DelphiResult:
    dimensions: tuple[DimensionResult, ...]  # in DELPHI_DIMENSIONS order
    elements_present: tuple[str, ...]  # of RECRUITMENT, EXPLOITATION, COERCION
    elements_missing: tuple[str, ...]
    victim_of_labour_trafficking: bool
    ignored: tuple[str, ...] = ()  # codes this version does not know

    def dimension(self, code: str) -> DimensionResult:
        for result in self.dimensions:
            if result.dimension == code:
                return result
        raise KeyError(code)

    @property
    def conclusion(self) -> str:
        """English source text of the conclusion (translate with ``_``)."""
        if self.victim_of_labour_trafficking:
            return N_("Indicators show trafficking for labour exploitation")
        if not self.elements_present:
            return N_("No element of trafficking is shown by the indicators")
        return N_("Not all elements of trafficking are shown by the indicators")


def dimension_is_positive(strong: int, medium: int, weak: int) -> bool:
    """The ILO/EC rule for one dimension (see the module docstring)."""
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


def assess_delphi(selected: Iterable[str]) -> DelphiResult:
    """Apply the ILO/EC rules to the ticked Delphi indicator codes.

    Duplicates count once; codes this version does not know are listed in ``ignored``
    rather than failing, so that a record written by a newer version still displays.
    """
    chosen = set(selected)
    known = [DELPHI_BY_CODE[code] for code in chosen if code in DELPHI_BY_CODE]
    ignored = tuple(sorted(code for code in chosen if code not in DELPHI_BY_CODE))
    results = []
    for dim in DELPHI_DIMENSIONS.codes():
        weights = [ind.weight for ind in known if ind.dimension == dim]
        strong, medium, weak = (weights.count(w) for w in (STRONG, MEDIUM, WEAK))
        results.append(
            DimensionResult(dim, strong, medium, weak, dimension_is_positive(strong, medium, weak))
        )
    positive = {r.dimension for r in results if r.positive}
    present = tuple(
        element
        for element in DELPHI_ELEMENTS.codes()
        if positive.intersection(ELEMENT_DIMENSIONS[element])
    )
    missing = tuple(element for element in DELPHI_ELEMENTS.codes() if element not in present)
    return DelphiResult(
        dimensions=tuple(results),
        elements_present=present,
        elements_missing=missing,
        victim_of_labour_trafficking=not missing,
        ignored=ignored,
    )
