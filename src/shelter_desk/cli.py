"""The command-line interface (see shared/design/cli.md): calls services only.

Exit codes: 0 success; 1 an expected failure, with one translated line on standard error
and nothing changed; 2 wrong usage. Standard output never carries personal data.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from shelter_desk import __version__
from shelter_desk.domain import codes
from shelter_desk.domain.errors import AuthError, ShelterDeskError, StoreError, ValidationError
from shelter_desk.domain.os_errors import os_error_reason, read_only_message
from shelter_desk.i18n import LANGUAGES, _, current_language, pgettext, set_language
from shelter_desk.options import add_common_options, default_data_dir
from shelter_desk.reports.names import FORMS
from shelter_desk.security.atomic import write_atomic
from shelter_desk.security.passphrase import format_recovery_key
from shelter_desk.security.permissions import Role
from shelter_desk.services import backup as backup_service
from shelter_desk.services import cases, exchange, settings, sharing
from shelter_desk.services import users as user_service
from shelter_desk.services.demo import generate_demo
from shelter_desk.services.demo.setting_up import add_demo_accounts, add_demo_partner
from shelter_desk.services.installation import (
    DEMO_PASSPHRASE,
    DEMO_USER,
    Installation,
    known_country,
)
from shelter_desk.services.session import Session
from shelter_desk.services.standards import ctdc, xlsform
from shelter_desk.services.standards import htcds_export as exports
from shelter_desk.services.standards import htcds_import as imports
from shelter_desk.services.verify import verify

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


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    add_common_options(common)

    parser = argparse.ArgumentParser(prog="shelter-desk", parents=[common])
    parser.add_argument("--version", action="version", version=f"shelter-desk {__version__}")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("init", parents=[common])
    p.add_argument("--org", required=True)
    p.add_argument("--admin", required=True)
    p.add_argument("--role", choices=("shelter", "coordinator"), default="shelter")
    p.add_argument("--country", default="")

    p = sub.add_parser("demo", parents=[common])
    p.add_argument("--org")
    p.add_argument("--cases", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--role", choices=("shelter", "coordinator"), default="shelter")

    user = sub.add_parser("user", parents=[common]).add_subparsers(dest="user_command")
    p = user.add_parser("add", parents=[common])
    p.add_argument("name")
    p.add_argument("--role", choices=[r.value for r in Role], required=True)
    user.add_parser("list", parents=[common])
    p = user.add_parser("disable", parents=[common])
    p.add_argument("name")

    p = sub.add_parser("passwd", parents=[common])
    p.add_argument("name", nargs="?")
    p.add_argument("--recovery-key", action="store_true")

    case = sub.add_parser("case", parents=[common]).add_subparsers(dest="case_command")
    p = case.add_parser("list", parents=[common])
    p.add_argument("--search", default="")
    p.add_argument("--status", choices=codes.CASE_STATUS.codes())
    p.add_argument("--limit", type=int, default=50)
    p = case.add_parser("duplicates", parents=[common])
    p.add_argument("--limit", type=int, default=50)

    network = sub.add_parser("network", parents=[common]).add_subparsers(dest="network_command")
    secret = network.add_parser("secret", parents=[common]).add_subparsers(dest="secret_command")
    secret.add_parser("new", parents=[common])
    secret.add_parser("set", parents=[common])

    p = sub.add_parser("print", parents=[common])
    p.add_argument("form", choices=FORMS)
    p.add_argument("--second-lang", choices=LANGUAGES)
    p.add_argument("--case")
    p.add_argument("--paper", choices=("a4", "letter"))
    p.add_argument("--out", type=Path, required=True)

    partner = sub.add_parser("partner", parents=[common]).add_subparsers(dest="partner_command")
    p = partner.add_parser("card", parents=[common])
    p.add_argument("--out", type=Path, required=True)
    p = partner.add_parser("add", parents=[common])
    p.add_argument("file", type=Path)
    p.add_argument("--fingerprint")
    partner.add_parser("list", parents=[common])

    bundle = sub.add_parser("bundle", parents=[common]).add_subparsers(dest="bundle_command")
    p = bundle.add_parser("export", parents=[common])
    p.add_argument("--to", required=True)
    p.add_argument("--out", type=Path, required=True)
    p = bundle.add_parser("import", parents=[common])
    p.add_argument("file", type=Path)
    p = bundle.add_parser("inspect", parents=[common])
    p.add_argument("file", type=Path)

    p = sub.add_parser("screenshots", parents=[common])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--size", default="1366x768", help="window size, WIDTHxHEIGHT")

    p = sub.add_parser("export", parents=[common])
    p.add_argument("standard", choices=("htcds", "ctdc", "xlsform"))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--format", choices=(exports.CSV, exports.XLSX), help="htcds: csv or xlsx")
    p.add_argument("--schema", choices=tuple(ctdc.SCHEMAS), default=ctdc.GLOBAL, help="ctdc")
    protection = p.add_mutually_exclusive_group()
    protection.add_argument("--to", metavar="PARTNER")
    protection.add_argument("--passphrase", action="store_true")
    p = sub.add_parser("import", parents=[common])
    p.add_argument("standard", choices=("htcds",))
    p.add_argument("file", type=Path)
    p.add_argument("--commit", action="store_true")
    p.add_argument("--dates", choices=imports.DATE_ORDERS, default="")

    org = sub.add_parser("org", parents=[common]).add_subparsers(dest="org_command")
    org.add_parser("show", parents=[common])
    p = org.add_parser("set", parents=[common])
    p.add_argument("--country")
    p.add_argument("--name")

    _add_report_parser(sub, common)
    sub.add_parser("verify", parents=[common])
    p = sub.add_parser("backup", parents=[common])
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("restore", parents=[common])
    p.add_argument("file", type=Path)
    p.add_argument("--recovery-key", action="store_true")
    p.add_argument("--replace-other-installation", action="store_true")
    return parser


class Cli:
    def __init__(self, args: argparse.Namespace, stdin: IO[str], out: IO[str]) -> None:
        self.args = args
        self.out = out
        self.passphrases = Passphrases(stdin)
        self.installation = Installation(getattr(args, "data_dir", None) or default_data_dir())
        self._line_open = False  # a progress line on standard error waits for its end

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

    # -- commands ------------------------------------------------------------------
    def init(self) -> None:
        a = self.args
        country = a.country.strip().upper() or self._ask_country()
        secret = self.passphrases.read(
            _("New passphrase for {name}:").format(name=a.admin), confirm=True
        )
        session, recovery = self.installation.create(
            org_name=a.org, admin=a.admin, passphrase=secret, role=a.role, country=country
        )
        if not country:
            print(
                _(
                    "No country given: an administrator can set it later with org set"
                    " --country CC (partner cards need it)."
                ),
                file=sys.stderr,
            )
        session.lock()
        self.say(_("Installation created in {path}.").format(path=self.installation.root))
        self.say(_("Recovery key (write it down now; it is shown only once):"))
        self.say(format_recovery_key(recovery))

    def demo(self) -> None:
        inst = self.installation
        if inst.exists():
            if not inst.slots().demo:
                raise ShelterDeskError(
                    _("{path} holds a real installation; the demo will not touch it.").format(
                        path=inst.root
                    )
                )
            inst.acquire()
            if inst.read_only:
                raise StoreError(read_only_message())
            _remove_installation_files(inst)
        session, _recovery = inst.create(
            org_name=self.args.org or _("Demo Shelter"),
            admin=DEMO_USER,
            passphrase=DEMO_PASSPHRASE,
            role=self.args.role,
            country="JO" if self.args.role == "coordinator" else "IL",
            demo=True,
        )
        try:
            accounts = add_demo_accounts(session)
            partner = add_demo_partner(session)
            if self.args.cases > 0:
                summary = generate_demo(
                    session, self.args.cases, self.args.seed, progress=self._progress
                )
                print(
                    "\r"
                    + _("Synthetic cases: {count}; records: {records}.").format(
                        count=summary.cases, records=summary.records
                    ),
                    file=sys.stderr,
                )
        finally:
            session.lock()
        self.say(f"user: {DEMO_USER}")
        self.say(f"passphrase: {DEMO_PASSPHRASE}")
        for account in accounts:
            self.say(f"user: {account.username}")
            self.say(f"passphrase: {account.passphrase}")
        self.say(f"partner: {partner.organisation}")
        self.say(f"fingerprint: {partner.fingerprint}")

    def _progress(self, done: int, total: int) -> None:
        """A progress line on standard error (counts only), rewritten in place."""
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    def user(self) -> None:
        session, _secret = self.unlock()
        try:
            command = self.args.user_command
            if command == "add":
                secret = self.passphrases.read(
                    _("New passphrase for {name}:").format(name=self.args.name), confirm=True
                )
                user_service.add_user(session, self.args.name, self.args.role, secret)
                self.say(_("User {name} added.").format(name=self.args.name))
            elif command == "list":
                for u in user_service.list_users(session):
                    state = (
                        # TRANSLATORS: state of a user account in `users list` (not of a case).
                        pgettext("user account", "disabled")
                        if u.disabled
                        # TRANSLATORS: state of a user account in `users list`.
                        else pgettext("user account", "active")
                    )
                    self.say(f"{u.username}\t{u.role}\t{state}")
            elif command == "disable":
                user_service.disable_user(session, self.args.name)
                self.say(_("User {name} disabled.").format(name=self.args.name))
            else:
                raise UsageError(_("Use user add, user list or user disable."))
        finally:
            session.lock()

    def passwd(self) -> None:
        a = self.args
        if a.recovery_key:
            target = a.name or self.acting_user()
            recovery = self.passphrases.read(_("Recovery key:"))
            new = self.passphrases.read(
                _("New passphrase for {name}:").format(name=target), confirm=True
            )
            user_service.reset_with_recovery(self.installation, recovery, target, new)
        else:
            session, current = self.unlock()
            try:
                target = a.name or session.user.username
                if target == session.user.username:
                    new = self.passphrases.read(
                        _("New passphrase for {name}:").format(name=target), confirm=True
                    )
                    user_service.change_own_passphrase(session, current, new)
                else:
                    new = self.passphrases.read(
                        _("New passphrase for {name}:").format(name=target), confirm=True
                    )
                    user_service.reset_passphrase(session, target, new)
            finally:
                session.lock()
        self.say(_("Passphrase changed for {name}.").format(name=target))

    def case(self) -> None:
        if self.args.case_command == "duplicates":
            return self.case_duplicates()
        if self.args.case_command != "list":
            raise UsageError(_("Use case list or case duplicates."))
        session, _secret = self.unlock()
        try:
            found = cases.case_page(
                session,
                cases.CaseFilter(
                    text=self.args.search,
                    statuses=(self.args.status,) if self.args.status else (),
                ),
                0,
                max(self.args.limit, 0),
            )
        finally:
            session.lock()
        for row in found:
            self.say(f"{row.number}\t{row.status}")

    def case_duplicates(self) -> None:
        """Pairs of case numbers that are possibly one person, likeliest first."""
        from shelter_desk.services.duplicates import decisions as duplicates

        if self.args.limit < 1:
            raise UsageError(_("--limit must be at least 1."))
        session, _secret = self.unlock()
        try:
            pairs = duplicates.possible_duplicates(session, self.args.limit)
        finally:
            session.lock()
        if not pairs:
            self.say(_("No possible duplicates."))
        for pair in pairs:
            line = (
                f"{pair.number_a} ({pair.organisation_a})\t{pair.number_b} ({pair.organisation_b})"
            )
            line += f"\t{pair.score}"
            if pair.linked:
                line += "\t" + _("same person")
            self.say(line)

    def network(self) -> None:
        """``network secret new`` makes and stores a secret and prints it to read to the
        other shelters; ``network secret set`` reads one after the passphrase."""
        a = self.args
        command = getattr(a, "secret_command", None)
        if a.network_command != "secret" or command not in ("new", "set"):
            raise UsageError(_("Use network secret new or network secret set."))
        session, _secret = self.unlock()
        try:
            if command == "new":
                secret = sharing.new_network_secret()
            else:
                secret = self.passphrases.read(_("Network secret:"))
            exchange.set_network_secret(session, secret)
        finally:
            session.lock()
        if command == "new":
            self.say(f"secret: {secret}")
            self.say(_("Read it to the other shelters of the network; never to the coordinator."))
        else:
            self.say(_("Network secret saved."))

    def print_form(self) -> None:
        """Render a form in memory; only the file the user asked for is written."""
        from shelter_desk.services import printing  # reportlab: only when printing

        a = self.args
        session, _secret = self.unlock()
        try:
            pdf = printing.print_form(
                session,
                a.form,
                lang=getattr(a, "lang", None) or current_language(),
                second_lang=a.second_lang,
                case_number=a.case,
                paper=a.paper,
            )
        finally:
            session.lock()
        write_atomic(a.out, pdf)
        self.say(_("Form written to {path}.").format(path=a.out))

    def partner(self) -> None:
        command = self.args.partner_command
        if command not in ("card", "add", "list"):
            raise UsageError(_("Use partner card, partner add or partner list."))
        if command == "add":
            data = _read_file(self.args.file)
            card = exchange.read_card(data)
            confirmed = self._confirmed_fingerprint(card.fingerprint, card.organisation)
        session, _secret = self.unlock()
        try:
            if command == "card":
                card = exchange.my_card(session)
                write_atomic(self.args.out, card.to_bytes())
                self.say(f"fingerprint: {card.fingerprint}")
            elif command == "add":
                exchange.add_partner(session, data, confirmed)
                self.say(
                    _("Partner {organisation} trusted.").format(organisation=card.organisation)
                )
            else:
                for info in exchange.list_partners(session):
                    state = _("revoked") if info.revoked else _("trusted")
                    self.say(
                        f"{info.fingerprint}\t{info.organisation}\t{info.role}\t"
                        f"{info.country}\t{state}"
                    )
        finally:
            session.lock()

    def _confirmed_fingerprint(self, fingerprint: str, organisation: str) -> str:
        """On a terminal the person compares the words read out by the partner; otherwise
        ``--fingerprint`` must give them."""
        given = self.args.fingerprint
        if given:
            return str(given)
        if not self.passphrases.interactive:
            raise UsageError(_("Give the fingerprint you confirmed with --fingerprint."))
        self.say(_("Fingerprint of {organisation}:").format(organisation=organisation))
        self.say(fingerprint)
        answer = input(_("Did the partner read out exactly these words? Type yes to trust: "))
        if answer.strip().lower() not in ("yes", _("yes").lower()):
            raise ShelterDeskError(_("Not trusted: the fingerprint was not confirmed."))
        return fingerprint

    def bundle(self) -> None:
        command = self.args.bundle_command
        if command not in ("export", "import", "inspect"):
            raise UsageError(_("Use bundle export, bundle import or bundle inspect."))
        if command != "export":
            exchange.check_readable(Path(self.args.file))  # before the passphrase is asked
        session, _secret = self.unlock()
        try:
            if command == "export":
                partner = exchange.find_partner(session, self.args.to)
                try:
                    result = exchange.export_bundle(
                        session, partner, Path(self.args.out), progress=self._percent()
                    )
                finally:
                    self._end_percent()
                s = result.summary
                self.say(
                    _("Bundle {seq} written: {count} changes, {size} bytes.").format(
                        seq=s.seq, count=s.transactions, size=s.size
                    )
                )
            elif command == "import":
                try:
                    imported = exchange.import_bundle(
                        session, Path(self.args.file), progress=self._percent()
                    )
                finally:
                    self._end_percent()
                self.say(imported.message)
            else:
                self._describe(exchange.inspect(session, Path(self.args.file)))
        finally:
            session.lock()

    def _percent(self) -> exchange.Progress | None:
        """How far a bundle export or import is, in percent on standard error, rewritten in
        place; only when standard error is a terminal (scripts read clean output)."""
        if not sys.stderr.isatty():
            return None
        shown = [-1]

        def report(done: int, total: int) -> None:
            percent = done * 100 // total if total > 0 else 100
            if percent != shown[0]:
                shown[0] = percent
                self._line_open = percent < 100
                line = _("{percent}% done").format(percent=percent)
                print("\r" + line, end="" if self._line_open else "\n", file=sys.stderr, flush=True)

        return report

    def _end_percent(self) -> None:
        """End a progress line that stopped short (a refused bundle) before anything else."""
        if self._line_open:
            print(file=sys.stderr, flush=True)
            self._line_open = False

    def _describe(self, found: exchange.BundleInspection) -> None:
        sender = found.sender.organisation if found.sender else _("unknown")
        self.say(f"sender: {sender} ({found.header.sender_key_id})")
        recipient = _("unknown")
        if found.addressed_here is not None:
            recipient = (
                _("this installation") if found.addressed_here else _("another installation")
            )
        self.say(f"recipient: {recipient}")
        self.say(f"seq: {found.header.seq}")
        self.say(f"size: {found.size}")
        self.say(f"signature: {found.signature.value}")

    def export(self) -> None:
        """Write a standard export; only counts are printed."""
        a = self.args
        if a.standard != "htcds" and (a.to or a.passphrase):
            raise UsageError(_("Only export htcds can be encrypted with --to or --passphrase."))
        if a.standard == "xlsform":  # the empty form: nothing of the database in it
            write_atomic(a.out, xlsform.intake_xlsform())
            self.say(_("Wrote the intake form for KoBo and ODK to {path}.").format(path=a.out))
            return
        session, _secret = self.unlock()
        try:
            if a.standard == "htcds":
                secret = ""
                if a.passphrase:
                    secret = self.passphrases.read(
                        _("New passphrase for the export:"), confirm=True
                    )
                count = exports.export_htcds(
                    session, a.out, to_partner=a.to or "", passphrase=secret, fmt=a.format or ""
                )
                self.say(_("Exported {count} cases to {path}.").format(count=count, path=a.out))
                beside = [f.name for f in exports.written_files(a.out, a.format or "")[1:]]
                if beside:
                    self.say(
                        _("The related tables are beside it: {names}.").format(
                            names=", ".join(beside)
                        )
                    )
                if not (a.to or secret):
                    print(
                        _(
                            "Warning: {name} holds the names and details of every person in"
                            " plain text. Keep it on an encrypted disk and delete it when done,"
                            " or export it encrypted with --to PARTNER or --passphrase."
                        ).format(name=a.out.name),
                        file=sys.stderr,
                    )
            else:
                result = ctdc.export_ctdc(session, a.out, schema=a.schema)
                self.say(
                    _("Exported {count} cases to {path}.").format(count=result.exported, path=a.out)
                )
                self.say(
                    _(
                        "Left out: {without_consent} without consent for statistics,"
                        " {suppressed} for anonymity; {generalised} generalised."
                    ).format(
                        without_consent=result.without_consent,
                        suppressed=result.suppressed,
                        generalised=result.generalised,
                    )
                )
                self.say(
                    _(
                        "Release {number}: {added} cases added, {removed} removed since the last"
                        " release; cases left out for anonymity are added once enough new cases"
                        " keep them anonymous."
                    ).format(number=result.release, added=result.added, removed=result.removed)
                )
        finally:
            session.lock()

    def import_(self) -> int:
        """Preview an HTCDS file (CSV or XLSX; column names and messages only), and import
        its new rows with ``--commit`` when every row is valid."""
        data = _read_file(self.args.file)
        session, _secret = self.unlock()
        try:
            if exports.is_encrypted_export(data):
                secret = ""
                if exports.export_needs_passphrase(data):
                    secret = self.passphrases.read(_("Passphrase of the export:"))
                data = exports.open_encrypted_export(session, data, secret)
            preview = imports.preview_htcds(session, data, date_order=self.args.dates)
            self._say_import_preview(preview)
            if self.args.commit:
                count = imports.commit_preview(session, preview)
                self.say(_("Imported {count} cases.").format(count=count))
            elif preview.problems:
                print(_("Some rows have errors; nothing was imported."), file=sys.stderr)
                return 1
        finally:
            session.lock()
        return 0

    def _say_import_preview(self, preview: imports.ImportPreview) -> None:
        table = preview.file.table if preview.file is not None else None
        if table is not None and (table.encoding, table.delimiter) not in (
            ("utf-8", ","),
            ("", ""),
        ):
            self.say(
                _("Read as CSV: encoding {encoding}, separator {separator}").format(
                    encoding=table.encoding, separator=repr(table.delimiter)
                )
            )
        if preview.date_order != "iso":
            order = imports.date_order_label(preview.date_order)
            self.say(_("Dates read as: {order}").format(order=order))
        for name in preview.ignored_columns:
            self.say(_("Column {name} is not known and was ignored.").format(name=name))
        for name in preview.not_imported_columns:
            self.say(
                _("Column {name} is an HTCDS field Shelter Desk does not keep; left out.").format(
                    name=name
                )
            )
        self.say(
            _("{rows} rows: {ok} ready, {bad} with errors").format(
                rows=preview.rows, ok=preview.ok, bad=preview.bad
            )
        )
        if preview.already_imported:
            self.say(
                _("{count} rows were imported before and are skipped.").format(
                    count=preview.already_imported
                )
            )
        for dup in preview.likely_duplicates:
            self.say(
                _("row {n}: may be the person of case {number}").format(
                    n=dup.row, number=dup.case_number
                )
            )
        for problem in preview.problems:
            if problem.field:
                line = _("row {n}: {field}: {message}").format(
                    n=problem.row, field=problem.field, message=problem.message
                )
            else:
                line = _("row {n}: {message}").format(n=problem.row, message=problem.message)
            self.say(line)

    def report(self) -> None:
        """The period report (``--out`` .pdf or .xlsx); only that file is written, and only
        counts are printed."""
        from shelter_desk.services import reports  # reportlab and openpyxl: only here

        a = self.args
        fmt = a.out.suffix.lower().lstrip(".")
        if fmt not in reports.FORMATS:
            raise ValidationError({"out": _("The report is written as a .pdf or an .xlsx file.")})
        period = reports.period_from_text(a.from_date, a.to_date)
        session, _secret = self.unlock()
        try:
            filters = reports.make_filters(
                session,
                org=a.org or "",
                exploitation_type=a.exploitation or "",
                citizenship=a.citizenship or "",
                sex=a.sex or "",
                age_band=a.age_band or "",
                identification_source=a.source or "",
            )
            data = reports.report(
                session,
                period,
                filters,
                fmt=fmt,
                lang=getattr(a, "lang", None) or current_language(),
                internal=a.internal,
            )
            reports.write_report(session, a.out, data, period)
        finally:
            session.lock()
        self.say(_("Report written to {path}.").format(path=a.out))

    def _ask_country(self) -> str:
        """The organisation's country, asked on a terminal (empty: set it later)."""
        if not self.passphrases.interactive:
            return ""
        prompt = _(
            "Country of the organisation (a two-letter code such as IL or JO; empty to set it"
            " later):"
        )
        for _attempt in range(3):
            answer = input(prompt + " ").strip().upper()
            if not answer or known_country(answer):
                return answer
            print(_("{code} is not a country code.").format(code=answer), file=sys.stderr)
        raise ValidationError({"country": _("Use a two-letter country code such as IL or JO.")})

    def org(self) -> None:
        """Show the organisation, or set what ``init`` left out (an administrator)."""
        a = self.args
        if a.org_command not in ("show", "set"):
            raise UsageError(_("Use org show or org set."))
        if a.org_command == "set" and a.country is None and a.name is None:
            raise UsageError(_("Say what to set: --country CC, --name NAME or both."))
        session, _secret = self.unlock()
        try:
            if a.org_command == "set":
                found = settings.set_organisation(session, name=a.name, country=a.country)
                self.say(_("Organisation saved."))
            else:
                found = settings.organisation(session)
        finally:
            session.lock()
        self.say(f"name: {found.name}")
        self.say(f"country: {found.country}")

    def verify(self) -> int:
        session, _secret = self.unlock()
        try:
            report = verify(session)
        finally:
            session.lock()
        for name, count in report.counts.items():
            self.say(f"{name}: {count}")
        self.say(f"digest: {report.digest}")
        for problem in report.problems:
            print(problem, file=sys.stderr)
        return 0 if report.ok else 1

    def backup(self) -> None:
        session, _secret = self.unlock()
        try:
            backup_service.backup(session, self.args.out)
        finally:
            session.lock()
        self.say(_("Backup written to {path}.").format(path=self.args.out))

    def restore(self) -> None:
        """Replacing an existing installation takes one of its administrators' passphrase
        (the acting user's), or its recovery key with ``--recovery-key``; the same secret is
        tried on the backup before another is asked for. Another installation's backup is
        restored only after a yes on the terminal or with ``--replace-other-installation``."""
        inst, by_recovery = self.installation, self.args.recovery_key
        # Not a backup, or damaged: say so before any prompt.
        _header, backup_slots, _offset = backup_service.read_header(self.args.file)
        approval, secret = None, None
        if inst.exists():
            inst.acquire()  # completes a restore a crash interrupted, before anything is asked
        current = backup_service.current_installation_id(inst)
        if current:
            if by_recovery:
                secret = self.passphrases.read(_("Recovery key of this installation:"))
                approval = backup_service.approve_with_recovery_key(inst, secret)
            else:
                name = self.acting_user()
                secret = self.passphrases.read(_("Passphrase for {name}:").format(name=name))
                approval = backup_service.approve_with_passphrase(inst, name, secret)
        if by_recovery:
            name = ""
        elif current or getattr(self.args, "user", None):
            name = self.acting_user()
        else:  # nobody here to name: the backup's only user, if it has one
            names = backup_service.usernames(backup_slots)
            if len(names) != 1:
                raise UsageError(_("Say which user you are with --user NAME."))
            name = names[0]
        prepared = self._prepare_restore(name, secret, approval)
        try:
            self.say(backup_service.describe(prepared.info))
            if prepared.info.legacy:
                print(backup_service.legacy_warning(), file=sys.stderr)
            if prepared.info.foreign:
                self._confirm_other_installation()
            kept = prepared.commit(replace_other=prepared.info.foreign)
        finally:
            prepared.discard()
        self.say(_("Backup restored."))
        if kept is not None:
            self.say(_("The replaced database was kept as {name}.").format(name=kept.name))

    def _prepare_restore(
        self, name: str, secret: str | None, approval: backup_service.Approval | None
    ) -> backup_service.PreparedRestore:
        """Check the backup with ``secret`` (this installation's), else with one asked for."""
        if name:
            prompt = _("Passphrase for {name} in the backup:").format(name=name)
        else:
            prompt = _("Recovery key of the backup:")
        inst, source = self.installation, self.args.file
        if secret is not None:
            try:
                return backup_service.prepare_restore(inst, source, name, secret, approval=approval)
            except AuthError as refused:
                try:
                    secret = self.passphrases.read(prompt)
                except UsageError:
                    raise refused from None
        else:
            secret = self.passphrases.read(prompt)
        return backup_service.prepare_restore(inst, source, name, secret, approval=approval)

    def _confirm_other_installation(self) -> None:
        if self.args.replace_other_installation:
            return
        if not self.passphrases.interactive:
            raise ShelterDeskError(
                _(
                    "This backup is of another installation; nothing was restored. To replace"
                    " this installation's data with it, add --replace-other-installation."
                )
            )
        answer = input(
            _("This backup is of another installation. Replace ALL the data here with it?")
            + " "
            + _("Type yes to replace: ")
        )
        if answer.strip().lower() not in ("yes", _("yes").lower()):
            raise ShelterDeskError(_("Not restored: replacing the data was not confirmed."))


def _add_report_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """``report --from DATE --to DATE [filters] [--internal] --out FILE.pdf|FILE.xlsx``."""
    p = sub.add_parser("report", parents=[common])
    p.add_argument("--from", dest="from_date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="to_date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--org", metavar="NAME")
    p.add_argument("--exploitation", choices=codes.EXPLOITATION_TYPE.codes())
    p.add_argument("--citizenship", metavar="CC")
    p.add_argument("--sex", choices=codes.GENDER.codes())
    p.add_argument("--age-band", metavar="BAND")  # 0-11, 12-17, 18-24... checked by the service
    p.add_argument("--source", choices=codes.IDENTIFICATION_SOURCE.codes())
    p.add_argument("--internal", action="store_true")
    p.add_argument("--out", type=Path, required=True)


def _read_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ShelterDeskError(
            _("Cannot read {name}: {reason}").format(
                name=Path(path).name, reason=os_error_reason(exc)
            )
        ) from exc


def _remove_installation_files(inst: Installation) -> None:
    for path in inst.root.iterdir():
        if path.name.startswith((inst.db_path.name, inst.slots_path.name)):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def run(argv: Sequence[str], stdin: IO[str] | None = None, out: IO[str] | None = None) -> int:
    """Run one command; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if getattr(args, "lang", None):
        set_language(args.lang)
    cli = Cli(args, stdin or sys.stdin, out or sys.stdout)
    commands: dict[str, Callable[[], int | None]] = {
        "init": cli.init,
        "demo": cli.demo,
        "user": cli.user,
        "passwd": cli.passwd,
        "case": cli.case,
        "print": cli.print_form,
        "partner": cli.partner,
        "bundle": cli.bundle,
        "export": cli.export,
        "import": cli.import_,
        "org": cli.org,
        "verify": cli.verify,
        "backup": cli.backup,
        "restore": cli.restore,
        "report": cli.report,
        "network": cli.network,
    }
    try:
        result = commands[args.command]()
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
