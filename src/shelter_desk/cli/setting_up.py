"""``init`` and ``org``: the installation's organisation, its name and country."""

from __future__ import annotations

import sys

from shelter_desk.cli.base import Cli, UsageError
from shelter_desk.domain.errors import ValidationError
from shelter_desk.i18n import _
from shelter_desk.security.passphrase import format_recovery_key
from shelter_desk.services import settings
from shelter_desk.services.installation import known_country


def init(cli: Cli) -> None:
    a = cli.args
    country = a.country.strip().upper() or _ask_country(cli)
    secret = cli.passphrases.read(
        _("New passphrase for {name}:").format(name=a.admin), confirm=True
    )
    session, recovery = cli.installation.create(
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
    cli.say(_("Installation created in {path}.").format(path=cli.installation.root))
    cli.say(_("Recovery key (write it down now; it is shown only once):"))
    cli.say(format_recovery_key(recovery))


def _ask_country(cli: Cli) -> str:
    """The organisation's country, asked on a terminal (empty: set it later)."""
    if not cli.passphrases.interactive:
        return ""
    prompt = _(
        "Country of the organisation (a two-letter code such as IL or JO; empty to set it later):"
    )
    for _attempt in range(3):
        answer = input(prompt + " ").strip().upper()
        if not answer or known_country(answer):
            return answer
        print(_("{code} is not a country code.").format(code=answer), file=sys.stderr)
    raise ValidationError({"country": _("Use a two-letter country code such as IL or JO.")})


def org(cli: Cli) -> None:
    """Show the organisation, or set what ``init`` left out (an administrator)."""
    a = cli.args
    if a.org_command not in ("show", "set"):
        raise UsageError(_("Use org show or org set."))
    if a.org_command == "set" and a.country is None and a.name is None:
        raise UsageError(_("Say what to set: --country CC, --name NAME or both."))
    session, _secret = cli.unlock()
    try:
        if a.org_command == "set":
            found = settings.set_organisation(session, name=a.name, country=a.country)
            cli.say(_("Organisation saved."))
        else:
            found = settings.organisation(session)
    finally:
        session.lock()
    cli.say(f"name: {found.name}")
    cli.say(f"country: {found.country}")
