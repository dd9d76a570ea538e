"""The HTCDS 2.0 column table Shelter Desk reads and writes.

One ``Column`` per HTCDS prefixed field name (``prs_*``, ``cas_*``, ``vic_*``) taken from
each entity's ``HTCDS`` map, plus the ``sd_*`` columns HTCDS has no field for (Latin names,
intake date, sharing level...), so an export imports back without loss. Shared by the
import (``htcds_import``) and the export (``htcds_export``).
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from dataclasses import dataclass
from typing import Any

from shelter_desk.domain.entities import Case, Intake, Person

# Internal ids mean nothing outside this installation.
_NOT_EXPORTED = frozenset({"cas_CaseOwner", "cas_ReferringOrganisation"})


@dataclass(frozen=True)
class Column:
    """One export column: which entity ("person", "case", "intake") and which field."""

    name: str
    entity: str
    field: str


def _htcds_columns() -> tuple[Column, ...]:
    found: list[Column] = []
    for entity, cls in (("person", Person), ("case", Case), ("intake", Intake)):
        htcds: dict[str, str] = cls.HTCDS
        for field_name, column in htcds.items():
            if column not in _NOT_EXPORTED:
                found.append(Column(column, entity, field_name))
    found += [
        Column("sd_FirstNameLatin", "person", "first_name_latin"),
        Column("sd_MiddleNameLatin", "person", "middle_name_latin"),
        Column("sd_SecondNameLatin", "person", "second_name_latin"),
        Column("sd_EstimatedBirthYear", "person", "estimated_birth_year"),
        Column("sd_OpenedOn", "case", "opened_on"),
        Column("sd_ClosedOn", "case", "closed_on"),
        Column("sd_SharingLevel", "case", "sharing_level"),
        Column("sd_RiskLevel", "case", "risk_level"),
        Column("sd_IntakeDate", "intake", "intake_date"),
        Column("sd_IdentificationSource", "intake", "identification_source"),
        Column("sd_DataSource", "intake", "data_source"),
        Column("sd_TraffickingBeganOn", "intake", "trafficking_began_on"),
        Column("sd_TraffickingEndedOn", "intake", "trafficking_ended_on"),
    ]
    return tuple(found)


HTCDS_COLUMNS: tuple[Column, ...] = _htcds_columns()
# Written by the export, not read back: worked out (the age), or a key and a copy of what
# the related tables hold (the case number, the first identity document's number).
DERIVED_HTCDS_COLUMNS = ("vic_AgeWhenTrafficked", "sd_CaseNumber", "prs_IdentityNumber")
ENTITY_CLASSES: dict[str, type] = {"person": Person, "case": Case, "intake": Intake}


@functools.cache
def field_type(column: Column) -> Any:
    """The type hint of the column's field (``str``, ``tuple[str, ...]``, ``date | None``...)."""
    return typing.get_type_hints(ENTITY_CLASSES[column.entity])[column.field]


# A cell starting with one of these is a formula in spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def format_value(value: object) -> str:
    """A field value as an HTCDS cell: codes as stored, multi-selects joined with ";"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text  # a spreadsheet must show it, not run it as a formula
    return text
