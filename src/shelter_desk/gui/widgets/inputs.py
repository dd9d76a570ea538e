"""Inputs built from code lists, countries and languages, with translated labels.

Every input here keeps the stored code as its value and shows the label in the current
language; :meth:`retranslate` rebuilds the labels (and re-sorts names where the order is
alphabetical) without losing what was chosen.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.codes import CodeList, is_language_code
from shelter_desk.gui.language import qt_locale
from shelter_desk.gui.widgets.language_lists import NOT_OFFERED, SHELTER_LANGUAGES
from shelter_desk.i18n import (
    _,
    countries,
    current_language,
    date_pattern,
    first_day_of_week,
    format_list,
    is_rtl,
    languages,
    locale,
)

Choices = Callable[[], Sequence[tuple[str, str]]]
"""Returns (code, label in the current language) pairs in display order."""


def code_choices(code_list: CodeList) -> Choices:
    return lambda: [(item.code, _(item.label)) for item in code_list]


@functools.cache
def _language_codes(lang: str) -> tuple[str, ...]:
    return tuple(str(c) for c in locale(lang).languages if is_language_code(str(c)))


def language_choices() -> Sequence[tuple[str, str]]:
    """The languages shelters meet, then every other living language CLDR names, each
    group by its name in the interface language (see :mod:`.language_lists`)."""
    offered = [c for c in _language_codes(current_language()) if c not in NOT_OFFERED]
    common = languages([c for c in offered if c in SHELTER_LANGUAGES])
    return [*common, *languages([c for c in offered if c not in SHELTER_LANGUAGES])]


def country_choices() -> Sequence[tuple[str, str]]:
    return countries()


def direction_of(text: str) -> Qt.LayoutDirection | None:
    """The direction of the first strongly directional character, if any."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return Qt.LayoutDirection.RightToLeft
        if kind == "L":
            return Qt.LayoutDirection.LeftToRight
    return None


class NameEdit(QLineEdit):
    """A line for a name or other text in any script: it reads from the side the text is
    written from (an Arabic name right to left even in an English interface)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textChanged.connect(self._follow_script)

    def _follow_script(self, text: str) -> None:
        direction = direction_of(text)
        if direction is None:
            self.unsetLayoutDirection()
        else:
            self.setLayoutDirection(direction)


class ChoiceCombo(QComboBox):
    """One choice among codes; the first item means "not answered" (code ``""``).

    A ``required`` choice has no such item: it always holds one of the codes (the first
    until another is chosen).
    """

    changed = Signal()

    def __init__(
        self,
        choices: Choices,
        blank: Callable[[], str] | None = None,
        parent: QWidget | None = None,
        *,
        required: bool = False,
    ) -> None:
        super().__init__(parent)
        self._choices = choices
        self._required = required
        self._blank = blank if blank is not None else (lambda: _("Not answered"))
        # Long labels (country names, Georgian and Russian wording) must not force the
        # window wider than a small laptop screen: the open list still shows them whole.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.retranslate()

    def code(self) -> str:
        data = self.currentData()
        return str(data) if data else ""

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        if index < 0 and code:  # a code this version does not list: keep it, shown as is
            self.addItem(code, code)
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0))

    def retranslate(self) -> None:
        chosen = self.code()
        self.blockSignals(True)
        self.clear()
        if not self._required:
            self.addItem(self._blank(), "")
        for code, label in self._choices():
            self.addItem(label, code)
        self.set_code(chosen)
        self.blockSignals(False)


def code_combo(
    code_list: CodeList, blank: Callable[[], str] | None = None, *, required: bool = False
) -> ChoiceCombo:
    return ChoiceCombo(code_choices(code_list), blank, required=required)


def country_combo(blank: Callable[[], str] | None = None) -> ChoiceCombo:
    return ChoiceCombo(country_choices, blank or (lambda: _("Not known")))


class LanguageCombo(ChoiceCombo):
    """A language: the ones shelters meet first, a separator, then the other living ones.

    A stored language the list no longer offers (Latin, say) is kept and shown by name."""

    def set_code(self, code: str) -> None:
        if code and self.findData(code) < 0:
            self.addItem(languages([code])[0][1], code)
        super().set_code(code)

    def retranslate(self) -> None:
        super().retranslate()
        common = sum(1 for code, _label in self._choices() if code in SHELTER_LANGUAGES)
        self.blockSignals(True)
        self.insertSeparator(common + (0 if self._required else 1))
        self.blockSignals(False)


def language_combo(blank: Callable[[], str] | None = None) -> ChoiceCombo:
    return LanguageCombo(language_choices, blank or (lambda: _("Not known")))


class _OuterWheelList(QListWidget):
    """A list inside a scrolling form that scrolls itself only while its checklist has the
    focus and it can still move that way: otherwise the wheel scrolls the form (a nested
    list stole it mid-scroll)."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        owner = self.parentWidget() or self
        focus = QApplication.focusWidget()
        working_here = focus is not None and (focus is owner or owner.isAncestorOf(focus))
        bar = self.verticalScrollBar()
        down = event.angleDelta().y() < 0
        at_end = bar.value() == (bar.maximum() if down else bar.minimum())
        outer = self._outer_scroll_area()
        if outer is None or (working_here and not at_end):
            super().wheelEvent(event)
            return
        # As Qt's scroll area does with its own bar: hand the event to the form's.
        QApplication.sendEvent(outer.verticalScrollBar(), event)
        event.accept()

    def _outer_scroll_area(self) -> QAbstractScrollArea | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        return parent


class ChoiceChecklist(QWidget):
    """Several choices among codes, as a list of tick boxes (Space ticks the current one).

    Long lists (countries) get a filter line above them and a line below saying what is
    ticked, so a choice scrolled out of sight is not forgotten.
    """

    changed = Signal()

    def __init__(
        self, choices: Choices, *, filterable: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._choices = choices
        self._name = ""
        self.filter = QLineEdit()
        self.filter.setVisible(filterable)
        self.filter.textChanged.connect(self._apply_filter)
        self.list: QListWidget = _OuterWheelList()
        self.list.itemChanged.connect(self._item_changed)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setVisible(filterable)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(self.summary)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so that its label's mnemonic works
        self.setFocusProxy(self.filter if filterable else self.list)
        self.retranslate()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self._name = name
        self.list.setAccessibleName(name)
        self.filter.setAccessibleName(_("{field}: filter").format(field=name))

    def selected(self) -> tuple[str, ...]:
        found = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return tuple(found)

    def set_selected(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        self.list.blockSignals(True)
        known = set()
        for row in range(self.list.count()):
            item = self.list.item(row)
            code = str(item.data(Qt.ItemDataRole.UserRole))
            known.add(code)
            checked = Qt.CheckState.Checked if code in wanted else Qt.CheckState.Unchecked
            item.setCheckState(checked)
        for code in sorted(wanted - known):  # from a newer version: keep and show as is
            self._add_item(code, code, True)
        self.list.blockSignals(False)
        self._update_summary()

    def set_checked(self, code: str, checked: bool) -> None:
        chosen = set(self.selected())
        if checked:
            chosen.add(code)
        else:
            chosen.discard(code)
        self.set_selected(chosen)
        self.changed.emit()

    def retranslate(self) -> None:
        chosen = self.selected() if self.list.count() else ()
        self.list.blockSignals(True)
        self.list.clear()
        for code, label in self._choices():
            self._add_item(code, label, False)
        self.list.blockSignals(False)
        self.set_selected(chosen)
        self.filter.setPlaceholderText(_("Type to filter"))
        if self._name:
            self.setAccessibleName(self._name)
        self._apply_filter(self.filter.text())

    def _add_item(self, code: str, label: str, checked: bool) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
        )
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.addItem(item)

    def _item_changed(self, _item: QListWidgetItem) -> None:
        self._update_summary()
        self.changed.emit()

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())
        current = self.list.currentItem()
        if current is not None and current.isHidden():
            # Space ticks the current item: never one the filter hides from sight.
            shown = (r for r in range(self.list.count()) if not self.list.item(r).isHidden())
            self.list.setCurrentRow(next(shown, -1))

    def _update_summary(self) -> None:
        labels = [
            self.list.item(row).text()
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
        self.summary.setText(
            _("Chosen: {items}").format(items=format_list(labels)) if labels else _("None chosen")
        )


def code_checklist(code_list: CodeList) -> ChoiceChecklist:
    return ChoiceChecklist(code_choices(code_list))


COUNTRY_ROWS_SHOWN = 8
"""How many countries the citizenship list shows at once (the filter finds the rest)."""


def country_checklist() -> ChoiceChecklist:
    checklist = ChoiceChecklist(country_choices, filterable=True)
    rows = checklist.list
    rows.setMinimumHeight(COUNTRY_ROWS_SHOWN * rows.sizeHintForRow(0) + 2 * rows.frameWidth())
    return checklist


def qt_day_of_week(monday_is_zero: int) -> Qt.DayOfWeek:
    return Qt.DayOfWeek(monday_is_zero + 1)


NO_DATE = QDate(1800, 1, 1)
"""The date box's lowest date, shown as :data:`NO_DATE_TEXT`: no date (never a real one)."""
NO_DATE_TEXT = "—"


class DateField(QWidget):
    """A date, or "Not known". The calendar starts the week on the locale's first day."""

    changed = Signal()

    def __init__(self, *, known_by_default: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        # "Not known" shows no date at all: a disabled box holding today's date looked like
        # a real date of birth. The lowest date stands for "none" and shows as a dash.
        self.edit.setMinimumDate(NO_DATE)
        self.edit.setSpecialValueText(NO_DATE_TEXT)
        self.last_known = QDate.currentDate()
        self.edit.setDate(self.last_known if known_by_default else NO_DATE)
        self.unknown = QCheckBox()
        self.unknown.setChecked(not known_by_default)
        self.edit.setEnabled(known_by_default)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.unknown.toggled.connect(self._unknown_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.unknown)
        # A label's mnemonic focuses its buddy only if the buddy takes focus itself; the
        # focus then goes on to the date, or to "Not known" while the date is disabled.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.edit if known_by_default else self.unknown)
        self._name = ""
        self.retranslate()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self._name = name
        self.edit.setAccessibleName(name)
        self.unknown.setAccessibleName(_("{field}: not known").format(field=name))
        # The calendar's own year box (a Qt internal) would otherwise be nameless.
        year = self.edit.calendarWidget().findChild(QSpinBox, "qt_calendar_yearedit")
        if year is not None:
            year.setAccessibleName(_("{field}: year").format(field=name))

    def date(self) -> dt.date | None:
        if self.unknown.isChecked():
            return None
        value = self.edit.date()
        return dt.date(value.year(), value.month(), value.day())

    def set_date(self, value: dt.date | None) -> None:
        self.blockSignals(True)
        if value is None:
            self.unknown.setChecked(True)
            self.edit.setDate(NO_DATE)
        else:
            self.last_known = QDate(value.year, value.month, value.day)
            self.unknown.setChecked(False)
            self.edit.setDate(self.last_known)
        self.blockSignals(False)

    def _unknown_toggled(self, unknown: bool) -> None:
        self.edit.setEnabled(not unknown)
        self.edit.blockSignals(True)
        if unknown:
            if self.edit.date() != NO_DATE:
                self.last_known = self.edit.date()
            self.edit.setDate(NO_DATE)
        else:
            self.edit.setDate(self.last_known)
        self.edit.blockSignals(False)
        self.setFocusProxy(self.unknown if unknown else self.edit)
        self.changed.emit()

    def retranslate(self) -> None:
        self.unknown.setText(_("Not known"))
        qlocale = qt_locale()
        self.edit.setLocale(qlocale)
        # The labels' short pattern (the organisation's country or the chosen order), not
        # Qt's own locale's: a date box showed 12/3/2026 beside labels reading 3 Dec 2026.
        pattern = qt_date_pattern(date_pattern("short"))
        # Qt lays a date box's parts out in reverse order right to left ("2000.3.31" for
        # Hebrew d.M.yyyy); given them reversed, it shows the date as the labels write it.
        self.edit.setDisplayFormat(reversed_sections(pattern) if is_rtl() else pattern)
        self.edit.calendarWidget().setLocale(qlocale)
        self.edit.calendarWidget().setFirstDayOfWeek(qt_day_of_week(first_day_of_week()))
        if self._name:
            self.setAccessibleName(self._name)


def reversed_sections(pattern: str) -> str:
    """A Qt date pattern with its fields and the separators between them in reverse order
    (``"d.M.yyyy"`` -> ``"yyyy.M.d"``); quoted text is kept as one separator."""
    tokens = [m.group(0) for m in _DATE_TOKENS.finditer(pattern)]
    return "".join(reversed(tokens))


_DATE_TOKENS = re.compile(r"'[^']*'|([dMy])\1*|[^dMy']+")


def qt_date_pattern(cldr: str) -> str:
    """A numeric CLDR date pattern (``"dd/MM/y"``) as a Qt display format, the year in full
    (``"dd/MM/yyyy"``)."""
    parts = []
    for token in (m.group(0) for m in _DATE_TOKENS.finditer(cldr.replace("L", "M"))):
        parts.append("yyyy" if token[0] == "y" else token)
    return "".join(parts)


class YearSpin(QSpinBox):
    """An estimated year, or "Not known" (the lowest value)."""

    changed = Signal()

    def __init__(self, first: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(first - 1, dt.date.today().year)
        self.setValue(first - 1)
        self.valueChanged.connect(lambda _v: self.changed.emit())
        self.retranslate()

    def year(self) -> int | None:
        value = self.value()
        return None if value == self.minimum() else value

    def set_year(self, year: int | None) -> None:
        self.blockSignals(True)
        self.setValue(self.minimum() if year is None else year)
        self.blockSignals(False)

    def retranslate(self) -> None:
        self.setSpecialValueText(_("Not known"))


class CountSpin(QSpinBox):
    """A count that may be unknown (shown as "Not known")."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(-1, 99)
        self.setValue(-1)
        self.valueChanged.connect(lambda _v: self.changed.emit())
        self.retranslate()

    def count(self) -> int | None:
        return None if self.value() < 0 else self.value()

    def set_count(self, count: int | None) -> None:
        self.blockSignals(True)
        self.setValue(-1 if count is None else count)
        self.blockSignals(False)

    def retranslate(self) -> None:
        self.setSpecialValueText(_("Not known"))
