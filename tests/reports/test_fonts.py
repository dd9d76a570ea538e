"""The bundled fonts: present, static, licensed, registered, and chosen per character."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from shelter_desk.reports.fonts import (
    FONT_FAMILIES,
    assign_fonts,
    font_faces,
    font_for,
    missing_characters,
    register_fonts,
    to_unicode_cmap,
)
from shelter_desk.resources import resource_path

FONT_FILES = [name for _, regular, bold in FONT_FAMILIES for name in (regular, bold)]


@pytest.mark.parametrize("name", FONT_FILES)
def test_font_file_is_bundled_static_and_small(name: str) -> None:
    path = resource_path("fonts", name)
    assert path.is_file()
    assert 20_000 < path.stat().st_size < 600_000
    font = TTFontFile(str(path), validate=1)
    assert b"fvar" not in font.table, "variable fonts are not wanted"
    assert font.name.decode().replace("-", "").startswith(name.split("-")[0])


def test_licence_and_readme_are_bundled() -> None:
    licence = resource_path("fonts", "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Google" in licence
    assert "Reserved Font Name" in licence
    readme = resource_path("fonts", "README.md").read_text(encoding="utf-8")
    for name in FONT_FILES:
        assert name in readme


def test_register_fonts_is_idempotent_and_registers_every_face() -> None:
    names = register_fonts()
    assert register_fonts() == names
    assert len(names) == 2 * len(FONT_FAMILIES)
    for name in names:
        assert pdfmetrics.getFont(name).fontName == name


def test_names_in_the_scripts_of_the_people_served_have_glyphs() -> None:
    for name in ("ሰላም ተስፋይ", "สมชาย ใจดี", "सुमन मगर"):
        assert missing_characters(name) == set(), name


def faces_by_family(bold: bool = False) -> dict[str, object]:
    return {face.family: face for face in font_faces(bold)}


def test_letters_come_from_their_script_font() -> None:
    faces = font_faces()
    family = {char: font_for(char, faces).family for char in "Aжمשქ"}  # type: ignore[union-attr]
    assert family == {
        "A": "NotoSans",
        "ж": "NotoSans",
        "م": "NotoSansArabic",
        "ש": "NotoSansHebrew",
        "ქ": "NotoSansGeorgian",
    }


def test_digits_and_colons_fall_back_where_the_script_font_lacks_them() -> None:
    faces = font_faces()
    hebrew = [face.family if face else None for face in assign_fonts("תיק: 2024", faces)]
    # The space has a glyph in the Hebrew face, so it stays there.
    assert hebrew == ["NotoSansHebrew"] * 3 + ["NotoSans", "NotoSansHebrew"] + ["NotoSans"] * 4
    georgian = [face.family if face else None for face in assign_fonts("საქმე: 17", faces)]
    assert (
        georgian == ["NotoSansGeorgian"] * 5 + ["NotoSans", "NotoSansGeorgian"] + ["NotoSans"] * 2
    )
    # Noto Sans Arabic has digits and ':' of its own, so Arabic text keeps its style.
    arabic = [face.family if face else None for face in assign_fonts("رقم: 17", faces)]
    assert arabic == ["NotoSansArabic"] * 7
    # Latin letters inside Arabic text come from Noto Sans, never from the Arabic face.
    mixed = assign_fonts("اسم John", faces)
    assert [face.family if face else None for face in mixed][-4:] == ["NotoSans"] * 4


def test_leading_digits_take_the_face_of_the_following_text() -> None:
    faces = font_faces()
    chosen = assign_fonts("17 رقم", faces)
    assert {face.family for face in chosen if face} == {"NotoSansArabic"}


def test_bold_faces_are_separate_fonts() -> None:
    regular = {face.family: face.name for face in font_faces(False)}
    bold = {face.family: face.name for face in font_faces(True)}
    assert regular.keys() == bold.keys()
    assert all(bold[family] == regular[family] + "-Bold" for family in regular)


def test_missing_characters_reports_what_no_face_has() -> None:
    assert missing_characters("Case 2024-17 رقم מספר ნომერი Номер «»") == set()
    assert missing_characters("漢字") == {"漢", "字"}
    assert missing_characters("a\u2066b\u2069") == set()  # format characters are not drawn


def test_to_unicode_cmap_maps_codes_to_whole_strings() -> None:
    cmap = to_unicode_cmap("AAAAAA+Font", ["\x00", "A", "لا", ""])
    assert "<01> <0041>" in cmap
    assert "<02> <06440627>" in cmap
    assert "\n<03> <>" in cmap  # empty text: an empty mapping, so readers extract nothing
    assert "<00> <03>" in cmap  # the code space covers every code


def test_every_name_the_demo_writes_has_a_bundled_face() -> None:
    """The demo's people (and so the shelters' real ones: Sinhala and Bengali names of Sri
    Lankan and Bangladeshi workers among them) print and show without a .notdef box."""
    from shelter_desk.services.demo import given_names, surnames

    tables = (
        given_names.FEMALE,
        given_names.MALE,
        surnames.SURNAMES_MALE,
        surnames.SURNAMES_FEMALE,
    )
    written = {name for table in tables for names in table.values() for name, _ in names}
    assert any("\u0d80" <= c <= "\u0dff" for name in written for c in name)  # Sinhala
    assert any("\u0980" <= c <= "\u09ff" for name in written for c in name)  # Bengali
    assert {name: missing_characters(name) for name in written if missing_characters(name)} == {}
