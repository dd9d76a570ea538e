"""The options the window and every command share, and the default data folder.

Apart from ``cli`` so that starting the window (no command) parses its command line without
loading the command line's modules, which load every service (spreadsheets, imports, sync,
printing): about a second before the unlock window could show.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from platformdirs import user_data_dir

from shelter_desk.i18n import LANGUAGES


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """``--data-dir``, ``--lang`` and ``--user``, absent from the result unless given."""
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
    parser.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)
    parser.add_argument("--user", default=argparse.SUPPRESS)


def default_data_dir() -> Path:
    env = os.environ.get("SHELTER_DESK_HOME")
    return Path(env) if env else Path(user_data_dir("ShelterDesk", appauthor=False))


class _NotTheWindow(Exception):
    pass


class _WindowParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _NotTheWindow(message)


def window_options(argv: list[str]) -> argparse.Namespace | None:
    """The parsed options when ``argv`` asks for the window (the common options only), or
    None: a command, ``--help``, ``--version`` or a mistake, which the full command line
    parses and reports."""
    parser = _WindowParser(prog="shelter-desk", add_help=False, allow_abbrev=False)
    add_common_options(parser)
    try:
        parsed, rest = parser.parse_known_args(argv)
    except _NotTheWindow:
        return None
    return None if rest else parsed
