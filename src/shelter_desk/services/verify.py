"""Integrity check: SQLCipher page HMACs, SQLite structure, schema version, audit chain,
and a digest of the case data that is equal for equal data on any installation."""

from __future__ import annotations

from dataclasses import dataclass, field

from shelter_desk.i18n import _
from shelter_desk.security.audit import first_broken
from shelter_desk.services.session import Session
from shelter_desk.store import migrations
from shelter_desk.store.accounts import AuditLog
from shelter_desk.store.db import Database
from shelter_desk.store.inventory import case_data_digest, entity_counts


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    digest: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> VerifyReport:
    return verify_database(session.db)


def verify_database(db: Database) -> VerifyReport:
    report = VerifyReport()
    report.problems.extend(
        _("Database check: {detail}").format(detail=p) for p in db.integrity_problems()
    )
    version = migrations.schema_version(db)
    if version != migrations.LATEST:
        report.problems.append(
            _("Schema version {found} where {expected} was expected.").format(
                found=version, expected=migrations.LATEST
            )
        )
    log = AuditLog(db)
    broken = first_broken(log.events(), log.head())
    if broken is not None:
        report.problems.append(
            _("The audit log was changed or cut at event {seq}.").format(seq=broken)
        )
    report.counts = entity_counts(db)
    report.digest = case_data_digest(db)
    return report
