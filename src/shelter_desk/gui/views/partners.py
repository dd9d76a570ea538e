"""The Partners page."""

from __future__ import annotations

from shelter_desk.gui.views.base import IntroView
from shelter_desk.i18n import N_


class PartnersView(IntroView):
    HEADING = N_("Partners")
    PURPOSE = N_(
        "The address book of partner organisations: their services, languages, countries "
        "and contacts."
    )
