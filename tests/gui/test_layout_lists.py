"""Lists and sections that give their room to what a caseworker reads (issue 16, Layout and
Behaviour): measured as widths and heights against the texts they hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import (
    NeedsAssessment,
    Referral,
    ReintegrationObjective,
    ReintegrationPlan,
)
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.views.dashboard import DashboardView
from shelter_desk.gui.views.follow_ups import FollowUpsView
from shelter_desk.gui.views.referrals import ReferralsView
from shelter_desk.gui.widgets.columns import share_widths
from shelter_desk.gui.widgets.delphi import DelphiChecklist
from shelter_desk.gui.widgets.inputs import NO_DATE_TEXT, DateField
from shelter_desk.gui.workspace.needs_tab import NeedsTab
from shelter_desk.gui.workspace.reintegration_tab import ReintegrationTab
from shelter_desk.i18n import LANGUAGES
from shelter_desk.services import cases
from shelter_desk.services.cases import FollowUpDue, FollowUpsDue
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.case_desk import TODAY, Desk, open_desk
from tests.gui.cases_helpers import cases_view, open_first_case, seed_cases
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as
from tests.services.case_helpers import person

pytestmark = OFFSCREEN_LIMITS

LAPTOP = (1366, 768)


@pytest.fixture
def desk(data_dir: Path, qtbot: QtBot) -> Iterator[Desk]:
    with open_desk(data_dir) as opened:
        yield opened


def scrolls_sideways(view: QAbstractScrollArea) -> bool:
    bar = view.horizontalScrollBar()
    return bar.isVisible() and bar.maximum() > 0


@pytest.mark.parametrize("language", ["en", "ka"])
def test_the_name_column_takes_the_room_and_nothing_scrolls_sideways(
    qtbot: QtBot, existing: Path, make_shell, language: str
) -> None:
    seed_cases(
        existing,
        person("فاطمة", "Fatima", second="الحسن", second_latin="Al-Hassan"),
        person("Amina", "Amina", second="Bello", second_latin="Bello"),
    )
    shell = make_shell(existing, language=language)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    main.resize(*LAPTOP)
    view = main.show_page("cases")
    assert isinstance(view, CasesView)
    qtbot.waitUntil(lambda: view.model.is_loaded(0) and view.model.rowCount() == 2)
    qtbot.wait(20)
    header = view.table.horizontalHeader()
    name, owner = header.sectionSize(1), header.sectionSize(3)
    widest = max(
        view.table.fontMetrics().horizontalAdvance(view.model.data(view.model.index(r, 1)))
        for r in range(2)
    )
    assert name > widest + 8, (name, widest)
    assert name > 2 * owner
    assert not scrolls_sideways(view.table)
    used = sum(header.sectionSize(c) for c in range(header.count()))
    assert used <= view.table.viewport().width()


def test_share_widths_gives_up_titles_before_content() -> None:
    assert share_widths([100, 50], [60, 40], 200) == [100, 50]
    assert share_widths([100, 50], [60, 40], 125) == [80, 45]
    assert share_widths([100, 50], [60, 40], 50) == [30, 20]


def test_referrals_give_the_width_to_the_partner_not_to_our_own_name(
    qtbot: QtBot, desk: Desk
) -> None:
    session, case_id = desk.context.session, desk.case_id

    def send() -> None:
        cases.save_record(
            session,
            Referral(
                case_id=case_id,
                from_org_id=session.org_id,
                to_org_id=desk.partner_id,
                referred_on=TODAY,
                reason="AdditionalServicesRequired",
                services_requested=("LegalAid",),
                shares_identity=False,
            ),
        )

    desk.context.runner.worker.call(send)
    view = ReferralsView(desk.context)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1)
    qtbot.wait(20)
    header = view.table.horizontalHeader()
    partner = view.table.item(0, 2).text()
    assert partner == "Legal Aid Centre"
    assert header.sectionSize(2) > view.table.fontMetrics().horizontalAdvance(partner)
    assert header.sectionSize(0) < header.sectionSize(2) / 2  # "Sent" needs little
    reason = view.table.item(0, 4).text()
    assert header.sectionSize(4) > view.table.fontMetrics().horizontalAdvance(reason)


def test_fifteen_overdue_follow_ups_are_all_shown_when_the_other_lists_are_empty(
    qtbot: QtBot, desk: Desk
) -> None:
    view = FollowUpsView(desk.context)
    qtbot.addWidget(view)
    view.resize(1100, 760)
    view.show()
    qtbot.wait(50)
    overdue = [
        FollowUpDue(
            f"f{i}",
            desk.case_id,
            "",
            (TODAY - dt.timedelta(days=i + 1)).isoformat(),
            f"HH-2026-{i:04d}",
            f"Person {i}",
        )
        for i in range(15)
    ]
    view._show(FollowUpsDue(overdue, [], []))
    qtbot.wait(50)
    table = view.tables["overdue"]
    assert table.height() >= table.content_height()  # every row, no scrolling
    assert not table.verticalScrollBar().isVisible()
    assert not view.tables["today"].isVisible() and not view.tables["this_week"].isVisible()
    assert view.headings["today"].text() == "Due today: 0 follow-ups"


def test_the_delphi_indicator_column_reads_and_the_weight_is_narrow(qtbot: QtBot) -> None:
    checklist = DelphiChecklist()
    qtbot.addWidget(checklist)
    checklist.resize(700, 400)
    checklist.show()
    qtbot.wait(20)
    header = checklist.tree.header()
    assert header.sectionSize(0) > 3 * header.sectionSize(1)
    weight_words = max(
        checklist.tree.fontMetrics().horizontalAdvance(item.text(1))
        for item in checklist.indicator_items.values()
    )
    assert header.sectionSize(1) >= weight_words
    for item in checklist.indicator_items.values():
        assert item.toolTip(0) == item.text(0) and item.text(0)


def test_the_parts_of_a_case_are_listed_in_full_in_every_language(
    qtbot: QtBot, existing: Path, make_shell
) -> None:
    seed_cases(existing, person("Amina", "Amina"))
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    main.resize(*LAPTOP)
    view = main.show_page("cases")
    assert isinstance(view, CasesView)
    workspace = open_first_case(qtbot, view)
    sections = workspace.sections
    assert sections.count() == len(workspace.case_tabs) == 10
    for language in LANGUAGES:
        shell.change_language(language)
        qtbot.wait(10)
        metrics = sections.fontMetrics()
        for row in range(sections.count()):
            item = sections.item(row)
            rect = sections.visualItemRect(item)
            assert sections.viewport().rect().contains(rect), (language, item.text())
            needs = metrics.boundingRect(
                QRect(0, 0, rect.width(), 1000), Qt.TextFlag.TextWordWrap, item.text()
            )
            assert needs.width() <= rect.width(), (language, item.text())  # no word cut
            assert needs.height() <= rect.height(), (language, item.text())  # every line
            assert "&&" not in item.text()
    shell.change_language("en")
    sections.setCurrentRow(8)
    assert workspace.tabs.currentWidget() is workspace.case_tabs[8]
    workspace.show_tab("history")
    assert sections.currentRow() == 9
    assert not workspace.tabs.tabBar().isVisible()


def test_cases_by_status_is_drawn_as_rows_so_every_status_has_its_name(
    qtbot: QtBot, existing: Path, make_shell
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("dashboard")
    assert isinstance(view, DashboardView)
    qtbot.waitUntil(lambda: view.figures is not None, timeout=10_000)
    assert view.by_status.horizontal
    assert "Closed (referred)" in [b.label for b in view.by_status.bars]


def test_a_date_not_known_shows_no_date(qtbot: QtBot) -> None:
    field = DateField(known_by_default=False)
    qtbot.addWidget(field)
    assert field.date() is None
    assert field.edit.text() == NO_DATE_TEXT
    field.unknown.setChecked(False)
    assert field.date() == dt.date.today()
    field.set_date(dt.date(1990, 5, 17))
    field.unknown.setChecked(True)
    assert field.edit.text() == NO_DATE_TEXT and field.date() is None
    field.unknown.setChecked(False)
    assert field.date() == dt.date(1990, 5, 17)  # the date typed before comes back
    field.set_date(None)
    assert field.edit.text() == NO_DATE_TEXT


def test_the_assessment_history_is_as_tall_as_its_rows(qtbot: QtBot, desk: Desk) -> None:
    session, case_id = desk.context.session, desk.case_id

    def assess() -> None:
        for days in range(5):
            cases.save_record(
                session,
                NeedsAssessment(
                    case_id=case_id,
                    assessed_on=TODAY - dt.timedelta(days=30 * days),
                    assessor="Dana",
                    risk_level="Medium",
                ),
            )

    desk.context.runner.worker.call(assess)
    tab = desk.show(qtbot, NeedsTab(desk.context))
    tab.resize(1000, 700)
    qtbot.wait(20)
    assert tab.table.rowCount() == 5
    assert tab.table.height() >= 5 * tab.table.rowHeight(0) + tab.table.horizontalHeader().height()
    assert not tab.table.verticalScrollBar().isVisible()


def test_confirmations_stay_in_view_and_plan_buttons_are_as_wide_as_their_words(
    qtbot: QtBot, desk: Desk
) -> None:
    tab = desk.show(qtbot, ReintegrationTab(desk.context))
    tab.resize(1000, 500)
    qtbot.wait(20)
    scroll = tab.findChild(QScrollArea)
    assert scroll is not None
    assert not scroll.isAncestorOf(tab.status)  # under the scroll area, never cut by it
    tab.status.setText("The reintegration plan was saved.")
    qtbot.wait(10)
    assert tab.rect().contains(tab.status.geometry())
    assert tab.status.height() >= tab.status.fontMetrics().height()
    assert tab.add_objective_button.width() < tab.width() / 3


@pytest.mark.parametrize("language", ["ar"])
def test_a_right_to_left_case_list_keeps_the_name_column_wide(
    qtbot: QtBot, existing: Path, make_shell, language: str
) -> None:
    seed_cases(existing, person("فاطمة", "Fatima", second="الحسن", second_latin="Al-Hassan"))
    shell = make_shell(existing, language=language)
    view = cases_view(qtbot, shell, rows=1)
    view.window().resize(*LAPTOP)
    qtbot.wait(20)
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert not scrolls_sideways(view.table)
    assert view.table.horizontalHeader().sectionSize(1) > 2 * (
        view.table.horizontalHeader().sectionSize(3)
    )


def test_a_long_objective_shows_how_it_begins(qtbot: QtBot, desk: Desk) -> None:
    session, case_id = desk.context.session, desk.case_id
    long_text = "Find paid work near home with a partner employer in the garment trade"

    def plan() -> None:
        cases.save_record(
            session,
            ReintegrationPlan(
                case_id=case_id,
                planned_on=TODAY,
                objectives=(ReintegrationObjective(dimension="Economic", objective=long_text),),
            ),
        )

    desk.context.runner.worker.call(plan)
    tab = desk.show(qtbot, ReintegrationTab(desk.context))
    tab.resize(1000, 600)
    qtbot.waitUntil(lambda: len(tab.objective_rows) == 1)
    edit = tab.objective_rows[0].objective
    assert edit.text() == long_text
    assert edit.cursorPosition() == 0  # the beginning in view, not "...the garment trade"
