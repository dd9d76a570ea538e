"""The Dashboard page."""

from __future__ import annotations

from shelter_desk.gui.views.base import IntroView
from shelter_desk.i18n import N_


class DashboardView(IntroView):
    HEADING = N_("Dashboard")
    PURPOSE = N_(
        "Figures and charts about open cases, new cases, services delivered and follow-ups."
    )
