"""The case workspace tabs after Person, Intake, Consent: what happens to the case.

The workspace window appends :data:`MORE_TABS` to its own tabs.
"""

from __future__ import annotations

from shelter_desk.gui.workspace.base import CaseTab
from shelter_desk.gui.workspace.needs_tab import NeedsTab
from shelter_desk.gui.workspace.plan_tab import PlanTab
from shelter_desk.gui.workspace.referrals_tab import ReferralsTab
from shelter_desk.gui.workspace.reintegration_tab import ReintegrationTab
from shelter_desk.gui.workspace.return_tab import ReturnTab
from shelter_desk.gui.workspace.services_tab import ServicesTab

MORE_TABS: list[type[CaseTab]] = [
    NeedsTab,
    PlanTab,
    ServicesTab,
    ReferralsTab,
    ReturnTab,
    ReintegrationTab,
]

__all__ = [
    "MORE_TABS",
    "NeedsTab",
    "PlanTab",
    "ReferralsTab",
    "ReintegrationTab",
    "ReturnTab",
    "ServicesTab",
]
