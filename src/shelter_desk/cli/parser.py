"""The command line's options: every command's, built without loading any service that
does the work (their choices come from small modules of names)."""

from __future__ import annotations

import argparse
from pathlib import Path

from shelter_desk import __version__
from shelter_desk.domain import codes
from shelter_desk.i18n import LANGUAGES
from shelter_desk.options import add_common_options
from shelter_desk.reports.names import FORMS
from shelter_desk.security.permissions import Role
from shelter_desk.services.standards import choices


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
    p.add_argument("--format", choices=(choices.CSV, choices.XLSX), help="htcds: csv or xlsx")
    p.add_argument(
        "--schema", choices=choices.CTDC_SCHEMAS, default=choices.CTDC_GLOBAL, help="ctdc"
    )
    protection = p.add_mutually_exclusive_group()
    protection.add_argument("--to", metavar="PARTNER")
    protection.add_argument("--passphrase", action="store_true")
    p = sub.add_parser("import", parents=[common])
    p.add_argument("standard", choices=("htcds",))
    p.add_argument("file", type=Path)
    p.add_argument("--commit", action="store_true")
    p.add_argument("--dates", choices=choices.DATE_ORDERS, default="")

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
