"""The Follow-ups due page."""

from __future__ import annotations

from shelter_desk.gui.views.base import IntroView
from shelter_desk.i18n import N_


class FollowUpsView(IntroView):
    HEADING = N_("Follow-ups due")
    PURPOSE = N_(
        "Follow-ups due today, this week and overdue, each one a click away from its case."
    )
