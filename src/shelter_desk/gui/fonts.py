"""The bundled Noto fonts and the interface font for each language.

A laptop may have no fonts at all (every glyph a box) or only some Noto families, in which
case fontconfig picks Noto Kufi for Arabic. So every TTF in ``resources/fonts`` is registered
with Qt and the application font names its families explicitly, the interface language's
script first, then Noto Sans and the other scripts for names written in them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from shelter_desk.resources import resource_path

LATIN = "Noto Sans"
SCRIPT_FAMILIES: dict[str, str] = {
    "ar": "Noto Sans Arabic",
    "he": "Noto Sans Hebrew",
    "ka": "Noto Sans Georgian",
}


def register_bundled_fonts(folder: Path | None = None) -> list[str]:
    """Register every TTF/OTF in ``folder`` (the bundled fonts by default); return the
    families now available from it. A missing or empty folder registers nothing."""
    folder = folder if folder is not None else resource_path("fonts")
    if not folder.is_dir():
        return []
    families: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in {".ttf", ".otf"}:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    return families


# Scripts of the names of people these shelters serve (Tigrinya and Amharic, Thai, Nepali):
# no interface language of their own, but names typed in them must show.
NAME_FAMILIES: tuple[str, ...] = ("Noto Sans Ethiopic", "Noto Sans Thai", "Noto Sans Devanagari")


def families_for(language: str) -> list[str]:
    """Preferred families for an interface language, best first, then the fallbacks."""
    order = [SCRIPT_FAMILIES[language]] if language in SCRIPT_FAMILIES else []
    order.append(LATIN)
    order.extend(f for f in SCRIPT_FAMILIES.values() if f not in order)
    order.extend(NAME_FAMILIES)
    return order


def apply_language_font(app: QApplication, language: str) -> QFont:
    """Set the application font for ``language`` from the installed families.

    Families that are not installed are left out, so a machine without the bundled fonts
    keeps its own default font instead of an unknown name.
    """
    installed = set(QFontDatabase.families())
    families = [f for f in families_for(language) if f in installed]
    font = QFont(app.font())
    if families:
        font.setFamilies(families)
    app.setFont(font)
    return font
