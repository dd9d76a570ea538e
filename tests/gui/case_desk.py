"""A signed-in context on a real installation with one open case, for testing case tabs
and pages without the main window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Organisation
from shelter_desk.gui.operations import OpRunner
from shelter_desk.gui.signed_in import read_signed_in
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.workspace.base import CaseTab
from shelter_desk.gui.workspace.window import CaseWorkspace
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ORG
from tests.services.case_helpers import consent, intake, person

TODAY = dt.date.today()
T = TypeVar("T", bound=CaseTab)


@dataclass
class Desk:
    context: ViewContext
    case_id: str
    partner_id: str

    def load(self) -> CaseFile:
        session = self.context.session
        return self.context.runner.worker.call(lambda: cases.load_case(session, self.case_id))

    def show(self, qtbot: QtBot, tab: CaseTab) -> CaseTab:
        """Show the tab as the workspace would, reloading the case whenever it saves."""
        qtbot.addWidget(tab)
        tab.saved_signal.connect(lambda: tab.show_case(self.load()))
        tab.show_case(self.load())
        tab.show()
        return tab

    def workspace(self, qtbot: QtBot, kind: type[T]) -> tuple[CaseWorkspace, T]:
        """The case in a real workspace with the tab of ``kind`` in front."""
        workspace = CaseWorkspace(self.context, self.case_id)
        qtbot.addWidget(workspace)
        workspace.show()
        qtbot.waitUntil(lambda: workspace.case_file is not None, timeout=5_000)
        tab = next(t for t in workspace.case_tabs if isinstance(t, kind))
        workspace.show_tab(tab.KEY)
        return workspace, tab


def press_save(qtbot: QtBot, workspace: CaseWorkspace) -> None:
    """The header's Save: the one way the edits of a case are saved."""
    assert workspace.save_button.isEnabled()
    qtbot.mouseClick(workspace.save_button, Qt.MouseButton.LeftButton)


@contextmanager
def open_desk(data_dir: Path, *, owner_id: str = "") -> Iterator[Desk]:
    """The administrator signed in (on the worker, which owns the connection), a partner
    organisation in the address book and one case opened today."""
    runner = OpRunner()

    def install() -> tuple[ViewContext, str, str]:
        installation = Installation(data_dir)
        session, _recovery = installation.create(
            org_name=ORG, admin=ADMIN, passphrase=ADMIN_PASSPHRASE, country="IL"
        )
        partner = cases.save_organisation(
            session, Organisation(name="Legal Aid Centre", type="NGO", country="IL")
        )
        cf = cases.open_case(
            session,
            person(),
            intake(intake_date=TODAY),
            consent(given_on=TODAY),
            owner_id=owner_id,
            today=TODAY,
        )
        return ViewContext(runner, read_signed_in(session)), cf.case.id, partner.id

    context, case_id, partner_id = runner.worker.call(install)
    try:
        yield Desk(context, case_id, partner_id)
    finally:
        session = context.session
        runner.worker.call(session.lock)
        runner.worker.call(session.installation.release)
        runner.stop()
