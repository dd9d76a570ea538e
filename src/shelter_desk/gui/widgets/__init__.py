"""Reusable inputs for case forms: code-list combos and checklists, dates that may be
unknown, countries and languages by their names, names in any script, and the form sections
the new-case wizard and the case workspace share."""
