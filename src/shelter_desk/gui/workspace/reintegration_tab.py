"""Reintegration plan and follow-ups.

The plan holds objectives per dimension (economic, social, psychosocial). Under it, the
follow-up schedule: each visit's state is written out in words with an icon (never colour
alone). Selecting a visit opens its record: how and by whom it was done, the
sustainability questionnaire (one group of choices per question, grouped by dimension) and
notes. The dimension and composite scores are computed by the service and shown once saved.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import codes, rules
from shelter_desk.domain.entities import FollowUp, ReintegrationObjective, ReintegrationPlan
from shelter_desk.domain.sustainability import DEFAULT, DIMENSIONS, Question
from shelter_desk.gui.forms import FieldMessage
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.inputs import ChoiceCombo, DateField, code_combo
from shelter_desk.gui.workspace.record_inputs import (
    button_row,
    changed_signal,
    date_text,
    fill_table,
    input_value,
    notes_edit,
    record_table,
    set_input_value,
)
from shelter_desk.gui.workspace.record_tab import RecordTab
from shelter_desk.i18n import N_, NP_, _, format_number
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFile

FOLLOW_UP_STATES: dict[str, tuple[str, QStyle.StandardPixmap]] = {
    # TRANSLATORS: state of a follow-up visit: it has been made.
    "done": (NP_("visit state", "Done"), QStyle.StandardPixmap.SP_DialogApplyButton),
    "overdue": (N_("Overdue"), QStyle.StandardPixmap.SP_MessageBoxWarning),
    "due_today": (N_("Due today"), QStyle.StandardPixmap.SP_MessageBoxInformation),
    "due_this_week": (N_("Due this week"), QStyle.StandardPixmap.SP_FileDialogInfoView),
    "upcoming": (N_("Upcoming"), QStyle.StandardPixmap.SP_FileDialogContentsView),
}
"""A follow-up's state (``rules.follow_up_state``): its word and its icon."""

SCHEDULE_COLUMNS = (
    N_("Scheduled for"),
    N_("State"),
    N_("Done on"),
    N_("How"),
    N_("Overall score"),
)
QUESTIONNAIRE = DEFAULT
_OBJECTIVE_ERROR = re.compile(r"objectives\[(\d+)\]\.\w+")


def score_text(score: float | None) -> str:
    """A 0..1 score as a whole number out of 100."""
    if score is None:
        return _("not enough answers")
    return _("{score} of 100").format(score=format_number(round(score * 100)))


class ObjectiveRow(QWidget):
    """One objective of the reintegration plan, edited in place."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.dimension = code_combo(codes.REINTEGRATION_DIMENSION)
        self.objective = QLineEdit()
        self.assistance = QLineEdit()
        self.responsible = QLineEdit()
        self.target_on = DateField(known_by_default=False)
        self.status = code_combo(codes.OBJECTIVE_STATUS, required=True)
        self.remove = QPushButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.dimension, 1)
        layout.addWidget(self.objective, 2)
        layout.addWidget(self.assistance, 2)
        layout.addWidget(self.responsible, 1)
        layout.addWidget(self.target_on, 1)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.remove)
        self.retranslate()

    def inputs(self) -> dict[str, QWidget]:
        return {
            "dimension": self.dimension,
            "objective": self.objective,
            "planned_assistance": self.assistance,
            "responsible": self.responsible,
            "target_on": self.target_on,
            "status": self.status,
        }

    def retranslate(self) -> None:
        n = self.number
        names = {
            "dimension": _("Objective {number}: dimension"),
            "objective": _("Objective {number}: objective"),
            "planned_assistance": _("Objective {number}: planned assistance"),
            "responsible": _("Objective {number}: responsible"),
            "target_on": _("Objective {number}: target date"),
            "status": _("Objective {number}: status"),
        }
        for key, widget in self.inputs().items():
            widget.setAccessibleName(names[key].format(number=n))
        self.objective.setPlaceholderText(_("Objective"))
        self.assistance.setPlaceholderText(_("Planned assistance"))
        self.responsible.setPlaceholderText(_("Responsible"))
        self.dimension.retranslate()
        self.status.retranslate()
        self.target_on.retranslate()
        self.remove.setText(_("Remove"))
        self.remove.setAccessibleName(_("Remove objective {number}").format(number=n))

    def objective_value(self) -> ReintegrationObjective:
        return ReintegrationObjective(
            dimension=self.dimension.code(),
            objective=self.objective.text().strip(),
            planned_assistance=self.assistance.text().strip(),
            responsible=self.responsible.text().strip(),
            target_on=self.target_on.date(),
            status=self.status.code(),
        )

    def set_objective(self, o: ReintegrationObjective) -> None:
        self.dimension.set_code(o.dimension)
        for edit, text in (
            (self.objective, o.objective),
            (self.assistance, o.planned_assistance),
            (self.responsible, o.responsible),
        ):
            edit.setText(text)
            edit.setCursorPosition(0)  # show how it begins, not its last letters
        self.target_on.set_date(o.target_on)
        self.status.set_code(o.status)


class QuestionGroup(QGroupBox):
    """One question of the questionnaire: a choice among its answers (or none yet)."""

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        self.radios: dict[str, QRadioButton] = {}
        grid = QGridLayout(self)
        for i, code in enumerate(["", *(o.code for o in question.options)]):
            radio = QRadioButton()
            self.buttons.addButton(radio, i)
            self.radios[code] = radio
            grid.addWidget(radio, i // 4, i % 4)
        self.radios[""].setChecked(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_(self.question.text))
        self.radios[""].setText(_("Not asked"))
        for option in self.question.options:
            self.radios[option.code].setText(_(option.label))

    def answer(self) -> str:
        return next((code for code, radio in self.radios.items() if radio.isChecked()), "")

    def set_answer(self, code: str) -> None:
        self.radios.get(code, self.radios[""]).setChecked(True)


class ReintegrationTab(RecordTab):
    TITLE = N_("Reintegration && follow-ups")
    KEY = "reintegration"

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.plan: ReintegrationPlan | None = None
        self.follow_ups: list[FollowUp] = []
        self.visit_id = ""
        self.objective_rows: list[ObjectiveRow] = []
        self.plan_dirty = False  # which part the unsaved edits are in
        self.visit_dirty = False

        # -- the plan --
        self.plan_heading = QLabel()
        self.plan_form = self.new_form()
        self.planned_on: DateField = self.add_input(
            self.plan_form,
            "planned_on",
            lambda: _("Plan agreed on"),
            DateField(known_by_default=False),
        )
        self.objectives_label = QLabel()
        self.objectives_box = QVBoxLayout()
        self.add_objective_button = QPushButton()
        self.add_objective_button.clicked.connect(lambda: self.add_objective_row(focus=True))
        self.plan_notes = notes_edit()
        self.plan_form.add("plan_notes", lambda: _("Plan notes"), self.plan_notes)
        self.inputs["plan_notes"] = self.plan_notes
        self.watch(self.plan_notes)
        self.plan_message = FieldMessage()  # the plan and the visit save with the header's Save

        # -- the schedule --
        self.schedule_heading = QLabel()
        self.schedule = record_table()
        self.schedule.setColumnCount(len(SCHEDULE_COLUMNS))
        self.schedule.itemSelectionChanged.connect(self._schedule_selection)

        # -- one visit --
        self.visit_box = QGroupBox()
        visit_layout = QVBoxLayout(self.visit_box)
        self.visit_form = self.new_form()
        vf = self.visit_form
        self.done_on: DateField = self.add_input(
            vf, "done_on", lambda: _("Done on"), DateField(known_by_default=False)
        )
        self.mode: ChoiceCombo = self.add_input(
            vf, "mode", lambda: _("How"), code_combo(codes.FOLLOW_UP_MODE)
        )
        self.done_by: QLineEdit = self.add_input(vf, "done_by", lambda: _("Done by"), QLineEdit())
        visit_layout.addLayout(vf.layout)
        self.dimension_boxes: dict[str, QGroupBox] = {}
        self.questions: dict[str, QuestionGroup] = {}
        for dimension in DIMENSIONS:
            box = QGroupBox()
            box_layout = QVBoxLayout(box)
            for question in QUESTIONNAIRE.questions:
                if question.dimension == dimension:
                    group = QuestionGroup(question)
                    group.buttons.idToggled.connect(self.edited)
                    group.buttons.idToggled.connect(self._visit_edited)
                    self.questions[question.code] = group
                    box_layout.addWidget(group)
            self.dimension_boxes[dimension] = box
            visit_layout.addWidget(box)
        self.after_form = self.new_form()
        self.visit_notes = self.add_input(
            self.after_form, "notes", lambda: _("Notes"), notes_edit()
        )
        self.next_on: DateField = self.add_input(
            self.after_form,
            "next_on",
            lambda: _("Next follow-up"),
            DateField(known_by_default=False),
        )
        visit_layout.addLayout(self.after_form.layout)
        visit_layout.addWidget(self.message)
        self.scores = QLabel()
        self.scores.setObjectName("followUpScores")
        self.scores.setWordWrap(True)
        visit_layout.addWidget(self.scores)

        for widget in (self.planned_on, self.plan_notes):
            changed_signal(widget).connect(self._plan_edited)
        for widget in (self.done_on, self.mode, self.done_by, self.visit_notes, self.next_on):
            changed_signal(widget).connect(self._visit_edited)

        # -- layout, in reading (and Tab) order --
        m = self.main
        m.addWidget(self.plan_heading)
        m.addLayout(self.plan_form.layout)
        m.addWidget(self.objectives_label)
        m.addLayout(self.objectives_box)
        m.addLayout(button_row(self.add_objective_button))
        m.addWidget(self.plan_message)
        m.addWidget(self.schedule_heading)
        m.addWidget(self.schedule)
        m.addWidget(self.visit_box)
        self.add_objective_button.setVisible(self.can_edit)
        self.retranslate()
        self._show_visit(None)

    # -- the contract ----------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.plan_heading.setText(_("Reintegration plan"))
        self.objectives_label.setText(_("Objectives per dimension"))
        self.add_objective_button.setText(_("Add &objective"))
        self.schedule_heading.setText(_("Follow-up visits"))
        self.schedule.setAccessibleName(_("Follow-up visits"))
        self.schedule.setHorizontalHeaderLabels([_(c) for c in SCHEDULE_COLUMNS])
        self.visit_box.setTitle(_("Record the selected visit"))
        for dimension, box in self.dimension_boxes.items():
            box.setTitle(_(codes.REINTEGRATION_DIMENSION.label(dimension)))
        for group in self.questions.values():
            group.retranslate()
        for row in self.objective_rows:
            row.retranslate()
        self._fill_schedule()
        self._show_scores()

    def show_case(self, case_file: CaseFile) -> None:
        super().show_case(case_file)
        self.clear_messages()
        self.plan_message.clear_message()
        self.plan = case_file.plans[-1] if case_file.plans else None
        self.follow_ups = sorted(
            case_file.follow_ups, key=lambda f: (f.scheduled_on or dt.date.max, f.id)
        )
        with self.loading():
            self._fill_plan(self.plan)
        self._fill_schedule()
        current = next((f for f in self.follow_ups if f.id == self.visit_id), None)
        if current is None:
            current = next((f for f in self.follow_ups if f.done_on is None), None)
        self._show_visit(current)
        self.set_dirty(False)

    def _plan_edited(self, *_args: object) -> None:
        if not self._loading:
            self.plan_dirty = True

    def _visit_edited(self, *_args: object) -> None:
        if not self._loading:
            self.visit_dirty = True

    def set_dirty(self, dirty: bool) -> None:
        if not dirty:
            self.plan_dirty = self.visit_dirty = False
        super().set_dirty(dirty)

    def save(self) -> None:
        """Save whichever part has unsaved edits: the plan, the visit, or both at once."""
        if self.case_file is None:
            return
        session = self.context.session
        plan = self.read_plan(self.case_file.case.id) if self.plan_dirty else None
        visit = self.read_visit() if self.visit_dirty else None

        def store() -> None:
            if plan is not None:
                cases.save_record(session, plan)
            if visit is not None:
                cases.record_follow_up(session, visit)

        if plan is not None or visit is not None:
            self.submit(store, lambda _none: self._both_saved(visit is not None))

    def _both_saved(self, with_visit: bool) -> None:
        self.status.setText(
            _("The follow-up visit was saved; its scores are below.") if with_visit else _("Saved.")
        )
        self.saved()

    def draft(self) -> dict[str, Any] | None:
        data = super().draft()
        if data is None:
            return None
        data["plan_dirty"], data["visit_dirty"] = self.plan_dirty, self.visit_dirty
        data["visit_id"] = self.visit_id
        data["answers"] = self.answers()
        data["objectives"] = [
            {k: input_value(w) for k, w in row.inputs().items()} for row in self.objective_rows
        ]
        return data

    def restore_draft(self, data: dict[str, Any]) -> None:
        with self.loading():
            visit = next((f for f in self.follow_ups if f.id == data.get("visit_id")), None)
            self._show_visit(visit)
            self._clear_objective_rows()
            for values in data.get("objectives", []):
                row = self.add_objective_row()
                for key, widget in row.inputs().items():
                    set_input_value(widget, values.get(key))
            for code, answer in dict(data.get("answers", {})).items():
                if code in self.questions:
                    self.questions[code].set_answer(str(answer))
        super().restore_draft(data)
        self.plan_dirty = bool(data.get("plan_dirty", True))
        self.visit_dirty = bool(data.get("visit_dirty", True))

    def show_errors(self, errors: dict[str, str]) -> None:
        placed: dict[str, str] = {}
        for name, text in errors.items():
            match = _OBJECTIVE_ERROR.fullmatch(name)
            if match is not None:
                number = int(match.group(1)) + 1
                placed.setdefault(
                    "objectives",
                    _("Objective {number}: {message}").format(number=number, message=text),
                )
            else:
                placed.setdefault(name, text)
        objectives = placed.pop("objectives", "")
        super().show_errors(placed)
        if objectives:
            self.plan_message.show_message(objectives)

    def clear_messages(self) -> None:
        super().clear_messages()
        if hasattr(self, "plan_message"):
            self.plan_message.clear_message()

    # -- the plan --------------------------------------------------------------------
    def add_objective_row(self, *, focus: bool = False) -> ObjectiveRow:
        row = ObjectiveRow(len(self.objective_rows) + 1)
        for widget in row.inputs().values():
            self.watch(widget)
            changed_signal(widget).connect(self._plan_edited)
        row.remove.clicked.connect(lambda: self.remove_objective_row(row))
        row.setEnabled(self.can_edit)
        self.objective_rows.append(row)
        self.objectives_box.addWidget(row)
        self._objective_tab_order()
        if focus:
            row.dimension.setFocus()
            self._plan_edited()
            self.edited()
        return row

    def _objective_tab_order(self) -> None:
        """Rows added after the tab was built go where they are seen, not at the end."""
        chain: list[QWidget] = [self.plan_notes]
        for row in self.objective_rows:
            chain.extend(row.inputs().values())
            chain.append(row.remove)
        chain.append(self.add_objective_button)
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def remove_objective_row(self, row: ObjectiveRow) -> None:
        self.objective_rows.remove(row)
        self.objectives_box.removeWidget(row)
        row.deleteLater()
        for number, remaining in enumerate(self.objective_rows, start=1):
            remaining.number = number
            remaining.retranslate()
        self.add_objective_button.setFocus()
        self._plan_edited()
        self.edited()

    def _clear_objective_rows(self) -> None:
        for row in self.objective_rows:
            self.objectives_box.removeWidget(row)
            row.deleteLater()
        self.objective_rows = []

    def _fill_plan(self, plan: ReintegrationPlan | None) -> None:
        self.planned_on.set_date(plan.planned_on if plan else None)
        self.plan_notes.setPlainText(plan.notes if plan else "")
        self._clear_objective_rows()
        for objective in plan.objectives if plan else ():
            self.add_objective_row().set_objective(objective)

    def read_plan(self, case_id: str) -> ReintegrationPlan:
        base = self.plan
        return ReintegrationPlan(
            id=base.id if base else "",
            org_id=base.org_id if base else "",
            case_id=case_id,
            planned_on=self.planned_on.date(),
            objectives=tuple(row.objective_value() for row in self.objective_rows),
            notes=self.plan_notes.toPlainText().strip(),
        )

    # -- the schedule ----------------------------------------------------------------
    def _fill_schedule(self) -> None:
        today = dt.date.today()
        self.schedule.blockSignals(True)
        fill_table(
            self.schedule,
            [
                [
                    date_text(f.scheduled_on),
                    "",
                    date_text(f.done_on),
                    _(codes.FOLLOW_UP_MODE.label(f.mode)) if f.mode else "",
                    score_text(f.composite_score) if f.done_on else "",
                ]
                for f in self.follow_ups
            ],
        )
        for row, follow_up in enumerate(self.follow_ups):
            self.schedule.setItem(row, 1, state_item(self, rules.follow_up_state(follow_up, today)))
            if follow_up.id == self.visit_id:
                self.schedule.selectRow(row)
        self.schedule.blockSignals(False)

    def state_words(self) -> list[str]:
        """The state column as shown (for people, and for tests)."""
        items = [self.schedule.item(r, 1) for r in range(self.schedule.rowCount())]
        return [item.text() if item is not None else "" for item in items]

    def _schedule_selection(self) -> None:
        rows = self.schedule.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.follow_ups):
            return
        chosen = self.follow_ups[rows[0].row()]
        if chosen.id == self.visit_id:
            return
        if self.is_dirty():
            self._fill_schedule()  # keep the visit being recorded selected
            self.message.show_message(
                _("There are unsaved changes here. Save them before choosing another visit.")
            )
            return
        self._show_visit(chosen)

    # -- one visit -------------------------------------------------------------------
    def _show_visit(self, follow_up: FollowUp | None) -> None:
        self.visit_id = follow_up.id if follow_up else ""
        self.clear_messages()
        with self.loading():
            f = follow_up or FollowUp()
            recording = follow_up is not None and follow_up.done_on is None
            self.done_on.set_date(dt.date.today() if recording else f.done_on)
            self.mode.set_code(f.mode)
            self.done_by.setText(
                self.context.signed_in.display_name if recording and not f.done_by else f.done_by
            )
            for code, group in self.questions.items():
                group.set_answer(f.answers.get(code, ""))
            self.visit_notes.setPlainText(f.notes)
            self.next_on.set_date(f.next_on)
        self.visit_box.setEnabled(follow_up is not None and self.can_edit)
        self._fill_schedule()
        self._show_scores()

    def current_visit(self) -> FollowUp | None:
        return next((f for f in self.follow_ups if f.id == self.visit_id), None)

    def answers(self) -> dict[str, str]:
        return {code: g.answer() for code, g in self.questions.items() if g.answer()}

    def read_visit(self) -> FollowUp | None:
        visit = self.current_visit()
        if visit is None:
            return None
        return dataclasses.replace(
            visit,
            done_on=self.done_on.date(),
            mode=self.mode.code(),
            done_by=self.done_by.text().strip(),
            questionnaire=f"{QUESTIONNAIRE.code}/{QUESTIONNAIRE.version}",
            answers=self.answers(),
            notes=self.visit_notes.toPlainText().strip(),
            next_on=self.next_on.date(),
        )

    def _show_scores(self) -> None:
        visit = self.current_visit()
        if visit is None or visit.done_on is None:
            self.scores.setText("")
            return
        parts = [
            _("{dimension}: {score}").format(
                dimension=_(codes.REINTEGRATION_DIMENSION.label(dimension)),
                score=score_text(getattr(visit, f"{dimension.lower()}_score")),
            )
            for dimension in DIMENSIONS
        ]
        parts.append(_("Overall: {score}").format(score=score_text(visit.composite_score)))
        self.scores.setText(_("Scores of this visit") + "\n" + "\n".join(parts))


def state_item(widget: QWidget, state: str) -> QTableWidgetItem:
    """A table cell with the state's word and icon; bold when action is needed."""
    label, pixmap = FOLLOW_UP_STATES[state]
    item = QTableWidgetItem(widget.style().standardIcon(pixmap), _(label))
    item.setData(Qt.ItemDataRole.UserRole, state)
    if state in ("overdue", "due_today"):
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
    return item
