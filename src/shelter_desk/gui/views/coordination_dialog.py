"""The dialog that records or edits one entry of the coordination log: a meeting, a visit, a
problem hotspot or a training.

It saves on the database worker and stays open with the messages next to the fields when
something cannot be used, so nothing typed is lost. A record another organisation wrote (it
arrived by sync) is shown read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import coordination as co
from shelter_desk.domain.codes import CodeList
from shelter_desk.domain.coordination import ActionItem, CoordinationRecord
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.gui.forms import Form
from shelter_desk.gui.operations import OpRunner, run_op, show_error
from shelter_desk.gui.retranslation import Retranslated, label_form_buttons
from shelter_desk.gui.widgets.inputs import (
    ChoiceChecklist,
    ChoiceCombo,
    CountSpin,
    DateField,
    code_combo,
    country_combo,
)
from shelter_desk.i18n import _, format_date
from shelter_desk.services.coordination import log
from shelter_desk.services.session import Session

Names = Sequence[tuple[str, str]]  # (organisation id, name), in display order
ACTION_COLUMNS = 4


def _text(edit: QLineEdit | QPlainTextEdit) -> str:
    return (edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()).strip()


class ActionTable(QWidget):
    """Action items: what, which organisation, due by, done on."""

    def __init__(self, names: Callable[[], Names], items: Sequence[ActionItem]) -> None:
        super().__init__()
        self.names = names
        self.table = QTableWidget(0, ACTION_COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(120)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.add(ActionItem()))
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        for item in items:
            self.add(item)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [_("Action"), _("Organisation responsible"), _("Due by"), _("Done on")]
        )
        self.add_button.setText(_("Add an &action item"))
        self.remove_button.setText(_("Remove the selected action item"))

    def add(self, item: ActionItem) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(item.action))
        owner = ChoiceCombo(self.names, lambda: _("Choose…"))
        owner.set_code(item.owner_org_id)
        self.table.setCellWidget(row, 1, owner)
        due = DateField()
        if item.due_on is not None:
            due.set_date(item.due_on)
        self.table.setCellWidget(row, 2, due)
        done = DateField(known_by_default=False)
        done.set_date(item.done_on)
        self.table.setCellWidget(row, 3, done)
        self.table.resizeRowsToContents()
        self.table.setCurrentCell(row, 0)

    def remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def items(self) -> tuple[ActionItem, ...]:
        found = []
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            owner, due, done = (self.table.cellWidget(row, c) for c in (1, 2, 3))
            assert isinstance(owner, ChoiceCombo)
            assert isinstance(due, DateField) and isinstance(done, DateField)
            action = cell.text().strip() if cell is not None else ""
            if action or owner.code():
                found.append(
                    ActionItem(
                        action=action,
                        owner_org_id=owner.code(),
                        due_on=due.date(),
                        done_on=done.date(),
                    )
                )
        return tuple(found)

    def set_read_only(self) -> None:
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row in range(self.table.rowCount()):
            for column in (1, 2, 3):
                widget = self.table.cellWidget(row, column)
                if widget is not None:
                    widget.setEnabled(False)
        self.add_button.hide()
        self.remove_button.hide()


def dialog_title(kind: str, editing: bool, editable: bool) -> str:
    if not editable:
        return _(co.KIND_LABELS[kind])
    titles = {
        co.Meeting.ENTITY: (_("Record a meeting"), _("Edit a meeting")),
        co.Visit.ENTITY: (_("Record a visit"), _("Edit a visit")),
        co.Hotspot.ENTITY: (_("Record a problem hotspot"), _("Edit a problem hotspot")),
        co.Training.ENTITY: (_("Record a training"), _("Edit a training")),
    }
    return titles[kind][int(editing)]


class CoordinationDialog(Retranslated, QDialog):
    saved = Signal(object)
    """Emitted with the saved record."""

    def __init__(
        self,
        runner: OpRunner,
        session: Session,
        record: CoordinationRecord,
        names: Names,
        parent: QWidget | None = None,
        *,
        own_org_id: str,
        may_edit: bool = True,
    ) -> None:
        """``own_org_id``: this installation's organisation (read on the worker: the
        session's facts are in the database, which the GUI thread never touches)."""
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.original = record
        self.kind = record.ENTITY
        self.names: Names = list(names)
        self.editable = may_edit and (not record.org_id or record.org_id == own_org_id)
        self.form = Form(QFormLayout())
        self.inputs: list[QWidget] = []
        self.action_table: ActionTable | None = None
        builders = {
            co.Meeting.ENTITY: self._meeting,
            co.Visit.ENTITY: self._visit,
            co.Hotspot.ENTITY: self._hotspot,
            co.Training.ENTITY: self._training,
        }
        builders[self.kind]()
        form_widget = QWidget()
        form_widget.setLayout(self.form.layout)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        self.general_message = QLabel()
        self.general_message.setWordWrap(True)
        self.general_message.hide()
        if self.editable:
            self.buttons = QDialogButtonBox(
                QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            )
            self.buttons.accepted.connect(self.submit)
        else:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            self._read_only()
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.read_only_note = QLabel()
        if not self.editable:
            layout.addWidget(self.read_only_note)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_message)
        layout.addWidget(self.buttons)
        self.resize(720, 680)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(dialog_title(self.kind, bool(self.original.id), self.editable))
        self.read_only_note.setText(_("This entry can be read here but not changed."))
        label_form_buttons(self.buttons)
        self.form.retranslate()
        for widget in self.inputs:
            retranslate = getattr(widget, "retranslate", None)
            if callable(retranslate):
                retranslate()
        if self.action_table is not None:
            self.action_table.retranslate()
        if isinstance(self.original, co.Hotspot):
            self.history.setText(self._history_text(self.original))

    # -- building ------------------------------------------------------------------
    def _names(self) -> Names:
        return self.names

    def _line(self, name: str, label: Callable[[], str], value: str) -> QLineEdit:
        edit = QLineEdit(value)
        self.form.add(name, label, edit)
        self.inputs.append(edit)
        return edit

    def _long(self, name: str, label: Callable[[], str], value: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(value)
        edit.setTabChangesFocus(True)
        edit.setMaximumHeight(90)
        self.form.add(name, label, edit)
        self.inputs.append(edit)
        return edit

    def _date(self, name: str, label: Callable[[], str], value: dt.date | None) -> DateField:
        field = DateField()
        if value is not None:
            field.set_date(value)
        self.form.add(name, label, field)
        self.inputs.append(field)
        return field

    def _orgs(self, name: str, label: Callable[[], str], chosen: Sequence[str]) -> ChoiceChecklist:
        checklist = ChoiceChecklist(self._names, filterable=len(self.names) > 8)
        checklist.set_selected(chosen)
        checklist.setMaximumHeight(170)
        self.form.add(name, label, checklist)
        self.inputs.append(checklist)
        return checklist

    def _org(self, name: str, label: Callable[[], str], chosen: str) -> ChoiceCombo:
        combo = ChoiceCombo(self._names, lambda: _("Choose…"))
        combo.set_code(chosen)
        self.form.add(name, label, combo)
        self.inputs.append(combo)
        return combo

    def _combo(
        self, name: str, label: Callable[[], str], codes: CodeList, chosen: str
    ) -> ChoiceCombo:
        combo = code_combo(codes, required=True)
        combo.set_code(chosen)
        self.form.add(name, label, combo)
        self.inputs.append(combo)
        return combo

    def _country(self, chosen: str) -> ChoiceCombo:
        combo = country_combo()
        combo.set_code(chosen)
        self.form.add("country", lambda: _("C&ountry:"), combo)
        self.inputs.append(combo)
        return combo

    def _action_table(
        self, name: str, label: Callable[[], str], items: Sequence[ActionItem]
    ) -> None:
        self.action_table = ActionTable(self._names, items)
        self.form.add(name, label, self.action_table)

    def _meeting(self) -> None:
        m = self.original
        assert isinstance(m, co.Meeting)
        self.meeting_type = self._combo(
            "meeting_type", lambda: _("&Kind of meeting:"), co.MEETING_TYPE, m.meeting_type
        )
        self.held_on = self._date("held_on", lambda: _("&Date:"), m.held_on)
        self.title = self._line("title", lambda: _("S&ubject:"), m.title)
        self.place = self._line("place", lambda: _("&Place:"), m.place)
        self.participants = self._orgs(
            "participant_org_ids", lambda: _("Pa&rticipants:"), m.participant_org_ids
        )
        self.decisions = self._long(
            "decisions", lambda: _("D&ecisions (one a line):"), "\n".join(m.decisions)
        )
        self._action_table("action_items", lambda: _("Action &items:"), m.action_items)
        self.notes = self._long("notes", lambda: _("No&tes:"), m.notes)

    def _visit(self) -> None:
        v = self.original
        assert isinstance(v, co.Visit)
        self.facility_type = self._combo(
            "facility_type", lambda: _("&Kind of place:"), co.FACILITY_TYPE, v.facility_type
        )
        self.facility_name = self._line(
            "facility_name", lambda: _("&Name of the place:"), v.facility_name
        )
        self.facility_org = self._org("facility_org_id", lambda: _("&Run by:"), v.facility_org_id)
        self.country = self._country(v.country)
        self.city = self._line("city", lambda: _("C&ity:"), v.city)
        self.visited_on = self._date("visited_on", lambda: _("&Date:"), v.visited_on)
        self.visitors = self._orgs(
            "visitor_org_ids", lambda: _("&Visiting organisations:"), v.visitor_org_ids
        )
        self.findings = self._long("findings", lambda: _("&Findings:"), v.findings)
        self._action_table(
            "follow_up_actions", lambda: _("Follow-up a&ctions:"), v.follow_up_actions
        )

    def _hotspot(self) -> None:
        h = self.original
        assert isinstance(h, co.Hotspot)
        self.problem = self._line("problem", lambda: _("&Problem:"), h.problem)
        self.place = self._line("place", lambda: _("&Where:"), h.place)
        self.country = self._country(h.country)
        self.reported_on = self._date("reported_on", lambda: _("&Reported on:"), h.reported_on)
        self.status = self._combo("status", lambda: _("St&atus:"), co.HOTSPOT_STATUS, h.status)
        self.approached = self._orgs(
            "approached_org_ids", lambda: _("&Bodies approached:"), h.approached_org_ids
        )
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.form.add("history", lambda: _("History:"), self.history)
        self.notes = self._long("notes", lambda: _("No&tes:"), h.notes)

    def _history_text(self, h: co.Hotspot) -> str:
        if not h.history:
            return _("Each change of status is added here when you save.")
        names = dict(self.names)
        lines = []
        for step in h.history:
            day = format_date(step.on) if step.on else "—"
            if step.body_org_id:
                body = names.get(step.body_org_id, "—")
                lines.append(_("{date}: {body} approached").format(date=day, body=body))
            else:
                status = _(co.HOTSPOT_STATUS.label(step.status))
                lines.append(_("{date}: {status}").format(date=day, status=status))
        return "\n".join(lines)

    def _training(self) -> None:
        t = self.original
        assert isinstance(t, co.Training)
        self.topic = self._combo("topic", lambda: _("T&opic:"), co.TRAINING_TOPIC, t.topic)
        self.held_on = self._date("held_on", lambda: _("&Date:"), t.held_on)
        self.audience = self._org("audience_org_id", lambda: _("&Audience:"), t.audience_org_id)
        self.participants_count = CountSpin()
        self.participants_count.setMaximum(100_000)
        self.participants_count.set_count(t.participants)
        self.form.add(
            "participants", lambda: _("&Number of participants:"), self.participants_count
        )
        self.inputs.append(self.participants_count)
        self.trainer = self._line("trainer", lambda: _("T&rainer:"), t.trainer)
        self.place = self._line("place", lambda: _("&Place:"), t.place)
        self.notes = self._long("notes", lambda: _("No&tes:"), t.notes)

    def _read_only(self) -> None:
        for widget in self.inputs:
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(True)
            else:
                widget.setEnabled(False)
        if self.action_table is not None:
            self.action_table.set_read_only()

    # -- saving --------------------------------------------------------------------
    def record(self) -> CoordinationRecord:
        """What the form holds now (the same id when editing)."""
        o = self.original
        if isinstance(o, co.Meeting):
            return co.Meeting(
                id=o.id,
                org_id=o.org_id,
                meeting_type=self.meeting_type.code(),
                held_on=self.held_on.date(),
                title=_text(self.title),
                place=_text(self.place),
                participant_org_ids=self.participants.selected(),
                decisions=tuple(d.strip() for d in _text(self.decisions).splitlines() if d.strip()),
                action_items=self.action_table.items() if self.action_table else (),
                notes=_text(self.notes),
            )
        if isinstance(o, co.Visit):
            return co.Visit(
                id=o.id,
                org_id=o.org_id,
                facility_type=self.facility_type.code(),
                facility_name=_text(self.facility_name),
                facility_org_id=self.facility_org.code(),
                country=self.country.code(),
                city=_text(self.city),
                visited_on=self.visited_on.date(),
                visitor_org_ids=self.visitors.selected(),
                findings=_text(self.findings),
                follow_up_actions=self.action_table.items() if self.action_table else (),
            )
        if isinstance(o, co.Hotspot):
            return co.Hotspot(
                id=o.id,
                org_id=o.org_id,
                problem=_text(self.problem),
                place=_text(self.place),
                country=self.country.code(),
                reported_on=self.reported_on.date(),
                status=self.status.code(),
                approached_org_ids=self.approached.selected(),
                history=o.history,
                notes=_text(self.notes),
            )
        return co.Training(
            id=o.id,
            org_id=o.org_id,
            topic=self.topic.code(),
            held_on=self.held_on.date(),
            audience_org_id=self.audience.code(),
            participants=self.participants_count.count(),
            trainer=_text(self.trainer),
            place=_text(self.place),
            notes=_text(self.notes),
        )

    @property
    def save_button(self) -> QPushButton | None:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def submit(self) -> None:
        self.form.clear_errors()
        self.general_message.hide()
        session, record = self.session, self.record()
        if self.save_button is not None:
            self.save_button.setEnabled(False)
        run_op(
            self,
            self.runner,
            lambda: log.save(session, record),
            self._saved,
            self._refused,
            progress_title=_("Saving…"),
        )

    def _saved(self, record: CoordinationRecord) -> None:
        self.saved.emit(record)
        self.accept()

    def _refused(self, error: ShelterDeskError) -> None:
        if self.save_button is not None:
            self.save_button.setEnabled(True)
        if not isinstance(error, ValidationError):
            show_error(self, error.message)
            return
        leftover = self.form.show_errors(field_errors(error.errors))
        if leftover:
            self.general_message.setText("\n".join(leftover))
            self.general_message.show()


def field_errors(errors: dict[str, str]) -> dict[str, str]:
    """Messages about action item N go under the action table, saying which row."""
    placed: dict[str, str] = {}
    lines: dict[str, list[str]] = {}
    for name, message in errors.items():
        table, bracket, rest = name.partition("[")
        if bracket and table in ("action_items", "follow_up_actions"):
            row = int(rest[: rest.index("]")]) + 1
            lines.setdefault(table, []).append(
                _("Action item {row}: {message}").format(row=row, message=message)
            )
        elif bracket:
            placed.setdefault(table, message)
        else:
            placed[name] = message
    for table, found in lines.items():
        placed[table] = "\n".join(found)
    return placed
