"""``case list`` and ``case duplicates``: case numbers and states, never personal data."""

from __future__ import annotations

from shelter_desk.cli.base import Cli, UsageError
from shelter_desk.i18n import _
from shelter_desk.services import cases


def case(cli: Cli) -> None:
    if cli.args.case_command == "duplicates":
        return case_duplicates(cli)
    if cli.args.case_command != "list":
        raise UsageError(_("Use case list or case duplicates."))
    session, _secret = cli.unlock()
    try:
        found = cases.case_page(
            session,
            cases.CaseFilter(
                text=cli.args.search,
                statuses=(cli.args.status,) if cli.args.status else (),
            ),
            0,
            max(cli.args.limit, 0),
        )
    finally:
        session.lock()
    for row in found:
        cli.say(f"{row.number}\t{row.status}")


def case_duplicates(cli: Cli) -> None:
    """Pairs of case numbers that are possibly one person, likeliest first."""
    from shelter_desk.services.duplicates import decisions as duplicates

    if cli.args.limit < 1:
        raise UsageError(_("--limit must be at least 1."))
    session, _secret = cli.unlock()
    try:
        pairs = duplicates.possible_duplicates(session, cli.args.limit)
    finally:
        session.lock()
    if not pairs:
        cli.say(_("No possible duplicates."))
    for pair in pairs:
        line = f"{pair.number_a} ({pair.organisation_a})\t{pair.number_b} ({pair.organisation_b})"
        line += f"\t{pair.score}"
        if pair.linked:
            line += "\t" + _("same person")
        cli.say(line)
