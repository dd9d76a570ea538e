"""The settings dialog: organisation details, case number prefix, auto-lock, follow-ups,
the order dates are written in.

It reads the current settings on the worker when it opens and saves them there; problems
are shown under their fields and the dialog stays open.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.gui.forms import Form
from shelter_desk.gui.operations import OpRunner, run_op, show_error
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.i18n import N_, _, countries, country_name, format_date, set_date_style
from shelter_desk.i18n.date_style import (
    DAY_MONTH_YEAR,
    FOLLOW_COUNTRY,
    MONTH_DAY_YEAR,
    YEAR_MONTH_DAY,
    DateStyle,
)
from shelter_desk.services import settings as settings_service
from shelter_desk.services.session import Session
from shelter_desk.services.settings import (
    AUTOLOCK_MINUTES,
    CASE_PREFIX_KEY,
    DATE_ORDER,
    FOLLOW_UP_MONTHS,
    MAX_AUTOLOCK_MINUTES,
    ORG_COUNTRY,
    ORG_NAME,
    Settings,
    describe_months,
)

SAMPLE_DATE = dt.date(2026, 12, 3)  # day and month differ: the sample shows the order
DATE_ORDERS = (
    # TRANSLATORS: the order of day, month and year in dates, as the country writes it
    (FOLLOW_COUNTRY, N_("As in the organisation's country")),
    (DAY_MONTH_YEAR, N_("Day, month, year")),
    (MONTH_DAY_YEAR, N_("Month, day, year")),
    (YEAR_MONTH_DAY, N_("Year, month, day")),
)


class SettingsDialog(Retranslated, QDialog):
    saved = Signal(object)
    """Emitted with the stored :class:`Settings` after a successful save."""

    def __init__(self, runner: OpRunner, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.setMinimumWidth(520)
        self.org_name = QLineEdit()
        self.org_country = QComboBox()
        self.org_country.addItem("", "")
        for code, name in countries():
            self.org_country.addItem(name, code)
        self.case_prefix = QLineEdit()
        self.case_prefix.setMaxLength(10)
        self.autolock = QSpinBox()
        # 0 is allowed in the box so that it is refused with words, not silently raised.
        self.autolock.setRange(0, MAX_AUTOLOCK_MINUTES)
        self.follow_up_months = QLineEdit()
        self.date_order = QComboBox()
        for order, _label in DATE_ORDERS:
            self.date_order.addItem("", order)
        self.date_sample = QLabel()
        self.form = Form(QFormLayout())
        self.form.add(ORG_NAME, lambda: _("Organisation &name:"), self.org_name)
        self.form.add(ORG_COUNTRY, lambda: _("&Country:"), self.org_country)
        self.form.add(CASE_PREFIX_KEY, lambda: _("Case number &prefix:"), self.case_prefix)
        self.form.add(AUTOLOCK_MINUTES, lambda: _("&Lock after (minutes idle):"), self.autolock)
        self.form.add(
            FOLLOW_UP_MONTHS,
            lambda: _("&Follow-ups (months after return):"),
            self.follow_up_months,
        )
        self.form.add(DATE_ORDER, lambda: _("&Dates:"), self.date_order)
        self.form.layout.addRow("", self.date_sample)
        self.org_country.currentIndexChanged.connect(self._show_sample)
        self.date_order.currentIndexChanged.connect(self._show_sample)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.general_message = QLabel()
        self.general_message.setWordWrap(True)
        self.general_message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form.layout)
        layout.addWidget(self.explanation)
        layout.addWidget(self.general_message)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.save_button.setEnabled(False)  # until the current settings are shown
        self.loaded = False
        run_op(
            self,
            runner,
            lambda: settings_service.read_settings(session),
            self.show_settings,
        )

    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Settings"))
        for index in range(self.org_country.count()):
            code = str(self.org_country.itemData(index))
            self.org_country.setItemText(index, country_name(code) if code else _("(not given)"))
        self.autolock.setSuffix(" " + _("min"))
        for index, (_order, label) in enumerate(DATE_ORDERS):
            self.date_order.setItemText(index, _(label))
        self.explanation.setText(
            _(
                "A new case number prefix is used for cases opened from now on; existing"
                " numbers never change. The follow-up months are used when follow-ups are"
                " scheduled after a return. A new organisation name and auto-lock time take"
                " effect the next time Shelter Desk is unlocked."
            )
        )
        self.save_button.setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.form.retranslate()
        self._show_sample()

    def show_settings(self, current: Settings) -> None:
        self.org_name.setText(current.org_name)
        self.org_country.setCurrentIndex(max(self.org_country.findData(current.org_country), 0))
        self.case_prefix.setText(current.case_prefix)
        self.autolock.setValue(current.autolock_minutes)
        self.follow_up_months.setText(describe_months(current.follow_up_months))
        self.date_order.setCurrentIndex(max(self.date_order.findData(current.date_order), 0))
        self.loaded = True
        self.save_button.setEnabled(True)
        self.org_name.setFocus()

    def submit(self) -> None:
        self.form.clear_errors()
        self.general_message.hide()
        self.save_button.setEnabled(False)
        session = self.session
        org_name, country = self.org_name.text(), str(self.org_country.currentData())
        prefix, minutes = self.case_prefix.text(), self.autolock.value()
        months = self.follow_up_months.text()
        order = str(self.date_order.currentData())
        run_op(
            self,
            self.runner,
            lambda: settings_service.save_settings_form(
                session,
                org_name=org_name,
                org_country=country,
                case_prefix=prefix,
                autolock_minutes=minutes,
                follow_up_months=months,
                date_order=order,
            ),
            self._saved,
            self._refused,
            progress_title=_("Saving…"),
        )

    def _chosen_style(self) -> DateStyle:
        return DateStyle(str(self.org_country.currentData()), str(self.date_order.currentData()))

    def _show_sample(self) -> None:
        style = self._chosen_style()
        self.date_sample.setText(
            _("Dates are written like this: {short} or {medium}").format(
                short=format_date(SAMPLE_DATE, "short", style),
                medium=format_date(SAMPLE_DATE, "medium", style),
            )
        )

    def _saved(self, stored: Settings) -> None:
        # Dates change at once everywhere: the window is re-translated by whoever listens.
        set_date_style(DateStyle(stored.org_country, stored.date_order))
        self.saved.emit(stored)
        self.accept()

    def _refused(self, error: ShelterDeskError) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            leftover = self.form.show_errors(error.errors)
            if leftover:
                self.general_message.setText("\n".join(leftover))
                self.general_message.show()
        else:
            show_error(self, error.message)
