"""Helpers for the case GUI tests: cases put in a real installation before the shell starts,
and the Cases page of an unlocked shell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Consent, Intake, Person
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.workspace.window import CaseWorkspace
from shelter_desk.services import cases
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import unlock_as

T = TypeVar("T")


def seed_cases(data_dir: Path, *people: Person) -> None:
    """Open one case per person (intake and consent today), then lock and let go."""
    installation = Installation(data_dir)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    today = dt.date.today()
    for person in people:
        cases.open_case(
            session,
            person,
            Intake(intake_date=today, exploitation_types=("ForcedLabour",)),
            Consent(consent_given=True, method="Written", given_on=today),
        )
    session.lock()
    installation.release()


def cases_view(
    qtbot: QtBot,
    shell: Shell,
    username: str = ADMIN,
    passphrase: str = ADMIN_PASSPHRASE,
    *,
    rows: int | None = None,
) -> CasesView:
    main = unlock_as(qtbot, shell, username, passphrase)
    view = main.show_page("cases")
    assert isinstance(view, CasesView)
    if rows is not None:
        qtbot.waitUntil(lambda: view.model.rowCount() == rows, timeout=10_000)
    return view


def on_worker(shell: Shell, work: Callable[[Session], T]) -> T:
    """Run ``work`` with the signed-in session on the database worker (as the GUI would)."""
    assert shell.signed_in is not None
    session = shell.signed_in.session
    return shell.runner.worker.call(lambda: work(session))


def open_first_case(qtbot: QtBot, view: CasesView) -> CaseWorkspace:
    qtbot.waitUntil(lambda: view.model.case_id(0) is not None, timeout=10_000)
    case_id = view.model.case_id(0)
    assert case_id is not None
    workspace = view.open_case(case_id)
    qtbot.waitUntil(lambda: workspace.case_file is not None, timeout=10_000)
    return workspace
