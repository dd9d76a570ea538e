"""The audit log as people read it: newest first, in pages, with words instead of codes.

Events hold ids and action codes only; here the acting user's id becomes their display name
(staff, never a person supported) and the codes become labels marked with ``N_`` for the
GUI to translate. The object is named by its kind only ("Case", "Person"), never by who it
is about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shelter_desk.i18n import N_, NP_
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.session import Session

PAGE_SIZE = 200

ACTION_LABELS: dict[str, str] = {
    Action.INSTALL: N_("Installed Shelter Desk"),
    Action.LOGIN: N_("Signed in"),
    Action.LOGIN_FAILED: N_("Failed to sign in"),
    Action.UNLOCK: N_("Unlocked"),
    Action.LOCK: N_("Locked"),
    Action.USER_ADD: N_("Added a user"),
    Action.USER_DISABLE: N_("Disabled a user"),
    Action.USER_ENABLE: N_("Enabled a user"),
    Action.USER_ROLE: N_("Changed a user's role"),
    Action.PASSPHRASE_CHANGE: N_("Changed their own passphrase"),
    Action.PASSPHRASE_RESET: N_("Reset a passphrase"),
    Action.RECOVERY_USED: N_("Used the recovery key"),
    Action.KEY_SLOT_REPAIR: N_("Removed a key left by an interrupted change"),
    Action.SETTINGS_CHANGE: N_("Changed settings"),
    Action.BACKUP: N_("Made a backup"),
    Action.RESTORE: N_("Restored a backup"),
    # TRANSLATORS: audit log action: the user opened (looked at) a record.
    Action.VIEW: NP_("audit action", "Opened"),
    Action.CREATE: N_("Created"),
    Action.EDIT: N_("Changed"),
    Action.DELETE: N_("Deleted"),
    Action.REOPEN: N_("Reopened"),
    Action.CONSENT_OVERRIDE: N_("Referred without consent (override)"),
    Action.PRINT: N_("Printed"),
    Action.EXPORT: N_("Exported"),
    Action.IMPORT: N_("Imported"),
    # written by the sync service
    "partner_add": N_("Trusted a sync partner"),
    "partner_revoke": N_("Stopped trusting a sync partner"),
    "conflict_resolve": N_("Resolved a sync conflict"),
    "network_secret_set": N_("Set the network secret"),
    "import_refused": N_("Refused a bundle"),
    # written by services.duplicates
    "duplicate_same_person": N_("Linked two cases as the same person"),
    "duplicate_dismissed": N_("Dismissed a possible duplicate"),
    "duplicate_decision_undone": N_("Undid a decision on a possible duplicate"),
}

OBJECT_LABELS: dict[str, str] = {
    "": "",
    "user": N_("User account"),
    "settings": N_("Settings"),
    "case": N_("Case"),
    "person": N_("Person"),
    "intake": N_("Intake"),
    "consent": N_("Consent"),
    "trafficking_event": N_("Trafficking event"),
    "needs_assessment": N_("Needs assessment"),
    "support_objective": N_("Support objective"),
    "service_delivery": N_("Service delivered"),
    "referral": N_("Referral"),
    "return": N_("Return"),
    "reintegration_plan": N_("Reintegration plan"),
    # TRANSLATORS: audit log record type: a follow-up visit record (not a case status).
    "follow_up": NP_("record type", "Follow-up"),
    "organisation": N_("Organisation in the directory"),
    "partner": N_("Sync partner"),
    "installation": N_("This installation"),
    "bundle": N_("Bundle"),
    "form": N_("Printed form"),
    "case_pair": N_("Pair of cases"),
}

RECOVERY_USER = "recovery"
RECOVERY_LABEL = N_("Recovery key")
UNKNOWN_USER_LABEL = N_("Unknown user")


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: dt.datetime  # UTC
    user_id: str
    user_name: str
    """The display name; empty when the id belongs to no account here (see ``user_label``)."""
    user_label: str
    """``N_``-marked words for a user with no account (the recovery key), else empty."""
    action: str
    action_label: str
    """``N_``-marked words for the action; a code this version does not know is itself."""
    object_type: str
    object_label: str
    """``N_``-marked kind of thing acted on ("Case"...); an unknown kind is itself."""


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    offset: int


def audit_page(session: Session, offset: int = 0, limit: int = PAGE_SIZE) -> AuditPage:
    """Events newest first: ``rows`` are events ``offset`` .. ``offset + limit - 1``
    counted back from the newest. Needs the permission to view the audit log."""
    session.require(Permission.VIEW_AUDIT)
    offset, limit = max(offset, 0), max(limit, 0)
    head = session.audit_log.head()
    newest = head[0] if head else session.audit_log.count()
    # Sequence numbers run 1..newest without gaps (the hash chain guarantees it).
    last = newest - offset
    first = max(last - limit + 1, 1)
    events = session.audit_log.events(after=first - 1, limit=max(last - first + 1, 0))
    names = {u.id: u.display_name or u.username for u in session.users.all()}
    rows = [
        AuditRow(
            seq=e.seq,
            at=_parse_time(e.at),
            user_id=e.user_id,
            user_name=names.get(e.user_id, ""),
            user_label=""
            if e.user_id in names
            else (RECOVERY_LABEL if e.user_id == RECOVERY_USER else UNKNOWN_USER_LABEL),
            action=e.action,
            action_label=ACTION_LABELS.get(e.action, e.action),
            object_type=e.object_type,
            object_label=OBJECT_LABELS.get(e.object_type, e.object_type),
        )
        for e in reversed(events)
    ]
    return AuditPage(rows=rows, total=newest, offset=offset)


def _parse_time(text: str) -> dt.datetime:
    at = dt.datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)
