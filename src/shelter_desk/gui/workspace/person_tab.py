"""The Person tab: who the person is, their documents, contacts and where they live."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from shelter_desk.domain.entities import Person
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.sections import PersonSection
from shelter_desk.gui.workspace.form_tab import FormTab
from shelter_desk.i18n import N_, _
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.session import Session


class PersonTab(FormTab):
    TITLE = N_("Person")
    KEY = "person"

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.person = PersonSection(full=True)
        self.add_section(self.person)
        self.retranslate()

    def record_of(self, case_file: CaseFile) -> Any | None:
        return case_file.person

    def new_record(self, case_file: CaseFile) -> Any:
        return Person(id=case_file.case.person_id)

    @staticmethod
    def store(session: Session, record: Any) -> Any:
        return cases.save_person(session, record)

    def retranslate(self) -> None:
        super().retranslate()
        self.intro.setText(
            _(
                "Write names as the person writes them, and in Latin letters as they appear in"
                " documents. Where they live now is kept safe: share it only when needed."
            )
        )
