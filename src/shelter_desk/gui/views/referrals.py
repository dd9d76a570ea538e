"""The Referrals page."""

from __future__ import annotations

from shelter_desk.gui.views.base import IntroView
from shelter_desk.i18n import N_


class ReferralsView(IntroView):
    HEADING = N_("Referrals")
    PURPOSE = N_(
        "Referrals sent to and received from partner organisations, and what became of them."
    )
