"""Building blocks for case tests: a plausible intake."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shelter_desk.domain.entities import Consent, Intake, Person
from shelter_desk.services import cases
from shelter_desk.services.session import Session

TODAY = dt.date(2026, 11, 20)


def person(first: str = "محمد", latin: str = "Mohammed", **kw: object) -> Person:
    return Person(
        first_name=first,
        first_name_latin=latin,
        second_name=str(kw.pop("second", "")),
        second_name_latin=str(kw.pop("second_latin", "")),
        gender="Masculine",
        citizenships=("SD",),
        **kw,  # type: ignore[arg-type]
    )


def consent(**kw: object) -> Consent:
    base: dict[str, object] = {
        "consent_given": True,
        "method": "Written",
        "given_on": TODAY,
        "sharing_level": "Pseudonymised",
    }
    base.update(kw)
    return Consent(**base)  # type: ignore[arg-type]


def intake(**kw: object) -> Intake:
    base: dict[str, object] = {
        "intake_date": TODAY,
        "exploitation_types": ("ForcedLabour",),
        "identification_source": "NGO",
    }
    base.update(kw)
    return Intake(**base)  # type: ignore[arg-type]


def open_case(session: Session, **kw: Any) -> cases.CaseFile:
    return cases.open_case(
        session,
        person(**kw),
        intake(),
        consent(),
        today=TODAY,
    )
