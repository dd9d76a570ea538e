"""The spellings found in real HTCDS files, mapped to Shelter Desk's column names and codes.

Column names are compared *normalised*: case-folded, with everything but letters and digits
removed, so ``prs_First_Name`` (IOM's XLSForm) is ``prs_FirstName`` and ``vic_Methods_of_Control``
is ``vic_MethodsOfControl``; a name without its prefix (``First Name``, the label row of IOM's
template) matches too. ``COLUMN_ALIASES`` adds the spellings normalising does not reach (IOM's
template has ``vic_TraffickinStatusDecisionMakingOrg``). KoBo and ODK put a field inside a
group as ``group/field`` (ODK Central: ``group-field``) and add their own meta columns
(``_uuid``, ``_submission_time``, ``meta/instanceID``...); a select-multiple also gets one
0/1 column per choice, ``field/Choice``.

Picklist cells may hold the value name (``ForcedLabour``) or its English label (``Forced
labour``, as IOM's single-select template and a KoBo export "with labels" write them); the
labels are Shelter Desk's own plus IOM's where they differ (``HTCDS_VALUE_LABELS``).
Countries are ISO codes or their English names (CLDR, and IOM's list).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from babel import Locale

from shelter_desk.domain import codes
from shelter_desk.domain.codes import CodeList
from shelter_desk.services.standards.htcds_fields import DERIVED_HTCDS_COLUMNS, HTCDS_COLUMNS
from shelter_desk.services.standards.htcds_reference import (
    LANGUAGE_FIELDS,
    language_639_1,
)

CONSENT_COLUMN = "con_Consent"
REFERRAL_DATE_COLUMN = "cas_IncomingReferralDate"
# Columns read besides HTCDS_COLUMNS: the consent and the referral date (an intake date).
EXTRA_COLUMNS = (CONSENT_COLUMN, REFERRAL_DATE_COLUMN)
# HTCDS fields that Shelter Desk keeps elsewhere or not at all: known, and not imported.
NOT_IMPORTED = (
    "cas_CaseOwner",
    "cas_ReferringOrganisation",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "prs_Salutation",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingState",
    "prs_MailingPostalCode",
    "vic_LocationOfRecruitment",
    "vic_LocationOfExploitation",
)
COLUMN_ALIASES = {
    "vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg",
    "Trafficking Status Decision Making Organization": "vic_TraffickingStatusDecisionMakingOrg",
    "Mailing Zip/Postal Code": "prs_MailingPostalCode",
    "Mailing State/Province": "prs_MailingState",
}
UUID_COLUMNS = ("_uuid", "meta/instanceID", "meta-instanceID", "instanceID", "KEY")
META_COLUMNS = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "phonenumber",
        "simserial",
        "subscriberid",
        "audit",
        "__version__",
        "SubmissionDate",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    }
)
# IOM's labels (the toolkit's field table and templates) that differ from Shelter Desk's.
HTCDS_VALUE_LABELS: dict[str, dict[str, str]] = {
    "vic_MethodsOfControl": {"Threats of law enforcement": "ThreatsLawEnforcement"},
    "vic_ForcedLabourIndustry": {
        "Water supply; sewerage, waste management and remediation": (
            "E_WaterSupplySewerageWasteManagement"
        ),
        "Wholesale and retail trade; repair of motor vehicles and motorcycles": (
            "G_WholesaleAndRetailTradeRepairOfMotorVehicles"
        ),
        "Public administration and defence; compulsory social security": (
            "O_PublicAdministrationAndDefence"
        ),
        "Activities of households as employers; undifferentiated goods- and services-"
        " producing activities of households for own use": "T_ActivitiesOfHouseholdsAsEmployers",
        "Activities of extraterritorial organizations and bodies": (
            "U_ActivitiesOfExtraterritorialOrganizations"
        ),
    },
}
# IOM's country names that CLDR's English names do not match.
HTCDS_COUNTRY_NAMES = {
    "Bolivia (Plurinational State of)": "BO",
    "Congo": "CG",
    "Congo, Democratic Republic of the": "CD",
    "Czechia": "CZ",
    "Falkland Islands (Malvinas)": "FK",
    "Holy See": "VA",
    "Iran (Islamic Republic of)": "IR",
    "Korea (Democratic People's Republic of)": "KP",
    "Korea, Republic of": "KR",
    "Lao People's Democratic Republic": "LA",
    "Micronesia (Federated States of)": "FM",
    "Moldova, Republic of": "MD",
    "Palestine, State of": "PS",
    "Russian Federation": "RU",
    "Syrian Arab Republic": "SY",
    "Taiwan, Province of China": "TW",
    "Tanzania, United Republic of": "TZ",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "United States of America": "US",
    "Venezuela (Bolivarian Republic of)": "VE",
    "Viet Nam": "VN",
    "Virgin Islands (British)": "VG",
    "Virgin Islands (U.S.)": "VI",
    "Brunei Darussalam": "BN",
    "Cabo Verde": "CV",
    "Côte d'Ivoire": "CI",
    "Eswatini": "SZ",
    "Turkey": "TR",
    "Macao": "MO",
    "Hong Kong": "HK",
    "Saint Martin (French part)": "MF",
    "Sint Maarten (Dutch part)": "SX",
    "Saint Helena, Ascension and Tristan da Cunha": "SH",
    "Cocos (Keeling) Islands": "CC",
    "Bonaire, Sint Eustatius and Saba": "BQ",
    "United States Minor Outlying Islands": "UM",
    "Heard Island and McDonald Islands": "HM",
    "South Georgia and the South Sandwich Islands": "GS",
    "Svalbard and Jan Mayen": "SJ",
    "Wallis and Futuna": "WF",
    "Saint Barthélemy": "BL",
    "Myanmar": "MM",
    "Antigua and Barbuda": "AG",
    "Bosnia and Herzegovina": "BA",
    "French Southern Territories": "TF",
    "Pitcairn": "PN",
    "Saint Kitts and Nevis": "KN",
    "Saint Lucia": "LC",
    "Saint Pierre and Miquelon": "PM",
    "Saint Vincent and the Grenadines": "VC",
    "Sao Tome and Principe": "ST",
    "Trinidad and Tobago": "TT",
    "Turks and Caicos Islands": "TC",
}
COUNTRY_COLUMNS = frozenset({"prs_Citizenship", "prs_MailingCountry"})
_EXTRA_PICKLISTS = {
    "sd_SharingLevel": codes.SHARING_LEVEL,
    "sd_RiskLevel": codes.RISK_LEVEL,
    "sd_IdentificationSource": codes.IDENTIFICATION_SOURCE,
    "sd_DataSource": codes.DATA_SOURCE,
    "cas_ReasonForCaseClosure": codes.CLOSURE_REASON,
    # One list for two fields (so no htcds name of its own); its label "4Sale" reads as FourSale.
    "vic_RecruitmentWebsitesAndApps": codes.WEBSITE_OR_APP,
    "vic_ExploitationWebsitesAndApps": codes.WEBSITE_OR_APP,
}
_NOT_ALNUM = re.compile(r"[\W_]+")
_SECTION_LETTER = re.compile(r"^[a-z]_")  # "A_AgricultureForestryAndFishing"


def normalise(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _unprefixed(name: str) -> str:
    return name.split("_", 1)[1] if "_" in name else name


@dataclass(frozen=True)
class ColumnMatch:
    """What a file's column is: ``kind`` is "column" (``name`` is the column it fills),
    "choice" (a KoBo 0/1 column of choice ``choice`` of ``name``), "uuid", "meta",
    "derived" (``vic_AgeWhenTrafficked``: worked out here, not read), "not_imported" (a
    known HTCDS field Shelter Desk keeps nowhere) or "unknown"."""

    kind: str
    name: str = ""
    choice: str = ""


@functools.cache
def _imported() -> frozenset[str]:
    return frozenset([c.name for c in HTCDS_COLUMNS] + list(EXTRA_COLUMNS))


@functools.cache
def _column_table() -> dict[str, str]:
    """Normalised spelling -> column name; exact and prefixed names win over bare ones."""
    table: dict[str, str] = {}
    known = (*_imported(), *NOT_IMPORTED, *DERIVED_HTCDS_COLUMNS)
    for name in known:
        table.setdefault(normalise(_unprefixed(name)), name)
    for name in known:
        table[normalise(name)] = name
    for alias, name in COLUMN_ALIASES.items():
        table[normalise(alias)] = name
    return table


def _plain(name: str) -> str:
    return _column_table().get(normalise(name), "")


def match_column(header: str) -> ColumnMatch:
    """What the file's column ``header`` holds."""
    name = header.strip()
    if name in UUID_COLUMNS or name.rsplit("/", 1)[-1] in UUID_COLUMNS:
        return ColumnMatch("uuid")
    if name.startswith("_") or name in META_COLUMNS or name.startswith(("meta/", "formhub/")):
        return ColumnMatch("meta")
    found = _plain(name)
    if not found:
        parts = [p for p in re.split(r"[/\-]", name) if p]
        if len(parts) > 1:
            found = _plain(parts[-1])
            if not found and _plain(parts[-2]) and picklist(_plain(parts[-2])) is not None:
                return ColumnMatch("choice", _plain(parts[-2]), parts[-1])
    if not found:
        return ColumnMatch("unknown")
    if found in _imported():
        return ColumnMatch("column", found)
    if found in DERIVED_HTCDS_COLUMNS:
        return ColumnMatch("derived", found)
    return ColumnMatch("not_imported", found)


def is_known(header: str) -> bool:
    return match_column(header).kind in ("column", "not_imported", "choice", "derived")


@functools.cache
def _picklists() -> dict[str, CodeList]:
    found: dict[str, CodeList] = dict(_EXTRA_PICKLISTS)
    for value in vars(codes).values():
        if isinstance(value, CodeList) and value.htcds_field:
            found[value.htcds_field] = value
    return found


def picklist(column: str) -> CodeList | None:
    return _picklists().get(column)


@functools.cache
def value_table(column: str) -> dict[str, str]:
    """Normalised value name or English label -> code, for a picklist or country column."""
    table: dict[str, str] = {}
    if column in COUNTRY_COLUMNS:
        for code, name in Locale.parse("en").territories.items():
            if isinstance(code, str) and len(code) == 2 and code.isalpha():
                table[normalise(str(name))] = code
                table[normalise(code)] = code
        for name, code in HTCDS_COUNTRY_NAMES.items():
            table[normalise(name)] = code
        return table
    code_list = picklist(column)
    if code_list is None:
        return table
    for item in code_list:
        table.setdefault(normalise(item.label), item.code)
        table.setdefault(normalise(_SECTION_LETTER.sub("", item.code.casefold())), item.code)
    for label, code in HTCDS_VALUE_LABELS.get(column, {}).items():
        table[normalise(label)] = code
    for item in code_list:
        table[normalise(item.code)] = item.code
    return table


def code_for(column: str, text: str) -> str:
    """The code a picklist cell means, or the text itself when it means none (the domain
    rules then refuse it)."""
    if column in LANGUAGE_FIELDS:
        return language_639_1(text)
    table = value_table(column)
    if not table:
        return text
    return table.get(normalise(text), text)
