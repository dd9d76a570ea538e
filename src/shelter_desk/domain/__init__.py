"""Domain: entities, code lists, rules and errors. Standard library only (plus the
``N_`` extraction marker from ``shelter_desk.i18n``)."""
