"""Standard exports: the HTCDS case spreadsheet and the CTDC statistical dataset.

HTCDS export
    One row per case, the HTCDS 2.0 prefixed field names as columns (``HTCDS_COLUMNS``):
    the person's ``prs_*`` fields, the case's ``cas_*``/``vic_*`` fields and the latest
    intake's ``vic_*`` fields, from each entity's ``HTCDS`` map, plus a few ``sd_*`` columns
    HTCDS has no field for (Latin names, intake date, sharing level...) so an export imports
    back without loss. Picklist values are the stored codes (the HTCDS value names),
    multi-selects are joined with ";", dates are ISO 8601; a text cell that a spreadsheet
    would run as a formula (starting with "=", "+", "-", "@") gets a leading "'", which the
    import removes again. Free text (the narrative, notes)
    is never exported; nor are internal ids (case owner, referring organisation). Every case
    of the organisation is exported: this is the organisation's own copy of its own data.
    The file is UTF-8 with a byte-order mark so spreadsheet programs read Arabic, Hebrew,
    Georgian and Cyrillic correctly. It identifies people, so it can be written as an age
    file instead: to a trusted partner's card or with a passphrase (``export_htcds``).

CTDC export
    The CTDC global-dataset columns (``CTDC_COLUMNS``) with 0/1 flags and ``-99`` for
    missing, for the cases whose consent in force (given, not withdrawn) allows statistics:
    sharing level Identified, Pseudonymised or StatisticsOnly. No names, no free text, dates
    reduced to the year; ``ageBroad`` is written as the CTDC writes it (``0--8``, ``9--17``,
    ..., ``48+``). Ages are the age on the registration (case opening) date;
    ``majorityEntry`` is the majority status when trafficking began (the intake's start date,
    else the earliest trafficking event) and ``majorityStatusAtExploit`` the one on the
    earliest exploitation event (else the same as ``majorityEntry``).

    k-anonymity (k = 11) over the quasi-identifiers ``QUASI_IDENTIFIERS`` (yearOfRegistration,
    gender, ageBroad, citizenship, CountryOfExploitation, majorityStatus), in this order:

    1. Rare values: a citizenship or country of exploitation held by fewer than k exported
       rows becomes ``-99`` in every row that has it.
    2. For the rows whose quasi-identifier group (rows with equal values in all six columns)
       is smaller than k: ``ageBroad`` becomes ``-99`` (``majorityStatus`` still tells adult
       from minor).
    3. For the rows whose group is still smaller than k: ``CountryOfExploitation`` -> ``-99``.
    4. For the rows whose group is still smaller than k: ``citizenship`` -> ``-99``.
    5. For the rows whose group is still smaller than k: ``gender`` -> ``-99``.
    6. The rows whose group is still smaller than k are left out (suppressed).

    Groups are recomputed after every step. Every group in the written file has at least k
    rows. The counts (exported, without consent, generalised, suppressed) are returned; no
    row content is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from shelter_desk.domain import rules
from shelter_desk.domain.entities import Case
from shelter_desk.domain.errors import AuthError, ShelterDeskError
from shelter_desk.i18n import _
from shelter_desk.security import passphrase as pp
from shelter_desk.security.atomic import write_atomic
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.cases import CaseFile, _read_case_file
from shelter_desk.services.session import Session
from shelter_desk.services.standards.htcds_fields import (
    DERIVED_HTCDS_COLUMNS,
    HTCDS_COLUMNS,
    format_value,
)
from shelter_desk.sync import age

MISSING = -99
K_ANONYMITY = 11
STATISTICS_SHARING_LEVELS = frozenset({"Identified", "Pseudonymised", "StatisticsOnly"})

# --- HTCDS -----------------------------------------------------------------------------


def all_case_files(session: Session) -> Iterator[CaseFile]:
    """Every case of the installation, oldest first (not audited one by one)."""
    for record in session.records.of_entity(Case.ENTITY):
        yield _read_case_file(session, record.id)


def htcds_row(cf: CaseFile) -> list[str]:
    sources: dict[str, object] = {"person": cf.person, "case": cf.case, "intake": cf.intake}
    cells = []
    for column in HTCDS_COLUMNS:
        source = sources[column.entity]
        cells.append(format_value(getattr(source, column.field)) if source is not None else "")
    cells.append(format_value(cf.age_at_trafficking()))
    return cells


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def htcds_csv(session: Session) -> tuple[bytes, int]:
    """The HTCDS export as CSV bytes, and the number of cases in it."""
    session.require(Permission.EXPORT)
    rows = [htcds_row(cf) for cf in all_case_files(session)]
    header = [c.name for c in HTCDS_COLUMNS] + list(DERIVED_HTCDS_COLUMNS)
    return _csv_bytes(header, rows), len(rows)


def export_htcds(
    session: Session, path: Path, *, to_partner: str = "", passphrase: str = ""
) -> int:
    """Write the HTCDS export to ``path``; return the number of cases.

    The file identifies every person, so it can be written encrypted (age): to a trusted
    partner (``to_partner``: fingerprint or organisation name, as for bundles), which only
    that partner's installation opens, or with a ``passphrase`` (as strong as a sign-in
    passphrase), which :func:`open_encrypted_export` or ``age -d`` opens. Without either it is
    plain CSV. The audit event says which (``htcds``, ``htcds-partner``, ``htcds-passphrase``).
    """
    if to_partner and passphrase:
        raise ValueError("encrypt to a partner or with a passphrase, not both")
    data, count = htcds_csv(session)
    kind = "htcds"
    if to_partner:
        from shelter_desk.services.exchange import find_partner

        data = age.encrypt(data, find_partner(session, to_partner).card.recipient)
        kind = "htcds-partner"
    elif passphrase:
        pp.check_strength(passphrase, user_inputs=(session.org_name,))
        data = age.encrypt_with_passphrase(data, passphrase)
        kind = "htcds-passphrase"
    write_atomic(path, data)
    session.audit(Action.EXPORT, kind, str(count))
    return count


def is_encrypted_export(data: bytes) -> bool:
    """Whether a file is an export encrypted by :func:`export_htcds` (an age file)."""
    return age.is_age_file(data)


def export_needs_passphrase(data: bytes) -> bool:
    """Whether an encrypted export opens with a passphrase (else with this installation)."""
    return age.uses_passphrase(data)


def open_encrypted_export(session: Session, data: bytes, passphrase: str = "") -> bytes:
    """The CSV inside an encrypted export: with the passphrase it was made with, or with
    this installation's key when a partner encrypted it to this installation's card."""
    session.require(Permission.IMPORT)
    try:
        if passphrase:
            return age.decrypt_with_passphrase(data, passphrase)
        return session.device_identity.decrypt(data)
    except age.AgeError as exc:
        if passphrase:
            raise AuthError(_("Wrong passphrase for this export, or the file is damaged.")) from exc
        raise ShelterDeskError(
            _(
                "This export was encrypted for another installation, or the file is damaged;"
                " it cannot be opened here."
            )
        ) from exc


# --- CTDC ------------------------------------------------------------------------------

QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "majorityStatus",
)

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
    "SexualExploitation": "isSexualExploitation",
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
LABOUR_OTHER = "typeOfLabourOther"
LABOUR_BEGGING = "typeOfLabourBegging"
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


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(names))


CONTROL_COLUMNS = _unique(list(MEANS_OF_CONTROL.values()))
EXPLOITATION_COLUMNS = [*_unique(list(EXPLOITATION.values())), "isSexAndLabour"]
LABOUR_COLUMNS = [*_unique(list(LABOUR.values())), LABOUR_BEGGING, LABOUR_OTHER]
SEX_COLUMNS = list(SEX.values())
RECRUITER_COLUMNS = _unique(list(RECRUITER.values()))
CTDC_COLUMNS: tuple[str, ...] = (
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    "CountryOfExploitation",
    *CONTROL_COLUMNS,
    *EXPLOITATION_COLUMNS,
    *LABOUR_COLUMNS,
    *SEX_COLUMNS,
    *RECRUITER_COLUMNS,
)

CtdcRow = dict[str, object]


def allows_statistics(cf: CaseFile) -> bool:
    """Whether the consent in force lets the case be counted in shared statistics."""
    consent = cf.consent
    return (
        consent is not None
        and consent.consent_given
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


def _majority(cf: CaseFile, on: dt.date | None) -> object:
    if on is None:
        return MISSING
    status = rules.majority_status(
        rules.age_on(cf.person.birth_date, cf.person.estimated_birth_year, on)
    )
    return status if status is not None else MISSING


def _flags(columns: Sequence[str], chosen: set[str], known: bool) -> CtdcRow:
    return {c: (int(c in chosen) if known else MISSING) for c in columns}


def ctdc_row(cf: CaseFile) -> CtdcRow:
    """One case as CTDC columns (before k-anonymity)."""
    p, intake = cf.person, cf.intake
    opened = cf.case.opened_on
    age = rules.age_on(p.birth_date, p.estimated_birth_year, opened) if opened else None
    began = intake.trafficking_began_on if intake else None
    if began is None:
        dated = [e.event_date for e in cf.events if e.event_date is not None]
        began = min(dated) if dated else None
    exploitation_events = sorted(
        (e for e in cf.events if e.event_type == "Exploitation"),
        key=lambda e: e.event_date or dt.date.max,
    )
    exploited_on = next((e.event_date for e in exploitation_events if e.event_date), began)
    country = next((e.country for e in exploitation_events if e.country), "")
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
    }
    controls = intake.methods_of_control if intake else ()
    row |= _flags(CONTROL_COLUMNS, {MEANS_OF_CONTROL[c] for c in controls}, bool(controls))
    types = intake.exploitation_types if intake else ()
    chosen = {EXPLOITATION[t] for t in types}
    if {"isForcedLabour", "isSexualExploitation"} <= chosen:
        chosen.add("isSexAndLabour")
    row |= _flags(EXPLOITATION_COLUMNS, chosen, bool(types))
    industry = intake.forced_labour_industry if intake else ""
    labour = {LABOUR.get(industry, LABOUR_OTHER)} if industry else set()
    if "ForcedBegging" in types:
        labour.add(LABOUR_BEGGING)
    row |= _flags(LABOUR_COLUMNS, labour, bool(labour))
    sex = intake.sex_exploitation_types if intake else ()
    row |= _flags(SEX_COLUMNS, {SEX[s] for s in sex}, bool(sex))
    relation = intake.relationship_to_trafficker if intake else ""
    row |= _flags(RECRUITER_COLUMNS, {RECRUITER[relation]} if relation else set(), bool(relation))
    return row


def _group_key(row: CtdcRow) -> tuple[object, ...]:
    return tuple(row[c] for c in QUASI_IDENTIFIERS)


def _small_group_rows(rows: Sequence[CtdcRow], k: int) -> list[CtdcRow]:
    sizes = Counter(_group_key(r) for r in rows)
    return [r for r in rows if sizes[_group_key(r)] < k]


_LOCAL_STEPS: tuple[str, ...] = ("ageBroad", "CountryOfExploitation", "citizenship", "gender")


def k_anonymise(rows: list[CtdcRow], k: int = K_ANONYMITY) -> tuple[list[CtdcRow], int, int]:
    """Generalise, then suppress (see the module docstring); return the rows kept, how
    many rows were generalised and how many suppressed."""
    generalised: set[int] = set()
    for column in ("citizenship", "CountryOfExploitation"):
        counts = Counter(r[column] for r in rows)
        for i, r in enumerate(rows):
            if r[column] != MISSING and counts[r[column]] < k:
                r[column] = MISSING
                generalised.add(i)
    for column in _LOCAL_STEPS:
        small = {id(r) for r in _small_group_rows(rows, k)}
        for i, r in enumerate(rows):
            if id(r) in small and r[column] != MISSING:
                r[column] = MISSING
                generalised.add(i)
    small = {id(r) for r in _small_group_rows(rows, k)}
    kept = [r for r in rows if id(r) not in small]
    still_generalised = sum(1 for i in generalised if id(rows[i]) not in small)
    return kept, still_generalised, len(rows) - len(kept)


@dataclass(frozen=True)
class CtdcExport:
    data: bytes
    exported: int
    without_consent: int
    generalised: int
    suppressed: int


def ctdc_csv(session: Session, *, k: int = K_ANONYMITY) -> CtdcExport:
    session.require(Permission.EXPORT)
    rows: list[CtdcRow] = []
    without_consent = 0
    for cf in all_case_files(session):
        if allows_statistics(cf):
            rows.append(ctdc_row(cf))
        else:
            without_consent += 1
    kept, generalised, suppressed = k_anonymise(rows, k)
    data = _csv_bytes(CTDC_COLUMNS, [[r[c] for c in CTDC_COLUMNS] for r in kept])
    return CtdcExport(data, len(kept), without_consent, generalised, suppressed)


def export_ctdc(session: Session, path: Path, *, k: int = K_ANONYMITY) -> CtdcExport:
    """Write the CTDC statistical export to ``path``; return its counts."""
    result = ctdc_csv(session, k=k)
    write_atomic(path, result.data)
    session.audit(Action.EXPORT, "ctdc", str(result.exported))
    return result
