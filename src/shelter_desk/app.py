"""Composition root: parse the command line, then run a command or start the GUI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from shelter_desk import cli
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER


def main(argv: Sequence[str] | None = None) -> int:
    """Run; whatever goes wrong unexpectedly ends in one translated line and exit code 1,
    never a traceback (its text may carry personal data)."""
    try:
        return _main(argv)
    except (Exception, KeyboardInterrupt) as exc:
        return cli.unexpected_failure(exc)


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    parsed = cli.build_parser().parse_args(args)
    if parsed.command is None:
        from shelter_desk.gui.application import run_gui

        return run_gui(
            parsed,
            default_data_dir=cli.default_data_dir,
            demo_login=(DEMO_USER, DEMO_PASSPHRASE),
        )
    if parsed.command == "screenshots":
        return _screenshots(parsed)
    return cli.run(args)


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
