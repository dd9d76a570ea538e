"""The printable forms by name, and the demo mark's words (no reportlab here: the command
line and the spreadsheet report use them cheaply)."""

from shelter_desk.i18n import N_

FORMS: tuple[str, ...] = ("intake", "consent", "case-summary", "follow-up")

# On every page printed from a demo installation (``demo_mark``) and in its spreadsheet
# reports: the same words the main window of a demo installation shows.
DEMO_MARK = N_("DEMO DATA — invented people, not real cases")
