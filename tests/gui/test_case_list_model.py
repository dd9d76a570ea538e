"""The case list model: Qt's model tester, paging through a real encrypted store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from shelter_desk.gui.models.case_list import CASE_ID_ROLE, COLUMNS, CaseListModel
from shelter_desk.gui.operations import OpRunner
from shelter_desk.services import cases
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ORG
from tests.services.case_helpers import TODAY, open_case

BULK = 100_000


@pytest.fixture
def runner_session(qapp: object, data_dir: Path) -> Iterator[tuple[OpRunner, Session]]:
    runner = OpRunner()
    installation = Installation(data_dir)
    session = runner.worker.call(
        lambda: installation.create(org_name=ORG, admin=ADMIN, passphrase=ADMIN_PASSPHRASE)[0]
    )
    yield runner, session
    runner.worker.call(session.lock)
    runner.stop()
    installation.release()


def _model(runner: OpRunner, session: Session, page_size: int = 200) -> CaseListModel:
    return CaseListModel(
        runner,
        lambda f: cases.case_keys(session, f, today=TODAY),
        lambda keys: cases.case_rows(session, keys),
        today=lambda: TODAY,
        page_size=page_size,
    )


def _loaded(model: CaseListModel) -> bool:
    return model.rowCount() == 0 or model.row_at(0) is not None


def test_model_passes_qt_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, runner_session: tuple[OpRunner, Session]
) -> None:
    runner, session = runner_session
    for first in ("Olga", "محمد", "გიორგი", "Amal", "Ruth"):
        runner.worker.call(lambda first=first: open_case(session, first=first, latin=""))
    model = _model(runner, session, page_size=2)
    model.set_filter(cases.CaseFilter())
    qtbot.waitUntil(lambda: model.rowCount() == 5)
    qtbot.waitUntil(lambda: all(model.row_at(r) is not None for r in range(5)))
    qtmodeltester.check(model, force_py=True)
    assert model.columnCount() == len(COLUMNS)
    numbers = [model.data(model.index(r, 0)) for r in range(5)]
    assert all("HH-2026-000" in n for n in numbers)
    assert model.data(model.index(0, 0), CASE_ID_ROLE)


def test_search_filter_and_sort(qtbot: QtBot, runner_session: tuple[OpRunner, Session]) -> None:
    runner, session = runner_session
    for first in ("Zara", "Amal", "Ольга"):
        runner.worker.call(lambda first=first: open_case(session, first=first, latin=""))
    model = _model(runner, session)
    model.set_filter(cases.CaseFilter(text="Olga"))
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    qtbot.waitUntil(lambda: model.row_at(0) is not None)
    assert "Ольга" in model.data(model.index(0, 1))
    model.set_filter(cases.CaseFilter())
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    with qtbot.waitSignal(model.modelReset):  # the sorted keys (until then, the old rows)
        model.sort(1, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.row_at(0) is not None and model.row_at(2) is not None)
    names = [model.row_at(r).name for r in range(3)]  # type: ignore[union-attr]
    assert names == sorted(names, key=str.casefold)


def _bulk_cases(session: Session, count: int) -> None:
    """Case-list rows straight into the index: a large list without building full cases."""
    rows = [
        (
            f"case-{i:06d}",
            session.org_id,
            f"HH-2026-{i:06d}",
            f"Person {i}",
            f"person {i:06d}",
            "Active",
            session.user.id,
            "",
            ";ForcedLabour;",
            ";SD;",
            "",
            "2026-01-01",
            "",
        )
        for i in range(count)
    ]
    with session.db.transaction():
        session.db.executemany(
            "INSERT INTO case_index (case_id, org_id, number, name, sort_name, status, owner_id,"
            " risk_level, exploitation, nationality, gender, opened_on, next_follow_up)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def test_100k_cases_scroll_without_fetching_everything(
    qtbot: QtBot, runner_session: tuple[OpRunner, Session]
) -> None:
    runner, session = runner_session
    runner.worker.call(lambda: _bulk_cases(session, BULK))
    model = _model(runner, session)
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.setModel(model)
    model.set_filter(cases.CaseFilter())
    qtbot.waitUntil(lambda: model.rowCount() == BULK, timeout=10_000)
    view.show()
    for target in (0, 30_000, 60_000, BULK - 1):
        view.scrollTo(model.index(target, 0))
        qtbot.waitUntil(lambda target=target: model.row_at(target) is not None, timeout=5_000)
        assert model.data(model.index(target, 0)).strip("\u2068\u2069") == f"HH-2026-{target:06d}"
    assert model.fetches < 20  # a handful of 200-row pages, not 500 of them
    assert model.fetches * model.page_size < BULK // 20


def test_dates_and_overdue_are_marked_in_words(
    qtbot: QtBot, runner_session: tuple[OpRunner, Session]
) -> None:
    runner, session = runner_session
    cf = runner.worker.call(lambda: open_case(session))
    from shelter_desk.domain.entities import Return

    runner.worker.call(
        lambda: cases.save_record(
            session,
            Return(
                case_id=cf.case.id,
                decided_on=dt.date(2026, 8, 1),
                destination_country="SD",
                travel_on=dt.date(2026, 9, 1),
            ),
            today=TODAY,
        )
    )
    runner.worker.call(lambda: cases.schedule_follow_ups(session, cf.case.id))
    model = _model(runner, session)
    model.set_filter(cases.CaseFilter())
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    qtbot.waitUntil(lambda: model.row_at(0) is not None)
    follow_up = model.data(model.index(0, len(COLUMNS) - 1))
    assert "(overdue)" in follow_up  # meaning never carried by colour alone
    assert "2026" in follow_up
