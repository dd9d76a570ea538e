"""The printable forms by name (no reportlab here: the command line lists them cheaply)."""

FORMS: tuple[str, ...] = ("intake", "consent", "case-summary", "follow-up")
