"""The partner directory: search, and CSV and vCard exports that parse back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from shelter_desk.domain.entities import ContactPerson, Organisation
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.services import cases
from shelter_desk.services.coordination import directory
from shelter_desk.services.session import Session

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def book(admin_session: Session) -> list[Organisation]:
    orgs = [
        Organisation(
            name="Ministry of Social Development",
            type="CentralGovernmentOrganisation",
            coalition_role="Core",
            country="JO",
            city="Amman",
            street="Prince Hamzah St, 12",
            phone="+962 6 555 0100",
            email="nrm@mosd.example",
            services_offered=("Accommodation", "LegalAid"),
            contact_persons=(
                ContactPerson(
                    name="Rania Haddad", role="Head; NRM unit", phone="+962 79 000 1111",
                    email="r.haddad@mosd.example", languages=("ar", "en"),
                ),
                ContactPerson(name="=HYPERLINK(\"x\")", role="Assistant"),
            ),
            notes="Call before 14:00,\nnever on Fridays",
        ),
        Organisation(
            name="Caritas Georgia",
            type="NGO",
            coalition_role="Supporting",
            country="GE",  # a contact abroad
            city="თბილისი",
            services_offered=("Interpretation",),
        ),
        Organisation(name="IOM Mission", type="InternationalOrganisation", country="JO"),
    ]  # fmt: skip
    return [cases.save_organisation(admin_session, o, today=TODAY) for o in orgs]


def names(orgs: list[Organisation]) -> list[str]:
    return [o.name for o in orgs]


def test_search_by_words_role_country_and_type(
    admin_session: Session, book: list[Organisation]
) -> None:
    s = admin_session
    assert names(directory.search(s, "haddad")) == ["Ministry of Social Development"]
    assert names(directory.search(s, "georgia interpretation")) == ["Caritas Georgia"]
    assert names(directory.search(s, "jordan")) == ["IOM Mission", "Ministry of Social Development"]
    assert names(directory.search(s, coalition_role="Core")) == ["Ministry of Social Development"]
    assert names(directory.search(s, country="GE")) == ["Caritas Georgia"]
    assert names(directory.search(s, org_type="InternationalOrganisation")) == ["IOM Mission"]
    assert directory.search(s, "nobody by that name") == []


def test_csv_export_parses_back_one_row_per_contact(
    admin_session: Session, book: list[Organisation], tmp_path: Path
) -> None:
    out = tmp_path / "partners.csv"
    assert directory.export_directory(admin_session, out) == 3
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["Organisation"] for r in rows] == [
        "Caritas Georgia",
        "IOM Mission",
        "Ministry of Social Development",
        "Ministry of Social Development",
    ]
    caritas, _iom, rania, formula = rows
    assert caritas["Country"] == "Georgia" and caritas["City"] == "თბილისი"
    assert caritas["Coalition role"] == "Supporting" and caritas["Contact person"] == ""
    assert rania["Contact person"] == "Rania Haddad" and rania["Role"] == "Head; NRM unit"
    assert rania["Contact email"] == "r.haddad@mosd.example"
    assert rania["Services offered"] == "Accommodation / shelter stay; Legal aid"
    assert rania["Type"] == "Central government organisation"
    assert formula["Contact person"].startswith("'=")  # shown, never run
    events = [(e.action, e.object_type) for e in admin_session.audit_log.events()]
    assert ("export", "directory-csv") in events


def unfold(text: str) -> list[str]:
    """RFC 6350 3.2: a line starting with a space continues the previous one."""
    lines: list[str] = []
    for line in text.split("\r\n"):
        if line.startswith(" "):
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    return lines


def parse_vcards(data: bytes) -> list[dict[str, list[str]]]:
    cards: list[dict[str, list[str]]] = []
    for line in unfold(data.decode("utf-8")):
        name, _sep, value = line.partition(":")
        key = name.split(";")[0]
        if key == "BEGIN":
            cards.append({})
        elif key != "END":
            cards[-1].setdefault(key, []).append(value)
    return cards


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_vcard_export_parses_back(
    admin_session: Session, book: list[Organisation], tmp_path: Path
) -> None:
    out = tmp_path / "partners.vcf"
    directory.export_directory(admin_session, out, directory.search(admin_session, "ministry"))
    raw = out.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded (octets)
    cards = parse_vcards(raw)
    assert len(cards) == 3  # the ministry and its two contact people
    ministry, rania, _assistant = cards
    assert ministry["VERSION"] == ["4.0"] and ministry["KIND"] == ["org"]
    assert unescape(ministry["FN"][0]) == "Ministry of Social Development"
    assert ministry["ADR"] == [";;Prince Hamzah St\\, 12;Amman;;;JO"]
    assert unescape(ministry["NOTE"][0]) == "Call before 14:00,\nnever on Fridays"
    assert ministry["TEL"] == ["tel:+962-6-555-0100"]
    assert "Core" in ministry["CATEGORIES"][0]
    assert rania["KIND"] == ["individual"] and unescape(rania["TITLE"][0]) == "Head; NRM unit"
    assert rania["RELATED"] == [ministry["UID"][0]]
    assert rania["LANG"] == ["ar", "en"]
    assert unescape(rania["ORG"][0]) == "Ministry of Social Development"


def test_long_non_latin_lines_fold_between_characters(
    admin_session: Session, tmp_path: Path
) -> None:
    long_name = "ქალთა უფლებების დაცვის ასოციაცია " * 4
    cases.save_organisation(admin_session, Organisation(name=long_name.strip()), today=TODAY)
    out = tmp_path / "ge.vcf"
    directory.export_directory(admin_session, out)
    raw = out.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert parse_vcards(raw)[0]["FN"] == [long_name.strip()]  # decodes: no split character


def test_bad_targets_write_nothing(
    admin_session: Session, book: list[Organisation], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = admin_session.audit_log.count()
    with pytest.raises(ValidationError) as bad:
        directory.export_directory(admin_session, out / "partners.txt")
    assert bad.value.errors == {"path": "Save the directory as a .csv or a .vcf file."}
    with pytest.raises(ShelterDeskError):
        directory.export_directory(admin_session, out / "no-such-folder" / "partners.csv")
    assert admin_session.audit_log.count() == before
    assert not list(out.iterdir())
