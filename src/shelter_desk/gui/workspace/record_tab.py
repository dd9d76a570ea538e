"""What the record tabs share: named inputs with inline messages, drafts, saving on the
worker, and (for tabs that hold several records of one kind) a table with an editor under it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.entities import Organisation
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.gui.forms import FieldMessage, Form
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.workspace.base import CaseTab
from shelter_desk.gui.workspace.record_inputs import (
    changed_signal,
    fill_table,
    input_value,
    record_table,
    set_input_value,
)
from shelter_desk.i18n import N_, _
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFile

T = TypeVar("T")
R = TypeVar("R")


class RecordTab(CaseTab):
    """A case tab whose inputs are registered by field name.

    The field names are those of the domain record, so a ``ValidationError`` from the
    service lands next to the right input; messages no input takes are shown on the tab's
    message line. Inputs live in a scroll area so long forms stay usable on small screens.
    """

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.inputs: dict[str, QWidget] = {}
        self.forms: list[Form] = []
        self.organisations: list[Organisation] = []
        self.own_org_id = ""  # this installation's organisation (read on the worker)
        self.can_edit = context.session.can(Permission.EDIT_CASES)
        self._loading = 0
        self.message = FieldMessage()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("tabStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.content = QWidget()
        self.main = QVBoxLayout(self.content)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        # Confirmations ("The service was saved.") under the scroll area, always in view:
        # at the bottom of a long form they were cut in half or scrolled out of sight.
        self.status.setContentsMargins(6, 2, 6, 2)
        outer.addWidget(self.status)

    # -- building ------------------------------------------------------------------
    def new_form(self) -> Form:
        form = Form(QFormLayout())
        self.forms.append(form)
        return form

    def add_input(self, form: Form, name: str, label: Callable[[], str], widget: QWidget) -> Any:
        form.add(name, label, widget)
        self.inputs[name] = widget
        changed_signal(widget).connect(self.edited)
        return widget

    def watch(self, widget: QWidget) -> None:
        """Mark the tab dirty when ``widget`` (not a registered input) changes."""
        changed_signal(widget).connect(self.edited)

    def edited(self, *_args: object) -> None:
        if not self._loading:
            self.set_dirty(True)

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Changes made inside are the program filling the form, not the person editing."""
        self._loading += 1
        try:
            yield
        finally:
            self._loading -= 1

    # -- the contract ----------------------------------------------------------------
    def retranslate(self) -> None:
        for form in self.forms:
            form.retranslate()
        for widget in self.inputs.values():
            retranslate = getattr(widget, "retranslate", None)
            if callable(retranslate):
                retranslate()

    def draft(self) -> dict[str, Any] | None:
        if not self.is_dirty():
            return None
        return {"inputs": {name: input_value(w) for name, w in self.inputs.items()}}

    def restore_draft(self, data: dict[str, Any]) -> None:
        with self.loading():
            for name, value in data.get("inputs", {}).items():
                widget = self.inputs.get(name)
                if widget is not None:
                    set_input_value(widget, value)
        self.set_dirty(True)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.clear_messages()
        unplaced: list[str] = []
        first: QWidget | None = None
        for name, text in errors.items():
            field = next((f.fields[name] for f in self.forms if name in f.fields), None)
            if field is None:
                unplaced.append(text)
                continue
            field.message.show_message(text)
            first = first or field.widget
        if unplaced:
            self.message.show_message(" ".join(unplaced))
        if first is not None:
            first.setFocus()

    def clear_messages(self) -> None:
        for form in self.forms:
            form.clear_errors()
        self.message.clear_message()

    # -- talking to the worker ---------------------------------------------------------
    def submit(self, work: Callable[[], T], on_done: Callable[[T], None]) -> None:
        """Run a service call on the worker; field errors come back next to the fields."""
        self.clear_messages()
        self.status.clear()
        run_op(self, self.context.runner, work, on_done, self.failed)

    def failed(self, exc: ShelterDeskError) -> None:
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        else:
            self.message.show_message(exc.message)

    def load_organisations(self) -> None:
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: (session.org_id, cases.organisations(session)),
            self._organisations,
        )

    def _organisations(self, loaded: tuple[str, list[Organisation]]) -> None:
        self.own_org_id, self.organisations = loaded
        with self.loading():
            self.organisations_loaded()

    def organisations_loaded(self) -> None:
        """Put the address book into the tab's organisation lists."""


class RecordListTab(RecordTab, Generic[R]):
    """Several records of one kind: a table, and under it the editor of the selected one.

    Subclasses give the CaseFile list (``LIST``), the table columns, the cells of a row,
    and how the form is filled from a record and read back into one.

    Changes to a record are saved the one way every tab's edits are: the workspace's Save
    (Ctrl+S). Only a new record has a button of its own, Add, which creates it.
    """

    LIST: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[str, ...]] = ()
    TABLE_NAME: ClassVar[str] = N_("Records")
    NEW_HEADING: ClassVar[str] = N_("New record")
    EDIT_HEADING: ClassVar[str] = N_("Change the selected record")
    SAVED: ClassVar[str] = N_("Saved.")
    DELETED: ClassVar[str] = N_("Deleted.")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.records: list[R] = []
        self.editing_id = ""
        self._select_after_load = ""
        self.table = record_table()
        self.table.setColumnCount(len(self.COLUMNS))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.new_button = QPushButton()
        self.delete_button = QPushButton()
        self.new_button.clicked.connect(self.start_new)
        self.delete_button.clicked.connect(self.ask_delete)
        self.editor_heading = QLabel()
        self.editor_heading.setObjectName("editorHeading")
        self.form = self.new_form()
        self.add_button = QPushButton()  # creates a new record; edits use the header's Save
        self.discard_button = QPushButton()
        self.add_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.dirty_changed.connect(lambda dirty: self.discard_button.setEnabled(dirty))
        self.discard_button.setEnabled(False)

    def lay_out(self, extra_under_table: Sequence[QWidget] = ()) -> None:
        """Put the parts in place once the subclass has added its inputs to ``self.form``."""
        self.main.addWidget(self.table, 1)
        for widget in extra_under_table:
            self.main.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        self.main.addLayout(row)
        self.main.addWidget(self.editor_heading)
        self.main.addLayout(self.form.layout)
        self.main.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        self.main.addLayout(buttons)
        for widget in (self.new_button, self.delete_button):
            widget.setVisible(self.can_edit)
        self.discard_button.setVisible(self.can_edit)
        self.retranslate()
        with self.loading():
            self.fill_form(None)
        self._update_buttons()

    # -- what a subclass says ----------------------------------------------------------
    def row_cells(self, record: R) -> list[str]:
        raise TypeError(f"{type(self).__name__} must say how a row looks")

    def fill_form(self, record: R | None) -> None:
        raise TypeError(f"{type(self).__name__} must say how its form is filled")

    def read_form(self, case_id: str) -> R:
        """A record from the form (with ``self.editing_id``); ValidationError for input
        that cannot even be read (an amount that is not a number...)."""
        raise TypeError(f"{type(self).__name__} must say how its form is read")

    def save_call(self, record: R) -> Callable[[], R]:
        session = self.context.session
        return lambda: cases.save_record(session, record)

    # -- the contract ----------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setAccessibleName(_(self.TABLE_NAME))
        self.new_button.setText(_("&New"))
        self.delete_button.setText(_("De&lete"))
        # TRANSLATORS: stores the new record filled in below (a service, a referral...).
        self.add_button.setText(_("&Add"))
        self.discard_button.setText(_("Discard changes"))
        self._heading()
        self.refill_table()

    def show_case(self, case_file: CaseFile) -> None:
        super().show_case(case_file)
        self.records = list(getattr(case_file, self.LIST))
        wanted = self._select_after_load or self.editing_id
        self._select_after_load = ""
        self.clear_messages()
        self.refill_table()
        if any(self._id(r) == wanted for r in self.records):
            self.select(wanted)
        else:
            self.start_new()
        self.set_dirty(False)

    def draft(self) -> dict[str, Any] | None:
        data = super().draft()
        if data is not None:
            data["editing_id"] = self.editing_id
        return data

    def restore_draft(self, data: dict[str, Any]) -> None:
        editing = str(data.get("editing_id", ""))
        if editing and any(self._id(r) == editing for r in self.records):
            self.select(editing)
        else:
            self.start_new()
        super().restore_draft(data)

    # -- the table -------------------------------------------------------------------
    @staticmethod
    def _id(record: object) -> str:
        return str(getattr(record, "id", ""))

    def refill_table(self) -> None:
        self.table.blockSignals(True)
        fill_table(self.table, [self.row_cells(r) for r in self.records])
        for row, record in enumerate(self.records):
            if self._id(record) == self.editing_id:
                self.table.selectRow(row)
        self.table.blockSignals(False)

    def select(self, record_id: str) -> None:
        for row, record in enumerate(self.records):
            if self._id(record) == record_id:
                self.table.blockSignals(True)
                self.table.selectRow(row)
                self.table.blockSignals(False)
                self._edit(record)
                return

    def selected_record(self) -> R | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.records):
            return None
        return self.records[rows[0].row()]

    def _selection_changed(self) -> None:
        record = self.selected_record()
        if record is None or self._id(record) == self.editing_id:
            return
        if self.is_dirty():
            self.refill_table()  # keep the row being edited selected
            self.message.show_message(
                _("There are unsaved changes here. Save them, or press Discard changes.")
            )
            return
        self._edit(record)

    def _edit(self, record: R) -> None:
        self.editing_id = self._id(record)
        self.clear_messages()
        with self.loading():
            self.fill_form(record)
        self.set_dirty(False)
        self._heading()
        self._update_buttons()

    def start_new(self) -> None:
        if self.is_dirty():
            self.message.show_message(
                _("There are unsaved changes here. Save them, or press Discard changes.")
            )
            return
        self.editing_id = ""
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.blockSignals(False)
        self.clear_messages()
        with self.loading():
            self.fill_form(None)
        self.set_dirty(False)
        self._heading()
        self._update_buttons()

    def discard(self) -> None:
        self.set_dirty(False)
        current = next((r for r in self.records if self._id(r) == self.editing_id), None)
        if current is None:
            self.start_new()
        else:
            self._edit(current)
        self.discarded.emit()

    def _heading(self) -> None:
        self.editor_heading.setText(_(self.EDIT_HEADING if self.editing_id else self.NEW_HEADING))

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(bool(self.editing_id))
        self.add_button.setVisible(self.can_edit and not self.editing_id)

    # -- saving and deleting -----------------------------------------------------------
    def save(self) -> None:
        if self.case_file is None:
            return
        try:
            record = self.read_form(self.case_file.case.id)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        self.submit(self.save_call(record), self._saved)

    def _saved(self, record: R) -> None:
        self._select_after_load = self._id(record)
        self.status.setText(_(self.SAVED))
        self.saved()

    def ask_delete(self) -> None:
        record_id = self.editing_id
        if not record_id:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Delete"),
            _("Delete the selected record? It stays in the case history."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(_("De&lete"))
        box.button(QMessageBox.StandardButton.No).setText(_("&Keep"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.delete_box = box
        box.buttonClicked.connect(lambda button: self._confirmed_delete(button == yes, record_id))
        box.open()

    def _confirmed_delete(self, confirmed: bool, record_id: str) -> None:
        if confirmed:
            self.delete(record_id)

    def delete(self, record_id: str) -> None:
        session = self.context.session
        self.set_dirty(False)
        self.editing_id = ""
        self.submit(lambda: cases.delete_record(session, record_id), self._deleted)

    def _deleted(self, _none: None) -> None:
        self.status.setText(_(self.DELETED))
        self.saved()
