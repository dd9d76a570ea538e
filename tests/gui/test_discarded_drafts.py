"""Edits thrown away with "Discard changes" are gone for good: the draft a lock kept of them
does not come back after quitting and starting again (issue 11 item 11a)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Person
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.workspace.services_tab import ServicesTab
from shelter_desk.gui.workspace.window import CaseWorkspace
from shelter_desk.services import drafts
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import cases_view, on_worker, open_first_case, seed_cases
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS


def services_tab(workspace: CaseWorkspace) -> ServicesTab:
    tab = next(t for t in workspace.case_tabs if isinstance(t, ServicesTab))
    workspace.show_tab(tab.KEY)
    return tab


def kept_drafts(data_dir: Path) -> list[str]:
    installation = Installation(data_dir)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        return drafts.draft_keys(session)
    finally:
        session.lock()
        installation.release()


def test_a_discarded_draft_does_not_come_back_after_a_restart(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, Person(first_name="Olga", citizenships=("UA",)))
    shell = make_shell(existing)
    workspace = open_first_case(qtbot, cases_view(qtbot, shell, rows=1))
    case_id = workspace.case_id
    tab = services_tab(workspace)
    qtbot.keyClicks(tab.notes, "Needs a lawyer who speaks Ukrainian")
    assert tab.is_dirty()

    shell.lock_now()  # the edit is kept as a draft
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("cases")
    assert isinstance(view, CasesView)
    qtbot.waitUntil(view.drafts_banner.isVisible, timeout=5_000)
    qtbot.mouseClick(view.open_kept_button, Qt.MouseButton.LeftButton)
    restored = view.workspaces[case_id]
    qtbot.waitUntil(lambda: restored.case_file is not None, timeout=5_000)
    tab = services_tab(restored)
    assert "lawyer" in tab.notes.toPlainText()
    assert tab.is_dirty()

    qtbot.mouseClick(tab.discard_button, Qt.MouseButton.LeftButton)
    assert not tab.is_dirty()
    assert tab.notes.toPlainText() == ""
    qtbot.waitUntil(lambda: on_worker(shell, drafts.draft_keys) == [], timeout=5_000)
    assert not restored.restored_note.isVisible()

    shell.quit()
    shell.shutdown()
    assert kept_drafts(existing) == []

    again = make_shell(existing)
    view = cases_view(qtbot, again, rows=1)
    qtbot.wait(200)  # the kept-drafts banner would show by now
    assert not view.drafts_banner.isVisible()
    reopened = view.open_case(case_id)
    qtbot.waitUntil(lambda: reopened.case_file is not None, timeout=5_000)
    tab = services_tab(reopened)
    assert not reopened.restored_note.isVisible()
    assert not tab.is_dirty()
    assert tab.notes.toPlainText() == ""


def test_a_lock_keeps_only_what_is_still_unsaved(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    """A draft whose tab became clean some other way is dropped at the next lock too."""
    seed_cases(existing, Person(first_name="Amal", citizenships=("ER",)))
    shell = make_shell(existing)
    workspace = open_first_case(qtbot, cases_view(qtbot, shell, rows=1))
    tab = services_tab(workspace)
    stale = {"inputs": {"notes": "typed " + dt.date.today().isoformat()}, "editing_id": ""}
    key = f"case/{workspace.case_id}/{tab.KEY}"
    on_worker(shell, lambda s: drafts.save_draft(s, key, stale))
    assert not tab.is_dirty()
    shell.quit()
    shell.shutdown()
    assert kept_drafts(existing) == []
