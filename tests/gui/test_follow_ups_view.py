"""The Follow-ups due page lists overdue visits and opens their case at the follow-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Return
from shelter_desk.gui.views.follow_ups import FollowUpsView
from shelter_desk.gui.views.pages import PAGES
from shelter_desk.gui.views.referrals import ReferralsView
from shelter_desk.services import cases
from tests.gui.case_desk import TODAY, Desk, open_desk
from tests.gui.conftest import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


def returned_long_ago(desk: Desk) -> None:
    """The person went home 100 days ago: the 1- and 3-month visits are overdue."""
    session, case_id = desk.context.session, desk.case_id

    def work() -> None:
        cases.save_record(
            session,
            Return(
                case_id=case_id,
                decided_on=TODAY - dt.timedelta(days=110),
                destination_country="GE",
                travel_on=TODAY - dt.timedelta(days=100),
            ),
        )
        cases.schedule_follow_ups(session, case_id)

    desk.context.runner.worker.call(work)


def test_overdue_follow_ups_open_their_case_at_the_reintegration_tab(
    qtbot: QtBot, data_dir: Path
) -> None:
    with open_desk(data_dir) as desk:
        returned_long_ago(desk)
        view = FollowUpsView(desk.context)
        qtbot.addWidget(view)
        view.show()
        overdue = view.tables["overdue"]
        qtbot.waitUntil(lambda: overdue.rowCount() == 2)
        number = desk.load().case.number
        assert overdue.item(0, 0).text() == number
        assert overdue.item(0, 1).text() == "\u2068محمد\u2069 (\u2068Mohammed\u2069)"
        assert view.headings["overdue"].text() == "Overdue: 2 follow-ups"
        assert view.tables["today"].rowCount() == 0

        with qtbot.waitSignal(view.open_case_requested) as opened:
            rect = overdue.visualRect(overdue.model().index(1, 0))
            qtbot.mouseClick(overdue.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert opened.args == [desk.case_id, "reintegration"]

        overdue.setFocus()
        overdue.setCurrentCell(0, 1)
        with qtbot.waitSignal(view.open_case_requested) as opened:
            qtbot.keyClick(overdue, Qt.Key.Key_Return)
        assert opened.args == [desk.case_id, "reintegration"]


def test_mine_only_leaves_out_other_caseworkers_cases(qtbot: QtBot, data_dir: Path) -> None:
    with open_desk(data_dir, owner_id="another-caseworker") as desk:
        returned_long_ago(desk)
        view = FollowUpsView(desk.context)
        qtbot.addWidget(view)
        qtbot.waitUntil(lambda: view.tables["overdue"].rowCount() == 2)
        view.mine_only.setChecked(True)
        qtbot.waitUntil(lambda: view.tables["overdue"].rowCount() == 0)
        assert view.headings["overdue"].text() == "Overdue: 0 follow-ups"


def test_the_pages_use_these_views() -> None:
    views = {page.key: page.view for page in PAGES}
    assert views["follow_ups"] is FollowUpsView
    assert views["referrals"] is ReferralsView
