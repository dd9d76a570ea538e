"""A workspace tab that edits one record of the case with form sections.

Subclasses say which record they edit (:meth:`FormTab.record_of`), how to make a new one
(:meth:`FormTab.new_record`) and which service stores it (:meth:`FormTab.store`, run on the
database worker). Drafts are the record's fields as JSON (``serialize.to_fields``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.domain.serialize import from_fields, to_fields
from shelter_desk.gui.forms import FieldMessage
from shelter_desk.gui.operations import run_op, show_error
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.sections import Section
from shelter_desk.gui.workspace.base import CaseTab
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.session import Session


class FormTab(CaseTab):
    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.sections: list[Section] = []
        self.saving = False
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.general_message = FieldMessage()
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(self.content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.general_message)
        layout.addWidget(self.scroll_area, 1)

    def add_section(self, section: Section) -> Section:
        self.sections.append(section)
        self.content_layout.addWidget(section)
        section.changed.connect(lambda: self.set_dirty(True))
        return section

    # -- what subclasses say -------------------------------------------------------
    def record_of(self, case_file: CaseFile) -> Any | None:
        """The stored record this tab edits, or None when the case has none yet."""
        return None

    def new_record(self, case_file: CaseFile) -> Any:
        raise TypeError(f"{type(self).__name__} does not say how to start a record")

    @staticmethod
    def store(session: Session, record: Any) -> Any:
        """Save the record (runs on the database worker)."""
        raise TypeError("a form tab says which service stores its record")

    # -- the contract --------------------------------------------------------------
    def show_case(self, case_file: CaseFile) -> None:
        super().show_case(case_file)
        record = self.current_record()
        for section in self.sections:
            section.load(record)
            section.clear_errors()
        self.general_message.clear_message()

    def current_record(self) -> Any:
        assert self.case_file is not None
        found = self.record_of(self.case_file)
        return dataclasses.replace(found) if found is not None else self.new_record(self.case_file)

    def edited_record(self) -> Any:
        record = self.current_record()
        for section in self.sections:
            section.apply(record)
        return record

    def draft(self) -> dict[str, Any] | None:
        if not self.is_dirty() or self.case_file is None:
            return None
        return to_fields(self.edited_record())

    def restore_draft(self, data: dict[str, Any]) -> None:
        if self.case_file is None:
            return
        record = from_fields(type(self.current_record()), data)
        for section in self.sections:
            section.load(record)
        self.set_dirty(True)

    def save(self) -> None:
        if not self.is_dirty() or self.saving or self.case_file is None:
            return
        record = self.edited_record()
        session = self.context.session
        store = self.store
        self.saving = True
        run_op(
            self,
            self.context.runner,
            lambda: store(session, record),
            self._stored,
            self._refused,
        )

    def _stored(self, _record: Any) -> None:
        self.saving = False
        self.show_errors({})
        self.saved()

    def _refused(self, error: ShelterDeskError) -> None:
        self.saving = False
        if isinstance(error, ValidationError):
            self.show_errors(error.errors)
        else:
            show_error(self, error.message)

    def show_errors(self, errors: dict[str, str]) -> None:
        for section in self.sections:
            section.show_errors({k: m for k, m in errors.items() if section.has_field(k)})
        unplaced = [m for k, m in errors.items() if not any(s.has_field(k) for s in self.sections)]
        self.general_message.show_message("\n".join(unplaced))

    def retranslate(self) -> None:
        for section in self.sections:
            section.retranslate()
