"""``network``, ``partner`` and ``bundle``: exchanging with the other organisations."""

from __future__ import annotations

import sys
from pathlib import Path

from shelter_desk.cli.base import Cli, UsageError, read_file
from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.i18n import _
from shelter_desk.security.atomic import write_atomic
from shelter_desk.services import exchange, sharing


def network(cli: Cli) -> None:
    """``network secret new`` makes and stores a secret and prints it to read to the
    other shelters; ``network secret set`` reads one after the passphrase."""
    a = cli.args
    command = getattr(a, "secret_command", None)
    if a.network_command != "secret" or command not in ("new", "set"):
        raise UsageError(_("Use network secret new or network secret set."))
    session, _secret = cli.unlock()
    try:
        if command == "new":
            secret = sharing.new_network_secret()
        else:
            secret = cli.passphrases.read(_("Network secret:"))
        exchange.set_network_secret(session, secret)
    finally:
        session.lock()
    if command == "new":
        cli.say(f"secret: {secret}")
        cli.say(_("Read it to the other shelters of the network; never to the coordinator."))
    else:
        cli.say(_("Network secret saved."))


def partner(cli: Cli) -> None:
    command = cli.args.partner_command
    if command not in ("card", "add", "list"):
        raise UsageError(_("Use partner card, partner add or partner list."))
    if command == "add":
        data = read_file(cli.args.file)
        card = exchange.read_card(data)
        confirmed = _confirmed_fingerprint(cli, card.fingerprint, card.organisation)
    session, _secret = cli.unlock()
    try:
        if command == "card":
            card = exchange.my_card(session)
            write_atomic(cli.args.out, card.to_bytes())
            cli.say(f"fingerprint: {card.fingerprint}")
        elif command == "add":
            exchange.add_partner(session, data, confirmed)
            cli.say(_("Partner {organisation} trusted.").format(organisation=card.organisation))
        else:
            for info in exchange.list_partners(session):
                state = _("revoked") if info.revoked else _("trusted")
                cli.say(
                    f"{info.fingerprint}\t{info.organisation}\t{info.role}\t{info.country}\t{state}"
                )
    finally:
        session.lock()


def _confirmed_fingerprint(cli: Cli, fingerprint: str, organisation: str) -> str:
    """On a terminal the person compares the words read out by the partner; otherwise
    ``--fingerprint`` must give them."""
    given = cli.args.fingerprint
    if given:
        return str(given)
    if not cli.passphrases.interactive:
        raise UsageError(_("Give the fingerprint you confirmed with --fingerprint."))
    cli.say(_("Fingerprint of {organisation}:").format(organisation=organisation))
    cli.say(fingerprint)
    answer = input(_("Did the partner read out exactly these words? Type yes to trust: "))
    if answer.strip().lower() not in ("yes", _("yes").lower()):
        raise ShelterDeskError(_("Not trusted: the fingerprint was not confirmed."))
    return fingerprint


def bundle(cli: Cli) -> None:
    command = cli.args.bundle_command
    if command not in ("export", "import", "inspect"):
        raise UsageError(_("Use bundle export, bundle import or bundle inspect."))
    if command != "export":
        exchange.check_readable(Path(cli.args.file))  # before the passphrase is asked
    session, _secret = cli.unlock()
    try:
        if command == "export":
            partner = exchange.find_partner(session, cli.args.to)
            try:
                result = exchange.export_bundle(
                    session, partner, Path(cli.args.out), progress=_percent(cli)
                )
            finally:
                _end_percent(cli)
            s = result.summary
            cli.say(
                _("Bundle {seq} written: {count} changes, {size} bytes.").format(
                    seq=s.seq, count=s.transactions, size=s.size
                )
            )
        elif command == "import":
            try:
                imported = exchange.import_bundle(
                    session, Path(cli.args.file), progress=_percent(cli)
                )
            finally:
                _end_percent(cli)
            cli.say(imported.message)
        else:
            _describe(cli, exchange.inspect(session, Path(cli.args.file)))
    finally:
        session.lock()


def _percent(cli: Cli) -> exchange.Progress | None:
    """How far a bundle export or import is, in percent on standard error, rewritten in
    place; only when standard error is a terminal (scripts read clean output)."""
    if not sys.stderr.isatty():
        return None
    shown = [-1]

    def report(done: int, total: int) -> None:
        percent = done * 100 // total if total > 0 else 100
        if percent != shown[0]:
            shown[0] = percent
            cli.line_open = percent < 100
            line = _("{percent}% done").format(percent=percent)
            print("\r" + line, end="" if cli.line_open else "\n", file=sys.stderr, flush=True)

    return report


def _end_percent(cli: Cli) -> None:
    """End a progress line that stopped short (a refused bundle) before anything else."""
    if cli.line_open:
        print(file=sys.stderr, flush=True)
        cli.line_open = False


def _describe(cli: Cli, found: exchange.BundleInspection) -> None:
    sender = found.sender.organisation if found.sender else _("unknown")
    cli.say(f"sender: {sender} ({found.header.sender_key_id})")
    recipient = _("unknown")
    if found.addressed_here is not None:
        recipient = _("this installation") if found.addressed_here else _("another installation")
    cli.say(f"recipient: {recipient}")
    cli.say(f"seq: {found.header.seq}")
    cli.say(f"size: {found.size}")
    cli.say(f"signature: {found.signature.value}")
