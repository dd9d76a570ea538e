"""Demo data of many shelters on one installation: what a national coordinator holds after
importing every shelter's bundles, for trying the national picture and for benchmarks.

Each organisation gets its own seeded generator (its own id, case number prefix and
partner book) and its cases are written the way a sync import writes them: many
transactions at once through ``Records.apply_many`` and the case list rows through
``cases.refresh_indexes``, one database transaction and one audit event per batch (a
bundle import audits the bundle, not each record). Deterministic like ``generate_demo``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.domain.serialize import to_fields
from shelter_desk.i18n import _
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.demo import DemoSummary
from shelter_desk.services.demo.generator import Generator
from shelter_desk.services.demo.writing import case_records, problems
from shelter_desk.services.session import Session
from shelter_desk.store.records import Change

BATCH_CASES = 1000


def organisation_id(seed: int, number: int) -> str:
    """The id of the ``number``-th demo organisation of ``seed`` (the same everywhere)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"shelter-desk-demo-org/{seed}/{number}"))


def generate_network(
    session: Session,
    organisations: int,
    cases_each: int,
    seed: int,
    *,
    today: dt.date | None = None,
    check: bool = True,
    part: int = 0,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_CASES,
) -> DemoSummary:
    """Write ``cases_each`` demo cases for each of ``organisations`` invented shelters.

    ``check=False`` skips the domain rules on each generated case (they pass; checking
    them takes about a third of the time). ``part`` > 0 adds ``cases_each`` more cases to
    the same organisations (their partner books are written by part 0): a benchmark grows
    an installation in steps. ``progress(done, total)`` follows each batch.
    """
    session.require(Permission.EDIT_CASES)
    if not session.is_demo:
        raise ShelterDeskError(_("Demo cases can only be added to a demo installation."))
    today = today or dt.date.today()
    total = organisations * cases_each
    done = written = 0
    for number in range(organisations):
        generator = Generator(session, (seed * 1000 + number) * 1000 + part, today)
        generator.org_id = organisation_id(seed, number)
        generator.prefix = f"D{number:02d}"
        partners: list[object] = list(generator.address_book())
        if part:
            partners = []  # the generator still needs them, for its referrals
        opened = generator.opening_dates(cases_each)
        for start in range(0, max(len(opened), 1), max(1, batch_size)):
            # Generating inside the transaction: each case takes a number from the counter.
            with session.db.transaction():
                files = [generator.case(day) for day in opened[start : start + batch_size]]
                for cf in files:
                    if check and (errors := problems(cf, today)):
                        raise AssertionError(f"the demo generator made an invalid case: {errors}")
                written += _write(session, files, partners)
            partners = []
            done += len(files)
            if progress is not None:
                progress(done, total)
    return DemoSummary(cases=done, records=written, organisations=organisations)


def _write(session: Session, files: list[cases.CaseFile], partners: list[object]) -> int:
    """The partner records and case files as new transactions (in the caller's transaction)."""
    changes = [_change(session, record, "") for record in partners]
    for cf in files:
        changes += [_change(session, record, cf.case.id) for record in case_records(cf)]
    session.records.apply_many(changes)
    cases.refresh_indexes(session, files)
    session.meta.set("hlc_last", session.clock.last.encode())
    session.audit(Action.CREATE, "demo_batch", str(len(changes)))
    return len(changes)


def _change(session: Session, entity: object, case_id: str) -> Change:
    fields = to_fields(entity)
    record_id = str(fields.pop("id"))
    return Change(
        txn_id=cases.new_id(),
        hlc=session.clock.tick().encode(),
        device=session.device_id,
        user_id=session.user.id,
        org_id=str(getattr(entity, "org_id", "")),
        case_id=case_id,
        entity=str(getattr(entity, "ENTITY", "")),
        record_id=record_id,
        parents=(),
        fields=fields,
    )
