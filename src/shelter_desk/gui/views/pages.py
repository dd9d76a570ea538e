"""The pages of the main window, in navigation order.

To plug in a new page, write a :class:`~shelter_desk.gui.views.base.View` subclass in its own
module and name it in :data:`PAGES` (or replace the class of an existing entry). The main
window builds a page the first time it is shown and deletes every page when Shelter Desk
locks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shelter_desk.gui.views.administration import AdministrationView
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.views.coordination import CoordinationView
from shelter_desk.gui.views.dashboard import DashboardView
from shelter_desk.gui.views.duplicates import DuplicatesView
from shelter_desk.gui.views.follow_ups import FollowUpsView
from shelter_desk.gui.views.national import NationalView
from shelter_desk.gui.views.partners import PartnersView
from shelter_desk.gui.views.referrals import ReferralsView
from shelter_desk.gui.views.sync import SyncView
from shelter_desk.i18n import N_
from shelter_desk.security.permissions import Permission
from shelter_desk.services.session import Session


def everyone(_session: Session) -> bool:
    return True


def can_see_cases(session: Session) -> bool:
    return session.can(Permission.VIEW_CASES)


def can_administer(session: Session) -> bool:
    return session.can(Permission.MANAGE_USERS) or session.can(Permission.VIEW_AUDIT)


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    """Navigation label, marked with ``N_`` and translated when shown."""
    view: Callable[[ViewContext], View]
    shown_to: Callable[[Session], bool] = everyone


PAGES: tuple[Page, ...] = (
    Page("cases", N_("Cases"), CasesView, can_see_cases),
    Page("follow_ups", N_("Follow-ups due"), FollowUpsView, can_see_cases),
    Page("referrals", N_("Referrals"), ReferralsView, can_see_cases),
    # TRANSLATORS: the address book of organisations cases are referred to (not the sync
    # partners, who exchange bundles).
    Page("partners", N_("Directory"), PartnersView, can_see_cases),
    Page("coordination", N_("Coordination log"), CoordinationView, can_see_cases),
    Page("duplicates", N_("Possible duplicates"), DuplicatesView, can_see_cases),
    Page("dashboard", N_("Dashboard"), DashboardView, can_see_cases),
    Page("national", N_("Period report"), NationalView, can_see_cases),
    Page("sync", N_("Sync"), SyncView, can_see_cases),
    Page("administration", N_("Administration"), AdministrationView, can_administer),
)

__all__ = ["PAGES", "Page", "View", "ViewContext", "can_administer", "can_see_cases"]
