"""Case numbers that stay unambiguous where several organisations' cases are listed.

Each organisation numbers its own cases (``ORG-2026-0042``); two shelters may well choose the
same prefix. Where an installation holds cases of more than one organisation with the same
prefix (a coordinator, or a shelter that received referrals), the number shown for each of
those cases carries its organisation's name. The stored number never changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from shelter_desk.domain.entities import Organisation
from shelter_desk.domain.errors import ValidationError
from shelter_desk.i18n import _
from shelter_desk.services.session import Session
from shelter_desk.store.coordination import CasePrefixes
from shelter_desk.store.records import CaseListRow


def prefix_of(number: str) -> str:
    return number.split("-", 1)[0] if "-" in number else ""


def organisation_names(session: Session) -> dict[str, str]:
    """Organisation id -> name: the directory's entries and this installation."""
    names = {
        r.id: str(r.data.get("name", "")) for r in session.records.of_entity(Organisation.ENTITY)
    }
    names[session.org_id] = session.org_name
    return names


def qualified(number: str, org_id: str, names: Mapping[str, str]) -> str:
    name = names.get(org_id) or org_id[:8]
    return _("{number} ({organisation})").format(number=number, organisation=name)


class NumberDisplay:
    """Shows case numbers for one listing (read the shared prefixes once per listing)."""

    def __init__(self, session: Session) -> None:
        self._prefixes = CasePrefixes(session.db)
        self.shared = self._prefixes.shared()
        self.names = organisation_names(session) if self.shared else {}

    def show(self, number: str, org_id: str) -> str:
        if self.shared and prefix_of(number) in self.shared:
            return qualified(number, org_id, self.names)
        return number

    def rows(self, rows: Sequence[CaseListRow]) -> list[CaseListRow]:
        """The case-list rows with their numbers as shown."""
        if not self.shared or not any(prefix_of(r.number) in self.shared for r in rows):
            return list(rows)
        org_ids = self._prefixes.organisations_of([r.case_id for r in rows])
        return [replace(r, number=self.show(r.number, org_ids.get(r.case_id, ""))) for r in rows]


def displayed_number(session: Session, number: str, org_id: str) -> str:
    """A case's number as shown: with its organisation when another uses the same prefix."""
    return NumberDisplay(session).show(number, org_id)


_QUALIFIED = re.compile(r"(\S+)\s*\((.+)\)")


def case_for_number(session: Session, text: str) -> str | None:
    """The case with this number (as typed, or as shown with its organisation in
    brackets); None when there is none. A number two organisations use, typed without the
    organisation, is refused rather than guessed."""
    text = text.strip()
    match = _QUALIFIED.fullmatch(text)
    number, org_name = (match.group(1), match.group(2).strip()) if match else (text, "")
    found = CasePrefixes(session.db).cases_numbered(number.upper())
    if org_name:
        names = organisation_names(session)
        found = [(c, o) for c, o in found if names.get(o, "").casefold() == org_name.casefold()]
    if len(found) > 1:
        names = organisation_names(session)
        example = qualified(number.upper(), found[0][1], names)
        raise ValidationError(
            {
                "number": _(
                    "More than one organisation has a case {number}: write the number as it is"
                    " shown, with the organisation, like {example}."
                ).format(number=number.upper(), example=example)
            }
        )
    return found[0][0] if found else None
