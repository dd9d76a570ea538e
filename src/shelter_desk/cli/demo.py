"""``demo``: a demo installation (published accounts, a demo partner, synthetic cases)."""

from __future__ import annotations

import shutil
import sys

from shelter_desk.cli.base import Cli
from shelter_desk.domain.errors import ShelterDeskError, StoreError
from shelter_desk.domain.os_errors import read_only_message
from shelter_desk.i18n import _
from shelter_desk.services.demo import generate_demo
from shelter_desk.services.demo.setting_up import add_demo_accounts, add_demo_partner
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER, Installation


def demo(cli: Cli) -> None:
    inst = cli.installation
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
        org_name=cli.args.org or _("Demo Shelter"),
        admin=DEMO_USER,
        passphrase=DEMO_PASSPHRASE,
        role=cli.args.role,
        country="JO" if cli.args.role == "coordinator" else "IL",
        demo=True,
    )
    try:
        accounts = add_demo_accounts(session)
        partner = add_demo_partner(session)
        if cli.args.cases > 0:
            summary = generate_demo(session, cli.args.cases, cli.args.seed, progress=_progress)
            print(
                "\r"
                + _("Synthetic cases: {count}; records: {records}.").format(
                    count=summary.cases, records=summary.records
                ),
                file=sys.stderr,
            )
    finally:
        session.lock()
    cli.say(f"user: {DEMO_USER}")
    cli.say(f"passphrase: {DEMO_PASSPHRASE}")
    for account in accounts:
        cli.say(f"user: {account.username}")
        cli.say(f"passphrase: {account.passphrase}")
    cli.say(f"partner: {partner.organisation}")
    cli.say(f"fingerprint: {partner.fingerprint}")


def _progress(done: int, total: int) -> None:
    """A progress line on standard error (counts only), rewritten in place."""
    print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def _remove_installation_files(inst: Installation) -> None:
    for path in inst.root.iterdir():
        if path.name.startswith((inst.db_path.name, inst.slots_path.name)):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
