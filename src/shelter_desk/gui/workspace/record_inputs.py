"""Small inputs for the record tabs (needs, plan, services, referrals, return, reintegration).

Code choices, countries, dates and ticked code lists are the shared ones of
:mod:`shelter_desk.gui.widgets.inputs`; only what those do not cover lives here.

Each input can give its value as plain JSON-able data and take it back
(:func:`input_value` / :func:`set_input_value`), which is how the tabs keep unsaved work in
a draft across a lock, and says when the person changed it (:func:`changed_signal`), which
is how they know they are dirty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from shelter_desk.domain.codes import CodeList
from shelter_desk.domain.entities import Organisation
from shelter_desk.gui.widgets.inputs import ChoiceChecklist, ChoiceCombo, DateField, code_checklist
from shelter_desk.i18n import _, format_currency, format_date

COMMON_CURRENCIES = ("USD", "EUR", "ILS", "JOD", "EGP", "MAD", "LBP", "QAR", "GEL")


class OrganisationCombo(QComboBox):
    """A partner organisation from the address book (or none)."""

    def __init__(self) -> None:
        super().__init__()
        self._wanted = ""
        self.organisations: list[Organisation] = []
        self._rebuild()

    def set_organisations(self, organisations: Sequence[Organisation]) -> None:
        self.organisations = list(organisations)
        wanted = self._wanted
        self.blockSignals(True)
        self._rebuild()
        self.blockSignals(False)
        self.set_org_id(wanted)

    def _rebuild(self) -> None:
        self.clear()
        self.addItem("—", "")
        for org in self.organisations:
            self.addItem(org.name, org.id)

    def retranslate(self) -> None:
        """The list holds names only; nothing to translate but the empty entry."""

    def org_id(self) -> str:
        data = self.currentData()
        return str(data) if data is not None else ""

    def set_org_id(self, org_id: str) -> None:
        self._wanted = org_id
        index = self.findData(org_id)
        self.setCurrentIndex(index if index >= 0 else 0)


def organisation_name(organisations: Iterable[Organisation], org_id: str) -> str:
    for org in organisations:
        if org.id == org_id:
            return org.name
    return ""


class MoneyInput(QWidget):
    """An amount and its ISO 4217 currency."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.amount = QLineEdit()
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItem("")
        self.currency.addItems(COMMON_CURRENCIES)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.amount, 2)
        layout.addWidget(self.currency, 1)
        self.setFocusProxy(self.amount)
        self.amount.textEdited.connect(lambda _text: self.changed.emit())
        self.currency.currentTextChanged.connect(lambda _text: self.changed.emit())
        self.retranslate()

    def retranslate(self) -> None:
        self.amount.setAccessibleName(_("Amount"))
        self.currency.setAccessibleName(_("Currency"))
        self.currency.setToolTip(_("Three-letter currency code, such as USD or ILS."))

    def cost(self) -> Decimal | None:
        """The amount typed, or None when empty; ValueError when it is not a number."""
        return parse_amount(self.amount.text())

    def currency_code(self) -> str:
        return self.currency.currentText().strip().upper()

    def set_money(self, cost: Decimal | None, currency: str) -> None:
        self.amount.setText("" if cost is None else str(cost))
        self.currency.setCurrentText(currency)


def parse_amount(text: str) -> Decimal | None:
    """An amount as typed in any of our locales: ``1234.5``, ``1 234,50``, ``1,234.50``."""
    cleaned = "".join(ch for ch in text.strip() if not ch.isspace() and ch not in "'\u066c")
    if not cleaned:
        return None
    cleaned = cleaned.replace("\u066b", ".")  # Arabic decimal separator
    if "," in cleaned and "." in cleaned:
        thousands = "," if cleaned.rindex(",") < cleaned.rindex(".") else "."
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(cleaned) from exc
    if not amount.is_finite():
        raise ValueError(cleaned)
    return amount


class LinesEdit(QPlainTextEdit):
    """Several short entries, one a line."""

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setMaximumHeight(4 * self.fontMetrics().lineSpacing() + 12)

    def lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.toPlainText().splitlines() if line.strip())

    def set_lines(self, lines: Iterable[str]) -> None:
        self.setPlainText("\n".join(lines))


def record_checklist(code_list: CodeList) -> ChoiceChecklist:
    """A code list's tick boxes, at most six rows high so the form around stays short."""
    checklist = code_checklist(code_list)
    rows = checklist.list
    rows.setMaximumHeight(6 * rows.sizeHintForRow(0) + 2 * rows.frameWidth() + 4)
    return checklist


def notes_edit() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(5 * edit.fontMetrics().lineSpacing() + 12)
    return edit


def counter() -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 999)
    return spin


# --- values for drafts ----------------------------------------------------------------
def input_value(widget: QWidget) -> Any:
    """The value of an input as JSON-able data."""
    if isinstance(widget, ChoiceCombo):
        return widget.code()
    if isinstance(widget, OrganisationCombo):
        return widget.org_id()
    if isinstance(widget, DateField):
        value = widget.date()
        return value.isoformat() if value else None
    if isinstance(widget, MoneyInput):
        return [widget.amount.text(), widget.currency.currentText()]
    if isinstance(widget, ChoiceChecklist):
        return list(widget.selected())
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    raise TypeError(f"not an input: {type(widget).__name__}")


def set_input_value(widget: QWidget, value: Any) -> None:
    """Put back what :func:`input_value` gave."""
    if isinstance(widget, ChoiceCombo):
        widget.set_code(str(value or ""))
    elif isinstance(widget, OrganisationCombo):
        widget.set_org_id(str(value or ""))
    elif isinstance(widget, DateField):
        widget.set_date(dt.date.fromisoformat(value) if value else None)
    elif isinstance(widget, MoneyInput):
        amount, currency = value if value else ("", "")
        widget.amount.setText(str(amount))
        widget.currency.setCurrentText(str(currency))
    elif isinstance(widget, ChoiceChecklist):
        widget.set_selected(value or ())
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    else:
        raise TypeError(f"not an input: {type(widget).__name__}")


def changed_signal(widget: QWidget) -> SignalInstance:
    """The signal an input sends when its value changes."""
    if isinstance(widget, (ChoiceCombo, ChoiceChecklist, DateField, MoneyInput)):
        return widget.changed
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QSpinBox):
        return widget.valueChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    raise TypeError(f"not an input: {type(widget).__name__}")


# --- tables and display ---------------------------------------------------------------
def record_table() -> QTableWidget:
    """A read-only, row-selecting table of a case's records."""
    table = QTableWidget(0, 0)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().hide()
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))
    fit_table_height(table)


TABLE_ROWS_SHOWN = 8
NO_MAXIMUM = (1 << 24) - 1  # Qt's QWIDGETSIZE_MAX
"""A list of a case's records shows this many rows before it scrolls."""


def fit_table_height(table: QTableWidget, most: int = TABLE_ROWS_SHOWN) -> None:
    """As tall as its rows (at least one, at most ``most``): inside a scroll area a table
    otherwise gets a fixed small height and showed two rows of a longer history."""
    shown = min(max(table.rowCount(), 1), most)
    row_height = table.verticalHeader().defaultSectionSize()
    rows = sum(table.rowHeight(r) for r in range(min(table.rowCount(), shown)))
    rows += row_height * (shown - min(table.rowCount(), shown))
    height = 2 * table.frameWidth() + table.horizontalHeader().sizeHint().height() + rows
    if table.horizontalScrollBar().isVisible():
        height += table.horizontalScrollBar().sizeHint().height()
    table.setMinimumHeight(height)
    table.setMaximumHeight(height if table.rowCount() <= most else NO_MAXIMUM)


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """Buttons side by side at the start of the line, as wide as their words (a button
    alone in a form's column stretched the whole width, like an input)."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def date_text(value: dt.date | None) -> str:
    return format_date(value) if value is not None else ""


def money_text(cost: Decimal | None, currency: str) -> str:
    if cost is None:
        return ""
    if not currency:
        return str(cost)
    try:
        return format_currency(cost, currency)
    except ValueError:
        return f"{cost} {currency}"
