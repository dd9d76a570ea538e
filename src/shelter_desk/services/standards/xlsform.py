"""The intake form as an XLSForm, for outreach workers collecting on phones (KoBo, ODK).

``intake_xlsform`` writes the workbook pyxform turns into an XForm: the ``survey`` sheet (one
row per question, consent first; nothing else is asked unless consent is given), the
``choices`` sheet (Shelter Desk's code lists, CLDR's countries and languages) and
``settings``. Every label is given in the five interface languages as
``label::Arabic (ar)``; translations come from the same catalogues as the screens.

Question names are the HTCDS column names the HTCDS import reads (``prs_FirstName``,
``vic_TypeOfExploitation``...) and choice names are the stored codes, so the KoBo/ODK export
of the submissions (CSV or XLSX) imports with ``import htcds`` as it is. Constraints follow
the domain rules: a first or second name in either script, dates not in the future, an
estimated birth year from 1900 to this year, the end of trafficking not before its start,
sexual-exploitation types only with sexual exploitation, the industry only with forced
labour.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from shelter_desk.domain import codes
from shelter_desk.domain.codes import CodeList
from shelter_desk.domain.rules import EARLIEST_BIRTH_YEAR
from shelter_desk.i18n import LANGUAGES, N_, _, countries, load_translations, translate
from shelter_desk.security.atomic import write_atomic

FORM_ID = "shelter_desk_intake"
FORM_VERSION = "1"
LANGUAGE_NAMES = {
    "en": "English",
    "he": "Hebrew",
    "ar": "Arabic",
    "ka": "Georgian",
    "ru": "Russian",
}
BOOLEAN = "boolean"  # choice list: true / false, as the import reads them
COUNTRY = "country"
LANGUAGE = "language"
_NOT_IN_FUTURE = ". <= today()"


@dataclass(frozen=True)
class Question:
    type: str
    name: str
    label: str
    hint: str = ""
    required: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    required_message: str = ""
    appearance: str = ""


def _questions(this_year: int) -> tuple[list[Question], str]:
    """The questions in order, and the condition that consent was given."""
    future = N_("This date is in the future.")
    consented = "${con_Consent} = 'true'"
    return [
        Question(
            f"select_one {BOOLEAN}",
            "con_Consent",
            N_("Consent to the interview"),
            hint=N_(
                "Explain in words the person understands what you will ask and why, and that"
                " they may refuse. Nothing is recorded without their consent."
            ),
            required="yes",
        ),
        Question(
            "date",
            "sd_IntakeDate",
            N_("Intake date"),
            required="yes",
            constraint=_NOT_IN_FUTURE,
            constraint_message=future,
        ),
        Question("text", "prs_FirstName", N_("First name, as the person writes it")),
        Question(
            "text",
            "prs_SecondName",
            N_("Family name, as the person writes it"),
            required="${prs_FirstName} = '' and ${sd_FirstNameLatin} = ''"
            " and ${sd_SecondNameLatin} = ''",
            required_message=N_("Enter a first or second name, in either script."),
        ),
        Question("text", "sd_FirstNameLatin", N_("First name in Latin letters")),
        Question("text", "sd_SecondNameLatin", N_("Family name in Latin letters")),
        Question(
            "date",
            "prs_Birthdate",
            N_("Date of birth"),
            constraint=_NOT_IN_FUTURE,
            constraint_message=future,
        ),
        Question(
            "integer",
            "sd_EstimatedBirthYear",
            N_("Estimated year of birth"),
            relevant="${prs_Birthdate} = ''",
            constraint=f". >= {EARLIEST_BIRTH_YEAR} and . <= {this_year}",
            constraint_message=N_("Enter a year between {first} and {last}."),
        ),
        Question(f"select_one {codes.GENDER.name}", "prs_Gender", N_("Gender")),
        Question(
            f"select_multiple {COUNTRY}",
            "prs_Citizenship",
            N_("Citizenship"),
            appearance="minimal",
        ),
        Question(
            f"select_one {LANGUAGE}",
            "prs_PrimaryLanguage",
            N_("Main language"),
            appearance="minimal",
        ),
        Question(
            f"select_one {codes.IDENTIFICATION_SOURCE.name}",
            "sd_IdentificationSource",
            N_("How the person was identified"),
        ),
        Question(
            f"select_multiple {codes.EXPLOITATION_TYPE.name}",
            "vic_TypeOfExploitation",
            N_("Types of exploitation"),
        ),
        Question(
            f"select_one {codes.FORCED_LABOUR_INDUSTRY.name}",
            "vic_ForcedLabourIndustry",
            N_("Industry (forced labour)"),
            relevant="selected(${vic_TypeOfExploitation}, 'ForcedLabour')",
            appearance="minimal",
        ),
        Question(
            f"select_multiple {codes.SEX_EXPLOITATION_TYPE.name}",
            "vic_TypeOfSexExploitation",
            N_("Types of sexual exploitation"),
            relevant="selected(${vic_TypeOfExploitation}, 'SexualExploitation')",
        ),
        Question(
            f"select_multiple {codes.METHODS_OF_CONTROL.name}",
            "vic_MethodsOfControl",
            N_("Means of control"),
        ),
        Question(
            f"select_multiple {codes.RECRUITMENT_METHOD.name}",
            "vic_MethodOfRecruitment",
            N_("How the person was recruited"),
        ),
        Question(
            f"select_multiple {codes.WEBSITE_OR_APP.name}",
            "vic_RecruitmentWebsitesAndApps",
            N_("Websites or apps used to recruit the person"),
        ),
        Question(
            f"select_multiple {codes.WEBSITE_OR_APP.name}",
            "vic_ExploitationWebsitesAndApps",
            N_("Websites or apps used to exploit the person"),
        ),
        Question(
            f"select_one {codes.RELATIONSHIP_TO_TRAFFICKER.name}",
            "vic_RelationshipToTrafficker",
            N_("Relationship to the trafficker"),
        ),
        Question(
            "date",
            "sd_TraffickingBeganOn",
            N_("When the trafficking began"),
            constraint=_NOT_IN_FUTURE,
            constraint_message=future,
        ),
        Question(
            "date",
            "sd_TraffickingEndedOn",
            N_("When the trafficking ended"),
            constraint=". <= today() and (${sd_TraffickingBeganOn} = ''"
            " or . >= ${sd_TraffickingBeganOn})",
            constraint_message=N_("The end date is before the start date."),
        ),
    ], consented


CODE_LISTS: tuple[CodeList, ...] = (
    codes.GENDER,
    codes.IDENTIFICATION_SOURCE,
    codes.EXPLOITATION_TYPE,
    codes.FORCED_LABOUR_INDUSTRY,
    codes.SEX_EXPLOITATION_TYPE,
    codes.METHODS_OF_CONTROL,
    codes.RECRUITMENT_METHOD,
    codes.WEBSITE_OR_APP,
    codes.RELATIONSHIP_TO_TRAFFICKER,
)


def _column(kind: str, lang: str) -> str:
    return f"{kind}::{LANGUAGE_NAMES[lang]} ({lang})"


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return load_translations(lang)


def _labels(message: str, **values: object) -> list[str]:
    """``message`` in every language (without the screens' keyboard-shortcut marks)."""
    out = []
    for lang in LANGUAGES:
        text = translate(_catalogue(lang), message) if message else ""
        out.append((text.format(**values) if values else text).replace("&", ""))
    return out


def _choices() -> list[list[str]]:
    rows: list[list[str]] = []
    for name, label in (("true", N_("Yes")), ("false", N_("No"))):
        rows.append([BOOLEAN, name, *_labels(label)])
    for code_list in CODE_LISTS:
        for item in code_list:
            rows.append([code_list.name, item.code, *_labels(item.label)])
    names = {lang: dict(countries(lang)) for lang in LANGUAGES}
    for code, _name in countries("en"):
        rows.append([COUNTRY, code, *(names[lang].get(code, code) for lang in LANGUAGES)])
    locales = {lang: Locale.parse(lang) for lang in LANGUAGES}
    english = locales["en"].languages
    two_letter = sorted(c for c in english if isinstance(c, str) and len(c) == 2 and c.isalpha())
    for code in two_letter:
        rows.append(
            [LANGUAGE, code, *(str(locales[lang].languages.get(code, code)) for lang in LANGUAGES)]
        )
    return rows


def _survey(this_year: int) -> tuple[list[str], list[list[str]]]:
    questions, consented = _questions(this_year)
    header = [
        "type",
        "name",
        *(_column("label", lang) for lang in LANGUAGES),
        *(_column("hint", lang) for lang in LANGUAGES),
        "required",
        "relevant",
        "constraint",
        *(_column("constraint_message", lang) for lang in LANGUAGES),
        *(_column("required_message", lang) for lang in LANGUAGES),
        "appearance",
    ]
    rows = []
    for q in questions:
        relevant = q.relevant
        if q.name != "con_Consent":  # nothing is asked without consent
            relevant = f"{consented} and ({relevant})" if relevant else consented
        message = _labels(q.constraint_message, first=EARLIEST_BIRTH_YEAR, last=this_year)
        rows.append(
            [
                q.type,
                q.name,
                *_labels(q.label),
                *_labels(q.hint),
                q.required,
                relevant,
                q.constraint,
                *message,
                *_labels(q.required_message),
                q.appearance,
            ]
        )
    return header, rows


def intake_xlsform(today: dt.date | None = None) -> bytes:
    """The XLSForm workbook (XLSX bytes)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    this_year = (today or dt.date.today()).year
    workbook = Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    header, rows = _survey(this_year)
    _fill(survey, header, rows, TYPE_STRING)
    choices = workbook.create_sheet("choices")
    choice_header = ["list_name", "name", *(_column("label", lang) for lang in LANGUAGES)]
    _fill(choices, choice_header, _choices(), TYPE_STRING)
    settings = workbook.create_sheet("settings")
    settings_header = ["form_title", "form_id", "version", "default_language"]
    title = _("Shelter Desk intake")
    _fill(settings, settings_header, [[title, FORM_ID, FORM_VERSION, _column_name("en")]], "s")
    from shelter_desk.services.reports.xlsx import in_memory

    return in_memory(workbook)


def export_xlsform(path: Path) -> None:
    """Write the XLSForm to ``path`` (it holds no one's data: no permission needed)."""
    write_atomic(path, intake_xlsform())


def _column_name(lang: str) -> str:
    return f"{LANGUAGE_NAMES[lang]} ({lang})"


def _fill(sheet: object, header: Sequence[str], rows: Sequence[Sequence[str]], text: str) -> None:
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    sheet.append(list(header))
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(number, column, value)
            if isinstance(value, str):
                cell.data_type = text  # constraints start with "." or "$", never formulas
