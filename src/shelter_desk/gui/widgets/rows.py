"""Editable lists inside a record: identity documents and contacts, one row each.

Each row shows the parts a caseworker fills in at once and keeps the rest of the stored
item untouched, so editing a row never drops a field this screen does not show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from shelter_desk.domain import codes
from shelter_desk.domain.entities import Contact, IdentityDocument
from shelter_desk.gui.forms import FieldMessage
from shelter_desk.gui.widgets.inputs import NameEdit, code_combo, country_combo
from shelter_desk.i18n import _

T = TypeVar("T", IdentityDocument, Contact)


class ItemRow(QWidget, Generic[T]):
    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, item: T, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item: T = item
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.message = FieldMessage()
        self.line = QHBoxLayout()
        self.line.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.line)
        layout.addWidget(self.message)

    def finish(self) -> None:
        self.line.addWidget(self.remove_button)

    def value(self) -> T:
        raise TypeError("each row type says what it holds")

    def retranslate(self, number: int) -> None:
        self.remove_button.setText(_("Remove"))
        self.remove_button.setAccessibleName(_("Remove row {number}").format(number=number))


class DocumentRow(ItemRow[IdentityDocument]):
    def __init__(self, item: IdentityDocument, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.document_type = code_combo(codes.DOCUMENT_TYPE, lambda: _("Type of document"))
        self.number = NameEdit()
        self.country = country_combo(lambda: _("Issuing country not known"))
        self.withheld = QCheckBox()
        self.document_type.set_code(item.document_type)
        self.number.setText(item.number)
        self.country.set_code(item.issuing_country)
        self.withheld.setChecked(item.withheld_by_trafficker)
        for signal in (
            self.document_type.changed,
            self.number.textEdited,
            self.country.changed,
            self.withheld.toggled,
        ):
            signal.connect(lambda *_a: self.changed.emit())
        self.line.addWidget(self.document_type)
        self.line.addWidget(self.number, 1)
        self.line.addWidget(self.country)
        self.line.addWidget(self.withheld)
        self.finish()

    def value(self) -> IdentityDocument:
        return replace(
            self.item,
            document_type=self.document_type.code(),
            number=self.number.text().strip(),
            issuing_country=self.country.code(),
            withheld_by_trafficker=self.withheld.isChecked(),
        )

    def retranslate(self, number: int) -> None:
        super().retranslate(number)
        self.document_type.retranslate()
        self.country.retranslate()
        self.withheld.setText(_("Held by the trafficker"))
        self.document_type.setAccessibleName(_("Document {number}: type").format(number=number))
        self.number.setAccessibleName(_("Document {number}: number").format(number=number))
        self.number.setPlaceholderText(_("Document number"))
        self.country.setAccessibleName(
            _("Document {number}: issuing country").format(number=number)
        )
        self.withheld.setAccessibleName(
            _("Document {number}: held by the trafficker").format(number=number)
        )


class ContactRow(ItemRow[Contact]):
    def __init__(self, item: Contact, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.contact_type = code_combo(codes.CONTACT_TYPE, lambda: _("Type of contact"))
        self.contact_value = NameEdit()
        self.safe = QCheckBox()
        self.contact_type.set_code(item.contact_type)
        self.contact_value.setText(item.value)
        self.safe.setChecked(item.safe_to_use)
        for signal in (self.contact_type.changed, self.contact_value.textEdited, self.safe.toggled):
            signal.connect(lambda *_a: self.changed.emit())
        self.line.addWidget(self.contact_type)
        self.line.addWidget(self.contact_value, 1)
        self.line.addWidget(self.safe)
        self.finish()

    def value(self) -> Contact:
        return replace(
            self.item,
            contact_type=self.contact_type.code(),
            value=self.contact_value.text().strip(),
            safe_to_use=self.safe.isChecked(),
        )

    def retranslate(self, number: int) -> None:
        super().retranslate(number)
        self.contact_type.retranslate()
        self.safe.setText(_("Safe to use"))
        self.contact_type.setAccessibleName(_("Contact {number}: type").format(number=number))
        self.contact_value.setAccessibleName(_("Contact {number}: details").format(number=number))
        self.contact_value.setPlaceholderText(_("Number, address or user name"))
        self.safe.setAccessibleName(_("Contact {number}: safe to use").format(number=number))


class RowsEditor(QWidget, Generic[T]):
    """A list of rows with an Add button; errors like ``documents[1].number`` go to row 2."""

    changed = Signal()

    def __init__(
        self,
        make_row: Callable[[T | None], ItemRow[T]],
        add_text: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._make_row: Callable[[T | None], ItemRow[T]] = make_row
        self._add_text = add_text
        self.rows: list[ItemRow[T]] = []
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.rows_layout)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so that its label's mnemonic works
        self.setFocusProxy(self.add_button)
        self.retranslate()

    def values(self) -> tuple[T, ...]:
        return tuple(row.value() for row in self.rows)

    def set_values(self, items: Sequence[T]) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for item in items:
            self._append(self._make_row(item))
        self.retranslate()

    def add_row(self) -> None:
        row = self._append(self._make_row(None))
        self.retranslate()
        row.setFocus()
        self.changed.emit()

    def _append(self, row: ItemRow[T]) -> ItemRow[T]:
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._remove)
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        return row

    def _remove(self, row: ItemRow[T]) -> None:
        self.rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self.retranslate()
        self.add_button.setFocus()
        self.changed.emit()

    def show_errors(self, errors: dict[int, str]) -> None:
        for number, row in enumerate(self.rows):
            row.message.show_message(errors.get(number, ""))

    def retranslate(self) -> None:
        self.add_button.setText(self._add_text())
        for number, row in enumerate(self.rows, start=1):
            row.retranslate(number)


def documents_editor() -> RowsEditor[IdentityDocument]:
    return RowsEditor(
        lambda item: DocumentRow(item or IdentityDocument()), lambda: _("&Add a document")
    )


def contacts_editor() -> RowsEditor[Contact]:
    return RowsEditor(lambda item: ContactRow(item or Contact()), lambda: _("Add a co&ntact"))
