"""Where bundled resources (catalogues, fonts, icons) live.

In a source checkout and an editable install they are in the repository's ``resources/``
folder; a frozen or wheel build copies them to ``shelter_desk/_resources``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_root() -> Path:
    """The folder holding ``i18n/``, ``fonts/`` and ``icons/``."""
    bundled = _PACKAGE / "_resources"
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)
