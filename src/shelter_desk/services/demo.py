"""Demo data: synthetic but realistic case histories for training and trying Shelter Desk.

``generate_demo`` fills a demo installation with invented people from the populations
these shelters serve (names in their own scripts with Latin spellings), a partner address
book, and complete case histories: intake with ILO and Delphi indicators, consent,
trafficking events, needs assessments, support objectives, services with costs in local
currencies, referrals, assisted returns with reintegration plans and follow-ups (some done
with sustainability answers, some overdue), and closures.

Deterministic: the same seed and ``today`` give the same records with the same ids on any
installation (ids are UUIDv7 whose time is the case's opening date and whose random bits
come from the seed). Only what describes the installation itself differs: its organisation
and user ids, the transactions' clock times and the audit log.

Speed: records are built in memory, checked with the domain rules, and written as
change-log transactions in batches of ``BATCH_CASES`` cases, one database transaction per
batch. A cancelled run stops between batches, so it leaves whole cases only.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from anyascii import anyascii

from shelter_desk.domain import codes, rules
from shelter_desk.domain.entities import (
    Case,
    Consent,
    Contact,
    ContactPerson,
    FollowUp,
    IdentityDocument,
    Intake,
    NeedRating,
    NeedsAssessment,
    Organisation,
    Person,
    Referral,
    ReintegrationObjective,
    ReintegrationPlan,
    Return,
    RiskFactor,
    ServiceDelivery,
    SupportObjective,
    TraffickingEvent,
)
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.domain.indicators import (
    DELPHI_DIMENSIONS,
    FORCED_LABOUR_INDICATORS,
    indicators_of,
)
from shelter_desk.domain.serialize import to_fields
from shelter_desk.domain.sustainability import DEFAULT, score_answers
from shelter_desk.i18n import _
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services import demo_names as names
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.session import Session
from shelter_desk.services.worker import CancelToken
from shelter_desk.store.records import Change

BATCH_CASES = 500
DEMO_YEARS = 4  # cases open over the four years before ``today``
LOST_CONTACT_DAYS = 150  # a follow-up missed this long ago usually means contact was lost
T = TypeVar("T")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    cases: int  # cases written (fewer than asked when cancelled)
    records: int  # records written, the partner address book included
    organisations: int
    cancelled: bool = False


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
_SEX = ("SexualExploitation",)
_LABOUR = ("ForcedLabour",)
_PROSTITUTION = ("Prostitution",)

POPULATIONS: tuple[Population, ...] = (
    Population(
        "ER",
        8,
        (
            Pattern(4, ("Other",), ("IL", "EG"), 0.35, 0.1, transit=("SD", "EG"), ransom=True),
            Pattern(3, _LABOUR, ("IL",), 0.2, industry="I_AccommodationAndFoodServiceActivities"),
            Pattern(2, _SEX, ("IL", "EG"), 0.95, 0.1, sex=_PROSTITUTION, transit=("SD",)),
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
            Pattern(1, _SEX, ("LB", "QA"), 0.9, sex=("Prostitution", "PrivateSexualServices")),
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
            Pattern(1, _SEX, ("LB",), 1.0, 0.1, sex=_PROSTITUTION),
        ),
    ),
    Population(
        "UA",
        6,
        (
            Pattern(3, _SEX, ("IL", "GE"), 0.95, sex=_PROSTITUTION),
            Pattern(2, _LABOUR, ("IL", "GE"), 0.1, industry=_BUILD),
            Pattern(1, _LABOUR, ("IL",), 0.3, industry=_FARM),
        ),
    ),
    Population(
        "RU",
        4,
        (
            Pattern(3, _SEX, ("IL", "EG", "GE"), 0.97, sex=_PROSTITUTION),
            Pattern(1, _LABOUR, ("EG",), 0.6, industry="I_AccommodationAndFoodServiceActivities"),
        ),
    ),
    Population(
        "GE",
        5,
        (
            Pattern(3, _SEX, ("GE",), 0.95, sex=_PROSTITUTION, exploited_in=("TR",)),
            Pattern(2, _SERVITUDE, ("GE",), 0.95, industry=_DOMESTIC, exploited_in=("TR",)),
            Pattern(1, ("ForcedBegging",), ("GE",), 0.5, 0.8),
        ),
    ),
    Population(
        "UZ",
        5,
        (
            Pattern(3, _LABOUR, ("GE",), 0.05, industry=_BUILD),
            Pattern(2, _SEX, ("GE",), 0.95, sex=_PROSTITUTION, exploited_in=("TR", "GE")),
        ),
    ),
    Population(
        "MD",
        4,
        (
            Pattern(3, _SEX, ("IL", "GE"), 0.95, sex=_PROSTITUTION, exploited_in=("TR", "IL")),
            Pattern(1, _LABOUR, ("IL",), 0.1, industry=_BUILD),
        ),
    ),
    Population(
        "NG",
        7,
        (
            Pattern(5, _SEX, ("MA",), 0.95, 0.2, sex=_PROSTITUTION, transit=("NE", "DZ")),
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
            Pattern(2, _SEX, ("LB",), 0.95, 0.15, sex=_PROSTITUTION),
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
            Pattern(1, _SEX, ("LB",), 1.0, sex=_PROSTITUTION),
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
            Pattern(1, _SEX, ("QA",), 1.0, sex=("PrivateSexualServices",)),
        ),
    ),
    Population(
        "GN",
        4,
        (
            Pattern(2, _SEX, ("MA",), 0.9, 0.25, sex=_PROSTITUTION, transit=("ML", "DZ")),
            Pattern(1, ("ForcedBegging",), ("MA",), 0.3, 0.7),
            Pattern(1, _SERVITUDE, ("MA",), 1.0, 0.2, industry=_DOMESTIC),
        ),
    ),
    Population("IL", 3, (Pattern(1, _SEX, ("IL",), 0.9, 0.15, sex=_PROSTITUTION),), False),
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
_PER_USD: dict[str, float] = {
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
_SERVICE_COST_USD: dict[str, tuple[int, int]] = {
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
_OPTIONAL_SERVICES: tuple[tuple[str, int], ...] = (
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

_CONTROL_LABOUR = (
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
_CONTROL_SEX = (
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
_CONTROL_RANSOM = ("PhysicalAbuse", "PhysicalThreats", "ThreatensChildrenFamily", "SexualAbuse")
_RECRUITMENT = (
    ("ThroughFriendsOrSocialEvents", 5),
    ("ThroughFamilyOrFamilyEvents", 3),
    ("AtAPlaceOfBusiness", 4),
    ("ThroughOnlineSocialNetworks", 4),
    ("ThroughAnOnlineAdvertisement", 2),
    ("ThroughANewspaperAdvert", 1),
    ("AtWork", 1),
    ("Other", 1),
)
_IDENTIFIED_BY = (
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
_CLOSURE_WITHOUT_RETURN = (
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
_CLOSURE_NOTES: dict[str, str] = {
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
_RISK_FACTORS: dict[str, tuple[str, ...]] = {
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
_PROTECTIVE_FACTORS: dict[str, tuple[str, ...]] = {
    "Individual": ("Completed a vocational course", "Motivated to start a small business"),
    "Household": ("Supportive sibling at home", "Spouse supports the return"),
    "Community": ("Belongs to a supportive faith community", "Returnee peer group nearby"),
    "Structural": ("Entitled to free health care at home", "Regular status obtained"),
}
_OBJECTIVES: dict[str, tuple[str, str]] = {
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
_REINTEGRATION: dict[str, tuple[tuple[str, str], ...]] = {
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
_NARRATIVE: dict[str, str] = {
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


# --- Deterministic ids ------------------------------------------------------------------


class _Ids:
    """UUIDv7 values from the seed: the time part is the case's opening date (so ids
    sort in the order cases opened), the random parts come from the seeded generator."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"shelter-desk-demo-ids/{seed}")
        self._last_ms = 0

    def on(self, day: dt.date) -> str:
        ms = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)
        self._last_ms = ms = max(ms, self._last_ms + 1)
        value = (
            (ms << 80)
            | (0x7 << 76)
            | (self._rng.getrandbits(12) << 64)
            | (0b10 << 62)
            | self._rng.getrandbits(62)
        )
        return str(uuid.UUID(int=value))


# --- Generating ---------------------------------------------------------------------------


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@dataclass
class _Story:
    """The facts of one case that its records share."""

    population: Population
    pattern: Pattern
    host: str
    exploited_in: str
    currency: str
    opened: dt.date
    end: dt.date  # the last day anything happens: the closing date, or today
    staff: str
    minor: bool
    cf: CaseFile
    recruited: dt.date | None = None
    leaves_on: dt.date | None = None  # the return travel date


class _Generator:
    def __init__(self, session: Session, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.ids = _Ids(seed)
        self.today = today
        self.org_id = session.org_id
        self.owner_id = session.user.id
        self.prefix = session.case_prefix
        self.numbers = session.case_numbers
        self.months = cases.follow_up_months(session)
        self.home = session.meta.get("org_country")
        self.partners: list[Organisation] = []
        self._partner_keys: dict[str, Organisation] = {}
        populations = [p for p in POPULATIONS if self._hosts(p)] or list(POPULATIONS)
        self.populations = populations

    def _hosts(self, population: Population) -> bool:
        return not self.home or any(self.home in p.hosts for p in population.patterns)

    # -- helpers -------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def weighted(self, pairs: Sequence[tuple[T, int]]) -> T:
        total = sum(w for _item, w in pairs)
        n = self.rng.randrange(total)
        for item, w in pairs:
            n -= w
            if n < 0:
                return item
        return pairs[-1][0]

    def some(self, items: Sequence[T], low: int, high: int) -> tuple[T, ...]:
        k = min(len(items), self.rng.randint(low, high))
        return tuple(self.rng.sample(list(items), k))

    def between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + _days(self.rng.randint(0, (end - start).days))

    def money(self, service: str, currency: str, units: int = 1) -> Decimal:
        low, high = _SERVICE_COST_USD.get(service, (20, 200))
        usd = self.rng.uniform(low, high) * units
        amount = usd * _PER_USD[currency]
        step = 1000 if currency == "LBP" else 5 if amount > 200 else 1
        return Decimal(max(step, int(amount / step) * step))

    # -- the partner address book --------------------------------------------------
    def address_book(self) -> list[Organisation]:
        start = self.today - _days(365 * (DEMO_YEARS + 1))
        for p in names.PARTNERS:
            org = Organisation(
                id=self.ids.on(start),
                org_id=self.org_id,
                name=p.name,
                type=p.type,
                country=p.country,
                city=p.city,
                phone=p.phone,
                email=p.email,
                languages=p.languages,
                services_offered=p.services,
                coalition_role=p.coalition_role,
                contact_persons=(
                    ContactPerson(
                        name=p.contact,
                        role=p.contact_role,
                        phone=p.phone,
                        email=p.email,
                        languages=p.languages,
                    ),
                ),
                notes="Demo entry: an invented organisation; its details belong to nobody.",
            )
            self.partners.append(org)
            self._partner_keys[p.key] = org
        return self.partners

    def partner_for(self, service: str, country: str) -> Organisation | None:
        found = [o for o in self.partners if service in o.services_offered and o.country == country]
        return self.pick(found) if found else None

    def international(self, host: str) -> Organisation:
        key = "crossroads_tbilisi" if host == "GE" else "crossroads_amman"
        return self._partner_keys[key]

    # -- opening dates -------------------------------------------------------------
    def opening_dates(self, count: int) -> list[dt.date]:
        """When the cases opened: over the last DEMO_YEARS years, more of them recently."""
        span = 365 * DEMO_YEARS
        days = [int(span * (1 - self.rng.random() ** 1.3)) for _n in range(count)]
        return sorted(self.today - _days(d) for d in days)

    # -- one case ------------------------------------------------------------------
    def case(self, opened: dt.date) -> CaseFile:
        population = self.weighted([(p, p.weight) for p in self.populations])
        pattern = self.weighted([(p, p.weight) for p in population.patterns])
        host = self.home if self.home in pattern.hosts else self.pick(pattern.hosts)
        exploited_in = self.pick(pattern.exploited_in) if pattern.exploited_in else host
        case_id = self.ids.on(opened)
        seq = self.numbers.next(self.prefix, opened.year)
        case = Case(
            id=case_id,
            org_id=self.org_id,
            number=rules.format_case_number(self.prefix, opened.year, seq),
            person_id=self.ids.on(opened),
            owner_id=self.owner_id,
            opened_on=opened,
        )
        story = _Story(
            population=population,
            pattern=pattern,
            host=host,
            exploited_in=exploited_in,
            currency=CURRENCIES[host],
            opened=opened,
            end=self.today,
            staff=self.pick(names.STAFF),
            minor=self.chance(pattern.minor),
            cf=CaseFile(case=case, person=Person(id=case.person_id, org_id=self.org_id)),
        )
        self.person(story, self.chance(pattern.female))
        intake = self.intake(story)
        consent = self.consent(story)
        self.events(story, intake)
        self.decide_status(story)
        returning = self.return_(story)
        if returning is None:
            self.close_without_return(story)
        self.assessments(story)
        self.objectives(story)
        self.services(story)
        self.referrals(story, consent)
        if returning is not None:
            self.reintegration(story, returning)
        cf = story.cf
        cf.case.risk_level = cf.assessments[-1].risk_level if cf.assessments else ""
        decided = cf.case.trafficking_status_decided_on
        if decided and cf.case.closed_on and decided > cf.case.closed_on:
            cf.case.trafficking_status_decided_on = cf.case.closed_on
        return cf

    # -- the person ----------------------------------------------------------------
    def name(self, choices: Sequence[names.Name]) -> tuple[str, str, tuple[str, ...]]:
        """(as written, usual Latin spelling, other spellings)."""
        written, spellings = self.pick(choices)
        if _is_latin(written) or not spellings:
            return written, written if _is_latin(written) else anyascii(written), spellings
        latin = spellings[0] if self.chance(0.8) else self.pick(spellings)
        others = tuple(s for s in spellings if s != latin)
        if written in names.VOCALISED and self.chance(0.2):
            written = names.VOCALISED[written]
        return written, latin, others

    def person(self, story: _Story, female: bool) -> None:
        country = story.population.country
        p = story.cf.person
        given = names.FEMALE[country] if female else names.MALE[country]
        surnames = names.SURNAMES_FEMALE[country] if female else names.SURNAMES_MALE[country]
        first, first_latin, first_others = self.name(given)
        second, second_latin, _o = self.name(surnames)
        p.first_name, p.first_name_latin = first, first_latin
        p.second_name, p.second_name_latin = second, second_latin
        if country == "PH" and self.chance(0.5):
            p.middle_name, p.middle_name_latin, _o = self.name(names.SURNAMES_MALE["PH"])
        elif country in ("ER", "ET", "SD") and self.chance(0.4):
            p.middle_name, p.middle_name_latin, _o = self.name(names.MALE[country])
        aliases: list[str] = []
        if first_others and self.chance(0.35):
            aliases.append(f"{self.pick(first_others)} {second_latin}")
        if "SexualExploitation" in story.pattern.types and self.chance(0.3):
            aliases.append(self.pick(names.WORK_NAMES))
        if self.chance(0.04):
            _other, other_latin, _o = self.name(given)
            aliases.append(other_latin)
        p.aliases = tuple(dict.fromkeys(a for a in aliases if a))
        p.gender = "Feminine" if female else "Masculine"
        if "SexualExploitation" in story.pattern.types and self.chance(0.03):
            p.gender = "TransgenderFeminine"
        elif self.chance(0.005):
            p.gender = "NonSpecifiedUnknown"
        p.citizenships = (country,)
        p.primary_language, p.secondary_language = names.LANGUAGES[country]
        p.marital_status = "Single"
        if not story.minor:
            p.marital_status = self.weighted(
                [("Single", 50), ("Married", 28), ("Divorced", 9), ("Separated", 7), ("Widowed", 4)]
            )
            p.number_of_children = self.rng.choice((0, 0, 1, 1, 2, 2, 3, 4))
            if p.marital_status == "Single" and self.chance(0.7):
                p.number_of_children = 0
        p.education_level = self.weighted(
            [
                ("NoFormalEducation", 8),
                ("PrimaryEducation", 25),
                ("LowerSecondaryEducation", 25),
                ("UpperSecondaryEducation", 25),
                ("PostSecondaryNonTertiaryEducation", 7),
                ("BachelorsOrEquivalentLevel", 6),
                ("", 4),
            ]
        )

    def birth(self, story: _Story, began: dt.date) -> None:
        pattern = story.pattern
        if story.minor:
            low = 8 if "ForcedBegging" in pattern.types else 12
            age = self.rng.randint(low, 17)
        else:
            age = int(self.rng.triangular(18, 55, 24))
        born = began - _days(int(age * 365.25) + self.rng.randint(1, 360))
        p = story.cf.person
        if self.chance(0.6):
            p.birth_date = born
        else:
            p.estimated_birth_year = born.year

    def documents(self, story: _Story, recruited: dt.date, withheld: bool) -> None:
        p = story.cf.person
        country = story.population.country
        docs: list[IdentityDocument] = []
        if country in ("ER", "SD", "SY") and self.chance(0.7):
            docs.append(
                IdentityDocument(
                    document_type="RefugeeOrAsylumDocument",
                    number=f"{self.rng.randint(100, 999)}-{self.rng.randint(10000, 99999)}",
                    issuing_country=story.host,
                    issued_on=self.between(recruited, story.opened),
                )
            )
        elif country == "IL":
            docs.append(
                IdentityDocument(
                    document_type="NationalIdCard",
                    number=f"{self.rng.randint(10_000_000, 399_999_999):09d}",
                    issuing_country="IL",
                )
            )
        if country != "IL" and self.chance(0.85):
            issued = recruited - _days(self.rng.randint(20, 2500))
            docs.append(
                IdentityDocument(
                    document_type="Passport",
                    number=f"{self.pick('ABCEKLMNPST')}{self.rng.randint(1_000_000, 9_999_999)}",
                    issuing_country=country,
                    issued_on=issued,
                    expires_on=rules.add_months(issued, 120 if self.chance(0.6) else 60),
                    withheld_by_trafficker=withheld,
                    notes="Kept by the employer since arrival." if withheld else "",
                )
            )
        if story.pattern.industry and story.host != country and self.chance(0.4):
            issued = self.between(recruited, recruited + _days(60))
            docs.append(
                IdentityDocument(
                    document_type=self.pick(("WorkPermit", "ResidencePermit", "Visa")),
                    number=f"{self.rng.randint(1_000_000, 99_999_999)}",
                    issuing_country=story.exploited_in,
                    issued_on=min(issued, story.opened),
                    expires_on=rules.add_months(min(issued, story.opened), 24),
                )
            )
        p.documents = tuple(docs)

    def contacts(self, story: _Story) -> None:
        p = story.cf.person
        found: list[Contact] = []
        if self.chance(0.8):
            code = names.DIALLING_CODES.get(story.host, "972")
            unsafe = self.chance(0.15)
            found.append(
                Contact(
                    contact_type="MobilePhone",
                    value=self.phone(code),
                    safe_to_use=not unsafe,
                    notes="The employer knows this number." if unsafe else "",
                )
            )
        if self.chance(0.3):
            code = names.DIALLING_CODES.get(story.population.country, "1")
            found.append(Contact(contact_type="MessagingApp", value=f"WhatsApp {self.phone(code)}"))
        if self.chance(0.1):
            local = anyascii(f"{p.first_name_latin}.{p.second_name_latin}").lower()
            local = "".join(c for c in local if c.isalnum() or c == ".").strip(".") or "person"
            found.append(
                Contact(
                    contact_type="Email",
                    value=f"{local}{self.rng.randint(1, 99)}@mail.example",
                )
            )
        if self.chance(0.1):
            found.append(
                Contact(
                    contact_type="Other",
                    value="Through the sister's phone",
                    notes="Call only after 18:00.",
                )
            )
        p.contacts = tuple(found)

    def phone(self, code: str) -> str:
        return (
            f"+{code} {self.rng.randint(50, 99)} {self.rng.randint(100, 999)}"
            f" {self.rng.randint(1000, 9999)}"
        )

    # -- intake, consent, events ---------------------------------------------------
    def intake(self, story: _Story) -> Intake:
        pattern, opened = story.pattern, story.opened
        ended = opened - _days(self.rng.randint(0, 45))
        length = min(int(self.rng.expovariate(1 / 320)) + 14, 365 * 6)
        began = ended - _days(length)
        recruited = began - _days(self.rng.randint(3, 120))
        story.recruited = recruited
        self.birth(story, began)
        labour = bool({"ForcedLabour", "Servitude", "ChildLabour"} & set(pattern.types))
        withheld = self.chance(0.55 if labour else 0.35 if pattern.types == _SEX else 0.1)
        self.documents(story, recruited, withheld)
        self.contacts(story)
        if pattern.ransom:
            control = self.some(_CONTROL_RANSOM, 2, 4)
        elif "SexualExploitation" in pattern.types:
            control = self.some(_CONTROL_SEX, 2, 5)
        else:
            control = self.some(_CONTROL_LABOUR, 2, 5)
        if withheld and "WithholdsDocuments" not in control:
            control += ("WithholdsDocuments",)
        ilo = self.some(FORCED_LABOUR_INDICATORS.codes(), 2, 6)
        if withheld and "RetentionOfIdentityDocuments" not in ilo:
            ilo += ("RetentionOfIdentityDocuments",)
        source = self.weighted(_IDENTIFIED_BY)
        referring = ""
        if source in ("NGO", "EmbassyOrConsulate", "InternationalOrganisation"):
            org = self.partner_for("Documentation", story.host) or self.international(story.host)
            referring = org.id
        language = story.cf.person.primary_language
        intake = Intake(
            id=self.ids.on(opened),
            org_id=self.org_id,
            case_id=story.cf.case.id,
            intake_date=opened,
            place=self.pick(("Shelter office", "Police station", "Hospital", "Partner office")),
            interviewer=story.staff,
            interpreter_language=language if language not in ("en", "ar", "he", "ru") else "",
            identification_source=source,
            referring_org_id=referring,
            data_source="Hotline" if self.chance(0.08) else "CaseManagement",
            exploitation_types=pattern.types,
            forced_labour_industry=pattern.industry if labour else "",
            sex_exploitation_types=pattern.sex,
            methods_of_control=control,
            recruitment_methods=(self.weighted(_RECRUITMENT),),
            relationship_to_trafficker=self.weighted(
                [("Familial", 25 if story.minor else 8), ("Acquainted", 45), ("Unaquainted", 45)]
            ),
            trafficking_began_on=began,
            trafficking_ended_on=ended,
            abducted=self.chance(0.7) if pattern.ransom else (None if self.chance(0.1) else False),
            forced_labour_indicators=ilo,
            delphi_indicators=self.delphi(),
            narrative=_NARRATIVE.get(pattern.types[0], ""),
        )
        story.cf.intakes.append(intake)
        return intake

    def delphi(self) -> tuple[str, ...]:
        chosen: list[str] = []
        for dimension in DELPHI_DIMENSIONS.codes():
            pool = [ind.code for ind in indicators_of(dimension)]
            chosen.extend(self.some(pool, 0, 3))
        return tuple(chosen)

    def consent(self, story: _Story) -> Consent:
        given = self.chance(0.9)
        language = story.cf.person.primary_language
        method = ""
        if given:
            method = self.weighted([("Written", 5), ("Oral", 2), ("OralWithInterpreter", 3)])
        consent = Consent(
            id=self.ids.on(story.opened),
            org_id=self.org_id,
            case_id=story.cf.case.id,
            consent_given=given,
            informed_of_purpose=True,
            informed_of_data_use=True,
            informed_of_research_use=given,
            informed_of_right_of_access=True,
            informed_of_retention=given,
            informed_of_withdrawal=True,
            sharing_level=self.weighted(
                [
                    ("Identified", 15),
                    ("Pseudonymised", 40),
                    ("StatisticsOnly", 30),
                    ("NotShared", 15),
                ]
            )
            if given
            else "NotShared",
            share_with_partners=given and self.chance(0.8),
            research=given and self.chance(0.3),
            photographs=given and self.chance(0.1),
            method=method,
            interpreter_language=language if method == "OralWithInterpreter" else "",
            given_on=story.opened,
            recorded_by=story.staff,
        )
        if given and self.chance(0.03):
            consent.withdrawn_on = self.between(story.opened, self.today)
            consent.notes = "Withdrew consent to sharing after a visit from the family."
        story.cf.consents.append(consent)
        story.cf.case.sharing_level = (
            story.cf.consent.sharing_level if story.cf.consent else "NotShared"
        )
        return consent

    def events(self, story: _Story, intake: Intake) -> None:
        began = intake.trafficking_began_on or story.opened
        ended = intake.trafficking_ended_on or story.opened
        recruited = story.recruited or began
        origin = story.population.country
        plan: list[tuple[str, dt.date, str, str]] = [
            ("Recruitment", recruited, origin, "Met the recruiter; promised work abroad.")
        ]
        if story.pattern.transit:
            country = self.pick(story.pattern.transit)
            plan.append(
                ("Transit", self.between(recruited, began), country, "Moved on by smugglers.")
            )
        plan.append(("Exploitation", began, story.exploited_in, "Exploitation began."))
        if self.chance(0.15) and (ended - began).days > 30:
            moved = self.between(began + _days(15), ended)
            plan.append(("Exploitation", moved, story.exploited_in, "Moved to another employer."))
        for kind, day, country, description in plan:
            story.cf.events.append(
                TraffickingEvent(
                    id=self.ids.on(story.opened),
                    org_id=self.org_id,
                    case_id=story.cf.case.id,
                    event_type=kind,
                    event_date=day,
                    country=country,
                    city=self.pick(names.CITIES.get(country, ("",))),
                    description=description,
                )
            )

    def decide_status(self, story: _Story) -> None:
        case = story.cf.case
        outcome = self.weighted(
            [
                ("ActualVictimOfTrafficking", 66),
                ("PossibleVictimOfTrafficking", 30),
                ("NotAVictimOfTrafficking", 4),
            ]
        )
        if outcome == "PossibleVictimOfTrafficking":
            return
        decided = story.opened + _days(self.rng.randint(7, 120))
        if decided > self.today:
            return
        case.trafficking_status = outcome
        case.trafficking_status_decided_by = self.owner_id
        case.trafficking_status_decided_on = decided
        case.trafficking_status_decision_org = self.weighted(
            [
                ("Police", 8),
                ("NGO", 5),
                ("NonPoliceGovernmentalOrganization", 4),
                ("CourtOrProsecution", 2),
                ("Other", 1),
            ]
        )
        if outcome == "NotAVictimOfTrafficking":
            self.close(
                story, "NoLongerEligible", min(decided + _days(self.rng.randint(1, 20)), self.today)
            )

    # -- closing -------------------------------------------------------------------
    def close(self, story: _Story, reason: str, on: dt.date, notes: str = "") -> None:
        case = story.cf.case
        case.status = "ClosedReferred" if reason == "ReferredToOtherOrganisation" else "Closed"
        case.closed_on = on
        case.closure_reason = reason
        case.closure_notes = notes or _CLOSURE_NOTES[reason]
        story.end = on

    def close_without_return(self, story: _Story) -> None:
        if story.cf.case.closed_on is not None:
            return
        on = story.opened + _days(self.rng.randint(45, 720))
        if on > self.today:
            return
        reason = self.weighted(_CLOSURE_WITHOUT_RETURN)
        if reason == "SecurityConstraints" and story.host != "LB":
            reason = "SupportCompleted"
        self.close(story, reason, on)

    # -- assessments, objectives, services, referrals -----------------------------
    def assessments(self, story: _Story) -> None:
        day = min(story.opened + _days(self.rng.randint(0, 7)), story.end)
        rounds = 0
        risk = self.weighted([("Low", 3), ("Medium", 4), ("High", 3)])
        reviews = 2 if self.chance(0.35) else 1
        while day <= story.end and rounds < reviews:
            story.cf.assessments.append(self.assessment(story, day, risk, rounds))
            rounds += 1
            day = day + _days(self.rng.randint(80, 120))
            risk = {"High": "Medium", "Medium": self.pick(("Low", "Medium")), "Low": "Low"}[risk]

    def assessment(self, story: _Story, day: dt.date, risk: str, review: int) -> NeedsAssessment:
        levels = ("None", "Low", "Medium", "High", "Urgent")
        ratings = []
        for domain in codes.NEED_DOMAIN.codes():
            base = {"Safety": 3, "MentalHealthPsychosocial": 3, "LegalDocuments": 3}.get(domain, 2)
            level = max(0, min(4, base - review + self.rng.randint(-2, 1)))
            ratings.append(NeedRating(domain=domain, level=levels[level]))
        factors = [
            RiskFactor(level=level, description=self.pick(_RISK_FACTORS[level]))
            for level in self.some(tuple(_RISK_FACTORS), 1, 3)
        ]
        factors += [
            RiskFactor(
                level=level, description=self.pick(_PROTECTIVE_FACTORS[level]), protective=True
            )
            for level in self.some(tuple(_PROTECTIVE_FACTORS), 0, 2)
        ]
        return NeedsAssessment(
            id=self.ids.on(story.opened),
            org_id=self.org_id,
            case_id=story.cf.case.id,
            assessed_on=day,
            assessor=story.staff,
            ratings=tuple(ratings),
            risk_level=risk,
            risk_factors=tuple(factors),
            next_review_on=day + _days(90),
            notes="Initial assessment." if review == 0 else "Review after three months.",
        )

    def objectives(self, story: _Story) -> None:
        types = story.pattern.types
        kinds = ["SocialCare"]
        if "SexualExploitation" in types:
            kinds.append("SexualExploitationRehabilitation")
        elif {"ForcedLabour", "Servitude"} & set(types):
            kinds.append("LabourExploitationRehabilitation")
        kinds.append(
            self.pick(
                ("Health", "Legal", "Livelihood", "Education", "Financial", "RightsBasedTraining")
            )
        )
        for kind in kinds[: self.rng.randint(1, 2)]:
            planned = story.opened + _days(self.rng.randint(60, 240))
            objective, action = _OBJECTIVES[kind]
            status, actual = "InProgress", None
            if planned <= story.end or story.cf.case.closed_on is not None:
                status = self.weighted(
                    [
                        ("Achieved", 55),
                        ("PartlyAchieved", 20),
                        ("NotAchieved", 10),
                        ("Cancelled", 5),
                    ]
                )
                actual = min(planned + _days(self.rng.randint(-20, 30)), story.end)
                actual = max(actual, story.opened)
            elif self.chance(0.2):
                status = "Planned"
            story.cf.objectives.append(
                SupportObjective(
                    id=self.ids.on(story.opened),
                    org_id=self.org_id,
                    case_id=story.cf.case.id,
                    objective_type=kind,
                    objective=objective,
                    action=action,
                    responsible=story.staff,
                    planned_end_on=planned,
                    actual_end_on=actual,
                    status=status,
                )
            )

    def service(
        self,
        story: _Story,
        kind: str,
        start: dt.date,
        end: dt.date | None,
        provider: Organisation | None,
        *,
        currency: str = "",
        units: int = 1,
    ) -> None:
        currency = currency or story.currency
        if end is None and story.cf.case.closed_on is not None:
            end = max(start, story.end)
        free = provider is not None and self.chance(0.3)
        cost = (
            None
            if free or (kind == "Accommodation" and end is None)
            else self.money(kind, currency, units)
        )
        objective = next((o.id for o in story.cf.objectives if _serves(o.objective_type, kind)), "")
        story.cf.services.append(
            ServiceDelivery(
                id=self.ids.on(story.opened),
                org_id=self.org_id,
                case_id=story.cf.case.id,
                service_type=kind,
                provider_org_id=provider.id if provider else self.org_id,
                staff=story.staff if provider is None else "",
                started_on=start,
                ended_on=end,
                cost=cost,
                currency=currency if cost is not None else "",
                objective_id=objective,
            )
        )

    def services(self, story: _Story) -> None:
        opened, end = story.opened, story.end
        stay_end = opened + _days(self.rng.randint(5, 200))
        if story.leaves_on is not None:
            stay_end = min(stay_end, story.leaves_on)
        discharged: dt.date | None = min(stay_end, end)
        if discharged is not None and discharged >= self.today and story.cf.case.closed_on is None:
            discharged = None
        if self.chance(0.9):
            nights = ((discharged or opened) - opened).days or 1
            self.service(story, "Accommodation", opened, discharged, None, units=nights)
        wanted = self.rng.choice((0, 1, 1, 1, 2, 2))
        kinds = {self.weighted(_OPTIONAL_SERVICES) for _n in range(wanted)}
        for kind in sorted(kinds):
            start = self.between(opened, min(stay_end, end))
            if start > self.today:
                continue
            finish = min(start + _days(self.rng.randint(0, 90)), end)
            provider = self.partner_for(kind, story.host) if self.chance(0.5) else None
            self.service(story, kind, start, finish if finish < self.today else None, provider)

    def referrals(self, story: _Story, consent: Consent) -> None:
        wanted = self.rng.choice((0, 0, 0, 1, 1, 2))
        if story.cf.case.closure_reason == "ReferredToOtherOrganisation":
            wanted = max(wanted, 1)
        local = [o for o in self.partners if o.country == story.host]
        for n in range(wanted):
            if not local:
                return
            to = self.pick(local)
            day = self.between(story.opened, story.end)
            status, answered = "Sent", None
            if (story.end - day).days > 7 or story.cf.case.closed_on is not None:
                status = self.weighted([("Accepted", 5), ("Completed", 4), ("Declined", 1)])
                answered = min(day + _days(self.rng.randint(1, 10)), story.end)
            if story.cf.case.closure_reason == "ReferredToOtherOrganisation" and n == 0:
                status, answered = "Accepted", day
            shares = bool(story.cf.consent and story.cf.consent.share_with_partners)
            story.cf.referrals.append(
                Referral(
                    id=self.ids.on(story.opened),
                    org_id=self.org_id,
                    case_id=story.cf.case.id,
                    from_org_id=self.org_id,
                    to_org_id=to.id,
                    referred_on=day,
                    caseworker=story.staff,
                    reason="AdditionalServicesRequired" if self.chance(0.9) else "Other",
                    services_requested=self.some(to.services_offered, 1, 2),
                    consent_id=consent.id,
                    status=status,
                    responded_on=answered,
                    cross_border=False,
                    shares_identity=shares,
                    details="" if shares else "Sent without the person's identity (no consent).",
                )
            )

    # -- return and reintegration --------------------------------------------------
    def return_(self, story: _Story) -> Return | None:
        country = story.population.country
        if (
            not story.population.returns
            or story.host == country
            or story.cf.case.closed_on is not None
            or not self.chance(0.4)
        ):
            return None
        decided = story.opened + _days(self.rng.randint(10, 120))
        if decided > self.today:
            return None
        travel = decided + _days(self.rng.randint(10, 75))
        travelled = travel <= self.today
        checklist = [
            "TravelDocument",
            "Ticket",
            "FitToTravel",
            "LuggageProperty",
            "ReceptionPartner",
        ]
        if self.chance(0.3):
            checklist.append("Escort")
        if not travelled:
            checklist = list(self.some(checklist, 0, 3))
        reception = self.partner_for("ReintegrationAssistance", country)
        returning = Return(
            id=self.ids.on(story.opened),
            org_id=self.org_id,
            case_id=story.cf.case.id,
            decided_on=decided,
            counselling_sessions=self.rng.randint(1, 5),
            destination_country=country,
            destination_city=self.pick(names.CITIES[country]),
            travel_on=travel,
            checklist=tuple(c for c in codes.RETURN_CHECKLIST.codes() if c in checklist),
            reception_org_id=(reception or self.international(story.host)).id,
            cost=self.money("ReturnTravel", "USD") if travelled else None,
            currency="USD" if travelled else "",
        )
        story.cf.returns.append(returning)
        story.leaves_on = travel
        p = story.cf.person
        withheld = any(d.withheld_by_trafficker for d in p.documents)
        if withheld:
            issued = min(decided + _days(self.rng.randint(2, 10)), self.today)
            p.documents += (
                IdentityDocument(
                    document_type="EmergencyTravelDocument",
                    number=f"ETD{self.rng.randint(100_000, 999_999)}",
                    issuing_country=country,
                    issued_on=issued,
                    expires_on=issued + _days(90),
                ),
            )
        if travelled:
            p.country = country
            p.city = returning.destination_city
            self.follow_ups(story, returning)
        return returning

    def follow_ups(self, story: _Story, returning: Return) -> None:
        """Follow-ups at the configured months after return; the case closes when the last
        is done, or earlier when the person stops (then later ones are never scheduled)."""
        travel = returning.travel_on
        assert travel is not None
        case = story.cf.case
        case.status = "FollowUp"
        schedule = rules.follow_up_schedule(travel, self.months)
        stops_after = self.rng.randint(1, len(schedule)) if self.chance(0.08) else None
        wellbeing = self.rng.uniform(0.2, 0.8)
        done_dates: list[dt.date] = []
        for i, day in enumerate(schedule):
            follow_up = FollowUp(
                id=self.ids.on(story.opened),
                org_id=self.org_id,
                case_id=case.id,
                scheduled_on=day,
            )
            done = day + _days(self.rng.randint(0, 21))
            if day <= self.today and done <= self.today and self.chance(0.8):
                wellbeing = min(1.0, wellbeing + self.rng.uniform(-0.05, 0.15))
                self.answer(follow_up, done, wellbeing, story)
                done_dates.append(done)
            elif (self.today - day).days > LOST_CONTACT_DAYS and self.chance(0.75):
                on = min(day + _days(self.rng.randint(30, 90)), self.today)
                self.close(story, "LeftTheArea", on, "Lost contact after return.")
                return
            later = schedule[i + 1] if i + 1 < len(schedule) else None
            follow_up.next_on = later if later and later >= (follow_up.done_on or day) else None
            story.cf.follow_ups.append(follow_up)
            if stops_after is not None and i + 1 == stops_after and follow_up.done_on:
                follow_up.next_on = None
                on = min(done + _days(self.rng.randint(1, 30)), self.today)
                self.close(
                    story, self.pick(("ReMigrated", "ChoseToStopSupport", "LeftTheArea")), on
                )
                return
        if len(done_dates) == len(schedule) and self.chance(0.85):
            on = min(done_dates[-1] + _days(self.rng.randint(1, 30)), self.today)
            self.close(story, "SupportCompleted", on)

    def answer(self, follow_up: FollowUp, done: dt.date, wellbeing: float, story: _Story) -> None:
        answers: dict[str, str] = {}
        for question in DEFAULT.questions:
            if self.chance(0.05):
                unscored = [o.code for o in question.options if o.score is None]
                answers[question.code] = self.pick(unscored)
                continue
            scored = [o for o in question.options if o.score is not None]
            target = min(1.0, max(0.0, self.rng.gauss(wellbeing, 0.25)))
            best = min(scored, key=lambda o: abs((o.score or 0.0) - target))
            answers[question.code] = best.code
        scores = score_answers(answers)
        follow_up.done_on = done
        follow_up.mode = self.weighted([("InPerson", 4), ("Phone", 4), ("ByPartner", 2)])
        follow_up.done_by = story.staff
        follow_up.questionnaire = f"{DEFAULT.code}/{DEFAULT.version}"
        follow_up.answers = answers
        follow_up.economic_score = scores.economic
        follow_up.social_score = scores.social
        follow_up.psychosocial_score = scores.psychosocial
        follow_up.composite_score = scores.composite
        follow_up.notes = "Visited at home." if follow_up.mode == "InPerson" else ""

    def reintegration(self, story: _Story, returning: Return) -> None:
        travel = returning.travel_on
        if travel is None or travel > self.today:
            return
        planned = min(travel + _days(self.rng.randint(3, 40)), story.end, self.today)
        planned = max(planned, travel)
        objectives = []
        for dimension, options in _REINTEGRATION.items():
            objective, assistance = self.pick(options)
            target = planned + _days(self.rng.randint(60, 300))
            status = "InProgress"
            if target <= self.today or story.cf.case.closed_on is not None:
                status = self.weighted([("Achieved", 6), ("PartlyAchieved", 3), ("NotAchieved", 1)])
            objectives.append(
                ReintegrationObjective(
                    dimension=dimension,
                    objective=objective,
                    planned_assistance=assistance,
                    responsible="Reception partner",
                    target_on=target,
                    status=status,
                )
            )
        story.cf.plans.append(
            ReintegrationPlan(
                id=self.ids.on(story.opened),
                org_id=self.org_id,
                case_id=story.cf.case.id,
                planned_on=planned,
                objectives=tuple(objectives),
                notes="Agreed with the person and the reception partner.",
            )
        )
        reception = next((o for o in self.partners if o.id == returning.reception_org_id), None)
        self.service(
            story, "ReturnTravel", travel, travel, self.international(story.host), currency="USD"
        )
        start = min(planned + _days(self.rng.randint(0, 30)), story.end)
        if start <= self.today:
            self.service(story, "ReintegrationAssistance", start, None, reception, currency="USD")


def _serves(objective_type: str, service: str) -> bool:
    return service in {
        "Health": ("Medical",),
        "Legal": ("LegalAid", "Documentation"),
        "Livelihood": ("Livelihood",),
        "Education": ("EducationVocational",),
        "SocialCare": ("Accommodation",),
        "SexualExploitationRehabilitation": ("Psychosocial",),
        "LabourExploitationRehabilitation": ("Psychosocial",),
        "Financial": ("Financial",),
    }.get(objective_type, ())


def _is_latin(text: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


# --- Checking and writing -----------------------------------------------------------------


def case_records(cf: CaseFile) -> list[Any]:
    """Every record of a case file, in the order they are written."""
    return [
        cf.case,
        cf.person,
        *cf.intakes,
        *cf.consents,
        *cf.events,
        *cf.assessments,
        *cf.objectives,
        *cf.services,
        *cf.referrals,
        *cf.returns,
        *cf.plans,
        *cf.follow_ups,
    ]


def problems(cf: CaseFile, today: dt.date) -> dict[str, str]:
    """What the domain rules (and the services' own rules on referrals and follow-ups)
    find wrong with a case file: ``{"<entity> <id>.<field>": message}``, empty when valid."""
    found: dict[str, str] = {}
    for record in case_records(cf):
        if isinstance(record, FollowUp):
            errors = rules.validate_follow_up(record, today, return_date=cf.return_date)
        else:
            errors = rules.validate(record, today)
        consented = cf.consent is not None and cf.consent.share_with_partners
        if isinstance(record, Referral) and record.shares_identity and not consented:
            errors["shares_identity"] = "shared without referral consent"
        found |= {f"{record.ENTITY} {record.id}.{k}": v for k, v in errors.items()}
    return found


class _Writer:
    """Writes brand-new records as ``cases._write`` does (one change-log transaction and one
    "create" audit event each), without the look-ups of a current state and a parent
    transaction that a new record cannot have; the clock is persisted once per batch."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.device = session.device_id
        self.user_id = session.user.id
        self.written = 0

    def create(self, entity: Any, case_id: str) -> None:
        fields = to_fields(entity)
        fields.pop("id")
        self.session.records.apply(
            Change(
                txn_id=cases.new_id(),
                hlc=self.session.clock.tick().encode(),
                device=self.device,
                user_id=self.user_id,
                org_id=entity.org_id,
                case_id=case_id,
                entity=entity.ENTITY,
                record_id=entity.id,
                parents=(),
                fields=fields,
            )
        )
        self.session.audit(Action.CREATE, entity.ENTITY, entity.id)
        self.written += 1

    def case(self, cf: CaseFile) -> None:
        for record in case_records(cf):
            self.create(record, cf.case.id)
        cases.refresh_index(self.session, cf)

    def save_clock(self) -> None:
        self.session.meta.set("hlc_last", self.session.clock.last.encode())


def generate_demo(
    session: Session,
    cases: int,
    seed: int,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    today: dt.date | None = None,
    batch_size: int = BATCH_CASES,
) -> DemoSummary:
    """Fill a demo installation with ``cases`` invented cases (see the module docstring).

    ``progress(done, total)`` is called after every batch of ``batch_size`` cases (one
    database transaction each); ``cancel`` is checked between batches, and a cancelled run
    returns with ``cancelled`` set, keeping the whole batches written so far. ``today``
    (default: the computer's date) anchors every date. Raises ``ShelterDeskError`` on a
    real (non-demo) installation or one that already holds demo cases.
    """
    session.require(Permission.EDIT_CASES)
    session.require(Permission.MANAGE_PARTNERS)
    if not session.is_demo:
        raise ShelterDeskError(_("Demo cases can only be added to a demo installation."))
    if session.meta.get("demo_cases"):
        raise ShelterDeskError(_("This demo installation already holds demo cases."))
    if cases < 0:
        raise ValidationError({"cases": _("The number of cases cannot be negative.")})
    today = today or dt.date.today()
    generator = _Generator(session, seed, today)
    writer = _Writer(session)
    with session.db.transaction():
        for org in generator.address_book():
            _check_valid(rules.validate(org, today), org)
            writer.create(org, "")
        writer.save_clock()
        session.meta.set("demo_seed", str(seed))
        session.meta.set("demo_cases", "0")
    organisations = writer.written
    opened = generator.opening_dates(cases)
    done = 0
    cancelled = False
    for start in range(0, cases, max(1, batch_size)):
        if cancel is not None and cancel.cancelled:
            cancelled = True
            break
        batch = opened[start : start + max(1, batch_size)]
        with session.db.transaction():
            for day in batch:
                cf = generator.case(day)
                errors = problems(cf, today)
                if errors:
                    raise AssertionError(f"the demo generator made an invalid case: {errors}")
                writer.case(cf)
            done += len(batch)
            writer.save_clock()
            session.meta.set("demo_cases", str(done))
        if progress is not None:
            progress(done, cases)
    return DemoSummary(
        cases=done, records=writer.written, organisations=organisations, cancelled=cancelled
    )


def _check_valid(errors: dict[str, str], record: Any) -> None:
    if errors:
        raise AssertionError(f"the demo generator made an invalid {record.ENTITY}: {errors}")
