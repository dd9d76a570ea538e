"""Writing checked import rows: the same records ``cases.open_case`` writes (a case, its
person, intake and consent, each as one change-log transaction), in batches.

An import of 100,000 rows cannot afford what an interactive save does for each record (read
it back, look up its last transaction, refresh the case list after every step), so here the
records of a batch go in with one ``apply_many``, each case's list row and search tokens are
refreshed once from the records in memory, case numbers are taken in one block per year and
the clock is stored once per batch. As for a partner's sync bundle, the import is one audit
event (``import htcds`` with the number of cases); the change log names the user and device
of every record. Everything happens in one database transaction: all rows or none.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from shelter_desk.domain import rules
from shelter_desk.domain.case_file import CaseFile
from shelter_desk.domain.entities import Case, Consent, Intake, Person
from shelter_desk.domain.serialize import to_fields
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.store.records import Change

_BATCH = 500


@dataclass
class ImportRow:
    """One checked row of an import, as ``htcds_import`` builds it."""

    row: int  # the file's row number
    person: Person
    intake: Intake
    consent: Consent
    case: Case  # status, trafficking status, closure... (number and ids are assigned here)


def _require(session: Session, rows: Sequence[ImportRow]) -> None:
    """The permissions the rows need, checked before anything is written."""
    session.require(Permission.EDIT_CASES)
    if any(r.case.status in ("Closed", "ClosedReferred") for r in rows):
        session.require(Permission.CLOSE_CASES)
    if any(r.case.trafficking_status != Case().trafficking_status for r in rows):
        session.require(Permission.DECIDE_TRAFFICKING_STATUS)


def write_rows(
    session: Session,
    rows: Sequence[ImportRow],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the rows as new cases in one transaction; returns how many were written."""
    _require(session, rows)
    total = len(rows)
    written = 0
    with session.db.transaction():
        refs = {
            str(r.data.get("source_ref"))
            for r in session.records.of_entity(Intake.ENTITY)
            if r.data.get("source_ref")
        }
        fresh = [r for r in rows if r.intake.source_ref not in refs]
        device, user, org = session.device_id, session.user.id, session.org_id
        numbers = _reserve_numbers(session, fresh)
        for start in range(0, len(fresh), _BATCH):
            changes: list[Change] = []
            files: list[CaseFile] = []
            for row, number in zip(
                fresh[start : start + _BATCH], numbers[start : start + _BATCH], strict=True
            ):
                cf = _new_case(row, number, org)
                files.append(cf)
                for entity in (cf.case, cf.person, cf.intakes[0], cf.consents[0]):
                    changes.append(_change(session, entity, cf.case.id, device, user, org))
            session.records.apply_many(changes)
            session.meta.set("hlc_last", changes[-1].hlc)
            for cf in files:
                cases.refresh_index(session, cf)
            written += len(files)
            if progress is not None:
                progress(written + (total - len(fresh)), total)
        session.audit(Action.IMPORT, "htcds", str(written))
    if progress is not None:
        progress(total, total)
    return written


def _opened_on(row: ImportRow) -> dt.date:
    return row.case.opened_on or row.intake.intake_date or dt.date.today()


def _reserve_numbers(session: Session, rows: Sequence[ImportRow]) -> list[str]:
    """The case numbers of the rows, in order: one block per year, taken from the counter
    at once (numbers are never reused, so a rolled-back import leaves a gap, as a refused
    intake does)."""
    prefix = session.case_prefix
    per_year = Counter(_opened_on(r).year for r in rows)
    next_seq: dict[int, int] = {}
    for year, count in per_year.items():
        first = session.case_numbers.next(prefix, year)
        session.case_numbers.observe(prefix, year, first + count - 1)
        next_seq[year] = first
    numbers = []
    for row in rows:
        year = _opened_on(row).year
        numbers.append(rules.format_case_number(prefix, year, next_seq[year]))
        next_seq[year] += 1
    return numbers


def _new_case(row: ImportRow, number: str, org: str) -> CaseFile:
    """The row's records with new ids (the preview's records are filled in, not copied)."""
    case, person, intake, consent = row.case, row.person, row.intake, row.consent
    case.id, person.id = cases.new_id(), cases.new_id()
    case.org_id = person.org_id = intake.org_id = consent.org_id = org
    case.person_id, case.number = person.id, number
    intake.id, consent.id = cases.new_id(), cases.new_id()
    intake.case_id = consent.case_id = case.id
    return CaseFile(case=case, person=person, intakes=[intake], consents=[consent])


def _change(
    session: Session, entity: Any, case_id: str, device: str, user: str, org: str
) -> Change:
    fields = to_fields(entity)
    fields.pop("id")
    return Change(
        txn_id=cases.new_id(),
        hlc=session.clock.tick().encode(),
        device=device,
        user_id=user,
        org_id=org,
        case_id=case_id,
        entity=entity.ENTITY,
        record_id=entity.id,
        parents=(),
        fields=fields,
    )
