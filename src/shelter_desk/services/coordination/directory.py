"""The partner directory (the address book's Organisation records) for coordination: search,
and export as CSV or vCard for the coordinator's own address book.

Both exports name organisations and their contact people only (no case data). The CSV has one
row per contact person (one row for an organisation without any), in the interface language,
with a text a spreadsheet would run as a formula made harmless; the vCard file (RFC 6350,
version 4.0) has one card per organisation (KIND:org) and one per contact person, linked to
the organisation's card.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from shelter_desk.domain import codes
from shelter_desk.domain.entities import ContactPerson, Organisation
from shelter_desk.domain.errors import ValidationError
from shelter_desk.i18n import N_, _, country_name, language_name
from shelter_desk.security.atomic import write_atomic
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.services.standards.htcds_export import csv_bytes

CSV_COLUMNS = (
    N_("Organisation"),
    N_("Type"),
    N_("Coalition role"),
    N_("Country"),
    N_("City"),
    N_("Address"),
    N_("Phone"),
    N_("Email"),
    N_("Services offered"),
    N_("Contact person"),
    N_("Role"),
    N_("Contact phone"),
    N_("Contact email"),
    N_("Contact languages"),
)
FORMATS = ("csv", "vcf")


def _label(code_list: codes.CodeList, code: str) -> str:
    return _(code_list.label(code)) if code else ""


def _search_text(org: Organisation) -> str:
    parts = [
        org.name,
        org.city,
        org.street,
        org.email,
        org.phone,
        org.notes,
        org.country,
        country_name(org.country) if org.country else "",
        _label(codes.ORGANISATION_TYPE, org.type),
        _label(codes.COALITION_ROLE, org.coalition_role),
        *(_label(codes.SERVICE_TYPE, s) for s in org.services_offered),
        *(language_name(lang) for lang in org.languages),
    ]
    for p in org.contact_persons:
        parts += [p.name, p.role, p.phone, p.email]
    return " ".join(parts).casefold()


def search(
    session: Session,
    text: str = "",
    *,
    coalition_role: str = "",
    country: str = "",
    org_type: str = "",
) -> list[Organisation]:
    """Directory entries where every typed word is found (in the name, place, type, role,
    services, languages or a contact person), with the role, country and type asked for."""
    words = text.casefold().split()
    return [
        org
        for org in cases.organisations(session)
        if (not coalition_role or org.coalition_role == coalition_role)
        and (not country or org.country == country)
        and (not org_type or org.type == org_type)
        and all(w in _search_text(org) for w in words)
    ]


def csv_export(orgs: Iterable[Organisation]) -> bytes:
    rows: list[list[object]] = []
    for org in orgs:
        address = ", ".join(p for p in (org.street, org.postal_code, org.city, org.state) if p)
        base: list[object] = [
            org.name,
            _label(codes.ORGANISATION_TYPE, org.type),
            _label(codes.COALITION_ROLE, org.coalition_role),
            country_name(org.country) if org.country else "",
            org.city,
            address,
            org.phone,
            org.email,
            "; ".join(_label(codes.SERVICE_TYPE, s) for s in org.services_offered),
        ]
        people: Sequence[ContactPerson | None] = org.contact_persons or (None,)
        for p in people:
            if p is None:
                rows.append([*base, "", "", "", "", ""])
                continue
            languages = "; ".join(language_name(lang) for lang in p.languages)
            rows.append([*base, p.name, p.role, p.phone, p.email, languages])
    return csv_bytes([_(c) for c in CSV_COLUMNS], rows)


def _escape(value: str) -> str:
    """A vCard text value: backslash, comma, semicolon and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space, never inside a
    character (RFC 6350 3.2)."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = 75 if not out else 74  # a continuation line starts with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _card(lines: list[str]) -> str:
    body = ["BEGIN:VCARD", "VERSION:4.0", *lines, "END:VCARD"]
    return "".join(_fold(line) + "\r\n" for line in body)


def _org_card(org: Organisation) -> str:
    lines = [f"UID:urn:uuid:{org.id}", "KIND:org", f"FN:{_escape(org.name)}"]
    lines.append(f"ORG:{_escape(org.name)}")
    if org.street or org.city or org.country:
        parts = (org.street, org.city, org.state, org.postal_code, org.country)
        lines.append("ADR:;;" + ";".join(_escape(p) for p in parts))
    if org.phone:
        lines.append(f"TEL;VALUE=uri:tel:{_escape(org.phone.replace(' ', '-'))}")
    if org.email:
        lines.append(f"EMAIL:{_escape(org.email)}")
    lines += [f"LANG:{lang}" for lang in org.languages]
    categories = [_label(codes.ORGANISATION_TYPE, org.type)]
    categories.append(_label(codes.COALITION_ROLE, org.coalition_role))
    categories += [_label(codes.SERVICE_TYPE, s) for s in org.services_offered]
    if any(categories):
        lines.append("CATEGORIES:" + ",".join(_escape(c) for c in categories if c))
    if org.notes:
        lines.append(f"NOTE:{_escape(org.notes)}")
    return _card(lines)


def _person_card(org: Organisation, index: int, p: ContactPerson) -> str:
    lines = [
        f"UID:urn:uuid:{org.id}-{index}",
        "KIND:individual",
        f"FN:{_escape(p.name)}",
        f"ORG:{_escape(org.name)}",
        f"RELATED;TYPE=colleague:urn:uuid:{org.id}",
    ]
    if p.role:
        lines.append(f"TITLE:{_escape(p.role)}")
    if p.phone:
        lines.append(f"TEL;VALUE=uri:tel:{_escape(p.phone.replace(' ', '-'))}")
    if p.email:
        lines.append(f"EMAIL:{_escape(p.email)}")
    lines += [f"LANG:{lang}" for lang in p.languages]
    return _card(lines)


def vcard_export(orgs: Iterable[Organisation]) -> bytes:
    cards: list[str] = []
    for org in orgs:
        cards.append(_org_card(org))
        cards += [_person_card(org, i, p) for i, p in enumerate(org.contact_persons, 1)]
    return "".join(cards).encode("utf-8")


def export_directory(
    session: Session, path: Path, orgs: Sequence[Organisation] | None = None
) -> int:
    """Write the directory (or the entries given, such as a search's) to ``path``, as CSV or
    vCard by its suffix; returns how many organisations it holds. Audited as an export."""
    session.require(Permission.VIEW_CASES)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValidationError({"path": _("Save the directory as a .csv or a .vcf file.")})
    chosen = list(orgs) if orgs is not None else cases.organisations(session)
    data = csv_export(chosen) if kind == "csv" else vcard_export(chosen)
    write_atomic(path, data)
    session.audit(Action.EXPORT, f"directory-{kind}", str(len(chosen)))
    return len(chosen)
