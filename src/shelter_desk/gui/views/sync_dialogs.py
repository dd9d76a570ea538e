"""The dialogs and panels of the Sync page: this installation's card, adding a partner,
exporting a bundle and the conflict queue, with the words they show for values and times.

Files are read and written on the database worker only. A partner card is public and a
bundle is encrypted to its recipient, so both may be written where the person chooses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.domain.codes import CodeList
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.domain.os_errors import os_error_reason
from shelter_desk.gui.forms import FieldMessage
from shelter_desk.gui.operations import OpRunner, run_op, show_error
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.gui.widgets.labels import entity_label, field_label
from shelter_desk.i18n import (
    N_,
    _,
    country_name,
    format_date,
    format_datetime,
    format_list,
    isolate,
    ltr,
)
from shelter_desk.security.atomic import write_atomic
from shelter_desk.services import exchange
from shelter_desk.services.exchange import ConflictView, PartnerInfo
from shelter_desk.services.session import Session

BUNDLE_SUFFIX = ".bundle"
CARD_SUFFIX = ".card"
MAX_CARD_FILE_BYTES = 64 * 1024

ROLE_WORDS = {"shelter": N_("Shelter"), "coordinator": N_("National coordinator")}

# Which code list names the values of a coded field, by (record, field).
_CODED_FIELDS: dict[tuple[str, str], CodeList] = {
    ("case", "status"): codes.CASE_STATUS,
    ("case", "trafficking_status"): codes.TRAFFICKING_STATUS,
    ("case", "closure_reason"): codes.CLOSURE_REASON,
    ("case", "risk_level"): codes.RISK_LEVEL,
    ("case", "sharing_level"): codes.SHARING_LEVEL,
    ("consent", "sharing_level"): codes.SHARING_LEVEL,
    ("needs_assessment", "risk_level"): codes.RISK_LEVEL,
    ("person", "gender"): codes.GENDER,
}
_DATE_FIELDS = frozenset({"birth_date", "closed_on", "given_on", "withdrawn_on"})
_COUNTRY_FIELDS = frozenset({"country", "issuing_country"})
# Free-text fields where a supervisor may type a combined or corrected value.
COMBINABLE_FIELDS = frozenset(
    {
        "first_name",
        "middle_name",
        "second_name",
        "first_name_latin",
        "middle_name_latin",
        "second_name_latin",
        "street",
        "city",
    }
)


# =========================================================================================
# Words for values and times
# =========================================================================================


def when_text(iso: str) -> str:
    """A stored ISO time as local date and time in the person's language; "" when unknown."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return format_datetime(moment.astimezone(), "short")


def role_text(role: str) -> str:
    word = ROLE_WORDS.get(role)
    return _(word) if word else role


def size_text(size: int) -> str:
    if size < 1024:
        return _("{count} bytes").format(count=size)
    if size < 1024 * 1024:
        return _("{count} KB").format(count=round(size / 1024, 1))
    return _("{count} MB").format(count=round(size / (1024 * 1024), 1))


def _date_text(value: object) -> str:
    try:
        return format_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _contact_text(contact: dict[str, Any]) -> str:
    kind = str(contact.get("contact_type", ""))
    text = str(contact.get("value", ""))
    if kind:
        text = _("{kind}: {value}").format(kind=_(codes.CONTACT_TYPE.label(kind)), value=text)
    if contact.get("safe_to_use") is False:
        text = _("{contact} (not safe to use)").format(contact=text)
    return text


def _document_text(document: dict[str, Any]) -> str:
    kind = str(document.get("document_type", ""))
    parts = [_(codes.DOCUMENT_TYPE.label(kind)) if kind else "", str(document.get("number", ""))]
    country = str(document.get("issuing_country", ""))
    if country:
        parts.append(country_name(country))
    text = " ".join(p for p in parts if p)
    if document.get("withheld_by_trafficker"):
        text = _("{document} (held by the trafficker)").format(document=text)
    return text


def _item_text(item: object) -> str:
    if isinstance(item, dict):
        return ", ".join(
            _("{field}: {value}").format(field=field_label(k), value=v)
            for k, v in item.items()
            if v not in ("", None, [], False)
        )
    return str(item)


def value_text(entity: str, field: str, value: Any) -> str:
    """A stored value of ``entity.field`` in words (code labels, dates, countries, lists)."""
    if value in (None, "", [], {}):
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    coded = _CODED_FIELDS.get((entity, field))
    if coded is not None:
        return _(coded.label(str(value)))
    if field in _DATE_FIELDS:
        return _date_text(value)
    if field in _COUNTRY_FIELDS and isinstance(value, str):
        return country_name(value)
    if field == "contacts" and isinstance(value, list):
        return "\n".join(_contact_text(c) for c in value if isinstance(c, dict))
    if field == "documents" and isinstance(value, list):
        return "\n".join(_document_text(d) for d in value if isinstance(d, dict))
    if isinstance(value, list):
        return format_list([_item_text(v) for v in value])
    return _item_text(value)


def what_text(entity: str, field: str, case_number: str) -> str:
    """Which record and field a conflict is about, in words."""
    if case_number:
        return _("{field} of {record} in case {number}").format(
            field=field_label(field), record=entity_label(entity), number=ltr(case_number)
        )
    return _("{field} of {record}").format(field=field_label(field), record=entity_label(entity))


# =========================================================================================
# Files (on the worker)
# =========================================================================================


def read_file(path: Path, limit: int) -> bytes:
    """The file's bytes, or a translated error (unreadable, too large). Worker only."""
    try:
        if path.stat().st_size > limit:
            raise ShelterDeskError(
                _("{name} is too large for Shelter Desk to read.").format(name=path.name)
            )
        return path.read_bytes()
    except OSError as exc:
        raise ShelterDeskError(
            _("Cannot read {name}: {reason}").format(name=path.name, reason=os_error_reason(exc))
        ) from exc


def choose_file(
    parent: QWidget, title: str, *, save: bool, suffix: str, suggested: str = ""
) -> QFileDialog:
    """A Qt (not native) file dialog opened window-modal; connect ``fileSelected``."""
    dialog = QFileDialog(parent, title)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if suffix == BUNDLE_SUFFIX:
        kinds = _("Shelter Desk bundles (*{suffix})").format(suffix=suffix)
    else:
        kinds = _("Partner cards (*{suffix})").format(suffix=suffix)
    dialog.setNameFilters([kinds, _("All files (*)")])
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix.lstrip("."))
        if suggested:
            dialog.selectFile(suggested)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def bundle_file_name(today: dt.date | None = None) -> str:
    """A name that says what the file is and nothing about who made it."""
    return f"shelter-desk-{(today or dt.date.today()).isoformat()}{BUNDLE_SUFFIX}"


def _large(label: QLabel, factor: float = 1.4) -> None:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )


# =========================================================================================
# Cards
# =========================================================================================


@dataclass(frozen=True)
class CardFacts:
    """What a partner card says, for showing; ``data`` is the card file itself."""

    organisation: str
    country: str
    role: str
    fingerprint: str
    fingerprint_digits: str
    data: bytes


def my_card_facts(session: Session) -> CardFacts:
    """This installation's card. Worker only."""
    card = exchange.my_card(session)
    return CardFacts(
        card.organisation,
        card.country,
        card.role.value,
        card.fingerprint,
        card.fingerprint_digits,
        card.to_bytes(),
    )


def card_facts_from_file(path: Path) -> CardFacts:
    """A partner's card read from a file and checked (not trusted yet). Worker only."""
    data = read_file(path, MAX_CARD_FILE_BYTES)
    card = exchange.read_card(data)
    return CardFacts(
        card.organisation,
        card.country,
        card.role.value,
        card.fingerprint,
        card.fingerprint_digits,
        data,
    )


class CardDialog(Retranslated, QDialog):
    """Shows a card: organisation, country, role and the fingerprint in large text."""

    def __init__(self, facts: CardFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = facts
        self.setMinimumWidth(520)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.organisation = QLabel()
        _large(self.organisation, 1.6)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.fingerprint_heading = QLabel()
        self.fingerprint = QLabel()
        _large(self.fingerprint)
        self.digits = QLabel()
        self.digits.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.layout_ = QVBoxLayout(self)
        for widget in (
            self.intro,
            self.organisation,
            self.details,
            self.fingerprint_heading,
            self.fingerprint,
            self.digits,
        ):
            self.layout_.addWidget(widget)

    def retranslate(self) -> None:
        f = self.facts
        self.organisation.setText(isolate(f.organisation))
        self.details.setText(
            _("{role} in {country}").format(role=role_text(f.role), country=country_name(f.country))
        )
        self.fingerprint_heading.setText(_("Fingerprint:"))
        self.fingerprint.setText(ltr(f.fingerprint))
        self.fingerprint.setAccessibleName(_("Fingerprint in words"))
        self.digits.setText(
            _("The same fingerprint in digits: {digits}").format(digits=ltr(f.fingerprint_digits))
        )
        self.digits.setAccessibleName(_("Fingerprint in digits"))


class MyCardDialog(CardDialog):
    """This installation's card: save it to a file for the partner, read its fingerprint
    out over the phone."""

    saved = Signal(str)
    """Emitted with the path once the card file was written."""

    def __init__(self, runner: OpRunner, facts: CardFacts, parent: QWidget | None = None) -> None:
        super().__init__(facts, parent)
        self.runner = runner
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.choose_destination)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("My partner card"))
        self.intro.setText(
            _(
                "Give this card file to each partner (on a USB stick or by e-mail), then call"
                " them and read out the fingerprint so they can check that the card is really"
                " yours. The card holds no personal data."
            )
        )
        self.save_button.setText(_("&Save the card to a file…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))

    def choose_destination(self) -> None:
        chooser = choose_file(
            self, _("Save the partner card"), save=True, suffix=CARD_SUFFIX, suggested="my.card"
        )
        chooser.fileSelected.connect(lambda name: self.save_to(Path(name)))

    def save_to(self, path: Path) -> None:
        """Write the card file on the worker."""
        data = self.facts.data
        run_op(self, self.runner, lambda: write_atomic(path, data), lambda _n: self._saved(path))

    def _saved(self, path: Path) -> None:
        self.status.setText(_("The card was saved to {path}.").format(path=isolate(str(path))))
        self.saved.emit(str(path))


class AddPartnerDialog(CardDialog):
    """A partner's card before it is trusted: the person compares the fingerprint with
    the one the partner reads out (typing it, or confirming every word matches)."""

    added = Signal(str)
    """Emitted with the organisation's name once the partner is trusted."""

    def __init__(
        self,
        runner: OpRunner,
        session: Session,
        facts: CardFacts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(facts, parent)
        self.runner = runner
        self.session = session
        self.typed_label = QLabel()
        self.typed_label.setWordWrap(True)
        self.typed = QLineEdit()
        self.typed_label.setBuddy(self.typed)
        self.matches = QCheckBox()
        self.message = FieldMessage()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.typed_label, self.typed, self.matches, self.message, self.buttons):
            self.layout_.addWidget(widget)
        self.typed.setFocus()
        self.retranslate()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Add a sync partner"))
        self.intro.setText(
            _(
                "Call the partner on a number you already know (not one written in an e-mail"
                " that came with the card) and ask them to read out their fingerprint. Trust"
                " the card only if every word matches."
            )
        )
        self.typed_label.setText(
            _(
                "&Words the partner reads out (the first four letters of each word are"
                " enough; digits work too):"
            )
        )
        self.typed.setAccessibleName(_("Fingerprint as read out by the partner"))
        self.matches.setText(
            _("The partner read out exactly the words shown above, every one of them")
        )
        self.ok_button.setText(_("&Trust this sync partner"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def confirmed_fingerprint(self) -> str:
        typed = self.typed.text().strip()
        if typed:
            return typed
        return self.facts.fingerprint if self.matches.isChecked() else ""

    def submit(self) -> None:
        self.message.clear_message()
        confirmed = self.confirmed_fingerprint()
        if not confirmed:
            self.message.show_message(
                _("Type the words the partner reads out, or confirm that every word matches.")
            )
            self.typed.setFocus()
            return
        session, data = self.session, self.facts.data
        self.ok_button.setEnabled(False)
        run_op(
            self,
            self.runner,
            lambda: exchange.add_partner(session, data, confirmed).organisation,
            self._added,
            self._refused,
        )

    def _added(self, organisation: str) -> None:
        self.added.emit(organisation)
        self.accept()

    def _refused(self, error: ShelterDeskError) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.message.show_message("\n".join(error.errors.values()))
            self.typed.setFocus()
        else:
            show_error(self, error.message)


# =========================================================================================
# Export
# =========================================================================================


class ExportDialog(Retranslated, QDialog):
    """Choose the partner and the file a bundle goes to."""

    chosen = Signal(str, str)
    """Emitted with (partner key id, destination path)."""

    def __init__(
        self,
        partners: Sequence[PartnerInfo],
        parent: QWidget | None = None,
        *,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setMinimumWidth(520)
        self.partners = [p for p in partners if not p.revoked]
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.partner = QComboBox()
        for info in self.partners:
            self.partner.addItem("", info.key_id)
        self.destination = QLineEdit()
        start = folder or Path.home()
        self.destination.setText(str(start / bundle_file_name()))
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self.browse)
        self.partner_label = QLabel()
        self.partner_label.setBuddy(self.partner)
        self.destination_label = QLabel()
        self.destination_label.setBuddy(self.destination)
        self.message = FieldMessage()
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.partner_label, self.partner)
        form.addRow(self.destination_label, where)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.retranslate()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export a bundle"))
        self.intro.setText(
            _(
                "The bundle is encrypted so that only the partner you choose can open it, and"
                " signed so that they can tell it comes from you. It carries everything the"
                " partner may receive and has not confirmed yet."
            )
        )
        for index, info in enumerate(self.partners):
            self.partner.setItemText(
                index,
                _("{organisation} ({role})").format(
                    organisation=isolate(info.organisation), role=role_text(info.role)
                ),
            )
        self.partner_label.setText(_("&Partner:"))
        self.partner.setAccessibleName(_("Partner"))
        self.destination_label.setText(_("&Save to:"))
        self.destination.setAccessibleName(_("File to save the bundle to"))
        self.browse_button.setText(_("&Choose…"))
        self.ok_button.setText(_("&Export"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def select_partner(self, key_id: str) -> None:
        self.partner.setCurrentIndex(self.partner.findData(key_id))

    def browse(self) -> None:
        chooser = choose_file(
            self,
            _("Save the bundle"),
            save=True,
            suffix=BUNDLE_SUFFIX,
            suggested=Path(self.destination.text()).name or bundle_file_name(),
        )
        chooser.fileSelected.connect(self.destination.setText)

    def submit(self) -> None:
        key_id = self.partner.currentData()
        path = self.destination.text().strip()
        if not key_id:
            self.message.show_message(_("Choose the partner the bundle is for."))
            return
        if not path or not Path(path).parent.is_dir():
            self.message.show_message(_("Choose a folder that exists and a file name."))
            self.destination.setFocus()
            return
        self.accept()
        self.chosen.emit(str(key_id), path)


# =========================================================================================
# Conflict queue
# =========================================================================================


@dataclass(frozen=True)
class ConflictEntry:
    """A conflict with who wrote each value, in words."""

    conflict: ConflictView
    local_who: str
    remote_who: str


class ConflictPanel(QWidget):
    """The open conflicts: a list, and for the chosen one both values with who and when.

    A person allowed to resolve conflicts picks one value (or types a combined one for a
    free-text field) and resolves; anyone else sees the same, read-only."""

    resolved = Signal(str)
    """Emitted with the words of what was resolved."""

    def __init__(
        self,
        runner: OpRunner,
        session: Session,
        can_resolve: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.can_resolve = can_resolve
        self.entries: list[ConflictEntry] = []
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show_current)
        self.what = QLabel()
        self.what.setWordWrap(True)
        font = QFont(self.what.font())
        font.setBold(True)
        self.what.setFont(font)
        self.choices = QButtonGroup(self)
        self.first_choice = QRadioButton()
        self.second_choice = QRadioButton()
        self.combined_choice = QRadioButton()
        self.first_value = QLabel()
        self.second_value = QLabel()
        self.first_who = QLabel()
        self.second_who = QLabel()
        for label in (self.first_value, self.second_value):
            _large(label, 1.2)
        for label in (self.first_who, self.second_who):
            label.setWordWrap(True)
        self.combined_value = QLineEdit()
        self.combined_value.textEdited.connect(lambda _t: self.combined_choice.setChecked(True))
        for index, button in enumerate(
            (self.first_choice, self.second_choice, self.combined_choice)
        ):
            self.choices.addButton(button, index)
        self.choices.buttonToggled.connect(lambda _b, _on: self._update_button())
        self.resolve_button = QPushButton()
        self.resolve_button.clicked.connect(self.resolve)
        self.read_only_note = QLabel()
        self.read_only_note.setWordWrap(True)
        self.message = FieldMessage()

        grid = QGridLayout()
        grid.addWidget(self.first_choice, 0, 0)
        grid.addWidget(self.first_value, 0, 1)
        grid.addWidget(self.first_who, 1, 1)
        grid.addWidget(self.second_choice, 2, 0)
        grid.addWidget(self.second_value, 2, 1)
        grid.addWidget(self.second_who, 3, 1)
        grid.addWidget(self.combined_choice, 4, 0)
        grid.addWidget(self.combined_value, 4, 1)
        grid.setColumnStretch(1, 1)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.addWidget(self.what)
        details.addLayout(grid)
        details.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(self.resolve_button)
        row.addStretch(1)
        details.addLayout(row)
        details.addWidget(self.read_only_note)
        details.addStretch(1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.empty)
        split = QHBoxLayout()
        split.addWidget(self.list, 1)
        split.addWidget(self.details, 2)
        layout.addLayout(split, 1)
        self.resolve_button.setVisible(can_resolve)
        self.read_only_note.setVisible(not can_resolve)
        self.retranslate()
        self.show_entries([])

    def retranslate(self) -> None:
        self.explanation.setText(
            _(
                "When this installation and a partner changed the same safety-critical detail"
                " without knowing of each other's change, both values are kept here until a"
                " supervisor decides which is right."
            )
        )
        self.empty.setText(_("There are no conflicts to review."))
        self.list.setAccessibleName(_("Conflicts to review"))
        self.first_choice.setText(_("Value &1"))
        self.second_choice.setText(_("Value &2"))
        self.combined_choice.setText(_("&Combined value"))
        self.combined_value.setAccessibleName(_("Combined or corrected value"))
        self.resolve_button.setText(_("Resolve with the chosen &value"))
        self.read_only_note.setText(
            _("Only a supervisor can resolve a conflict. Both values are kept until then.")
        )
        self.show_entries(self.entries)

    def show_entries(self, entries: Sequence[ConflictEntry]) -> None:
        current = self.current_entry()
        keep = current.conflict.id if current else ""
        self.entries = list(entries)
        self.list.blockSignals(True)
        self.list.clear()
        chosen = 0
        for index, entry in enumerate(self.entries):
            c = entry.conflict
            item = QListWidgetItem(what_text(c.entity, c.field, c.case_number))
            self.list.addItem(item)
            if c.id == keep:
                chosen = index
        self.list.blockSignals(False)
        has_any = bool(self.entries)
        self.empty.setVisible(not has_any)
        self.list.setVisible(has_any)
        self.details.setVisible(has_any)
        if has_any:
            self.list.setCurrentRow(chosen)
        self._show_current()

    def current_entry(self) -> ConflictEntry | None:
        row = self.list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _show_current(self) -> None:
        entry = self.current_entry()
        self.message.clear_message()
        self.choices.setExclusive(False)
        for button in self.choices.buttons():
            button.setChecked(False)
        self.choices.setExclusive(True)
        if entry is None:
            self._update_button()
            return
        c = entry.conflict
        self.what.setText(what_text(c.entity, c.field, c.case_number))
        sides = (
            (
                self.first_choice,
                self.first_value,
                self.first_who,
                c.local_value,
                entry.local_who,
                c.local_at,
            ),
            (
                self.second_choice,
                self.second_value,
                self.second_who,
                c.remote_value,
                entry.remote_who,
                c.remote_at,
            ),
        )
        for button, value_label, who_label, value, who, at in sides:
            words = value_text(c.entity, c.field, value)
            value_label.setText(isolate(words))
            written = _("Written by {who} on {when}").format(
                who=isolate(who), when=when_text(at) or _("an unknown date")
            )
            who_label.setText(written)
            button.setAccessibleName(
                _("{value}, {written}").format(value=words.replace("\n", ", "), written=written)
            )
            button.setEnabled(self.can_resolve)
        combinable = c.field in COMBINABLE_FIELDS
        self.combined_choice.setVisible(combinable)
        self.combined_value.setVisible(combinable)
        self.combined_choice.setEnabled(self.can_resolve)
        self.combined_value.setReadOnly(not self.can_resolve)
        if combinable:
            self.combined_value.setText(str(c.local_value or ""))
        self._update_button()

    def _update_button(self) -> None:
        self.resolve_button.setEnabled(
            self.can_resolve and self.current_entry() is not None and self.chosen_value()[0]
        )

    def chosen_value(self) -> tuple[bool, Any]:
        """(whether a value is chosen, the value)."""
        entry = self.current_entry()
        if entry is None:
            return False, None
        if self.first_choice.isChecked():
            return True, entry.conflict.local_value
        if self.second_choice.isChecked():
            return True, entry.conflict.remote_value
        if self.combined_choice.isChecked() and self.combined_choice.isVisible():
            return True, self.combined_value.text().strip()
        return False, None

    def choose_value(self, value: Any) -> None:
        """Pick the side holding ``value`` (as a person clicking its button would)."""
        entry = self.current_entry()
        if entry is None:
            return
        if entry.conflict.local_value == value:
            self.first_choice.click()
        elif entry.conflict.remote_value == value:
            self.second_choice.click()

    def resolve(self) -> None:
        entry = self.current_entry()
        chosen, value = self.chosen_value()
        if entry is None or not chosen or not self.can_resolve:
            return
        session, conflict = self.session, entry.conflict
        what = what_text(conflict.entity, conflict.field, conflict.case_number)
        self.resolve_button.setEnabled(False)
        run_op(
            self,
            self.runner,
            lambda: exchange.resolve_conflict(session, conflict.id, value),
            lambda _view: self.resolved.emit(what),
            self._refused,
        )

    def _refused(self, error: ShelterDeskError) -> None:
        self._update_button()
        if isinstance(error, ValidationError):
            self.message.show_message("\n".join(error.errors.values()))
        else:
            show_error(self, error.message)
