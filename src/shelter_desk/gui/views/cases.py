"""The Cases page."""

from __future__ import annotations

from shelter_desk.gui.views.base import IntroView
from shelter_desk.i18n import N_


class CasesView(IntroView):
    HEADING = N_("Cases")
    PURPOSE = N_(
        "The case list: every person this organisation supports, with search and filters,"
        " and each case's workspace."
    )
