"""Who the demo cases are about: the populations the shelters serve, the forms of
exploitation they meet and where, and the facts a case history draws on (currencies and
costs, means of control, closures, risk factors, objectives, narratives).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Populations and the forms of exploitation they meet ------------------------------


@dataclass(frozen=True)
class Pattern:
    """One form of exploitation a population meets, and where."""

    weight: int
    types: tuple[str, ...]
    hosts: tuple[str, ...]  # countries of the shelters that assist them (first = most)
    female: float  # share of women and girls
    minor: float = 0.05  # share trafficked as children
    industry: str = ""
    sex: tuple[str, ...] = ()
    exploited_in: tuple[str, ...] = ()  # where, when not in the host country
    transit: tuple[str, ...] = ()
    ransom: bool = False  # held for ransom on the way (the Sinai camps)


@dataclass(frozen=True)
class Population:
    country: str
    weight: int
    patterns: tuple[Pattern, ...]
    returns: bool = True  # assisted voluntary return is an option for them


_DOMESTIC = "T_ActivitiesOfHouseholdsAsEmployers"
_FARM = "A_AgricultureForestryAndFishing"
_BUILD = "F_Construction"
_SERVITUDE = ("Servitude", "ForcedLabour")
SEX = ("SexualExploitation",)
_LABOUR = ("ForcedLabour",)
_PROSTITUTION = ("Prostitution",)

POPULATIONS: tuple[Population, ...] = (
    Population(
        "ER",
        8,
        (
            Pattern(4, ("Other",), ("IL", "EG"), 0.35, 0.1, transit=("SD", "EG"), ransom=True),
            Pattern(3, _LABOUR, ("IL",), 0.2, industry="I_AccommodationAndFoodServiceActivities"),
            Pattern(2, SEX, ("IL", "EG"), 0.95, 0.1, sex=_PROSTITUTION, transit=("SD",)),
        ),
        returns=False,
    ),
    Population(
        "SD",
        7,
        (
            Pattern(4, _LABOUR, ("EG", "JO", "IL"), 0.1, industry=_FARM),
            Pattern(2, ("Other",), ("IL", "EG"), 0.25, transit=("EG",), ransom=True),
            Pattern(2, _LABOUR, ("JO", "EG"), 0.05, industry=_BUILD),
        ),
        returns=False,
    ),
    Population(
        "PH",
        10,
        (
            Pattern(6, _SERVITUDE, ("LB", "JO", "QA", "IL"), 0.97, 0.03, industry=_DOMESTIC),
            Pattern(2, _LABOUR, ("IL",), 0.85, industry="Q_HumanHealthAndSocialWorkActivities"),
            Pattern(1, SEX, ("LB", "QA"), 0.9, sex=("Prostitution", "PrivateSexualServices")),
            Pattern(1, _LABOUR, ("QA",), 0.02, industry=_BUILD),
        ),
    ),
    Population(
        "NP",
        9,
        (
            Pattern(5, _LABOUR, ("QA",), 0.02, 0.04, industry=_BUILD),
            Pattern(3, _SERVITUDE, ("LB", "JO", "QA"), 0.98, 0.06, industry=_DOMESTIC),
            Pattern(
                1, _LABOUR, ("QA",), 0.05, industry="N_AdministrativeAndSupportServiceActivities"
            ),
        ),
    ),
    Population(
        "ET",
        10,
        (
            Pattern(7, _SERVITUDE, ("LB", "JO", "QA"), 0.97, 0.08, industry=_DOMESTIC),
            Pattern(1, SEX, ("LB",), 1.0, 0.1, sex=_PROSTITUTION),
        ),
    ),
    Population(
        "UA",
        6,
        (
            Pattern(3, SEX, ("IL", "GE"), 0.95, sex=_PROSTITUTION),
            Pattern(2, _LABOUR, ("IL", "GE"), 0.1, industry=_BUILD),
            Pattern(1, _LABOUR, ("IL",), 0.3, industry=_FARM),
        ),
    ),
    Population(
        "RU",
        4,
        (
            Pattern(3, SEX, ("IL", "EG", "GE"), 0.97, sex=_PROSTITUTION),
            Pattern(1, _LABOUR, ("EG",), 0.6, industry="I_AccommodationAndFoodServiceActivities"),
        ),
    ),
    Population(
        "GE",
        5,
        (
            Pattern(3, SEX, ("GE",), 0.95, sex=_PROSTITUTION, exploited_in=("TR",)),
            Pattern(2, _SERVITUDE, ("GE",), 0.95, industry=_DOMESTIC, exploited_in=("TR",)),
            Pattern(1, ("ForcedBegging",), ("GE",), 0.5, 0.8),
        ),
    ),
    Population(
        "UZ",
        5,
        (
            Pattern(3, _LABOUR, ("GE",), 0.05, industry=_BUILD),
            Pattern(2, SEX, ("GE",), 0.95, sex=_PROSTITUTION, exploited_in=("TR", "GE")),
        ),
    ),
    Population(
        "MD",
        4,
        (
            Pattern(3, SEX, ("IL", "GE"), 0.95, sex=_PROSTITUTION, exploited_in=("TR", "IL")),
            Pattern(1, _LABOUR, ("IL",), 0.1, industry=_BUILD),
        ),
    ),
    Population(
        "NG",
        7,
        (
            Pattern(5, SEX, ("MA",), 0.95, 0.2, sex=_PROSTITUTION, transit=("NE", "DZ")),
            Pattern(2, _SERVITUDE, ("LB",), 1.0, 0.05, industry=_DOMESTIC),
        ),
    ),
    Population("TH", 6, (Pattern(6, _LABOUR, ("IL",), 0.1, 0.01, industry=_FARM),)),
    Population(
        "SY",
        6,
        (
            Pattern(3, ("ForcedLabour", "ChildLabour"), ("JO", "LB"), 0.4, 0.6, industry=_FARM),
            Pattern(2, ("ForcedMarriage",), ("JO", "LB", "EG"), 1.0, 0.7),
            Pattern(2, ("ForcedBegging", "ChildLabour"), ("LB", "JO", "EG"), 0.4, 0.8),
            Pattern(2, SEX, ("LB",), 0.95, 0.15, sex=_PROSTITUTION),
        ),
        returns=False,
    ),
    Population(
        "BD",
        5,
        (
            Pattern(3, _LABOUR, ("QA", "JO"), 0.02, industry=_BUILD),
            Pattern(2, _LABOUR, ("JO",), 0.7, industry="C_Manufacturing"),
            Pattern(1, _SERVITUDE, ("JO", "LB"), 1.0, industry=_DOMESTIC),
        ),
    ),
    Population(
        "LK", 4, (Pattern(5, _SERVITUDE, ("JO", "LB", "QA"), 0.98, 0.02, industry=_DOMESTIC),)
    ),
    Population(
        "KE",
        5,
        (
            Pattern(5, _SERVITUDE, ("LB", "QA", "JO"), 0.95, 0.03, industry=_DOMESTIC),
            Pattern(1, SEX, ("LB",), 1.0, sex=_PROSTITUTION),
        ),
    ),
    Population(
        "EG",
        4,
        (
            Pattern(3, _LABOUR, ("JO",), 0.05, industry=_FARM),
            Pattern(1, ("ForcedBegging", "ChildLabour"), ("EG",), 0.4, 0.9),
            Pattern(1, ("ForcedMarriage",), ("EG",), 1.0, 0.8),
        ),
    ),
    Population(
        "MA",
        3,
        (
            Pattern(2, ("ChildLabour", "Servitude"), ("MA",), 0.95, 0.9, industry=_DOMESTIC),
            Pattern(1, SEX, ("QA",), 1.0, sex=("PrivateSexualServices",)),
        ),
    ),
    Population(
        "GN",
        4,
        (
            Pattern(2, SEX, ("MA",), 0.9, 0.25, sex=_PROSTITUTION, transit=("ML", "DZ")),
            Pattern(1, ("ForcedBegging",), ("MA",), 0.3, 0.7),
            Pattern(1, _SERVITUDE, ("MA",), 1.0, 0.2, industry=_DOMESTIC),
        ),
    ),
    Population("IL", 3, (Pattern(1, SEX, ("IL",), 0.9, 0.15, sex=_PROSTITUTION),), False),
)

CURRENCIES: dict[str, str] = {
    "IL": "ILS",
    "JO": "JOD",
    "EG": "EGP",
    "MA": "MAD",
    "LB": "LBP",
    "QA": "QAR",
    "GE": "GEL",
}
# Local currency units per US dollar, roughly; only for plausible demo amounts.
PER_USD: dict[str, float] = {
    "USD": 1.0,
    "ILS": 3.7,
    "JOD": 0.71,
    "EGP": 48.0,
    "MAD": 10.0,
    "LBP": 89_500.0,
    "QAR": 3.64,
    "GEL": 2.7,
}
# Typical cost of a service in US dollars (low, high); shelter stays are per night.
SERVICE_COST_USD: dict[str, tuple[int, int]] = {
    "Accommodation": (20, 45),
    "Medical": (40, 700),
    "Psychosocial": (60, 600),
    "LegalAid": (150, 1500),
    "Interpretation": (30, 250),
    "Documentation": (20, 160),
    "EducationVocational": (100, 800),
    "Livelihood": (300, 1500),
    "Financial": (50, 400),
    "FamilyTracingMediation": (20, 150),
    "ReturnTravel": (350, 1200),
    "ReintegrationAssistance": (500, 2000),
}
OPTIONAL_SERVICES: tuple[tuple[str, int], ...] = (
    ("Medical", 7),
    ("Psychosocial", 7),
    ("LegalAid", 5),
    ("Interpretation", 3),
    ("Documentation", 3),
    ("EducationVocational", 2),
    ("Financial", 2),
    ("Livelihood", 1),
    ("FamilyTracingMediation", 1),
)

CONTROL_LABOUR = (
    "WithholdsDocuments",
    "TakesEarnings",
    "DebtBondage",
    "ExcessiveWorkingHours",
    "ThreatsLawEnforcement",
    "RestrictsFinancialAccess",
    "PsychologicalAbuse",
    "FalsePromises",
    "WithholdsNecessities",
    "RestrictsMedicalCare",
)
CONTROL_SEX = (
    "PhysicalThreats",
    "PhysicalAbuse",
    "SexualAbuse",
    "DebtBondage",
    "TakesEarnings",
    "ThreatensChildrenFamily",
    "PsychoactiveSubstance",
    "PsychologicalAbuse",
    "FalsePromises",
    "ThreatsLawEnforcement",
)
CONTROL_RANSOM = ("PhysicalAbuse", "PhysicalThreats", "ThreatensChildrenFamily", "SexualAbuse")
RECRUITMENT = (
    ("ThroughFriendsOrSocialEvents", 5),
    ("ThroughFamilyOrFamilyEvents", 3),
    ("AtAPlaceOfBusiness", 4),
    ("ThroughOnlineSocialNetworks", 4),
    ("ThroughAnOnlineAdvertisement", 2),
    ("ThroughANewspaperAdvert", 1),
    ("AtWork", 1),
    ("Other", 1),
)
IDENTIFIED_BY = (
    ("Police", 6),
    ("NGO", 6),
    ("Hotline", 3),
    ("SelfReferral", 4),
    ("LabourInspection", 2),
    ("EmbassyOrConsulate", 2),
    ("HealthService", 2),
    ("FamilyOrFriends", 1),
    ("ImmigrationService", 2),
    ("InternationalOrganisation", 1),
)
CLOSURE_WITHOUT_RETURN = (
    ("SupportCompleted", 45),
    ("ChoseToStopSupport", 12),
    ("LeftTheArea", 12),
    ("ReMigrated", 5),
    ("ReferredToOtherOrganisation", 10),
    ("FundingEnded", 5),
    ("SecurityConstraints", 2),
    ("AggressionTowardsStaff", 1),
    ("Deceased", 1),
    ("Other", 2),
)
CLOSURE_NOTES: dict[str, str] = {
    "SupportCompleted": "Objectives of the support plan reviewed with the person; support ended.",
    "ChoseToStopSupport": "The person asked to stop receiving support; told they can return.",
    "LeftTheArea": "Moved to another city; contact details of partners there were given.",
    "ReMigrated": "Left for work abroad again; given safe-migration information first.",
    "ReferredToOtherOrganisation": "Case handed over to the partner that accepted the referral.",
    "FundingEnded": "The programme funding the support ended.",
    "SecurityConstraints": "Visits stopped because of the security situation in the area.",
    "AggressionTowardsStaff": "Repeated threats towards staff; referred to other services.",
    "Deceased": "The person died; the family was informed with the partner's help.",
    "NoLongerEligible": "Assessed as not a victim of trafficking; referred to general services.",
    "Other": "Closed after review by the supervisor.",
}
RISK_FACTORS: dict[str, tuple[str, ...]] = {
    "Individual": (
        "Outstanding recruitment debt",
        "Symptoms of trauma and poor sleep",
        "Limited literacy",
        "No savings or income of their own",
        "Health condition needing long treatment",
    ),
    "Household": (
        "Family depends on remittances",
        "A relative was involved in the recruitment",
        "Children left with grandparents",
        "Family debt to a local moneylender",
    ),
    "Community": (
        "Recruiter still active in the home area",
        "Stigma towards people who come back without money",
        "Few jobs in the home area",
    ),
    "Structural": (
        "Irregular migration status",
        "Visa tied to a single employer",
        "Weak labour protection for domestic work",
        "Conflict or insecurity in the country of origin",
    ),
}
PROTECTIVE_FACTORS: dict[str, tuple[str, ...]] = {
    "Individual": ("Completed a vocational course", "Motivated to start a small business"),
    "Household": ("Supportive sibling at home", "Spouse supports the return"),
    "Community": ("Belongs to a supportive faith community", "Returnee peer group nearby"),
    "Structural": ("Entitled to free health care at home", "Regular status obtained"),
}
OBJECTIVES: dict[str, tuple[str, str]] = {
    "Health": ("Recover physical health", "Medical check-up and follow-up treatment"),
    "Legal": ("Regularise status and claim unpaid wages", "Legal aid and labour complaint"),
    "Livelihood": ("Earn a regular income", "Job search support and a start-up grant"),
    "Education": ("Improve skills for work", "Enrol in a vocational course"),
    "SocialCare": ("Safe and stable housing", "Shelter stay, then help to find housing"),
    "SexualExploitationRehabilitation": (
        "Recover from sexual exploitation",
        "Weekly individual counselling and a support group",
    ),
    "LabourExploitationRehabilitation": (
        "Recover from labour exploitation",
        "Counselling and help to claim documents and wages",
    ),
    "Financial": ("Pay off the recruitment debt safely", "Budget counselling and a small grant"),
    "RightsBasedTraining": ("Know rights as a migrant worker", "Rights workshop before return"),
}
REINTEGRATION: dict[str, tuple[tuple[str, str], ...]] = {
    "Economic": (
        ("Start a small shop", "Business training and an in-kind grant"),
        ("Find paid work near home", "Job placement with a partner employer"),
        ("Raise poultry for income", "Livestock and veterinary advice"),
    ),
    "Social": (
        ("Children back in school", "School fees and uniforms for a year"),
        ("Safe housing", "Rent support for six months"),
        ("Replace identity documents", "Accompany to the civil registry"),
    ),
    "Psychosocial": (
        ("Reconnect with family", "Family mediation sessions"),
        ("Cope with trauma", "Monthly counselling by the reception partner"),
    ),
}
NARRATIVE: dict[str, str] = {
    "Servitude": "Recruited through an agency with a promise of well-paid domestic work; "
    "the passport was taken on arrival; long days without rest, pay or a day off.",
    "ForcedLabour": "Promised a job with a good salary; on arrival the wage was lower, the "
    "recruitment debt kept growing and leaving the job was not possible.",
    "SexualExploitation": "Offered work as a waitress or dancer; on arrival was forced into "
    "prostitution and told the travel debt had to be repaid first.",
    "Other": "Abducted on the way and held for ransom; the family was called and made to pay "
    "while the person was beaten.",
    "ForcedMarriage": "Married as a minor to a much older man through a broker; the family "
    "received money.",
    "ForcedBegging": "Made to beg at traffic lights every day and hand over the money.",
    "ChildLabour": "Worked long hours as a child instead of going to school.",
}
