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

The package: ``populations`` (who the cases are about), ``given_names``,
``surnames`` and ``places`` (data), ``base``, ``people``, ``history`` and ``generator``
(making one case), ``writing`` (checking and writing it) and, here, ``generate_demo``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shelter_desk.domain import rules
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.i18n import _
from shelter_desk.security.permissions import Permission
from shelter_desk.services.demo.generator import Generator
from shelter_desk.services.demo.writing import Writer, case_records, problems
from shelter_desk.services.session import Session
from shelter_desk.services.worker import CancelToken

__all__ = ["BATCH_CASES", "DemoSummary", "case_records", "generate_demo", "problems"]


BATCH_CASES = 500
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    cases: int  # cases written (fewer than asked when cancelled)
    records: int  # records written, the partner address book included
    organisations: int
    cancelled: bool = False


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
    generator = Generator(session, seed, today)
    writer = Writer(session)
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
