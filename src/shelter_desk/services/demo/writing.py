"""Checking demo case files with the domain rules, and writing them as change-log
transactions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from shelter_desk.domain import rules
from shelter_desk.domain.entities import FollowUp, Referral
from shelter_desk.domain.serialize import to_fields
from shelter_desk.security.audit import Action
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.session import Session
from shelter_desk.store.records import Change


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


class Writer:
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
