"""The command-line interface (see shared/design/cli.md): calls services only.

Exit codes: 0 success; 1 an expected failure, with one translated line on standard error
and nothing changed; 2 wrong usage. Standard output never carries personal data.

One module per group of commands, imported only when one of its commands runs: every
process starts the command line, and most need only a few services.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import IO

from shelter_desk.cli.base import Cli, UsageError
from shelter_desk.cli.parser import build_parser
from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.i18n import _, set_language

__all__ = ["Cli", "build_parser", "run", "unexpected_failure"]


def _command(name: str) -> Callable[[Cli], int | None]:
    """The function running ``name``; its module (and its services) load only now. Plain
    import statements, so that PyInstaller finds these modules and ``-X importtime`` shows
    them."""
    found: dict[str, Callable[[Cli], int | None]]
    if name in ("init", "org"):
        from shelter_desk.cli import setting_up

        found = {"init": setting_up.init, "org": setting_up.org}
    elif name == "demo":
        from shelter_desk.cli import demo

        found = {"demo": demo.demo}
    elif name in ("user", "passwd"):
        from shelter_desk.cli import users

        found = {"user": users.user, "passwd": users.passwd}
    elif name == "case":
        from shelter_desk.cli import cases

        found = {"case": cases.case}
    elif name in ("partner", "bundle", "network"):
        from shelter_desk.cli import bundles

        found = {"partner": bundles.partner, "bundle": bundles.bundle, "network": bundles.network}
    elif name in ("export", "import"):
        from shelter_desk.cli import standards

        found = {"export": standards.export, "import": standards.import_}
    elif name in ("print", "report"):
        from shelter_desk.cli import reports

        found = {"print": reports.print_form, "report": reports.report}
    elif name in ("verify", "backup", "restore"):
        from shelter_desk.cli import backups

        found = {"verify": backups.verify, "backup": backups.backup, "restore": backups.restore}
    else:
        found = {}
    return found[name]  # KeyError, an unexpected failure: no command, or one only app.py runs


def run(argv: Sequence[str], stdin: IO[str] | None = None, out: IO[str] | None = None) -> int:
    """Run one command; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if getattr(args, "lang", None):
        set_language(args.lang)
    cli = Cli(args, stdin or sys.stdin, out or sys.stdout)
    try:
        result = _command(args.command)(cli)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(str(exc), file=sys.stderr)
        return 2
    except ShelterDeskError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except BrokenPipeError:
        return _reader_went_away()
    except (Exception, KeyboardInterrupt) as exc:
        return unexpected_failure(exc)
    finally:
        cli.installation.release()
    return int(result or 0)


def _reader_went_away() -> int:
    """The program reading the output stopped (``case list | head``): stop quietly with
    128 + SIGPIPE, as command-line tools do, and send what is still buffered nowhere so
    that Python's exit does not complain about the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141


def unexpected_failure(exc: BaseException) -> int:
    """One translated line for a failure nobody expected, and exit code 1 (130 for Ctrl+C).

    Only the exception's class name is shown: its text and traceback may carry names or
    other values from the data, so they are neither shown nor written anywhere."""
    if isinstance(exc, KeyboardInterrupt):
        print(_("Stopped."), file=sys.stderr)
        return 130
    print(
        _(
            "Shelter Desk stopped on an unexpected error ({kind}). Please report it with the"
            " command you ran (not its data)."
        ).format(kind=type(exc).__name__),
        file=sys.stderr,
    )
    return 1
