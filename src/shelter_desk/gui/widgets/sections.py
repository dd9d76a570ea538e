"""Form sections shared by the new-case wizard and the case workspace tabs.

A section edits some fields of one record: :meth:`Section.load` fills it from the record,
:meth:`Section.apply` writes what is on screen back onto a record, and
:meth:`Section.show_errors` puts each ``ValidationError`` message under its field (keys as
the rules name them: ``first_name``, ``documents[1].number``...). ``changed`` fires on every
edit a person makes (never while loading).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.domain.entities import Consent, Intake, Person
from shelter_desk.domain.indicators import FORCED_LABOUR_INDICATORS
from shelter_desk.domain.rules import EARLIEST_BIRTH_YEAR
from shelter_desk.gui.forms import Field, Form
from shelter_desk.gui.widgets.delphi import DelphiChecklist
from shelter_desk.gui.widgets.inputs import (
    ChoiceChecklist,
    ChoiceCombo,
    CountSpin,
    DateField,
    NameEdit,
    YearSpin,
    code_checklist,
    code_combo,
    country_checklist,
    country_combo,
    language_combo,
)
from shelter_desk.gui.widgets.labels import field_label
from shelter_desk.gui.widgets.rows import RowsEditor, contacts_editor, documents_editor
from shelter_desk.i18n import _


def base_name(key: str) -> tuple[str, int | None]:
    """``documents[1].number`` -> (``documents``, 1); ``city`` -> (``city``, None)."""
    head = key.split(".", 1)[0]
    if "[" in head and head.endswith("]"):
        name, index = head[:-1].split("[", 1)
        return name, int(index) if index.isdigit() else None
    return head, None


class Section(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QFormLayout(self)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form = Form(layout)
        self._loading = False

    # -- building ------------------------------------------------------------------
    def add(self, name: str, widget: QWidget, label: Callable[[], str] | None = None) -> Field:
        field = self.form.add(name, label or (lambda: field_label(name)), widget)
        self._watch(widget)
        return field

    def _watch(self, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._edited)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(self._edited)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._edited)
        else:
            signal = getattr(widget, "changed", None)
            if signal is not None:
                signal.connect(self._edited)

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    def widget(self, name: str) -> QWidget:
        return self.form.fields[name].widget

    def first_input(self) -> QWidget | None:
        return next(
            (f.widget for f in self.form.fields.values() if f.widget.isVisibleTo(self)), None
        )

    # -- data ----------------------------------------------------------------------
    def load(self, record: Any) -> None:
        self._loading = True
        try:
            self.fill(record)
        finally:
            self._loading = False

    def fill(self, record: Any) -> None:
        """Put the record's values into the inputs."""

    def apply(self, record: Any) -> None:
        """Write the inputs' values onto ``record``."""

    # -- messages ------------------------------------------------------------------
    def has_field(self, key: str) -> bool:
        return base_name(key)[0] in self.form.fields

    def show_errors(self, errors: Mapping[str, str]) -> list[str]:
        """Show the messages under their fields; return those no field here takes."""
        placed: dict[str, str] = {}
        rows: dict[str, dict[int, str]] = {}
        unplaced = []
        for key, message in errors.items():
            name, index = base_name(key)
            if name not in self.form.fields:
                unplaced.append(message)
                continue
            if index is not None:
                rows.setdefault(name, {}).setdefault(index, message)
                placed.setdefault(name, _("Check the rows marked below."))
            else:
                placed.setdefault(name, message)
        self.form.show_errors(placed)
        for name, field in self.form.fields.items():
            if isinstance(field.widget, RowsEditor):
                field.widget.show_errors(rows.get(name, {}))
        return unplaced

    def clear_errors(self) -> None:
        self.show_errors({})

    def retranslate(self) -> None:
        self.form.retranslate()
        for field in self.form.fields.values():
            retranslate = getattr(field.widget, "retranslate", None)
            if retranslate is not None:
                retranslate()


def yes_box() -> QCheckBox:
    box = QCheckBox()
    box.setProperty("yes_box", True)
    return box


def _retranslate_yes_boxes(section: Section) -> None:
    for field in section.form.fields.values():
        if isinstance(field.widget, QCheckBox) and field.widget.property("yes_box"):
            field.widget.setText(_("Yes"))


def _aliases(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


class PersonSection(Section):
    """Who the person is. ``full`` adds family, education, contacts and address."""

    def __init__(self, *, full: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = full
        self.first_name = NameEdit()
        self.second_name = NameEdit()
        self.first_name_latin = NameEdit()
        self.second_name_latin = NameEdit()
        self.aliases = NameEdit()
        self.birth_date = DateField(known_by_default=False)
        self.estimated_birth_year = YearSpin(EARLIEST_BIRTH_YEAR)
        self.gender = code_combo(codes.GENDER)
        self.citizenships = country_checklist()
        self.documents = documents_editor()
        self.add("first_name", self.first_name, lambda: _("First na&me (as the person writes it)"))
        self.add("second_name", self.second_name, lambda: _("Famil&y name (as written)"))
        self.add("first_name_latin", self.first_name_latin, lambda: _("First name in &Latin"))
        self.add("second_name_latin", self.second_name_latin, lambda: _("Family name in La&tin"))
        self.add("aliases", self.aliases, lambda: _("Other names used (separate with ;)"))
        self.add("birth_date", self.birth_date, lambda: _("Date of bi&rth"))
        self.add(
            "estimated_birth_year",
            self.estimated_birth_year,
            lambda: _("Or the estimated y&ear of birth"),
        )
        self.add("gender", self.gender, lambda: _("&Gender"))
        self.add("citizenships", self.citizenships, lambda: _("Citi&zenship(s)"))
        self.add("documents", self.documents, lambda: _("Identity d&ocuments"))
        self.primary_language = language_combo()
        self.secondary_language = language_combo(lambda: _("None"))
        self.marital_status = code_combo(codes.MARITAL_STATUS)
        self.number_of_children = CountSpin()
        self.education_level = code_combo(codes.EDUCATION_LEVEL)
        self.contacts = contacts_editor()
        self.street = NameEdit()
        self.city = NameEdit()
        self.country = country_combo()
        self.deceased = yes_box()
        if full:
            self.add("primary_language", self.primary_language)
            self.add("secondary_language", self.secondary_language)
            self.add("marital_status", self.marital_status)
            self.add("number_of_children", self.number_of_children)
            self.add("education_level", self.education_level)
            self.add("contacts", self.contacts)
            self.add("street", self.street, lambda: _("Where the person lives now: street"))
            self.add("city", self.city, lambda: _("C&ity"))
            self.add("country", self.country)
            self.add("deceased", self.deceased, lambda: _("The person has died"))
        self.retranslate()

    def fill(self, record: Any) -> None:
        p: Person = record
        self.first_name.setText(p.first_name)
        self.second_name.setText(p.second_name)
        self.first_name_latin.setText(p.first_name_latin)
        self.second_name_latin.setText(p.second_name_latin)
        self.aliases.setText("; ".join(p.aliases))
        self.birth_date.set_date(p.birth_date)
        self.estimated_birth_year.set_year(p.estimated_birth_year)
        self.gender.set_code(p.gender)
        self.citizenships.set_selected(p.citizenships)
        self.documents.set_values(p.documents)
        self.primary_language.set_code(p.primary_language)
        self.secondary_language.set_code(p.secondary_language)
        self.marital_status.set_code(p.marital_status)
        self.number_of_children.set_count(p.number_of_children)
        self.education_level.set_code(p.education_level)
        self.contacts.set_values(p.contacts)
        self.street.setText(p.street)
        self.city.setText(p.city)
        self.country.set_code(p.country)
        self.deceased.setChecked(p.deceased)

    def apply(self, record: Any) -> None:
        p: Person = record
        p.first_name = self.first_name.text().strip()
        p.second_name = self.second_name.text().strip()
        p.first_name_latin = self.first_name_latin.text().strip()
        p.second_name_latin = self.second_name_latin.text().strip()
        p.aliases = _aliases(self.aliases.text())
        p.birth_date = self.birth_date.date()
        p.estimated_birth_year = self.estimated_birth_year.year()
        p.gender = self.gender.code()
        p.citizenships = self.citizenships.selected()
        p.documents = self.documents.values()
        if self.full:
            p.primary_language = self.primary_language.code()
            p.secondary_language = self.secondary_language.code()
            p.marital_status = self.marital_status.code()
            p.number_of_children = self.number_of_children.count()
            p.education_level = self.education_level.code()
            p.contacts = self.contacts.values()
            p.street = self.street.text().strip()
            p.city = self.city.text().strip()
            p.country = self.country.code()
            p.deceased = self.deceased.isChecked()

    def retranslate(self) -> None:
        super().retranslate()
        _retranslate_yes_boxes(self)
        for edit in (self.first_name, self.second_name):
            edit.setPlaceholderText(_("In the person's own script"))


class LanguageSection(Section):
    """The person's languages (asked before anything else about them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.primary_language = language_combo()
        self.secondary_language = language_combo(lambda: _("None"))
        self.add("primary_language", self.primary_language, lambda: _("The person's &language"))
        self.add("secondary_language", self.secondary_language, lambda: _("&Other language"))
        self.retranslate()

    def fill(self, record: Any) -> None:
        self.primary_language.set_code(record.primary_language)
        self.secondary_language.set_code(record.secondary_language)

    def apply(self, record: Any) -> None:
        record.primary_language = self.primary_language.code()
        record.secondary_language = self.secondary_language.code()


class InterviewSection(Section):
    """When and where the intake interview happens, who asks, and the interpreter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intake_date = DateField()
        self.place = NameEdit()
        self.interviewer = NameEdit()
        self.interpreter_language = language_combo(lambda: _("No interpreter"))
        self.add("intake_date", self.intake_date, lambda: _("Intake da&te"))
        self.add("place", self.place, lambda: _("Pl&ace of the interview"))
        self.add("interviewer", self.interviewer, lambda: _("Inter&viewer"))
        self.add(
            "interpreter_language",
            self.interpreter_language,
            lambda: _("&Interpreter's language"),
        )
        self.retranslate()

    def fill(self, record: Any) -> None:
        i: Intake = record
        self.intake_date.set_date(i.intake_date)
        self.place.setText(i.place)
        self.interviewer.setText(i.interviewer)
        self.interpreter_language.set_code(i.interpreter_language)

    def apply(self, record: Any) -> None:
        i: Intake = record
        i.intake_date = self.intake_date.date()
        i.place = self.place.text().strip()
        i.interviewer = self.interviewer.text().strip()
        i.interpreter_language = self.interpreter_language.code()


class IdentificationSection(Section):
    """How the person was identified, and what was done to them."""

    def __init__(self, *, full: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = full
        self.identification_source = code_combo(codes.IDENTIFICATION_SOURCE)
        self.exploitation_types = code_checklist(codes.EXPLOITATION_TYPE)
        self.forced_labour_industry = code_combo(codes.FORCED_LABOUR_INDUSTRY)
        self.sex_exploitation_types = code_checklist(codes.SEX_EXPLOITATION_TYPE)
        self.methods_of_control = code_checklist(codes.METHODS_OF_CONTROL)
        self.recruitment_methods = code_checklist(codes.RECRUITMENT_METHOD)
        self.relationship_to_trafficker = code_combo(codes.RELATIONSHIP_TO_TRAFFICKER)
        self.trafficking_began_on = DateField(known_by_default=False)
        self.trafficking_ended_on = DateField(known_by_default=False)
        self.narrative = QPlainTextEdit()
        self.narrative.setTabChangesFocus(True)
        self.add(
            "identification_source",
            self.identification_source,
            lambda: _("How the person &was identified"),
        )
        self.add("exploitation_types", self.exploitation_types, lambda: _("Types of &exploitation"))
        self.add("forced_labour_industry", self.forced_labour_industry)
        self.add("sex_exploitation_types", self.sex_exploitation_types)
        self.add("methods_of_control", self.methods_of_control, lambda: _("&Means of control"))
        self.add("recruitment_methods", self.recruitment_methods, lambda: _("&Recruitment"))
        self.add("relationship_to_trafficker", self.relationship_to_trafficker)
        self.add("trafficking_began_on", self.trafficking_began_on)
        self.add("trafficking_ended_on", self.trafficking_ended_on)
        if full:
            self.add("narrative", self.narrative)
        self.retranslate()

    def fill(self, record: Any) -> None:
        i: Intake = record
        self.identification_source.set_code(i.identification_source)
        self.exploitation_types.set_selected(i.exploitation_types)
        self.forced_labour_industry.set_code(i.forced_labour_industry)
        self.sex_exploitation_types.set_selected(i.sex_exploitation_types)
        self.methods_of_control.set_selected(i.methods_of_control)
        self.recruitment_methods.set_selected(i.recruitment_methods)
        self.relationship_to_trafficker.set_code(i.relationship_to_trafficker)
        self.trafficking_began_on.set_date(i.trafficking_began_on)
        self.trafficking_ended_on.set_date(i.trafficking_ended_on)
        self.narrative.setPlainText(i.narrative)

    def apply(self, record: Any) -> None:
        i: Intake = record
        i.identification_source = self.identification_source.code()
        i.exploitation_types = self.exploitation_types.selected()
        i.forced_labour_industry = self.forced_labour_industry.code()
        i.sex_exploitation_types = self.sex_exploitation_types.selected()
        i.methods_of_control = self.methods_of_control.selected()
        i.recruitment_methods = self.recruitment_methods.selected()
        i.relationship_to_trafficker = self.relationship_to_trafficker.code()
        i.trafficking_began_on = self.trafficking_began_on.date()
        i.trafficking_ended_on = self.trafficking_ended_on.date()
        if self.full:
            i.narrative = self.narrative.toPlainText()


class IndicatorsSection(Section):
    """The ILO indicators of forced labour and the Delphi indicators, with the result."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forced_labour_indicators: ChoiceChecklist = code_checklist(FORCED_LABOUR_INDICATORS)
        self.delphi_indicators = DelphiChecklist()
        self.delphi_indicators.setMinimumHeight(320)
        self.add(
            "forced_labour_indicators",
            self.forced_labour_indicators,
            lambda: _("ILO indicators of forced &labour"),
        )
        self.add(
            "delphi_indicators",
            self.delphi_indicators,
            lambda: _("Delphi indicators (adults, lab&our exploitation)"),
        )
        self.retranslate()

    def fill(self, record: Any) -> None:
        i: Intake = record
        self.forced_labour_indicators.set_selected(i.forced_labour_indicators)
        self.delphi_indicators.set_selected(i.delphi_indicators)

    def apply(self, record: Any) -> None:
        i: Intake = record
        i.forced_labour_indicators = self.forced_labour_indicators.selected()
        i.delphi_indicators = self.delphi_indicators.selected()


CONSENT_QUESTIONS: dict[str, Callable[[], str]] = {
    "informed_of_purpose": lambda: _("Was the person told why we ask these questions?"),
    "informed_of_data_use": lambda: _("Was the person told how their information is used?"),
    "informed_of_research_use": lambda: _(
        "Was the person told it may be used, without their name, for research?"
    ),
    "informed_of_right_of_access": lambda: _(
        "Was the person told they may see what is recorded about them?"
    ),
    "informed_of_retention": lambda: _("Was the person told how long it is kept?"),
    "informed_of_withdrawal": lambda: _(
        "Was the person told they may withdraw their consent at any time?"
    ),
    "share_with_partners": lambda: _(
        "May we refer them to other organisations (who then learn who they are)?"
    ),
    "research": lambda: _("May their information be used, without their name, for research?"),
    "photographs": lambda: _("May we take photographs of them?"),
}


class ConsentSection(Section):
    """What the person agreed to, in plain words, and how they agreed."""

    def __init__(self, *, full: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = full
        self.consent_given = QCheckBox()
        self.add(
            "consent_given",
            self.consent_given,
            lambda: _(
                "Does the person agree to this interview and to what they say being recorded?"
            ),
        )
        self.boxes: dict[str, QCheckBox] = {}
        for name, question in CONSENT_QUESTIONS.items():
            if name == "share_with_partners":
                self.sharing_level: ChoiceCombo = code_combo(codes.SHARING_LEVEL)
                self.add(
                    "sharing_level",
                    self.sharing_level,
                    lambda: _("What &may be shared with the national coordinator?"),
                )
            box = yes_box()
            self.boxes[name] = box
            self.add(name, box, question)
        self.method = code_combo(codes.CONSENT_METHOD)
        self.interpreter_language = language_combo(lambda: _("No interpreter"))
        self.given_on = DateField()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.add("method", self.method, lambda: _("How was consent gi&ven?"))
        if full:  # the new case wizard asks for the interpreter once, on its step 2
            self.add(
                "interpreter_language",
                self.interpreter_language,
                lambda: _("Interpreter's lan&guage"),
            )
        self.add("given_on", self.given_on, lambda: _("Consent given &on"))
        if full:
            self.add("notes", self.notes)
        # Every tick box at the end of its row, whether the row wraps under a long question
        # (Georgian, Russian) or not: a wrapped one sat at the start, the others at the end.
        for field in self.form.fields.values():
            layout = field.container.layout()
            if isinstance(field.widget, QCheckBox) and layout is not None:
                layout.setAlignment(field.widget, Qt.AlignmentFlag.AlignTrailing)
        self.retranslate()

    def fill(self, record: Any) -> None:
        c: Consent = record
        self.consent_given.setChecked(c.consent_given)
        for name, box in self.boxes.items():
            box.setChecked(bool(getattr(c, name)))
        self.sharing_level.set_code(c.sharing_level)
        self.method.set_code(c.method)
        self.interpreter_language.set_code(c.interpreter_language)
        self.given_on.set_date(c.given_on)
        self.notes.setPlainText(c.notes)

    def apply(self, record: Any) -> None:
        c: Consent = record
        c.consent_given = self.consent_given.isChecked()
        for name, box in self.boxes.items():
            setattr(c, name, box.isChecked())
        c.sharing_level = self.sharing_level.code() or "NotShared"
        c.method = self.method.code()
        c.interpreter_language = self.interpreter_language.code()
        c.given_on = self.given_on.date()
        if self.full:
            c.notes = self.notes.toPlainText()

    def retranslate(self) -> None:
        super().retranslate()
        _retranslate_yes_boxes(self)
        self.consent_given.setText(_("Yes, the person agrees"))
