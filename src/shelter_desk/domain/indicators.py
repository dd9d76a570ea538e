"""ILO indicators of forced labour and the ILO/EC Delphi indicators of trafficking.

What was checked against a source, and what was not (issue 11 item 14). Two checks were
made from machines that reach no live web page, only stored copies: the first when the
caveat below was added, the second on 3 December 2026, which searched the stored copies
of the brochure that could be found (ILO and EC catalogue pages, studylib, vdocuments),
secondary summaries of it and public repositories for the text of its lists and rules.

* **Operational indicators of trafficking in human beings. Results from a Delphi survey
  implemented by the ILO and the European Commission** (first published March 2009,
  revised September 2009; ILO WCMS_105023; 4 pages). **Verified**, from the ILO and EC
  catalogue pages of WCMS_105023 and from the text of the brochure's page 1: the title
  and dates; that it holds four lists (adults and children, labour and sexual
  exploitation); and the six dimensions: deceptive recruitment (including transfer and
  transport), coercive recruitment, recruitment by abuse of vulnerability, exploitation,
  coercion at destination and abuse of vulnerability at destination.
* **Corroborated by a secondary source only**: the number of indicators per dimension,
  10, 10, 16, 9, 15 and 7 in the order above (67 in all), as a summary of the brochure
  published by Seafish (its TESS record "ILO Operational Indicators. Trafficking in human
  beings") gives them. That summary names no indicator and gives no weight.
* **Not verified** (only the opening of each stored copy of the brochure could be read,
  never its pages 2 to 4, which hold the lists and the rules): the wording of every
  indicator below, every strong/medium/weak weight, the dimension rule in
  :func:`dimension_is_positive` and the way dimensions combine into elements in
  :func:`assess_delphi`. They were entered from memory and from a secondary table
  compiled by others (a table in a public repository, read in the second check, fits its
  description), which cites "WCMS_105023 p.3" for the same dimension rule and agrees
  with every weight here but two: it rates ``Difficulties in the past`` and ``Difficulty
  to organise the travel`` (recruitment by abuse of vulnerability) medium, where they
  are weak here. That table is no primary source, so neither side is
  corrected and no page is cited beside the list or the rule.
* The lists for adults in sexual exploitation and for children are therefore not encoded.
* **ILO Indicators of Forced Labour** (ILO SAP-FL, 2012): the eleven names in the ILO's
  order, as reproduced by secondary summaries of the booklet (Seafish's TESS record among
  them, in this order); the booklet itself was not read.

Until someone checks the list against the brochure's pages 2 to 4 (and cites the page
beside the list and the rule), every :attr:`DelphiResult.conclusion` says that it is
indicative and not verified against the source, and the printed intake form says the
same of the weights and the rule, so that no screen, form or summary presents the result
as a finding. It supports the caseworker's judgement and is never a legal identification.

The rules implemented (as entered, unverified):

* A dimension is **positive** when it has at least two strong indicators, or one strong
  and at least one medium or weak, or three medium, or two medium and one weak.
* The three elements are **recruitment** (deceptive recruitment, coercive recruitment or
  recruitment by abuse of vulnerability positive), **exploitation** (exploitative
  conditions of work positive) and **coercion** (coercion at destination or abuse of
  vulnerability at destination positive); all three present is read as indicating
  trafficking for labour exploitation.
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
# Source: ILO/EC 2009, WCMS_105023, the list for adults in labour exploitation. Page: none
# cited, because the brochure's pages 2 to 4 (the lists) could not be read; the counts per
# dimension match a secondary summary, the wording and weights are unverified (see the
# module docstring).

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

# Which dimensions make each element, as entered: not verified against the brochure (its
# rule for combining dimensions is on a page that could not be read).
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
        """English source text of the conclusion (translate with ``_``).

        Each text opens with the caveat that the list is not verified against the
        ILO/EC brochure (see the module docstring), so that it never reads as a finding.
        """
        if self.victim_of_labour_trafficking:
            return N_(
                "Indicative, not verified against the source (ILO/EC 2009). "
                "Indicators show trafficking for labour exploitation"
            )
        if not self.elements_present:
            return N_(
                "Indicative, not verified against the source (ILO/EC 2009). "
                "No element of trafficking is shown by the indicators"
            )
        return N_(
            "Indicative, not verified against the source (ILO/EC 2009). "
            "Not all elements of trafficking are shown by the indicators"
        )


def dimension_is_positive(strong: int, medium: int, weak: int) -> bool:
    """The dimension rule as entered; not verified against the ILO/EC brochure.

    Source: ILO/EC 2009, WCMS_105023; page not cited (unread). A secondary table cites
    its page 3 for the same rule, which is no check of it.
    """
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


def assess_delphi(selected: Iterable[str]) -> DelphiResult:
    """Apply the rules (as entered, unverified) to the ticked Delphi indicator codes.

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
