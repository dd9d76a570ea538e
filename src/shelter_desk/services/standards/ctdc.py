"""The CTDC statistical export: CTDC's k-anonymised global dataset, or its synthetic schema.

Schemas (``SCHEMAS``)
    ``global``: the 63 columns of CTDC's k-anonymised Global Dataset, in its order, flags 0/1
    and ``-99`` for missing, ``ageBroad`` as CTDC writes it (``0--8`` ... ``48+``), countries
    ISO 3166-1 alpha-2. ``synthetic``: the 27 columns of CTDC's current Global Synthetic
    Dataset (alpha-3 countries, ``traffickMonths``, the grouped ``means...`` columns), an
    empty cell for missing. Columns for options Shelter Desk does not record (restricts
    movement, uses children, aquafarming, peddling, illicit activities, intimate partner) are
    missing (``-99``), not 0.

Who is counted
    The cases whose consent in force allows statistics (sharing level Identified,
    Pseudonymised or StatisticsOnly). No names, no free text, dates reduced to the year.
    Ages are on the registration (case opening) date; ``majorityEntry`` is the majority
    status when trafficking began, ``majorityStatusAtExploit`` on the earliest exploitation.

k-anonymity (k = 11)
    Over every quasi-identifier of the schema (``QUASI_IDENTIFIERS``): the registration year,
    gender, data source, every age- and date-derived column (``ageBroad``, the three majority
    columns, ``traffickMonths``) and both countries. First a country held by fewer than k
    rows becomes missing; then, for the rows whose group (equal values in every
    quasi-identifier) is smaller than k, one column after another (``GENERALISE_ORDER``)
    becomes missing, groups recomputed after each; the rows still in a group under k are
    left out.

Releases (cumulative suppression)
    Every export is a release, logged in the encrypted database (``store.ctdc_releases``).
    A case once published keeps the row it was published with; a case whose consent no
    longer allows statistics (or that was deleted) drops out. Cases never published are
    added only as a batch that is k-anonymous by itself; whatever of it cannot be is held
    back for a later release. So the difference between two releases is always a set of
    groups of at least k new rows: it identifies no case. When withdrawn consents shrink a
    published group under k, its other rows are left out until the group is k again. The
    release is logged before the file is written, so a file that could not be written counts
    as published (the safe side). The counts (published, added, held back, removed, without
    consent, generalised) are returned; no row content is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shelter_desk.domain import rules
from shelter_desk.domain.case_file import CaseFile
from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.i18n import _
from shelter_desk.security.atomic import write_atomic
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.session import Session
from shelter_desk.services.standards import choices
from shelter_desk.services.standards.htcds_export import all_case_files, csv_bytes
from shelter_desk.services.standards.htcds_reference import country_alpha3
from shelter_desk.store.ctdc_releases import CtdcReleases, CtdcRow, ReleaseEntry

MISSING = -99
K_ANONYMITY = 11
STATISTICS_SHARING_LEVELS = frozenset({"Identified", "Pseudonymised", "StatisticsOnly"})
GLOBAL = choices.CTDC_GLOBAL
SYNTHETIC = choices.CTDC_SYNTHETIC

_GENDER = {"Feminine": "Woman", "Masculine": "Man"}
_GENDER_OTHER = "Trans/Transgender/NonConforming"
_AGE_BANDS = (
    (0, 8, "0--8"),
    (9, 17, "9--17"),
    (18, 20, "18--20"),
    (21, 23, "21--23"),
    (24, 26, "24--26"),
    (27, 29, "27--29"),
    (30, 38, "30--38"),
    (39, 47, "39--47"),
)
_OLDEST_BAND = "48+"
_MONTH_BANDS = ((12, "0--12 (0-1 yr)"), (24, "13--24 (1-2 yrs)"))
_LONGEST_BAND = "25+ (2+ yrs)"

# Stored code -> CTDC column (global dataset).
MEANS_OF_CONTROL = {
    "DebtBondage": "meansOfControlDebtBondage",
    "TakesEarnings": "meansOfControlTakesEarnings",
    "RestrictsFinancialAccess": "meansOfControlRestrictsFinancialAccess",
    "PhysicalThreats": "meansOfControlThreats",
    "ThreatensChildrenFamily": "meansOfControlThreats",
    "PsychologicalAbuse": "meansOfControlPsychologicalAbuse",
    "PhysicalAbuse": "meansOfControlPhysicalAbuse",
    "SexualAbuse": "meansOfControlSexualAbuse",
    "FalsePromises": "meansOfControlFalsePromises",
    "PsychoactiveSubstance": "meansOfControlPsychoactiveSubstances",
    "RestrictsMedicalCare": "meansOfControlRestrictsMedicalCare",
    "ExcessiveWorkingHours": "meansOfControlExcessiveWorkingHours",
    "ThreatsLawEnforcement": "meansOfControlThreatOfLawEnforcement",
    "WithholdsNecessities": "meansOfControlWithholdsNecessities",
    "WithholdsDocuments": "meansOfControlWithholdsDocuments",
    "Other": "meansOfControlOther",
}
EXPLOITATION = {
    "ForcedLabour": "isForcedLabour",
    "SexualExploitation": "isSexualExploit",
    "ForcedMarriage": "isForcedMarriage",
    "ForcedMilitaryByNonStateActors": "isForcedMilitary",
    "OrganRemoval": "isOrganRemoval",
    "Servitude": "isSlaveryAndPractices",
    "ChildLabour": "isOtherExploit",
    "ForcedBegging": "isOtherExploit",
    "ForcedAdoption": "isOtherExploit",
    "Surrogacy": "isOtherExploit",
    "Other": "isOtherExploit",
}
LABOUR = {
    "A_AgricultureForestryAndFishing": "typeOfLabourAgriculture",
    "B_MiningAndQuarrying": "typeOfLabourMiningOrDrilling",
    "C_Manufacturing": "typeOfLabourManufacturing",
    "F_Construction": "typeOfLabourConstruction",
    "H_TransportationAndStorage": "typeOfLabourTransportation",
    "I_AccommodationAndFoodServiceActivities": "typeOfLabourHospitality",
    "T_ActivitiesOfHouseholdsAsEmployers": "typeOfLabourDomesticWork",
}
SEX = {
    "Prostitution": "typeOfSexProstitution",
    "Pornography": "typeOfSexPornography",
    "RemoteInteractiveServices": "typeOfSexRemoteInteractiveServices",
    "PrivateSexualServices": "typeOfSexPrivateSexualServices",
}
RECRUITER = {
    "Familial": "recruiterRelationFamily",
    "Acquainted": "recruiterRelationFriend",
    "Unaquainted": "recruiterRelationOther",
}
# Options Shelter Desk's code lists do not have: always missing.
NOT_RECORDED = frozenset(
    {
        "meansOfControlRestrictsMovement",
        "meansOfControlUsesChildren",
        "typeOfLabourAquafarming",
        "typeOfLabourIllicitActivities",
        "typeOfLabourPeddling",
        "recruiterRelationIntimatePartner",
    }
)

CONTROL_COLUMNS = (
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
)
EXPLOITATION_COLUMNS = (
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
)
LABOUR_COLUMNS = (
    "typeOfLabourAgriculture",
    "typeOfLabourAquafarming",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
)
SEX_COLUMNS = tuple(SEX.values())
RECRUITER_COLUMNS = (
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
)

# CTDC's k-anonymised Global Dataset, column for column.
GLOBAL_COLUMNS: tuple[str, ...] = (
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    *CONTROL_COLUMNS,
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    *EXPLOITATION_COLUMNS,
    "typeOfExploitConcatenated",
    *LABOUR_COLUMNS,
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    *SEX_COLUMNS,
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    *RECRUITER_COLUMNS,
    "recruiterRelationUnknown",
)

# CTDC's Global Synthetic Dataset: grouped means of control, from the global columns.
SYNTHETIC_MEANS = {
    "meansDebtBondageEarnings": ("meansOfControlDebtBondage", "meansOfControlTakesEarnings"),
    "meansThreats": ("meansOfControlThreats", "meansOfControlThreatOfLawEnforcement"),
    "meansAbusePsyPhySex": (
        "meansOfControlPsychologicalAbuse",
        "meansOfControlPhysicalAbuse",
        "meansOfControlSexualAbuse",
    ),
    "meansFalsePromises": ("meansOfControlFalsePromises",),
    "meansDrugsAlcohol": ("meansOfControlPsychoactiveSubstances",),
    "meansDenyBasicNeeds": (
        "meansOfControlRestrictsFinancialAccess",
        "meansOfControlRestrictsMedicalCare",
        "meansOfControlWithholdsNecessities",
    ),
    "meansExcessiveWorkHours": ("meansOfControlExcessiveWorkingHours",),
    "meansWithholdDocs": ("meansOfControlWithholdsDocuments",),
}
SYNTHETIC_COLUMNS: tuple[str, ...] = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    *SYNTHETIC_MEANS,
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourAgriculture",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    *RECRUITER_COLUMNS,
)
SCHEMAS: dict[str, tuple[str, ...]] = {GLOBAL: GLOBAL_COLUMNS, SYNTHETIC: SYNTHETIC_COLUMNS}

QUASI_IDENTIFIERS: dict[str, tuple[str, ...]] = {
    GLOBAL: (
        "yearOfRegistration",
        "Datasource",
        "gender",
        "ageBroad",
        "majorityStatus",
        "majorityStatusAtExploit",
        "majorityEntry",
        "citizenship",
        "CountryOfExploitation",
    ),
    SYNTHETIC: (
        "yearOfRegistration",
        "gender",
        "ageBroad",
        "citizenship",
        "CountryOfExploitation",
        "traffickMonths",
    ),
}
_RARE_VALUE_COLUMNS = ("citizenship", "CountryOfExploitation")
# The order quasi-identifiers are given up in, for rows in groups under k.
GENERALISE_ORDER = (
    "majorityStatusAtExploit",
    "majorityEntry",
    "traffickMonths",
    "ageBroad",
    "Datasource",
    "CountryOfExploitation",
    "citizenship",
    "gender",
    "majorityStatus",
    "yearOfRegistration",
)


def _words(column: str, prefix: str) -> str:
    """``meansOfControlDebtBondage`` -> ``Debt bondage`` (the Concatenated columns' form)."""
    parts = re.findall(r"[A-Z][a-z]*|[a-z]+", column.removeprefix(prefix))
    return " ".join(parts).capitalize()


def allows_statistics(cf: CaseFile) -> bool:
    """Whether the consent in force lets the case be counted in shared statistics."""
    consent = cf.consent
    return (
        consent is not None
        and consent.sharing_level in STATISTICS_SHARING_LEVELS
        and cf.case.sharing_level in STATISTICS_SHARING_LEVELS
    )


def age_broad(age: int | None) -> object:
    if age is None:
        return MISSING
    for low, high, label in _AGE_BANDS:
        if low <= age <= high:
            return label
    return _OLDEST_BAND


def months_band(began: dt.date | None, ended: dt.date | None) -> object:
    """``traffickMonths``: how long the trafficking lasted, in CTDC's bands."""
    if began is None or ended is None or ended < began:
        return MISSING
    months = (ended.year - began.year) * 12 + ended.month - began.month
    for most, label in _MONTH_BANDS:
        if months <= most:
            return label
    return _LONGEST_BAND


def _majority(cf: CaseFile, on: dt.date | None) -> object:
    if on is None:
        return MISSING
    status = rules.majority_status(
        rules.age_on(cf.person.birth_date, cf.person.estimated_birth_year, on)
    )
    return status if status is not None else MISSING


def _flags(row: CtdcRow, columns: Iterable[str], chosen: set[str], known: bool) -> None:
    for c in columns:
        row[c] = MISSING if c in NOT_RECORDED or not known else int(c in chosen)


def _concatenated(chosen: Iterable[str], columns: Sequence[str], prefix: str) -> object:
    words = [_words(c, prefix) for c in columns if c in chosen]
    return ";".join(words) if words else MISSING


def ctdc_row(cf: CaseFile) -> CtdcRow:
    """One case as every CTDC column of both schemas (before k-anonymity)."""
    p, intake = cf.person, cf.intake
    opened = cf.case.opened_on
    age = rules.age_on(p.birth_date, p.estimated_birth_year, opened) if opened else None
    began = intake.trafficking_began_on if intake else None
    dated = [e.event_date for e in cf.events if e.event_date is not None]
    if began is None and dated:
        began = min(dated)
    ended = intake.trafficking_ended_on if intake else None
    exploitation = sorted(
        (e for e in cf.events if e.event_type == "Exploitation"),
        key=lambda e: e.event_date or dt.date.max,
    )
    exploited_on = next((e.event_date for e in exploitation if e.event_date), began)
    country = next((e.country for e in exploitation if e.country), "")
    row: CtdcRow = {
        "yearOfRegistration": opened.year if opened else MISSING,
        "Datasource": (intake.data_source if intake and intake.data_source else MISSING),
        "gender": _GENDER.get(
            p.gender, _GENDER_OTHER if p.gender not in ("", "NonSpecifiedUnknown") else MISSING
        ),
        "ageBroad": age_broad(age),
        "majorityStatus": _majority(cf, opened),
        "majorityStatusAtExploit": _majority(cf, exploited_on),
        "majorityEntry": _majority(cf, began),
        "citizenship": p.citizenships[0] if p.citizenships else MISSING,
        "CountryOfExploitation": country or MISSING,
        "traffickMonths": months_band(began, ended),
        "isAbduction": MISSING if not intake or intake.abducted is None else int(intake.abducted),
    }
    controls = {MEANS_OF_CONTROL[c] for c in (intake.methods_of_control if intake else ())}
    _flags(row, CONTROL_COLUMNS, controls, bool(controls))
    row["meansOfControlNotSpecified"] = int(not controls)
    row["meansOfControlConcatenated"] = _concatenated(controls, CONTROL_COLUMNS, "meansOfControl")
    types = intake.exploitation_types if intake else ()
    chosen = {EXPLOITATION[t] for t in types}
    if {"isForcedLabour", "isSexualExploit"} <= chosen:
        chosen.add("isSexAndLabour")
    _flags(row, EXPLOITATION_COLUMNS, chosen, bool(types))
    row["typeOfExploitConcatenated"] = _concatenated(
        chosen - {"isSexAndLabour"}, (*EXPLOITATION_COLUMNS,), "is"
    )
    industry = intake.forced_labour_industry if intake else ""
    labour = {LABOUR.get(industry, "typeOfLabourOther")} if industry else set()
    if "ForcedBegging" in types:
        labour.add("typeOfLabourBegging")
    forced_labour = "isForcedLabour" in chosen
    _flags(row, LABOUR_COLUMNS, labour, bool(labour))
    row["typeOfLabourNotSpecified"] = int(not labour) if forced_labour else MISSING
    row["typeOfLabourConcatenated"] = _concatenated(labour, LABOUR_COLUMNS, "typeOfLabour")
    sex = {SEX[s] for s in (intake.sex_exploitation_types if intake else ())}
    _flags(row, SEX_COLUMNS, sex, bool(sex))
    row["typeOfSexConcatenated"] = _concatenated(sex, SEX_COLUMNS, "typeOfSex")
    relation = intake.relationship_to_trafficker if intake else ""
    recruiter = {RECRUITER[relation]} if relation else set()
    _flags(row, RECRUITER_COLUMNS, recruiter, bool(relation))
    row["recruiterRelationUnknown"] = int(not relation)
    row["RecruiterRelationship"] = _concatenated(recruiter, RECRUITER_COLUMNS, "recruiterRelation")
    for column, parts in SYNTHETIC_MEANS.items():
        values = [row[c] for c in parts]
        row[column] = 1 if 1 in values else (0 if 0 in values else MISSING)
    return row


def schema_row(row: CtdcRow, schema: str) -> CtdcRow:
    """The row's columns of one schema (countries alpha-3 in the synthetic one)."""
    out = {c: row[c] for c in SCHEMAS[schema]}
    if schema == SYNTHETIC:
        for c in _RARE_VALUE_COLUMNS:
            if out[c] != MISSING:
                out[c] = country_alpha3(str(out[c]))
    return out


def _group_sizes(rows: Sequence[CtdcRow], qis: Sequence[str]) -> Counter[tuple[object, ...]]:
    return Counter(tuple(r[c] for c in qis) for r in rows)


def k_anonymise(
    rows: list[CtdcRow], k: int = K_ANONYMITY, schema: str = GLOBAL
) -> tuple[list[int], int]:
    """Generalise ``rows`` in place (see the module docstring); return the indexes of the
    rows kept (every group of them at least k) and how many of those were generalised."""
    qis = QUASI_IDENTIFIERS[schema]
    generalised: set[int] = set()
    for column in _RARE_VALUE_COLUMNS:
        counts = Counter(r[column] for r in rows)
        for i, r in enumerate(rows):
            if r[column] != MISSING and counts[r[column]] < k:
                r[column] = MISSING
                generalised.add(i)
    for column in (c for c in GENERALISE_ORDER if c in qis):
        sizes = _group_sizes(rows, qis)
        for i, r in enumerate(rows):
            if sizes[tuple(r[c] for c in qis)] < k and r[column] != MISSING:
                r[column] = MISSING
                generalised.add(i)
    sizes = _group_sizes(rows, qis)
    kept = [i for i, r in enumerate(rows) if sizes[tuple(r[c] for c in qis)] >= k]
    return kept, len(generalised.intersection(kept))


@dataclass(frozen=True)
class CtdcExport:
    """A release's file and counts (never its rows' content)."""

    data: bytes
    schema: str
    release: int  # the release's number in the log
    exported: int  # rows in the file
    added: int  # cases published for the first time
    held_back: int  # left out for anonymity: new cases too few yet, shrunken published groups
    removed: int  # published before, now without consent (or deleted)
    without_consent: int
    generalised: int  # of the added rows, how many had a value made missing

    @property
    def suppressed(self) -> int:
        return self.held_back


def _cell(value: object, schema: str) -> object:
    return "" if schema == SYNTHETIC and value == MISSING else value


def ctdc_release(session: Session, *, schema: str = GLOBAL, k: int = K_ANONYMITY) -> CtdcExport:
    """Work out the next release of ``schema`` and log it (one transaction)."""
    session.require(Permission.EXPORT)
    if schema not in SCHEMAS:
        raise ShelterDeskError(_("Unknown CTDC schema: {name}").format(name=schema))
    if session.installation.read_only:
        raise ShelterDeskError(
            _(
                "A CTDC export is recorded in the release log, and this data folder is"
                " read-only; open it where it can be written."
            )
        )
    log = CtdcReleases(session.db)
    with session.db.transaction():
        published = log.published(schema)
        current: dict[str, CtdcRow] = {}
        without_consent = 0
        for cf in all_case_files(session):
            if allows_statistics(cf):
                current[cf.case.id] = schema_row(ctdc_row(cf), schema)
            else:
                without_consent += 1
        removed = [case_id for case_id in published if case_id not in current]
        new_ids = [case_id for case_id in current if case_id not in published]
        new_rows = [current[case_id] for case_id in new_ids]
        kept, generalised = k_anonymise(new_rows, k, schema)
        added = {new_ids[i]: new_rows[i] for i in kept}
        rows = [row for case_id, row in published.items() if case_id in current]
        rows += list(added.values())
        # A published group that lost cases (consent withdrawn) may now be under k: its
        # rows stay out of this release (they stay logged, and return once it is k again).
        qis = QUASI_IDENTIFIERS[schema]
        sizes = _group_sizes(rows, qis)
        shown = [r for r in rows if sizes[tuple(r[c] for c in qis)] >= k]
        withheld = len(rows) - len(shown)
        rows = shown
        entry = ReleaseEntry(
            0,
            schema,
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            session.user.id,
            k,
            len(rows),
            len(added),
            len(removed),
            len(new_rows) - len(kept) + withheld,
        )
        seq = log.record(entry, added, removed)
    columns = SCHEMAS[schema]
    # A row published by an older version may lack a newer column: missing, then.
    data = csv_bytes(columns, [[_cell(r.get(c, MISSING), schema) for c in columns] for r in rows])
    return CtdcExport(
        data,
        schema,
        seq,
        len(rows),
        len(added),
        entry.held_back,
        len(removed),
        without_consent,
        generalised,
    )


def export_ctdc(
    session: Session, path: Path, *, schema: str = GLOBAL, k: int = K_ANONYMITY
) -> CtdcExport:
    """Write the next CTDC release to ``path``; return its counts."""
    result = ctdc_release(session, schema=schema, k=k)
    write_atomic(path, result.data)
    session.audit(Action.EXPORT, f"ctdc-{schema}", str(result.exported))
    return result


def release_history(session: Session, schema: str = "") -> list[ReleaseEntry]:
    """The releases made so far (counts only), oldest first."""
    session.require(Permission.EXPORT)
    return CtdcReleases(session.db).history(schema)
