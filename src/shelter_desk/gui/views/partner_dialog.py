"""The dialog that adds or edits an organisation in the directory (the address book of
organisations a case is referred to; not the sync partners, who exchange bundles).

It saves on the database worker and stays open with the messages next to the fields when
something cannot be used, so nothing typed is lost. Without the permission to manage
partners it shows the entry read-only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.domain.entities import ContactPerson, Organisation
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.gui.forms import Form
from shelter_desk.gui.operations import OpRunner, run_op, show_error
from shelter_desk.gui.retranslation import Retranslated, label_form_buttons
from shelter_desk.i18n import _, countries, country_name, languages
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.session import Session

# Languages offered as ticks: those spoken by the people these shelters serve and by their
# partners. A language already on an entry is always offered too.
PARTNER_LANGUAGES = (
    "am", "ar", "bn", "de", "en", "es", "fa", "fr", "he", "hi", "hy", "id", "it", "ka", "ky",
    "ne", "om", "pt", "ro", "ru", "si", "so", "sw", "ta", "tg", "th", "ti", "tl", "tr", "uk",
    "ur", "uz", "vi", "zh",
)  # fmt: skip
CONTACT_COLUMNS = ("name", "role", "phone", "email")


def code_combo(code_list: codes.CodeList, selected: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(_("(not given)"), "")
    for item in code_list:
        combo.addItem(_(item.label), item.code)
    if selected and combo.findData(selected) < 0:
        combo.addItem(selected, selected)  # a code from a newer version: keep it
    combo.setCurrentIndex(max(combo.findData(selected), 0))
    return combo


def country_combo(selected: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(_("(not given)"), "")
    for code, name in countries():
        combo.addItem(name, code)
    combo.setCurrentIndex(max(combo.findData(selected), 0))
    return combo


def tick_list(items: list[tuple[str, str]], ticked: tuple[str, ...]) -> QListWidget:
    widget = QListWidget()
    widget.setMaximumHeight(150)
    for code, label in items:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if code in ticked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def relabel_combo(combo: QComboBox, label: Callable[[str], str]) -> None:
    """Each item's text again in the current language (empty code: "(not given)")."""
    for i in range(combo.count()):
        code = str(combo.itemData(i))
        combo.setItemText(i, label(code) if code else _("(not given)"))


def relabel_ticks(widget: QListWidget, label: Callable[[str], str]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        item.setText(label(str(item.data(Qt.ItemDataRole.UserRole))))


def code_label(code_list: codes.CodeList) -> Callable[[str], str]:
    return lambda code: _(code_list.label(code)) if code in code_list else code


def ticked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(
        str(widget.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    )


class PartnerDialog(Retranslated, QDialog):
    saved = Signal(object)
    """Emitted with the saved :class:`Organisation`."""

    def __init__(
        self,
        runner: OpRunner,
        session: Session,
        organisation: Organisation | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.original = organisation or Organisation()
        self.editable = session.can(Permission.MANAGE_PARTNERS)
        org = self.original
        self.setMinimumWidth(560)

        self.name = QLineEdit(org.name)
        self.type = code_combo(codes.ORGANISATION_TYPE, org.type)
        self.country = country_combo(org.country)
        self.city = QLineEdit(org.city)
        self.street = QLineEdit(org.street)
        self.phone = QLineEdit(org.phone)
        self.email = QLineEdit(org.email)
        self.services = tick_list(
            [(item.code, _(item.label)) for item in codes.SERVICE_TYPE], org.services_offered
        )
        offered = sorted(set(PARTNER_LANGUAGES) | set(org.languages))
        self.languages = tick_list(languages(offered), org.languages)
        self.coalition_role = code_combo(codes.COALITION_ROLE, org.coalition_role)
        self.case_number_prefix = QLineEdit(org.case_number_prefix)
        self.contacts = QTableWidget(0, len(CONTACT_COLUMNS))
        self.contacts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.contacts.verticalHeader().hide()
        self.contacts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.contacts.setMinimumHeight(110)
        self.contacts.setTabKeyNavigation(False)
        for person in org.contact_persons:
            self.add_contact(person)
        self.add_contact_button = QPushButton()
        self.add_contact_button.clicked.connect(lambda: self.add_contact(ContactPerson()))
        self.remove_contact_button = QPushButton()
        self.remove_contact_button.clicked.connect(self.remove_contact)
        contacts_box = QWidget()
        contacts_layout = QVBoxLayout(contacts_box)
        contacts_layout.setContentsMargins(0, 0, 0, 0)
        contacts_layout.addWidget(self.contacts)
        contact_buttons = QHBoxLayout()
        contact_buttons.addWidget(self.add_contact_button)
        contact_buttons.addWidget(self.remove_contact_button)
        contact_buttons.addStretch(1)
        contacts_layout.addLayout(contact_buttons)
        self.notes = QPlainTextEdit(org.notes)
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)

        self.form = Form(QFormLayout())
        self.form.add("name", lambda: _("&Name:"), self.name)
        self.form.add("type", lambda: _("T&ype:"), self.type)
        self.form.add("country", lambda: _("C&ountry:"), self.country)
        self.form.add("city", lambda: _("C&ity:"), self.city)
        self.form.add("street", lambda: _("Str&eet:"), self.street)
        self.form.add("phone", lambda: _("P&hone:"), self.phone)
        self.form.add("email", lambda: _("E&mail:"), self.email)
        self.form.add("services_offered", lambda: _("Ser&vices offered:"), self.services)
        self.form.add("languages", lambda: _("&Languages spoken:"), self.languages)
        self.form.add("coalition_role", lambda: _("Coalition &role:"), self.coalition_role)
        self.form.add(
            "case_number_prefix", lambda: _("Case n&umber prefix:"), self.case_number_prefix
        )
        self.form.add("contact_persons", lambda: _("Contact &persons:"), contacts_box)
        self.form.add("notes", lambda: _("No&tes:"), self.notes)

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
            self.make_read_only()
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_message)
        layout.addWidget(self.buttons)
        self.resize(640, 640)
        self.retranslate()
        self.name.setFocus()

    @property
    def save_button(self) -> QPushButton | None:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def retranslate(self) -> None:
        if not self.editable:
            # TRANSLATORS: the window showing one entry of the directory, read-only.
            self.setWindowTitle(_("Organisation in the directory"))
        elif self.original.id:
            self.setWindowTitle(_("Edit an organisation in the directory"))
        else:
            self.setWindowTitle(_("Add an organisation to the directory"))
        relabel_combo(self.type, code_label(codes.ORGANISATION_TYPE))
        relabel_combo(self.coalition_role, code_label(codes.COALITION_ROLE))
        relabel_combo(self.country, country_name)
        relabel_ticks(self.services, code_label(codes.SERVICE_TYPE))
        relabel_ticks(self.languages, lambda code: languages([code])[0][1])
        self.contacts.setHorizontalHeaderLabels([_("Name"), _("Role"), _("Phone"), _("Email")])
        self.contacts.setAccessibleName(_("Contact persons"))
        self.add_contact_button.setText(_("Add a &contact person"))
        self.remove_contact_button.setText(_("Remove the selected contact"))
        label_form_buttons(self.buttons)
        self.form.retranslate()

    def make_read_only(self) -> None:
        for edit in (self.name, self.city, self.street, self.phone, self.email):
            edit.setReadOnly(True)
        self.case_number_prefix.setReadOnly(True)
        self.notes.setReadOnly(True)
        for combo in (self.type, self.country, self.coalition_role):
            combo.setEnabled(False)
        for widget in (self.services, self.languages):
            for i in range(widget.count()):
                item = widget.item(i)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
        self.contacts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.add_contact_button.hide()
        self.remove_contact_button.hide()

    # -- contact persons -----------------------------------------------------------
    def add_contact(self, person: ContactPerson) -> None:
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        for column, name in enumerate(CONTACT_COLUMNS):
            self.contacts.setItem(row, column, QTableWidgetItem(str(getattr(person, name))))
        self.contacts.setCurrentCell(row, 0)

    def remove_contact(self) -> None:
        row = self.contacts.currentRow()
        if row >= 0:
            self.contacts.removeRow(row)

    def contact_persons(self) -> tuple[ContactPerson, ...]:
        people = []
        kept_languages = {p.name: p.languages for p in self.original.contact_persons}
        for row in range(self.contacts.rowCount()):
            values = {}
            for column, name in enumerate(CONTACT_COLUMNS):
                item = self.contacts.item(row, column)
                values[name] = item.text().strip() if item is not None else ""
            if any(values.values()):
                people.append(
                    ContactPerson(**values, languages=kept_languages.get(values["name"], ()))
                )
        return tuple(people)

    # -- saving --------------------------------------------------------------------
    def organisation(self) -> Organisation:
        """What the form holds now, as an Organisation (the same id when editing)."""
        org = self.original
        return Organisation(
            id=org.id,
            org_id=org.org_id,
            name=self.name.text().strip(),
            type=str(self.type.currentData()),
            country=str(self.country.currentData()),
            city=self.city.text().strip(),
            street=self.street.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            languages=ticked(self.languages),
            services_offered=ticked(self.services),
            coalition_role=str(self.coalition_role.currentData()),
            case_number_prefix=self.case_number_prefix.text().strip().upper(),
            contact_persons=self.contact_persons(),
            notes=self.notes.toPlainText().strip(),
        )

    def submit(self) -> None:
        self.form.clear_errors()
        self.general_message.hide()
        session, org = self.session, self.organisation()
        if self.save_button is not None:
            self.save_button.setEnabled(False)
        run_op(
            self,
            self.runner,
            lambda: cases.save_organisation(session, org),
            self._saved,
            self._refused,
            progress_title=_("Saving…"),
        )

    def _saved(self, org: Organisation) -> None:
        self.saved.emit(org)
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
    """Messages about contact person N go under the contacts table, saying which row."""
    placed: dict[str, str] = {}
    contact_lines = []
    for name, message in errors.items():
        if name.startswith("contact_persons["):
            row = int(name[len("contact_persons[") : name.index("]")]) + 1
            contact_lines.append(
                _("Contact person {row}: {message}").format(row=row, message=message)
            )
        else:
            placed[name] = message
    if contact_lines:
        placed["contact_persons"] = "\n".join(contact_lines)
    return placed
