"""Composition root: parse the command line, then run a command or start the GUI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from shelter_desk.options import default_data_dir, window_options
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER


def main(argv: Sequence[str] | None = None) -> int:
    """Run; whatever goes wrong unexpectedly ends in one translated line and exit code 1,
    never a traceback (its text may carry personal data)."""
    try:
        return _main(argv)
    except (Exception, KeyboardInterrupt) as exc:
        from shelter_desk import cli

        return cli.unexpected_failure(exc)


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # The window (no command) starts without loading the command line, which loads every
    # service: the unlock window shows about a second sooner.
    window = window_options(args)
    if window is not None:
        return _window(window)
    from shelter_desk import cli

    parsed = cli.build_parser().parse_args(args)
    if parsed.command is None:
        return _window(parsed)
    if parsed.command == "screenshots":
        return _screenshots(parsed)
    return cli.run(args)


def _window(parsed: argparse.Namespace) -> int:
    from shelter_desk.gui.application import run_gui

    return run_gui(
        parsed, default_data_dir=default_data_dir, demo_login=(DEMO_USER, DEMO_PASSPHRASE)
    )


def _screenshots(parsed: argparse.Namespace) -> int:
    """Render each main screen offscreen to PNG files (for the README and translators)."""
    from shelter_desk.domain.errors import ShelterDeskError
    from shelter_desk.gui.screenshots import parse_size, render_screenshots
    from shelter_desk.i18n import set_language

    lang = getattr(parsed, "lang", None)
    if lang:
        set_language(lang)
    try:
        written = render_screenshots(
            parsed.out,
            lang,
            getattr(parsed, "data_dir", None),
            size=parse_size(getattr(parsed, "size", "")),
        )
    except ShelterDeskError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0
