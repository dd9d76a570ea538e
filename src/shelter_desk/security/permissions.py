"""Roles and what each may do: the one permission table, enforced in services."""

from __future__ import annotations

from enum import StrEnum

from shelter_desk.domain.errors import PermissionDenied
from shelter_desk.i18n import N_, _


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CASEWORKER = "caseworker"
    COORDINATOR = "coordinator"
    AUDITOR = "auditor"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: N_("Administrator"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.CASEWORKER: N_("Caseworker"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.AUDITOR: N_("Auditor"),
}


class Permission(StrEnum):
    VIEW_CASES = "view_cases"
    EDIT_CASES = "edit_cases"
    CLOSE_CASES = "close_cases"
    DECIDE_TRAFFICKING_STATUS = "decide_trafficking_status"
    OVERRIDE_CONSENT = "override_consent"
    RESOLVE_CONFLICTS = "resolve_conflicts"
    MANAGE_PARTNERS = "manage_partners"
    PRINT = "print"
    EXPORT = "export"
    IMPORT = "import"
    MANAGE_USERS = "manage_users"
    CHANGE_SETTINGS = "change_settings"
    VIEW_AUDIT = "view_audit"
    BACKUP = "backup"
    RESTORE = "restore"


_CASEWORK = frozenset(
    {Permission.VIEW_CASES, Permission.EDIT_CASES, Permission.CLOSE_CASES, Permission.PRINT}
)
_SUPERVISION = _CASEWORK | {
    Permission.DECIDE_TRAFFICKING_STATUS,
    Permission.OVERRIDE_CONSENT,
    Permission.RESOLVE_CONFLICTS,
    Permission.MANAGE_PARTNERS,
    Permission.EXPORT,
    Permission.IMPORT,
}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SUPERVISOR: frozenset(_SUPERVISION | {Permission.BACKUP}),
    Role.CASEWORKER: _CASEWORK,
    Role.COORDINATOR: frozenset(_SUPERVISION),
    Role.AUDITOR: frozenset({Permission.VIEW_AUDIT}),
}


def allows(role: Role | str, permission: Permission) -> bool:
    return permission in PERMISSIONS[Role(role)]


def require(role: Role | str, permission: Permission) -> None:
    if not allows(role, permission):
        raise PermissionDenied(
            _("Your role ({role}) may not do this.").format(role=_(ROLE_LABELS[Role(role)]))
        )
