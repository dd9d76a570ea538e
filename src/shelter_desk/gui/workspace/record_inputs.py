"""Small inputs for the record tabs (needs, plan, services, referrals, return, reintegration).

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

from PySide6.QtCore import QDate, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from shelter_desk.domain.codes import CodeList
from shelter_desk.domain.entities import Organisation
from shelter_desk.i18n import _, countries, format_currency, format_date

BLANK_DATE = QDate(1900, 1, 1)
"""The lowest date of a :class:`DateInput`, shown as an empty field: "not known"."""

COMMON_CURRENCIES = ("USD", "EUR", "ILS", "JOD", "EGP", "MAD", "LBP", "QAR", "GEL")


class CodeCombo(QComboBox):
    """A choice from a code list; texts are the translated labels, data the stored codes."""

    def __init__(self, code_list: CodeList, *, blank: bool = True) -> None:
        super().__init__()
        self.code_list = code_list
        self.blank = blank
        if blank:
            self.addItem("", "")
        for item in code_list:
            self.addItem("", item.code)
        self.retranslate()

    def retranslate(self) -> None:
        for index in range(self.count()):
            code = str(self.itemData(index))
            self.setItemText(index, _(self.code_list.label(code)) if code else "—")

    def code(self) -> str:
        data = self.currentData()
        return str(data) if data is not None else ""

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        if index < 0:  # a code from a newer version: keep it, shown as itself
            self.addItem(code, code)
            index = self.count() - 1
        self.setCurrentIndex(index)


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

    def name_of(self, org_id: str) -> str:
        return organisation_name(self.organisations, org_id)


def organisation_name(organisations: Iterable[Organisation], org_id: str) -> str:
    for org in organisations:
        if org.id == org_id:
            return org.name
    return ""


class CountryCombo(QComboBox):
    """A country (ISO 3166 code) by its name in the interface language."""

    def __init__(self) -> None:
        super().__init__()
        self.retranslate()

    def retranslate(self) -> None:
        code = self.country()
        self.blockSignals(True)
        self.clear()
        self.addItem("—", "")
        for country_code, name in countries():
            self.addItem(name, country_code)
        self.blockSignals(False)
        self.set_country(code)

    def country(self) -> str:
        data = self.currentData()
        return str(data) if data is not None else ""

    def set_country(self, code: str) -> None:
        index = self.findData(code)
        self.setCurrentIndex(index if index >= 0 else 0)


class DateInput(QDateEdit):
    """A date that may be unknown (empty). Typing into an empty field starts from today;
    Ctrl+Delete empties it again."""

    def __init__(self) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(BLANK_DATE)
        self.setSpecialValueText(" ")
        self.setDate(BLANK_DATE)
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(_("Year-month-day. Ctrl+Delete empties the date."))

    def date_value(self) -> dt.date | None:
        value = self.date()
        if value == BLANK_DATE:
            return None
        return dt.date(value.year(), value.month(), value.day())

    def set_date_value(self, value: dt.date | None) -> None:
        if value is None:
            self.setDate(BLANK_DATE)
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if control and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_date_value(None)
            return
        navigation = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape)
        if self.date() == BLANK_DATE and event.key() not in navigation and event.text():
            self.setDate(QDate.currentDate())
        super().keyPressEvent(event)


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


class CheckList(QListWidget):
    """Several codes of a code list, ticked with the space bar or the mouse."""

    def __init__(self, code_list: CodeList) -> None:
        super().__init__()
        self.code_list = code_list
        for item in code_list:
            entry = QListWidgetItem()
            entry.setData(Qt.ItemDataRole.UserRole, item.code)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(entry)
        self.setMaximumHeight(6 * self.sizeHintForRow(0) + 2 * self.frameWidth() + 4)
        self.retranslate()

    def retranslate(self) -> None:
        for index in range(self.count()):
            entry = self.item(index)
            entry.setText(_(self.code_list.label(str(entry.data(Qt.ItemDataRole.UserRole)))))

    def checked_codes(self) -> tuple[str, ...]:
        return tuple(
            str(self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )

    def set_checked(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        for index in range(self.count()):
            entry = self.item(index)
            ticked = entry.data(Qt.ItemDataRole.UserRole) in wanted
            entry.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)


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
    if isinstance(widget, CodeCombo):
        return widget.code()
    if isinstance(widget, OrganisationCombo):
        return widget.org_id()
    if isinstance(widget, CountryCombo):
        return widget.country()
    if isinstance(widget, DateInput):
        value = widget.date_value()
        return value.isoformat() if value else None
    if isinstance(widget, MoneyInput):
        return [widget.amount.text(), widget.currency.currentText()]
    if isinstance(widget, CheckList):
        return list(widget.checked_codes())
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
    if isinstance(widget, CodeCombo):
        widget.set_code(str(value or ""))
    elif isinstance(widget, OrganisationCombo):
        widget.set_org_id(str(value or ""))
    elif isinstance(widget, CountryCombo):
        widget.set_country(str(value or ""))
    elif isinstance(widget, DateInput):
        widget.set_date_value(dt.date.fromisoformat(value) if value else None)
    elif isinstance(widget, MoneyInput):
        amount, currency = value if value else ("", "")
        widget.amount.setText(str(amount))
        widget.currency.setCurrentText(str(currency))
    elif isinstance(widget, CheckList):
        widget.set_checked(value or ())
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
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QDateEdit):
        return widget.dateChanged
    if isinstance(widget, MoneyInput):
        return widget.changed
    if isinstance(widget, QListWidget):
        return widget.itemChanged
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
