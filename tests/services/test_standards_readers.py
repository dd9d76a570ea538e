"""Reading spreadsheet files: encodings, separators, IOM's template layout, unreadable files."""

from __future__ import annotations

import io

import openpyxl
import pytest

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.services.standards import aliases
from shelter_desk.services.standards.readers import decode, read_table, sniff_delimiter


def _read(data: bytes):
    return read_table(data, aliases.is_known)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_the_separator_is_the_one_that_splits_the_header(sep: str) -> None:
    text = sep.join(["prs_FirstName", "prs_Gender", "cas_Status"]) + "\r\nNino,x" + "\r\n"
    assert sniff_delimiter(text) == sep


def test_utf16_without_a_byte_order_mark_and_utf8_with_one() -> None:
    text = "prs_FirstName\tprs_Gender\r\nნინო\tFeminine\r\n"
    assert decode(text.encode("utf-16-le")) == (text, "utf-16-le")
    assert decode(text.encode("utf-16-be")) == (text, "utf-16-be")
    table = _read(text.encode("utf-8-sig"))
    assert (table.header, table.rows, table.encoding) == (
        ["prs_FirstName", "prs_Gender"],
        [["ნინო", "Feminine"]],
        "utf-8",
    )


def test_a_file_whose_encoding_is_not_recognised_says_so() -> None:
    with pytest.raises(ShelterDeskError, match="encoding"):
        _read(b"prs_FirstName\n\x00\x81\x8d\x8f\x90\x9d\x00\n")
    with pytest.raises(ShelterDeskError, match="empty"):
        _read(b"  \n")


def test_a_broken_workbook_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ShelterDeskError, match="Excel"):
        _read(b"PK\x03\x04 not really a zip file")
    with pytest.raises(ShelterDeskError, match="encrypted"):
        _read(b"age-encryption.org/v1\n-> X25519 abc\n\x00\x01")


def test_iom_layout_name_row_label_row_counter_column_and_empty_rows() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([None, "prs_FirstName", "prs_Gender", None, "cas_Status"])
    sheet.append([None, "First Name", "Gender", "Reason for Outgoing Referral", "Status"])
    sheet.append([1, "Nino", "Feminine", None, "Active"])
    sheet.append([2, None, None, None, None])  # numbered, but empty
    sheet.append([3, "Olga", "Feminine", "Other", "Closed"])
    out = io.BytesIO()
    book.save(out)
    table = _read(out.getvalue())
    assert table.header == [
        "",
        "prs_FirstName",
        "prs_Gender",
        "Reason for Outgoing Referral",
        "cas_Status",
    ]
    assert table.row_numbers == [3, 5]
    assert [r[1] for r in table.rows] == ["Nino", "Olga"]


def test_kobo_column_names() -> None:
    match = aliases.match_column
    assert match("grp/prs_First_Name") == aliases.ColumnMatch("column", "prs_FirstName")
    assert match("vic_Methods_of_Control").name == "vic_MethodsOfControl"
    assert match("vic_Methods_of_Control/PhysicalThreats") == aliases.ColumnMatch(
        "choice", "vic_MethodsOfControl", "PhysicalThreats"
    )
    assert match("vic_TraffickinStatusDecisionMakingOrg").name == (
        "vic_TraffickingStatusDecisionMakingOrg"
    )
    assert match("_uuid").kind == match("meta/instanceID").kind == "uuid"
    assert match("_submission_time").kind == match("start").kind == "meta"
    assert match("shoe_size").kind == "unknown"
