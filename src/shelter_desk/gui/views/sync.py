"""The Sync page."""

from __future__ import annotations

from shelter_desk.gui.views.base import IntroView
from shelter_desk.i18n import N_


class SyncView(IntroView):
    HEADING = N_("Sync")
    PURPOSE = N_(
        "Exchanging encrypted bundles with partner organisations and the national coordinator."
    )
