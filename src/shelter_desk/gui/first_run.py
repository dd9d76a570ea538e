"""The first-run window: create the organisation and its first administrator, then show the
recovery key once, and insist that it is written down before going on."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.gui.forms import FieldMessage, Form, passphrase_edit, passphrase_rule
from shelter_desk.gui.operations import OpRunner, run_op, show_error
from shelter_desk.gui.signed_in import SignedIn, read_signed_in
from shelter_desk.i18n import LANGUAGES, N_, _, countries, current_language, language_name
from shelter_desk.security.passphrase import format_recovery_key
from shelter_desk.services.installation import Installation

INSTALLATION_ROLE_LABELS = {
    "shelter": N_("A shelter or service provider (cases are recorded here)"),
    "coordinator": N_("A national coordinator office (receives shelters' bundles)"),
}


def create_and_read(
    installation: Installation,
    *,
    org_name: str,
    country: str,
    role: str,
    language: str,
    admin: str,
    passphrase: str,
) -> tuple[SignedIn, str]:
    """Create the installation and read the new session. Runs on the database worker."""
    session, recovery_key = installation.create(
        org_name=org_name,
        admin=admin,
        passphrase=passphrase,
        role=role,
        country=country,
        language=language,
    )
    return read_signed_in(session), recovery_key


class FirstRunWindow(QWidget):
    language_chosen = Signal(str)
    """The person picked another interface language; the shell applies it."""
    completed = Signal(object)
    """Emitted with a :class:`SignedIn` after the recovery key was confirmed written down."""

    def __init__(
        self, runner: OpRunner, installation: Installation, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.installation = installation
        self.signed_in: SignedIn | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_form_page())
        self.pages.addWidget(self._build_recovery_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.retranslate()
        self.org_name.setFocus()
        self.resize(620, 680)

    # -- page 1: the organisation and its administrator ------------------------------
    def _build_form_page(self) -> QWidget:
        page = QWidget()
        self.welcome = QLabel()
        font = QFont(self.welcome.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.welcome.setFont(font)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.org_name = QLineEdit()
        self.country = QComboBox()
        self.installation_role = QComboBox()
        for role in INSTALLATION_ROLE_LABELS:
            self.installation_role.addItem("", role)
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(str(self.language.currentData()))
        )
        self.admin = QLineEdit()
        self.passphrase = passphrase_edit()
        self.repeat = passphrase_edit()
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.general_message = FieldMessage()
        self.create_button = QPushButton()
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_installation)

        self.form = Form(QFormLayout())
        self.form.add("org_name", lambda: _("&Organisation name:"), self.org_name)
        self.form.add("country", lambda: _("&Country:"), self.country)
        self.form.add("role", lambda: _("This &installation is for:"), self.installation_role)
        self.form.add("language", lambda: _("Interface &language:"), self.language)
        self.form.add("admin", lambda: _("&Administrator's user name:"), self.admin)
        self.form.add("passphrase", lambda: _("Pa&ssphrase:"), self.passphrase)
        self.form.add("repeat", lambda: _("&Repeat passphrase:"), self.repeat)
        self.form.layout.addRow(self.rule)

        layout = QVBoxLayout(page)
        layout.addWidget(self.welcome)
        layout.addWidget(self.explanation)
        layout.addLayout(self.form.layout)
        layout.addWidget(self.general_message)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        for first, second in (
            (self.org_name, self.country),
            (self.country, self.installation_role),
            (self.installation_role, self.language),
            (self.language, self.admin),
            (self.admin, self.passphrase),
            (self.passphrase, self.repeat),
            (self.repeat, self.create_button),
        ):
            QWidget.setTabOrder(first, second)
        return page

    def _fill_countries(self) -> None:
        chosen = self.country.currentData()
        self.country.clear()
        self.country.addItem(_("(not stated)"), "")
        for code, name in countries():
            self.country.addItem(name, code)
        self.country.setCurrentIndex(max(self.country.findData(chosen), 0))

    # -- page 2: the recovery key -----------------------------------------------------
    def _build_recovery_page(self) -> QWidget:
        page = QWidget()
        self.recovery_title = QLabel()
        font = QFont(self.recovery_title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.recovery_title.setFont(font)
        self.recovery_warning = QLabel()
        self.recovery_warning.setWordWrap(True)
        self.recovery_warning.setStyleSheet(
            "border: 2px solid #a4000f; padding: 8px; font-weight: bold;"
        )
        self.recovery_key = QLabel()
        self.recovery_key.setObjectName("recoveryKey")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 9.0) * 1.6)
        self.recovery_key.setFont(mono)
        self.recovery_key.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.recovery_key.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.recovery_key.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.recovery_key.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.recovery_key.setStyleSheet("padding: 12px; border: 1px solid palette(mid);")
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_recovery_key)
        self.copied = QLabel()
        self.written_down = QCheckBox()
        self.continue_button = QPushButton()
        self.continue_button.setEnabled(False)
        self.written_down.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self.finish)

        layout = QVBoxLayout(page)
        layout.addWidget(self.recovery_title)
        layout.addWidget(self.recovery_warning)
        layout.addWidget(self.recovery_key)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.copied, 1)
        layout.addLayout(copy_row)
        layout.addStretch(1)
        layout.addWidget(self.written_down)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.recovery_key, self.copy_button)
        QWidget.setTabOrder(self.copy_button, self.written_down)
        QWidget.setTabOrder(self.written_down, self.continue_button)
        return page

    # -- language ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Shelter Desk — first start"))
        self.welcome.setText(_("Welcome to Shelter Desk"))
        self.explanation.setText(
            _(
                "Set up this computer for your organisation. You become its first"
                " administrator and can add your colleagues afterwards. Everything is"
                " kept encrypted on this computer; your passphrase is the key."
            )
        )
        self._fill_countries()
        for index in range(self.installation_role.count()):
            role = str(self.installation_role.itemData(index))
            self.installation_role.setItemText(index, _(INSTALLATION_ROLE_LABELS[role]))
        self.form.retranslate()
        self.rule.setText(passphrase_rule())
        self.create_button.setText(_("C&reate"))
        self.recovery_title.setText(_("Your recovery key"))
        self.recovery_warning.setText(
            _(
                "Write this recovery key on paper now, or print it, and keep it locked away"
                " apart from this laptop. If every passphrase is forgotten it is the only way"
                " back to the records. Anyone who has it and this laptop can read everything."
                " It will not be shown again."
            )
        )
        self.recovery_key.setAccessibleName(_("Recovery key"))
        self.copy_button.setText(_("&Copy"))
        self.written_down.setText(_("I have &written down the recovery key"))
        self.continue_button.setText(_("C&ontinue"))

    # -- creating ------------------------------------------------------------------------
    def create_installation(self) -> None:
        self.form.clear_errors()
        self.general_message.clear_message()
        if self.passphrase.text() != self.repeat.text():
            self.form.show_errors({"repeat": _("The two passphrases are not the same.")})
            return
        installation = self.installation
        org_name = self.org_name.text().strip()
        country = str(self.country.currentData() or "")
        role = str(self.installation_role.currentData())
        language = str(self.language.currentData())
        admin = self.admin.text().strip()
        passphrase = self.passphrase.text()
        self.create_button.setEnabled(False)
        run_op(
            self,
            self.runner,
            lambda: create_and_read(
                installation,
                org_name=org_name,
                country=country,
                role=role,
                language=language,
                admin=admin,
                passphrase=passphrase,
            ),
            self._created,
            self._refused,
            progress_title=_("Creating the encrypted installation…"),
        )

    def _created(self, result: tuple[SignedIn, str]) -> None:
        self.signed_in, recovery_key = result
        self.passphrase.clear()
        self.repeat.clear()
        self.recovery_key.setText(format_recovery_key(recovery_key))
        self.pages.setCurrentIndex(1)
        self.recovery_key.setFocus()

    def _refused(self, error: ShelterDeskError) -> None:
        self.create_button.setEnabled(True)
        if isinstance(error, ValidationError):
            leftover = self.form.show_errors(error.errors)
            if leftover:
                self.general_message.show_message("\n".join(leftover))
        else:
            show_error(self, error.message)

    @property
    def showing_recovery_key(self) -> bool:
        return self.pages.currentIndex() == 1

    def copy_recovery_key(self) -> None:
        QGuiApplication.clipboard().setText(self.recovery_key.text())
        self.copied.setText(
            _("Copied. Paste it only where you will print it, then clear the clipboard.")
        )

    def finish(self) -> None:
        if self.signed_in is None or not self.written_down.isChecked():
            return
        self.recovery_key.clear()
        self.completed.emit(self.signed_in)
