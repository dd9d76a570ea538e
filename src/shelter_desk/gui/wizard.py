"""The new case wizard: short steps in the order an intake interview goes.

Consent comes first: without the person's consent to the interview nothing is recorded and
the wizard says so and goes no further. Then their language and the interpreter, who they
are, how they were identified and what was done to them, the indicators (with the Delphi
result computed as boxes are ticked), and a last look before saving.

Each step checks its own fields with the domain rules when Next is pressed; saving runs
``services.cases.open_case`` on the worker and, if the service still refuses something,
every message is shown next to its field on its step and the wizard goes back to the first
of them. What was typed is a draft: a lock keeps it, encrypted, as ``new-case``; Cancel
asks whether to keep it, discard it (for good, with any copy kept earlier) or go back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from shelter_desk.domain import codes, rules
from shelter_desk.domain.entities import Consent, Intake, Person
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.domain.indicators import assess_delphi
from shelter_desk.domain.serialize import from_fields, to_fields
from shelter_desk.gui.forms import FieldMessage
from shelter_desk.gui.operations import run_op, show_error
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.bidi import isolated_name, point_wizard_arrows
from shelter_desk.gui.widgets.sections import (
    ConsentSection,
    IdentificationSection,
    IndicatorsSection,
    InterviewSection,
    LanguageSection,
    PersonSection,
    Section,
)
from shelter_desk.i18n import _, country_name, format_date, format_list, language_name, ngettext
from shelter_desk.services import cases, drafts
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.duplicates.decisions import IntakeMatch, intake_matches

DRAFT_KEY = "new-case"
PERSON, INTAKE, CONSENT = "person", "intake", "consent"


INTERPRETER = "interpreter_language"


def interpreter_on_step_two(errors: Mapping[str, str]) -> dict[str, str]:
    """The consent's interpreter is the interview's (one field, on step 2): a message about
    it goes under that field."""
    moved = dict(errors)
    message = moved.pop(f"{CONSENT}.{INTERPRETER}", None)
    if message is not None:
        moved.setdefault(f"{INTAKE}.{INTERPRETER}", message)
    return moved


class StepPage(QWizardPage):
    """One step: form sections (each editing the person, the intake or the consent)."""

    def __init__(
        self,
        title: Callable[[], str],
        subtitle: Callable[[], str],
        sections: list[tuple[str, Section]],
    ) -> None:
        super().__init__()
        self._title = title
        self._subtitle = subtitle
        self.sections = sections
        self.message = FieldMessage()
        content = QWidget()
        inner = QVBoxLayout(content)
        for _record, section in sections:
            inner.addWidget(section)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self._scroll = scroll
        # The scroll area brings an input into view only when Tab moves inside it; Tab from
        # the wizard's buttons (or a message's setFocus) left the focus scrolled out of sight.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._show_focus)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)

    def _show_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self._scroll.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self._scroll.ensureWidgetVisible(new)

    def owns(self, key: str) -> bool:
        record, _dot, name = key.partition(".")
        return any(r == record and s.has_field(name) for r, s in self.sections)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        for record, section in self.sections:
            prefix = record + "."
            section.show_errors(
                {
                    k.removeprefix(prefix): m
                    for k, m in errors.items()
                    if k.startswith(prefix) and section.has_field(k.removeprefix(prefix))
                }
            )

    def initializePage(self) -> None:
        first = self.sections[0][1].first_input() if self.sections else None
        if first is not None:
            first.setFocus()

    def validatePage(self) -> bool:
        wizard = self.wizard()
        return wizard.check_step(self) if isinstance(wizard, NewCaseWizard) else True

    def retranslate(self) -> None:
        self.setTitle(self._title())
        self.setSubTitle(self._subtitle())
        for _record, section in self.sections:
            section.retranslate()


class ReviewPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.duplicates = QLabel()  # possibly the person of a case already here
        self.duplicates.setObjectName("possibleDuplicates")
        self.duplicates.setWordWrap(True)
        self.duplicates.hide()
        self.matches: list[IntakeMatch] = []
        self.message = FieldMessage()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.duplicates)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self.wizard()
        if isinstance(wizard, NewCaseWizard):
            self.summary.setText(review_text(*wizard.collect()))
            wizard.look_for_duplicates()

    def show_duplicates(self, matches: list[IntakeMatch]) -> None:
        self.matches = matches
        self.duplicates.setVisible(bool(matches))
        numbers = format_list([m.number for m in matches])
        self.duplicates.setText(
            ngettext(
                "This person may already be registered here: case {numbers}. Look at it"
                " before saving; saving opens a new case all the same.",
                "This person may already be registered here: cases {numbers}. Look at them"
                " before saving; saving opens a new case all the same.",
                len(matches),
            ).format(numbers=numbers)
        )

    def retranslate(self) -> None:
        self.setTitle(_("Check and save"))
        self.setSubTitle(_("This is what will be recorded. Go back to change anything."))
        self.initializePage()


def review_text(person: Person, intake: Intake, consent: Consent) -> str:
    name = cases.display_name(person) or _("no name given")
    lines = [_("Name: {name}").format(name=isolated_name(name))]
    if person.birth_date:
        lines.append(_("Born: {date}").format(date=format_date(person.birth_date)))
    elif person.estimated_birth_year:
        lines.append(_("Born about {year}").format(year=person.estimated_birth_year))
    if person.citizenships:
        countries = format_list([country_name(c) for c in person.citizenships])
        lines.append(_("Citizenship: {countries}").format(countries=countries))
    if person.primary_language:
        lines.append(
            _("Language: {language}").format(language=language_name(person.primary_language))
        )
    if intake.intake_date:
        lines.append(_("Intake date: {date}").format(date=format_date(intake.intake_date)))
    if intake.exploitation_types:
        types = format_list(
            [_(codes.EXPLOITATION_TYPE.label(t)) for t in intake.exploitation_types]
        )
        lines.append(_("Exploitation: {types}").format(types=types))
    result = assess_delphi(intake.delphi_indicators)
    lines.append(_("Delphi indicators: {conclusion}").format(conclusion=_(result.conclusion)))
    scopes = [
        label
        for given, label in (
            (consent.share_with_partners, _("referral to other organisations")),
            (consent.research, _("research")),
            (consent.photographs, _("photographs")),
        )
        if given
    ]
    lines.append(
        _("Consent: to the interview; also to {scopes}").format(scopes=format_list(scopes))
        if scopes
        else _("Consent: to the interview only")
    )
    return "\n".join(lines)


class NewCaseWizard(Retranslated, QWizard):
    case_created = Signal(str)
    """Emitted with the new case's id once it is stored."""
    kept_as_draft = Signal()
    """Emitted when closing kept the typed work as a draft."""

    def __init__(
        self,
        context: ViewContext,
        parent: QWidget | None = None,
        draft: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.saving = False
        self.finished_ok = False
        self.locking = False
        self.dirty = False
        self.draft_box: QMessageBox | None = None
        self.consent = ConsentSection(full=False)
        self.language = LanguageSection()
        self.interview = InterviewSection()
        self.person = PersonSection(full=False)
        self.identification = IdentificationSection(full=False)
        self.indicators = IndicatorsSection()
        self.consent_page = StepPage(
            lambda: _("1. Consent"),
            lambda: _(
                "Explain in words the person understands what you will ask and why, and that"
                " they may refuse. Nothing is recorded without their consent."
            ),
            [(CONSENT, self.consent)],
        )
        self.language_page = StepPage(
            lambda: _("2. Language and interpreter"),
            lambda: _("The language the person speaks, and the interpreter if there is one."),
            [(PERSON, self.language), (INTAKE, self.interview)],
        )
        self.person_page = StepPage(
            lambda: _("3. The person"),
            lambda: _("Names as the person writes them, and in Latin letters if known."),
            [(PERSON, self.person)],
        )
        self.identification_page = StepPage(
            lambda: _("4. Identification and exploitation"),
            lambda: _("How the person came to you and what was done to them."),
            [(INTAKE, self.identification)],
        )
        self.indicators_page = StepPage(
            lambda: _("5. Indicators"),
            lambda: _("Tick what the person described. The result is computed, not chosen."),
            [(INTAKE, self.indicators)],
        )
        self.review_page = ReviewPage()
        self.steps = [
            self.consent_page,
            self.language_page,
            self.person_page,
            self.identification_page,
            self.indicators_page,
        ]
        for page in (*self.steps, self.review_page):
            self.addPage(page)
        for page in self.steps:
            for _record, section in page.sections:
                section.changed.connect(self._edited)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.consent.consent_given.toggled.connect(self._consent_toggled)
        self.resize(860, 680)
        self.fill(Person(), Intake(intake_date=dt.date.today()), Consent(given_on=dt.date.today()))
        self.interview.interviewer.setText(context.signed_in.display_name)
        self.retranslate()
        if draft is not None:
            self.restore(draft)

    # -- the records ---------------------------------------------------------------
    def _sections(self) -> list[tuple[str, Section]]:
        return [pair for page in self.steps for pair in page.sections]

    def collect(self) -> tuple[Person, Intake, Consent]:
        records: dict[str, Any] = {PERSON: Person(), INTAKE: Intake(), CONSENT: Consent()}
        for record, section in self._sections():
            section.apply(records[record])
        # One interpreter for the consent and the interview: asked once, on step 2.
        records[CONSENT].interpreter_language = records[INTAKE].interpreter_language
        return records[PERSON], records[INTAKE], records[CONSENT]

    def fill(self, person: Person, intake: Intake, consent: Consent) -> None:
        records: dict[str, Any] = {PERSON: person, INTAKE: intake, CONSENT: consent}
        for record, section in self._sections():
            section.load(records[record])

    def _edited(self) -> None:
        self.dirty = True

    # -- drafts --------------------------------------------------------------------
    def draft(self) -> dict[str, Any]:
        person, intake, consent = self.collect()
        return {
            PERSON: to_fields(person),
            INTAKE: to_fields(intake),
            CONSENT: to_fields(consent),
            "step": self.currentId(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.fill(
            from_fields(Person, data.get(PERSON, {})),
            from_fields(Intake, data.get(INTAKE, {})),
            from_fields(Consent, data.get(CONSENT, {})),
        )
        self.dirty = True
        self.restart()
        step = int(data.get("step", 0))
        while self.currentId() < step:
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break

    def keep_draft(self) -> None:
        """Store what was typed as the ``new-case`` draft."""
        session, data = self.context.session, self.draft()
        parent = self.parentWidget() or self
        run_op(
            parent,
            self.context.runner,
            lambda: drafts.save_draft(session, DRAFT_KEY, data),
            lambda _none: self.kept_as_draft.emit(),
        )

    def discard_draft(self) -> None:
        """Throw the ``new-case`` draft away for good (it does not come back anywhere)."""
        session = self.context.session
        run_op(
            self.parentWidget() or self,
            self.context.runner,
            lambda: drafts.discard_draft(session, DRAFT_KEY),
            lambda _none: None,
        )

    def look_for_duplicates(self) -> None:
        """Show on the last step the cases here that are possibly this person (a notice:
        it never stops the saving; a failure only leaves it out)."""
        session, fields = self.context.session, to_fields(self.collect()[0])
        page = self.review_page
        run_op(
            self,
            self.context.runner,
            lambda: intake_matches(session, fields),
            page.show_duplicates,
            lambda _error: page.show_duplicates([]),
        )

    # -- checking each step --------------------------------------------------------
    def step_errors(self) -> dict[str, str]:
        """What the rules say about everything typed so far (keys like ``person.x``)."""
        person, intake, consent = self.collect()
        today = dt.date.today()
        errors = {f"{PERSON}.{k}": m for k, m in rules.validate_person(person, today).items()}
        errors |= {f"{INTAKE}.{k}": m for k, m in rules.validate_intake(intake, today).items()}
        errors |= {f"{CONSENT}.{k}": m for k, m in rules.validate_consent(consent, today).items()}
        return interpreter_on_step_two(errors)

    def check_step(self, page: StepPage) -> bool:
        if page is self.consent_page and not self.consent.consent_given.isChecked():
            page.message.show_message(
                _(
                    "Without the person's consent nothing about them is recorded. Stop here:"
                    " you can still help them, without recording anything."
                )
            )
            return False
        errors = {k: m for k, m in self.step_errors().items() if page.owns(k)}
        page.message.clear_message()
        page.show_errors(errors)
        return not errors

    def _consent_toggled(self, given: bool) -> None:
        if given:  # the rows below must not move up under the next click
            self.consent_page.message.hide_keeping_room()

    # -- saving --------------------------------------------------------------------
    def accept(self) -> None:
        if self.saving:
            return
        person, intake, consent = self.collect()
        consent.recorded_by = self.context.session.user.id
        session = self.context.session
        self.saving = True
        self.review_page.message.clear_message()
        run_op(
            self,
            self.context.runner,
            lambda: cases.open_case(session, person, intake, consent),
            self._stored,
            self._refused,
        )

    def _stored(self, case_file: CaseFile) -> None:
        self.saving = False
        self.finished_ok = True
        self.discard_draft()
        self.case_created.emit(case_file.case.id)
        super().accept()

    def _refused(self, error: ShelterDeskError) -> None:
        self.saving = False
        if not isinstance(error, ValidationError):
            show_error(self, error.message)
            return
        self.show_errors(error.errors)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Every message next to its field on its step; go back to the first such step."""
        errors = interpreter_on_step_two(errors)
        first = None
        for index, page in enumerate(self.steps):
            mine = {k: m for k, m in errors.items() if page.owns(k)}
            page.show_errors(mine)
            if mine and first is None:
                first = index
        unplaced = [m for k, m in errors.items() if not any(p.owns(k) for p in self.steps)]
        self.review_page.message.show_message("\n".join(unplaced))
        if first is not None:
            while self.currentId() > first:
                self.back()

    def reject(self) -> None:
        """Cancel, Escape or closing the window: typed work is kept only if the person says
        so (Keep draft / Discard draft / Go back)."""
        if self.dirty and not self.finished_ok and not self.locking:
            self.ask_about_draft()
            return
        super().reject()

    def ask_about_draft(self) -> None:
        if self.draft_box is not None:
            return
        shortcut = QKeySequence(QKeySequence.StandardKey.New).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("The new case is not saved"),
            _(
                "Keep what you typed as a draft? It stays encrypted on this computer, and"
                " New case ({shortcut}) continues it. A discarded draft is gone for good."
            ).format(shortcut=shortcut),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        keep = box.addButton(_("&Keep draft"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(_("&Discard draft"), QMessageBox.ButtonRole.DestructiveRole)
        back = box.addButton(_("&Go back"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(back)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._draft_answered(button, keep, discard))
        self.draft_box = box
        box.open()

    def _draft_answered(
        self, button: QAbstractButton, keep: QAbstractButton, discard: QAbstractButton
    ) -> None:
        self.draft_box = None
        if button == keep:
            self.keep_draft()
        elif button == discard:
            self.discard_draft()
        else:
            return  # back to the wizard, nothing lost
        self.dirty = False
        super().reject()

    # -- language ------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("New case"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Save case"))
        point_wizard_arrows(self)
        for page in self.steps:
            page.retranslate()
        self.review_page.retranslate()
