"""Small building blocks for forms: labelled fields with an inline message under them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from shelter_desk.i18n import _
from shelter_desk.security.passphrase import MIN_LENGTH


class FieldMessage(QLabel):
    """The message shown right under a field when what was typed cannot be used.

    It starts with a warning sign and is bold, so it does not depend on colour alone.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("fieldMessage")
        font = QFont(self.font())
        font.setBold(True)
        self.setFont(font)
        self.setStyleSheet("color: #a4000f;")
        self.hide()

    def show_message(self, message: str) -> None:
        self._keep_room(False)
        self.setText("⚠ " + message if message else "")
        self.setVisible(bool(message))

    def hide_keeping_room(self) -> None:
        """Hide the message but keep its room until it is next shown or cleared: the rows
        below stay where they are under a pointer about to click one of them."""
        self._keep_room(self.isVisible())
        self.hide()

    def _keep_room(self, keep: bool) -> None:
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(keep)
        self.setSizePolicy(policy)

    def clear_message(self) -> None:
        self.show_message("")

    @property
    def message(self) -> str:
        return self.text().removeprefix("⚠ ")


class Field:
    """One row of a form: a translatable label, the input and its inline message."""

    def __init__(self, label: Callable[[], str], widget: QWidget) -> None:
        self._label_text = label
        self.widget = widget
        self.label = QLabel()
        self.label.setBuddy(widget)
        self.message = FieldMessage()
        self.container = QWidget()
        layout = QVBoxLayout(self.container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)
        layout.addWidget(self.message)
        self.retranslate()

    def retranslate(self) -> None:
        text = self._label_text()
        self.label.setText(text)
        self.widget.setAccessibleName(text.replace("&", ""))


class Form:
    """Fields by name in a QFormLayout, with inline messages from a ValidationError."""

    def __init__(self, layout: QFormLayout) -> None:
        self.layout = layout
        self.fields: dict[str, Field] = {}

    def add(self, name: str, label: Callable[[], str], widget: QWidget) -> Field:
        field = Field(label, widget)
        self.fields[name] = field
        self.layout.addRow(field.label, field.container)
        return field

    def show_errors(self, errors: Mapping[str, str]) -> list[str]:
        """Show each message under its field; return the messages no field took."""
        self.clear_errors()
        unplaced = []
        for name, message in errors.items():
            field = self.fields.get(name)
            if field is None:
                unplaced.append(message)
            else:
                field.message.show_message(message)
        first = next((self.fields[n] for n in errors if n in self.fields), None)
        if first is not None:
            first.widget.setFocus()
        return unplaced

    def clear_errors(self) -> None:
        for field in self.fields.values():
            field.message.clear_message()

    def retranslate(self) -> None:
        for field in self.fields.values():
            field.retranslate()


def passphrase_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def passphrase_rule() -> str:
    """The passphrase rule in words, shown wherever a passphrase is chosen."""
    return _(
        "At least {count} characters that are hard to guess: for example three or four"
        " unrelated words. Not a name, not the organisation's name."
    ).format(count=MIN_LENGTH)
