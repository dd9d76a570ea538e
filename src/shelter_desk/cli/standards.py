"""``export`` and ``import``: HTCDS, CTDC and the intake XLSForm."""

from __future__ import annotations

import sys

from shelter_desk.cli.base import Cli, UsageError, read_file
from shelter_desk.i18n import _
from shelter_desk.security.atomic import write_atomic
from shelter_desk.services.standards import ctdc, xlsform
from shelter_desk.services.standards import htcds_export as exports
from shelter_desk.services.standards import htcds_import as imports


def export(cli: Cli) -> None:
    """Write a standard export; only counts are printed."""
    a = cli.args
    if a.standard != "htcds" and (a.to or a.passphrase):
        raise UsageError(_("Only export htcds can be encrypted with --to or --passphrase."))
    if a.standard == "xlsform":  # the empty form: nothing of the database in it
        write_atomic(a.out, xlsform.intake_xlsform())
        cli.say(_("Wrote the intake form for KoBo and ODK to {path}.").format(path=a.out))
        return
    session, _secret = cli.unlock()
    try:
        if a.standard == "htcds":
            secret = ""
            if a.passphrase:
                secret = cli.passphrases.read(_("New passphrase for the export:"), confirm=True)
            count = exports.export_htcds(
                session, a.out, to_partner=a.to or "", passphrase=secret, fmt=a.format or ""
            )
            cli.say(_("Exported {count} cases to {path}.").format(count=count, path=a.out))
            beside = [f.name for f in exports.written_files(a.out, a.format or "")[1:]]
            if beside:
                cli.say(
                    _("The related tables are beside it: {names}.").format(names=", ".join(beside))
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
            cli.say(
                _("Exported {count} cases to {path}.").format(count=result.exported, path=a.out)
            )
            cli.say(
                _(
                    "Left out: {without_consent} without consent for statistics,"
                    " {suppressed} for anonymity; {generalised} generalised."
                ).format(
                    without_consent=result.without_consent,
                    suppressed=result.suppressed,
                    generalised=result.generalised,
                )
            )
            cli.say(
                _(
                    "Release {number}: {added} cases added, {removed} removed since the last"
                    " release; cases left out for anonymity are added once enough new cases"
                    " keep them anonymous."
                ).format(number=result.release, added=result.added, removed=result.removed)
            )
    finally:
        session.lock()


def import_(cli: Cli) -> int:
    """Preview an HTCDS file (CSV or XLSX; column names and messages only), and import
    its new rows with ``--commit`` when every row is valid."""
    data = read_file(cli.args.file)
    session, _secret = cli.unlock()
    try:
        if exports.is_encrypted_export(data):
            secret = ""
            if exports.export_needs_passphrase(data):
                secret = cli.passphrases.read(_("Passphrase of the export:"))
            data = exports.open_encrypted_export(session, data, secret)
        preview = imports.preview_htcds(session, data, date_order=cli.args.dates)
        _say_import_preview(cli, preview)
        if cli.args.commit:
            count = imports.commit_preview(session, preview)
            cli.say(_("Imported {count} cases.").format(count=count))
        elif preview.problems:
            print(_("Some rows have errors; nothing was imported."), file=sys.stderr)
            return 1
    finally:
        session.lock()
    return 0


def _say_import_preview(cli: Cli, preview: imports.ImportPreview) -> None:
    table = preview.file.table if preview.file is not None else None
    if table is not None and (table.encoding, table.delimiter) not in (
        ("utf-8", ","),
        ("", ""),
    ):
        cli.say(
            _("Read as CSV: encoding {encoding}, separator {separator}").format(
                encoding=table.encoding, separator=repr(table.delimiter)
            )
        )
    if preview.date_order != "iso":
        order = imports.date_order_label(preview.date_order)
        cli.say(_("Dates read as: {order}").format(order=order))
    for name in preview.ignored_columns:
        cli.say(_("Column {name} is not known and was ignored.").format(name=name))
    for name in preview.not_imported_columns:
        cli.say(
            _("Column {name} is an HTCDS field Shelter Desk does not keep; left out.").format(
                name=name
            )
        )
    cli.say(
        _("{rows} rows: {ok} ready, {bad} with errors").format(
            rows=preview.rows, ok=preview.ok, bad=preview.bad
        )
    )
    if preview.already_imported:
        cli.say(
            _("{count} rows were imported before and are skipped.").format(
                count=preview.already_imported
            )
        )
    for dup in preview.likely_duplicates:
        cli.say(
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
        cli.say(line)
