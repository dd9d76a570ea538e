"""``verify``, ``backup`` and ``restore``."""

from __future__ import annotations

import sys

from shelter_desk.cli.base import Cli, UsageError
from shelter_desk.domain.errors import AuthError, ShelterDeskError
from shelter_desk.i18n import _
from shelter_desk.services import backup as backup_service
from shelter_desk.services import verify as verifying


def verify(cli: Cli) -> int:
    session, _secret = cli.unlock()
    try:
        report = verifying.verify(session)
    finally:
        session.lock()
    for name, count in report.counts.items():
        cli.say(f"{name}: {count}")
    cli.say(f"digest: {report.digest}")
    for problem in report.problems:
        print(problem, file=sys.stderr)
    return 0 if report.ok else 1


def backup(cli: Cli) -> None:
    session, _secret = cli.unlock()
    try:
        backup_service.backup(session, cli.args.out)
    finally:
        session.lock()
    cli.say(_("Backup written to {path}.").format(path=cli.args.out))


def restore(cli: Cli) -> None:
    """Replacing an existing installation takes one of its administrators' passphrase
    (the acting user's), or its recovery key with ``--recovery-key``; the same secret is
    tried on the backup before another is asked for. Another installation's backup is
    restored only after a yes on the terminal or with ``--replace-other-installation``."""
    inst, by_recovery = cli.installation, cli.args.recovery_key
    # Not a backup, or damaged: say so before any prompt.
    _header, backup_slots, _offset = backup_service.read_header(cli.args.file)
    approval, secret = None, None
    if inst.exists():
        inst.acquire()  # completes a restore a crash interrupted, before anything is asked
    current = backup_service.current_installation_id(inst)
    if current:
        if by_recovery:
            secret = cli.passphrases.read(_("Recovery key of this installation:"))
            approval = backup_service.approve_with_recovery_key(inst, secret)
        else:
            name = cli.acting_user()
            secret = cli.passphrases.read(_("Passphrase for {name}:").format(name=name))
            approval = backup_service.approve_with_passphrase(inst, name, secret)
    if by_recovery:
        name = ""
    elif current or getattr(cli.args, "user", None):
        name = cli.acting_user()
    else:  # nobody here to name: the backup's only user, if it has one
        names = backup_service.usernames(backup_slots)
        if len(names) != 1:
            raise UsageError(_("Say which user you are with --user NAME."))
        name = names[0]
    prepared = _prepare_restore(cli, name, secret, approval)
    try:
        cli.say(backup_service.describe(prepared.info))
        if prepared.info.legacy:
            print(backup_service.legacy_warning(), file=sys.stderr)
        if prepared.info.foreign:
            _confirm_other_installation(cli)
        kept = prepared.commit(replace_other=prepared.info.foreign)
    finally:
        prepared.discard()
    cli.say(_("Backup restored."))
    if kept is not None:
        cli.say(_("The replaced database was kept as {name}.").format(name=kept.name))


def _prepare_restore(
    cli: Cli, name: str, secret: str | None, approval: backup_service.Approval | None
) -> backup_service.PreparedRestore:
    """Check the backup with ``secret`` (this installation's), else with one asked for."""
    if name:
        prompt = _("Passphrase for {name} in the backup:").format(name=name)
    else:
        prompt = _("Recovery key of the backup:")
    inst, source = cli.installation, cli.args.file
    if secret is not None:
        try:
            return backup_service.prepare_restore(inst, source, name, secret, approval=approval)
        except AuthError as refused:
            try:
                secret = cli.passphrases.read(prompt)
            except UsageError:
                raise refused from None
    else:
        secret = cli.passphrases.read(prompt)
    return backup_service.prepare_restore(inst, source, name, secret, approval=approval)


def _confirm_other_installation(cli: Cli) -> None:
    if cli.args.replace_other_installation:
        return
    if not cli.passphrases.interactive:
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
