"""Right to left and mixed scripts on screen (issue 16): names whose parts keep their own
order, case headers aligned with the interface, one kind of digits, mirrored wizard arrows.

Visual order is measured with Qt's own text layout (where each character lands), the
alignment on the rendered label."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QWizard, QWizardPage
from pytestqt.qtbot import QtBot

from shelter_desk.gui.language import InterfaceLanguage, qt_locale
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.widgets.bidi import isolated_name, point_wizard_arrows
from shelter_desk.gui.widgets.inputs import DateField, YearSpin
from shelter_desk.i18n import format_date, format_number
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import cases_view, open_first_case, seed_cases
from tests.gui.conftest import OFFSCREEN_LIMITS
from tests.services.case_helpers import person

pytestmark = OFFSCREEN_LIMITS

ARABIC, LATIN = "حسن حامد", "Hassan Hamid"
HASSAN = person("حسن", "Hassan", second="حامد", second_latin="Hamid")


def x_of(text: str, index: int, rtl: bool, font: QFont) -> float:
    """Where the character at ``index`` lands on a line laid out in this direction."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return float(line.cursorToX(index)[0])


def latin_after_arabic(text: str, rtl: bool, font: QFont) -> bool:
    """Whether the Latin name reads after the Arabic one (to its right in a left-to-right
    line, to its left in a right-to-left one) with its bracket before it."""
    arabic = [x_of(text, i, rtl, font) for i, c in enumerate(text) if c in ARABIC and c != " "]
    latin = x_of(text, text.index(LATIN[0], text.index("(")), rtl, font)
    bracket = x_of(text, text.index("("), rtl, font)
    if rtl:
        return latin < bracket < min(arabic)
    return max(arabic) < bracket < latin


def test_a_name_in_two_scripts_keeps_each_part_in_its_order_even_when_cut() -> None:
    font = QApplication.font()
    shown = isolated_name(f"{ARABIC} ({LATIN})")
    assert latin_after_arabic(shown, rtl=False, font=font)
    assert latin_after_arabic(shown, rtl=True, font=font)
    metrics = QFontMetrics(font)
    cut = metrics.elidedText(
        shown, Qt.TextElideMode.ElideRight, metrics.horizontalAdvance(shown) - 30
    )
    assert cut != shown and cut.startswith(isolated_name(ARABIC))  # cut in the Latin part
    assert latin_after_arabic(cut, rtl=False, font=font)  # "...Hassan Hami) حسن حامد" before
    assert isolated_name("Amina Bello") == "\u2068Amina Bello\u2069"
    assert isolated_name("") == ""


def test_the_case_list_and_the_case_header_isolate_each_part_of_the_name(
    qtbot: QtBot, existing: Path, make_shell
) -> None:
    seed_cases(existing, HASSAN)
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=1)
    assert isinstance(view, CasesView)
    qtbot.waitUntil(lambda: view.model.is_loaded(0), timeout=10_000)
    cell = view.model.data(view.model.index(0, 1))
    assert latin_after_arabic(cell, rtl=False, font=view.table.font())

    workspace = open_first_case(qtbot, view)
    title = workspace.title.text()
    assert latin_after_arabic(title, rtl=False, font=workspace.title.font())
    number = workspace.case_file.case.number
    assert x_of(title, title.index(number[0]), False, workspace.title.font()) < x_of(
        title, title.index(LATIN), False, workspace.title.font()
    )


def ink_columns(label: QLabel) -> tuple[int, int]:
    """The first and last pixel columns where the label drew its text."""
    image = label.grab().toImage()
    background = QColor(image.pixel(image.width() - 1, image.height() - 1)).lightness()
    columns = [
        x
        for x in range(image.width())
        if any(
            abs(QColor(image.pixel(x, y)).lightness() - background) > 80
            for y in range(image.height())
        )
    ]
    assert columns, "nothing drawn"
    return columns[0], columns[-1]


def test_the_case_header_starting_with_a_latin_case_number_is_right_aligned_in_arabic(
    qtbot: QtBot, existing: Path, make_shell
) -> None:
    seed_cases(existing, HASSAN)
    shell = make_shell(existing, language="ar")
    view = cases_view(qtbot, shell, rows=1)
    workspace = open_first_case(qtbot, view)
    qtbot.wait(20)
    assert workspace.title.width() > 400
    first, last = ink_columns(workspace.title)
    left_gap, right_gap = first, workspace.title.width() - 1 - last
    assert right_gap < 20 < left_gap, (left_gap, right_gap)
    assert latin_after_arabic(workspace.title.text(), rtl=True, font=workspace.title.font())


def test_arabic_dates_and_numbers_use_one_kind_of_digits_in_widgets_and_labels(
    qtbot: QtBot, qapp: QApplication
) -> None:
    interface = InterfaceLanguage(qapp)
    try:
        interface.apply("ar")
        label = format_date(dt.date(2026, 12, 3), "short")
        assert any(c in label for c in "0123456789")
        assert not any("\u0660" <= c <= "\u0669" for c in label + format_number(1234))

        field = DateField()
        qtbot.addWidget(field)
        field.set_date(dt.date(2026, 12, 3))
        shown = field.edit.text()
        assert not any("\u0660" <= c <= "\u0669" for c in shown), shown
        assert "2026" in shown and "3" in shown
        year = YearSpin(1900)
        qtbot.addWidget(year)
        year.setValue(1990)
        assert "1990" in year.text()
        assert QLocale().zeroDigit() == "0" == qt_locale("ar").zeroDigit()
        assert qt_locale("ar").dateFormat(QLocale.FormatType.ShortFormat) == QLocale(
            "ar_EG"
        ).dateFormat(QLocale.FormatType.ShortFormat)
        assert qt_locale("he").name() == "he_IL" and qt_locale("ka").name() == "ka_GE"
    finally:
        interface.apply("en")
        interface.remove_qt_translations()


def test_back_and_next_point_the_way_the_pages_turn(qtbot: QtBot, qapp: QApplication) -> None:
    interface = InterfaceLanguage(qapp)
    try:
        for language, rtl in (("ar", True), ("he", True), ("en", False)):
            interface.apply(language)
            wizard = QWizard()
            qtbot.addWidget(wizard)
            for _page in range(3):
                wizard.addPage(QWizardPage())
            wizard.show()
            wizard.next()
            point_wizard_arrows(wizard)
            back = wizard.button(QWizard.WizardButton.BackButton)
            forward = wizard.button(QWizard.WizardButton.NextButton)
            for button in (back, forward):
                assert "<" not in button.text() and ">" not in button.text()
                assert button.text().strip("&")
            style = wizard.style()
            right = style.standardIcon(QStyle.StandardPixmap.SP_ArrowRight).pixmap(16).toImage()
            left = style.standardIcon(QStyle.StandardPixmap.SP_ArrowLeft).pixmap(16).toImage()
            back_arrow = back.icon().pixmap(16).toImage()
            next_arrow = forward.icon().pixmap(16).toImage()
            assert (back_arrow == right, next_arrow == left) == (rtl, rtl), language
            assert (back_arrow == left, next_arrow == right) == (not rtl, not rtl), language
            # Next's arrow comes after its word: the button lays out the other way round
            assert forward.layoutDirection() != wizard.layoutDirection()
            wizard.close()
    finally:
        interface.apply("en")
        interface.remove_qt_translations()


def test_the_new_case_wizard_uses_these_arrows(qtbot: QtBot, existing: Path, make_shell) -> None:
    shell = make_shell(existing, language="he")
    view = cases_view(qtbot, shell, ADMIN, ADMIN_PASSPHRASE, rows=0)
    wizard = view.open_wizard()
    back = wizard.button(QWizard.WizardButton.BackButton)
    assert not back.icon().isNull() and "<" not in back.text()
    wizard.reject()


def test_a_date_box_writes_the_date_as_the_labels_do_in_hebrew_and_arabic(
    qtbot: QtBot, qapp: QApplication
) -> None:
    """Qt lays a date box's fields out backwards right to left: Hebrew showed 2000.3.31
    beside labels reading 31.3.2000."""
    interface = InterfaceLanguage(qapp)
    day = dt.date(2000, 3, 31)
    try:
        for language in ("he", "ar", "en"):
            interface.apply(language)
            field = DateField()
            qtbot.addWidget(field)
            field.set_date(day)
            label = format_date(day, "short").strip("\u2068\u2069")
            assert field.edit.text() == four_digit_year_of(label), language
            assert field.date() == day
    finally:
        interface.apply("en")
        interface.remove_qt_translations()


def four_digit_year_of(text: str) -> str:
    """babel's short date with the year in full (the date box never shortens it)."""
    return text if "2000" in text else text.replace("00", "2000", 1)
