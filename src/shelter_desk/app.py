"""Composition root: parse the command line, then run a command or start the GUI."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from shelter_desk import cli


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    parsed = cli.build_parser().parse_args(args)
    if parsed.command is None:
        from shelter_desk.gui.application import run_gui

        return run_gui(
            parsed,
            default_data_dir=cli.default_data_dir,
            demo_login=(cli.DEMO_USER, cli.DEMO_PASSPHRASE),
        )
    return cli.run(args)
