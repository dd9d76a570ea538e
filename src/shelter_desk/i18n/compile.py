"""Compile every ``.po`` catalogue under resources/i18n to ``.mo`` (run by the install step
and ``make i18n``; the app also compiles a stale catalogue in memory when it must)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from shelter_desk.resources import resource_path


def fill_english(root: Path | None = None) -> int:
    """The English catalogue says what the source says: copy each new msgid to its msgstr."""
    path = (root or resource_path("i18n")) / "en" / "LC_MESSAGES" / "shelter_desk.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            if not all(message.string):
                message.string = (message.id[0], message.id[1])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False)
    return filled


def compile_catalogues(root: Path | None = None) -> list[Path]:
    written = []
    for po in sorted((root or resource_path("i18n")).glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, catalog)
        written.append(mo)
    return written


if __name__ == "__main__":
    fill_english()
    for path in compile_catalogues():
        print(path)
