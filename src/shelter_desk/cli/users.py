"""``user`` and ``passwd``: accounts and their passphrases."""

from __future__ import annotations

from shelter_desk.cli.base import Cli, UsageError
from shelter_desk.i18n import _, pgettext
from shelter_desk.services import users as user_service


def user(cli: Cli) -> None:
    session, _secret = cli.unlock()
    try:
        command = cli.args.user_command
        if command == "add":
            secret = cli.passphrases.read(
                _("New passphrase for {name}:").format(name=cli.args.name), confirm=True
            )
            user_service.add_user(session, cli.args.name, cli.args.role, secret)
            cli.say(_("User {name} added.").format(name=cli.args.name))
        elif command == "list":
            for u in user_service.list_users(session):
                state = (
                    # TRANSLATORS: state of a user account in `users list` (not of a case).
                    pgettext("user account", "disabled")
                    if u.disabled
                    # TRANSLATORS: state of a user account in `users list`.
                    else pgettext("user account", "active")
                )
                cli.say(f"{u.username}\t{u.role}\t{state}")
        elif command == "disable":
            user_service.disable_user(session, cli.args.name)
            cli.say(_("User {name} disabled.").format(name=cli.args.name))
        else:
            raise UsageError(_("Use user add, user list or user disable."))
    finally:
        session.lock()


def passwd(cli: Cli) -> None:
    a = cli.args
    if a.recovery_key:
        target = a.name or cli.acting_user()
        recovery = cli.passphrases.read(_("Recovery key:"))
        new = cli.passphrases.read(
            _("New passphrase for {name}:").format(name=target), confirm=True
        )
        user_service.reset_with_recovery(cli.installation, recovery, target, new)
    else:
        session, current = cli.unlock()
        try:
            target = a.name or session.user.username
            if target == session.user.username:
                new = cli.passphrases.read(
                    _("New passphrase for {name}:").format(name=target), confirm=True
                )
                user_service.change_own_passphrase(session, current, new)
            else:
                new = cli.passphrases.read(
                    _("New passphrase for {name}:").format(name=target), confirm=True
                )
                user_service.reset_passphrase(session, target, new)
        finally:
            session.lock()
    cli.say(_("Passphrase changed for {name}.").format(name=target))
