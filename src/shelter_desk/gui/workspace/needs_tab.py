"""Needs assessment and risk: each need rated with a level and notes, the risk of being
trafficked again, the risk and protective factors at the four levels of the IOM
determinants-of-vulnerability model, the next review date; earlier assessments above."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from shelter_desk.domain import codes
from shelter_desk.domain.entities import NeedRating, NeedsAssessment, RiskFactor
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.inputs import ChoiceCombo, DateField, code_combo
from shelter_desk.gui.workspace.record_inputs import (
    LinesEdit,
    date_text,
    notes_edit,
)
from shelter_desk.gui.workspace.record_tab import RecordListTab
from shelter_desk.i18n import N_, _, format_list


def translated(label: str) -> Callable[[], str]:
    return lambda: _(label)


def factors_label(level: str) -> Callable[[], str]:
    return lambda: _("{level} factors").format(level=_(level))


_INDEXED = re.compile(r"(ratings|risk_factors)\[(\d+)\]\.\w+")


class NeedsTab(RecordListTab[NeedsAssessment]):
    TITLE = N_("Needs && risk")
    KEY = "needs"
    LIST = "assessments"
    COLUMNS = (
        N_("Assessed on"),
        N_("Assessor"),
        N_("Risk of re-trafficking"),
        N_("High or urgent needs"),
        N_("Next review"),
    )
    TABLE_NAME = N_("Past assessments")
    NEW_HEADING = N_("New assessment")
    EDIT_HEADING = N_("Change the selected assessment")
    SAVED = N_("The assessment was saved.")
    DELETED = N_("The assessment was deleted.")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        f = self.form
        self.assessed_on: DateField = self.add_input(
            f, "assessed_on", lambda: _("Assessed on"), DateField(known_by_default=False)
        )
        self.assessor: QLineEdit = self.add_input(f, "assessor", lambda: _("Assessor"), QLineEdit())
        self.levels: dict[str, ChoiceCombo] = {}
        self.need_notes: dict[str, QLineEdit] = {}
        for need in codes.NEED_DOMAIN:
            level, notes = code_combo(codes.NEED_LEVEL), QLineEdit()
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(level, 1)
            line.addWidget(notes, 2)
            row.setFocusProxy(level)
            f.add(f"ratings.{need.code}", translated(need.label), row)
            self.levels[need.code], self.need_notes[need.code] = level, notes
            self.inputs[f"ratings.{need.code}.level"] = level
            self.inputs[f"ratings.{need.code}.notes"] = notes
            self.watch(level)
            self.watch(notes)
        self.risk_level: ChoiceCombo = self.add_input(
            f,
            "risk_level",
            lambda: _("Risk of being trafficked again"),
            code_combo(codes.RISK_LEVEL),
        )
        self.risks: dict[str, LinesEdit] = {}
        self.protective: dict[str, LinesEdit] = {}
        for level_code in codes.RISK_FACTOR_LEVEL:
            risks, protective = LinesEdit(), LinesEdit()
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(risks)
            line.addWidget(protective)
            row.setFocusProxy(risks)
            f.add(
                f"factors.{level_code.code}",
                factors_label(level_code.label),
                row,
            )
            self.risks[level_code.code], self.protective[level_code.code] = risks, protective
            self.inputs[f"factors.{level_code.code}.risk"] = risks
            self.inputs[f"factors.{level_code.code}.protective"] = protective
            self.watch(risks)
            self.watch(protective)
        self.next_review_on: DateField = self.add_input(
            f, "next_review_on", lambda: _("Next review"), DateField(known_by_default=False)
        )
        self.notes = self.add_input(f, "notes", lambda: _("Notes"), notes_edit())
        self._ratings_read: list[str] = []
        self._factors_read: list[str] = []
        self.lay_out()

    def retranslate(self) -> None:
        super().retranslate()
        for need in codes.NEED_DOMAIN:
            name = _(need.label)
            self.levels[need.code].setAccessibleName(_("{need}: level").format(need=name))
            self.need_notes[need.code].setAccessibleName(_("{need}: notes").format(need=name))
            self.need_notes[need.code].setPlaceholderText(_("Notes"))
        for level in codes.RISK_FACTOR_LEVEL:
            name = _(level.label)
            self.risks[level.code].setAccessibleName(
                _("{level} risk factors, one a line").format(level=name)
            )
            self.risks[level.code].setPlaceholderText(_("Risk factors, one a line"))
            self.protective[level.code].setAccessibleName(
                _("{level} protective factors, one a line").format(level=name)
            )
            self.protective[level.code].setPlaceholderText(_("Protective factors, one a line"))

    def row_cells(self, record: NeedsAssessment) -> list[str]:
        pressing = [
            _(codes.NEED_DOMAIN.label(r.domain))
            for r in record.ratings
            if r.level in ("High", "Urgent")
        ]
        return [
            date_text(record.assessed_on),
            record.assessor,
            _(codes.RISK_LEVEL.label(record.risk_level)) if record.risk_level else "",
            format_list(pressing) if pressing else "",
            date_text(record.next_review_on),
        ]

    def fill_form(self, record: NeedsAssessment | None) -> None:
        r = record or NeedsAssessment(assessed_on=dt.date.today())
        self.assessed_on.set_date(r.assessed_on)
        self.assessor.setText(r.assessor)
        ratings = {rating.domain: rating for rating in r.ratings}
        for code, combo in self.levels.items():
            rating = ratings.get(code)
            combo.set_code(rating.level if rating else "")
            self.need_notes[code].setText(rating.notes if rating else "")
        self.risk_level.set_code(r.risk_level)
        for code in self.risks:
            self.risks[code].set_lines(
                f.description for f in r.risk_factors if f.level == code and not f.protective
            )
            self.protective[code].set_lines(
                f.description for f in r.risk_factors if f.level == code and f.protective
            )
        self.next_review_on.set_date(r.next_review_on)
        self.notes.setPlainText(r.notes)

    def read_form(self, case_id: str) -> NeedsAssessment:
        base = next((r for r in self.records if r.id == self.editing_id), None)
        ratings = [
            NeedRating(domain=code, level=combo.code(), notes=self.need_notes[code].text().strip())
            for code, combo in self.levels.items()
            if combo.code() or self.need_notes[code].text().strip()
        ]
        factors = [
            RiskFactor(level=code, description=line, protective=protective)
            for code in self.risks
            for protective, edit in ((False, self.risks[code]), (True, self.protective[code]))
            for line in edit.lines()
        ]
        self._ratings_read = [r.domain for r in ratings]
        self._factors_read = [f.level for f in factors]
        return NeedsAssessment(
            id=self.editing_id,
            org_id=base.org_id if base else "",
            case_id=case_id,
            assessed_on=self.assessed_on.date(),
            assessor=self.assessor.text().strip(),
            ratings=tuple(ratings),
            risk_level=self.risk_level.code(),
            risk_factors=tuple(factors),
            next_review_on=self.next_review_on.date(),
            notes=self.notes.toPlainText().strip(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """Errors about the n-th rating or factor go next to its need or level."""
        placed: dict[str, str] = {}
        for name, message in errors.items():
            match = _INDEXED.fullmatch(name)
            if match is None:
                placed.setdefault(name, message)
                continue
            kind, index = match.group(1), int(match.group(2))
            read = self._ratings_read if kind == "ratings" else self._factors_read
            prefix = "ratings" if kind == "ratings" else "factors"
            target = f"{prefix}.{read[index]}" if index < len(read) else name
            placed.setdefault(target, message)
        super().show_errors(placed)
