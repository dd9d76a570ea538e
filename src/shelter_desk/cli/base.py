"""What every command shares: the acting user, the sign-in, passphrases and output."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from shelter_desk.domain.errors import ShelterDeskError, StoreError, ValidationError
from shelter_desk.domain.os_errors import os_error_reason
from shelter_desk.i18n import _
from shelter_desk.options import default_data_dir
from shelter_desk.services.installation import Installation

if TYPE_CHECKING:
    from shelter_desk.services.session import Session

# What works on an installation whose folder cannot be written (nothing there changes).
READ_ONLY_COMMANDS = frozenset(
    {"verify", "case list", "case duplicates", "backup", "export", "print", "org show"}
)


class UsageError(Exception):
    """Wrong usage discovered after parsing (exit code 2)."""


class Passphrases:
    """Passphrases from a no-echo prompt on a terminal, else one per line from stdin."""

    def __init__(self, stdin: IO[str]) -> None:
        self._stdin = stdin
        self.interactive = stdin.isatty()

    def read(self, prompt: str, *, confirm: bool = False) -> str:
        if self.interactive:
            first = getpass.getpass(prompt + " ")
            if confirm and getpass.getpass(_("Repeat it:") + " ") != first:
                raise ValidationError({"passphrase": _("The two passphrases differ.")})
            return first
        line = self._stdin.readline()
        if not line:
            raise UsageError(_("Expected a passphrase on standard input."))
        return line.rstrip("\r\n")


class Cli:
    """One command's context; the commands themselves are functions of it, one module per
    group, loaded only when that command runs."""

    def __init__(self, args: argparse.Namespace, stdin: IO[str], out: IO[str]) -> None:
        self.args = args
        self.out = out
        self.passphrases = Passphrases(stdin)
        self.installation = Installation(getattr(args, "data_dir", None) or default_data_dir())
        self.line_open = False  # a progress line on standard error waits for its end

    def say(self, line: str) -> None:
        print(line, file=self.out)

    def acting_user(self) -> str:
        name = getattr(self.args, "user", None)
        if name:
            return str(name)
        names = self.installation.usernames()
        if len(names) == 1:
            return names[0]
        raise UsageError(_("Say which user you are with --user NAME."))

    def unlock(self) -> tuple[Session, str]:
        """Unlock as the acting user; return the session and the passphrase used."""
        name = self.acting_user()
        self._check_read_only()
        secret = self.passphrases.read(_("Passphrase for {name}:").format(name=name))
        session = self.installation.unlock(name, secret)
        if self.installation.last_upgrade is not None:  # an earlier release's data folder
            print(self.installation.last_upgrade.message(), file=sys.stderr)
        return session, secret

    def _check_read_only(self) -> None:
        """On a folder that cannot be written, say so before the sign-in, and refuse the
        commands that would change something."""
        inst = self.installation
        if not inst.exists():
            return  # unlocking says there is no installation
        inst.acquire()
        if not inst.read_only:
            return
        a = self.args
        command = " ".join(
            str(part)
            for part in (a.command, getattr(a, f"{a.command}_command", None))
            if part is not None
        )
        if command not in READ_ONLY_COMMANDS:
            raise StoreError(
                _(
                    "This installation is on a disk or folder that cannot be written"
                    " (read-only); only verify, case list, backup, export, print and org show"
                    " work on it."
                )
            )
        print(
            _(
                "Read-only installation: nothing can be changed, and neither this sign-in nor"
                " failed attempts are recorded."
            ),
            file=sys.stderr,
        )


def read_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ShelterDeskError(
            _("Cannot read {name}: {reason}").format(
                name=Path(path).name, reason=os_error_reason(exc)
            )
        ) from exc
