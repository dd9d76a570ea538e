"""Catalogue upkeep with babel: extract strings, merge them into the five ``.po`` files
with CLDR plural forms, fill the English catalogue from the source, compile ``.mo`` files.

The template and the catalogues keep each message's source locations (``#: src/...:12``)
and the ``# TRANSLATORS:`` comment written on the line before it in the source (``#.``),
so a translator can see where a short word is shown and what it means there.

    python -m shelter_desk.i18n.catalogues update    # make i18n
    python -m shelter_desk.i18n.catalogues compile   # done by the install step
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from shelter_desk import __version__
from shelter_desk.i18n import DOMAIN, LANGUAGES, language_name, plural_forms
from shelter_desk.resources import resource_path

KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "NP_": ((1, "c"), 2),
}
COMMENT_TAGS = ("TRANSLATORS:",)
SOURCE = Path(__file__).resolve().parents[1]
LOCATION_ROOT = SOURCE.parents[1]
"""Locations are written from the repository root: ``src/shelter_desk/cli.py``."""
AUTHORS = "The Shelter Desk authors"


def extract() -> Catalog:
    template = Catalog(
        project="Shelter Desk", version=__version__, domain=DOMAIN, copyright_holder=AUTHORS
    )
    prefix = SOURCE.relative_to(LOCATION_ROOT).as_posix()
    for filename, lineno, message, comments, context in extract_from_dir(
        SOURCE,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
    ):
        location = (f"{prefix}/{Path(filename).as_posix()}", lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def po_path(lang: str, root: Path | None = None) -> Path:
    return (root or resource_path("i18n")) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(lang: str, root: Path | None = None) -> Catalog:
    path = po_path(lang, root)
    if not path.is_file():
        return Catalog(locale=lang, domain=DOMAIN, project="Shelter Desk")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def fill_headers(catalog: Catalog, lang: str) -> None:
    """The headers that do not change with each merge. The revision date and the last
    translator are the translators' to set when they change translations."""
    catalog.project, catalog.version = "Shelter Desk", __version__
    catalog.copyright_holder = AUTHORS
    name = Locale.parse(lang).get_display_name("en") or language_name(lang)
    catalog.language_team = f"Shelter Desk {name} translators"
    catalog.header_comment = (
        f"# {name} translations for Shelter Desk.\n"
        f"# Copyright (C) 2026 {AUTHORS}\n"
        "# This file is distributed under the same license as the Shelter Desk project.\n"
        "#"
    )
    catalog.fuzzy = False


def write(catalog: Catalog, lang: str, root: Path | None = None) -> None:
    fill_headers(catalog, lang)
    nplurals, expr = plural_forms(lang)
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "plural-forms"]
    catalog.mime_headers = [*headers, ("Plural-Forms", f"nplurals={nplurals}; plural={expr};")]
    path = po_path(lang, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0, sort_output=True)


def fill_english(catalog: Catalog) -> None:
    """The English catalogue says what the source says."""
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = (message.id[0], message.id[1])
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")


def update(root: Path | None = None) -> None:
    template = extract()
    folder = root or resource_path("i18n")
    with (folder / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, template, width=0, sort_output=True)
    for lang in LANGUAGES:
        catalog = read(lang, root)
        # babel's update shares the template's Message objects: give each catalogue its own.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if lang == "en":
            fill_english(catalog)
        write(catalog, lang, root)


def compile_all(root: Path | None = None) -> list[Path]:
    written = []
    for lang in LANGUAGES:
        path = po_path(lang, root)
        if not path.is_file():
            continue
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        mo = path.with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, catalog)
        written.append(mo)
    return written


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "update":
        update()
    compile_all()
