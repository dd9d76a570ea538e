"""The Intake & indicators tab: the interview, how the person was identified and exploited,
the ILO indicators of forced labour and the Delphi indicators with their computed result."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from shelter_desk.domain.entities import Intake
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.sections import (
    IdentificationSection,
    IndicatorsSection,
    InterviewSection,
)
from shelter_desk.gui.workspace.form_tab import FormTab
from shelter_desk.i18n import N_, _
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.session import Session


class IntakeTab(FormTab):
    TITLE = N_("Intake && indicators")
    KEY = "intake"

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.interview = InterviewSection()
        self.identification = IdentificationSection(full=True)
        self.indicators = IndicatorsSection()
        for section in (self.interview, self.identification, self.indicators):
            self.add_section(section)
        self.retranslate()

    def record_of(self, case_file: CaseFile) -> Any | None:
        return case_file.intake

    def new_record(self, case_file: CaseFile) -> Any:
        return Intake(case_id=case_file.case.id)

    @staticmethod
    def store(session: Session, record: Any) -> Any:
        return cases.save_record(session, record)

    def retranslate(self) -> None:
        super().retranslate()
        self.intro.setText(
            _(
                "The indicators' result is computed from what is ticked. It supports your"
                " judgement and is not a legal identification."
            )
        )
