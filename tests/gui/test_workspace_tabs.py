"""The case workspace's record tabs, each driven through its widgets on a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Return, ServiceDelivery
from shelter_desk.gui.workspace.more_tabs import MORE_TABS
from shelter_desk.gui.workspace.needs_tab import NeedsTab
from shelter_desk.gui.workspace.plan_tab import PlanTab
from shelter_desk.gui.workspace.referrals_tab import ReferralsTab
from shelter_desk.gui.workspace.reintegration_tab import ReintegrationTab
from shelter_desk.gui.workspace.return_tab import ReturnTab
from shelter_desk.gui.workspace.services_tab import ServicesTab
from shelter_desk.i18n import _, set_language
from shelter_desk.services import cases
from tests.gui.case_desk import TODAY, Desk, open_desk, press_save
from tests.gui.conftest import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


@pytest.fixture
def desk(data_dir: Path, qtbot: QtBot) -> Iterator[Desk]:
    with open_desk(data_dir) as opened:
        yield opened


def test_a_service_is_recorded_and_the_totals_follow(qtbot: QtBot, desk: Desk) -> None:
    workspace, tab = desk.workspace(qtbot, ServicesTab)
    qtbot.waitUntil(lambda: tab.provider.count() == 2)
    tab.service_type.set_code("Accommodation")
    assert tab.form.fields["started_on"].label.text() == "Admission date"
    tab.provider.set_org_id(desk.partner_id)
    tab.started_on.set_date(TODAY)
    tab.ended_on.set_date(TODAY - dt.timedelta(days=3))
    qtbot.keyClicks(tab.cost.amount, "1200.50")
    tab.cost.currency.setCurrentText("ILS")
    assert tab.is_dirty()
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)  # a new service is added
    message = tab.form.fields["ended_on"].message
    qtbot.waitUntil(message.isVisible)
    assert "discharge date is before the admission date" in message.message
    assert desk.load().services == []

    tab.ended_on.set_date(TODAY)
    press_save(qtbot, workspace)  # or with the header's Save, like every other edit
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    assert not tab.is_dirty()
    stored = desk.load().services
    assert len(stored) == 1 and stored[0].provider_org_id == desk.partner_id
    assert "₪1,200.50" in tab.totals.text()
    assert tab.table.item(0, 1).text() == "Legal Aid Centre"
    assert not tab.add_button.isVisible()  # changing the stored service: the header's Save
    assert not workspace.save_button.isEnabled()
    tab.notes.setPlainText("Two nights more")
    press_save(qtbot, workspace)
    qtbot.waitUntil(lambda: desk.load().services[0].notes == "Two nights more")


def test_an_assessment_is_recorded_with_needs_and_factors(qtbot: QtBot, desk: Desk) -> None:
    workspace, tab = desk.workspace(qtbot, NeedsTab)
    assert tab.assessed_on.date() == TODAY
    qtbot.keyClicks(tab.assessor, "Dana")
    tab.levels["Safety"].set_code("Urgent")
    qtbot.keyClicks(tab.need_notes["Safety"], "Recruiter knows her town")
    tab.levels["PhysicalHealth"].set_code("Low")
    tab.risk_level.set_code("High")
    qtbot.keyClicks(tab.risks["Household"], "Debt to recruiter")
    qtbot.keyClicks(tab.protective["Community"], "Supportive aunt")
    tab.next_review_on.set_date(TODAY - dt.timedelta(days=1))
    press_save(qtbot, workspace)
    message = tab.form.fields["next_review_on"].message
    qtbot.waitUntil(message.isVisible)
    assert "before the assessment" in message.message

    tab.next_review_on.set_date(TODAY + dt.timedelta(days=30))
    press_save(qtbot, workspace)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    (stored,) = desk.load().assessments
    assert stored.risk_level == "High"
    assert {(r.domain, r.level) for r in stored.ratings} == {
        ("Safety", "Urgent"),
        ("PhysicalHealth", "Low"),
    }
    assert {(f.level, f.description, f.protective) for f in stored.risk_factors} == {
        ("Household", "Debt to recruiter", False),
        ("Community", "Supportive aunt", True),
    }
    assert tab.table.item(0, 2).text() == "High"
    assert tab.table.item(0, 3).text() == "Safety"
    assert tab.levels["Safety"].accessibleName() == "Safety: level"


def test_a_referral_without_consent_is_refused_until_a_supervisor_overrides(
    qtbot: QtBot, desk: Desk
) -> None:
    tab = desk.show(qtbot, ReferralsTab(desk.context))
    assert isinstance(tab, ReferralsTab)
    qtbot.waitUntil(lambda: tab.to_org.count() == 2)
    assert "No consent to referral" in tab.consent_note.text()
    tab.to_org.set_org_id(desk.partner_id)
    tab.reason.set_code("AdditionalServicesRequired")
    tab.services_requested.set_selected(["LegalAid"])
    assert not tab.shares_identity.isChecked()  # no consent to referral: off by default
    tab.shares_identity.setChecked(True)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tab.refusal.isVisible)
    assert "has not consented to being referred" in tab.refusal.message
    assert tab.override_box.isVisible()  # the administrator may override
    assert desk.load().referrals == []

    qtbot.mouseClick(tab.override_button, Qt.MouseButton.LeftButton)
    reason_message = tab.override_form.fields["override_reason"].message
    assert reason_message.isVisible()
    qtbot.keyClicks(tab.override_reason, "Urgent legal hearing tomorrow")
    qtbot.mouseClick(tab.override_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    (stored,) = desk.load().referrals
    assert stored.consent_override_by == desk.context.session.user.id
    # Stored as typed, with no sentence in the sender's language (partners read it too).
    assert stored.override_reason == "Urgent legal hearing tomorrow"
    assert stored.details == ""
    assert tab.table.item(0, 0).text() == "Legal Aid Centre"
    assert tab.table.item(0, 4).text() == "Yes"
    assert not tab.override_box.isVisible()
    assert tab.override_note.isVisible()
    assert tab.override_note.text().startswith("Sent without referral consent: ")
    assert "Urgent legal hearing tomorrow" in tab.override_note.text()
    set_language("ru")  # a reader in another language sees it in theirs
    tab.retranslate()
    assert tab.override_note.text().startswith("Отправлено без согласия на направление: ")
    set_language("en")
    tab.retranslate()


def test_a_return_schedules_four_follow_ups_shown_with_their_state(
    qtbot: QtBot, desk: Desk
) -> None:
    workspace, tab = desk.workspace(qtbot, ReturnTab)
    assert not tab.schedule_button.isEnabled()
    tab.decided_on.set_date(TODAY - dt.timedelta(days=120))
    tab.counselling_sessions.setValue(3)
    tab.destination_country.set_code("GE")
    qtbot.keyClicks(tab.destination_city, "Kutaisi")
    tab.travel_on.set_date(TODAY - dt.timedelta(days=100))
    tab.checklist.set_selected(["TravelDocument", "Ticket"])
    qtbot.keyClicks(tab.cost.amount, "450")
    tab.cost.currency.setCurrentText("usd")
    press_save(qtbot, workspace)
    qtbot.waitUntil(tab.schedule_button.isEnabled)
    (stored,) = desk.load().returns
    assert (stored.destination_country, stored.counselling_sessions) == ("GE", 3)
    assert stored.currency == "USD"

    qtbot.mouseClick(tab.schedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "4 follow-ups were scheduled" in tab.status.text())
    assert len(desk.load().follow_ups) == 4

    reintegration = desk.show(qtbot, ReintegrationTab(desk.context))
    assert isinstance(reintegration, ReintegrationTab)
    assert reintegration.state_words() == ["Overdue", "Overdue", "Upcoming", "Upcoming"]
    icon = reintegration.schedule.item(0, 1).icon()
    assert not icon.isNull()


def test_a_follow_up_visit_is_recorded_and_scored(qtbot: QtBot, desk: Desk) -> None:
    session, case_id = desk.context.session, desk.case_id

    def returned() -> None:
        cases.save_record(
            session,
            Return(
                case_id=case_id,
                decided_on=TODAY - dt.timedelta(days=50),
                destination_country="GE",
                travel_on=TODAY - dt.timedelta(days=40),
            ),
        )
        cases.schedule_follow_ups(session, case_id)

    desk.context.runner.worker.call(returned)
    workspace, tab = desk.workspace(qtbot, ReintegrationTab)
    assert tab.state_words()[0] == "Overdue"
    first = tab.follow_ups[0]
    assert tab.visit_id == first.id  # the first open visit is ready to record
    assert tab.done_on.date() == TODAY
    tab.mode.set_code("Phone")
    tab.questions["EconomicSatisfaction"].radios["Satisfied"].click()
    tab.questions["IncomeCoversNeeds"].radios["Yes"].click()
    assert tab.is_dirty()
    press_save(qtbot, workspace)
    qtbot.waitUntil(lambda: "Overall" in tab.scores.text())
    (done,) = [f for f in desk.load().follow_ups if f.id == first.id]
    assert done.answers == {"EconomicSatisfaction": "Satisfied", "IncomeCoversNeeds": "Yes"}
    assert done.economic_score is not None
    assert "Economic: 88 of 100" in tab.scores.text()
    assert tab.state_words()[0] == "Done"

    # the plan with objectives per dimension
    tab.planned_on.set_date(TODAY)
    qtbot.mouseClick(tab.add_objective_button, Qt.MouseButton.LeftButton)
    row = tab.objective_rows[0]
    row.dimension.set_code("Economic")
    qtbot.keyClicks(row.objective, "Start a tailoring business")
    press_save(qtbot, workspace)
    qtbot.waitUntil(lambda: tab.status.text() == "Saved.")
    (plan,) = desk.load().plans
    assert plan.objectives[0].objective == "Start a tailoring business"
    assert len(tab.objective_rows) == 1


def test_a_support_objective_is_added_and_unsaved_work_survives_as_a_draft(
    qtbot: QtBot, desk: Desk
) -> None:
    workspace, tab = desk.workspace(qtbot, PlanTab)
    tab.objective_type.set_code("Legal")
    qtbot.keyClicks(tab.objective, "Residence permit")
    draft = tab.draft()
    assert draft is not None
    tab.show_case(desk.load())  # as after a lock: the form is refilled from the store
    assert tab.objective.text() == ""
    tab.restore_draft(draft)
    assert tab.objective.text() == "Residence permit" and tab.is_dirty()
    press_save(qtbot, workspace)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    assert desk.load().objectives[0].objective_type == "Legal"
    assert tab.draft() is None


INPUT_KINDS = (
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QCheckBox,
    QRadioButton,
    QAbstractItemView,
)


def unnamed_inputs(tab: QWidget) -> list[str]:
    """Inputs a screen reader could not name, or that the keyboard cannot reach."""
    problems = []
    for widget in tab.findChildren(QWidget):
        if not isinstance(widget, INPUT_KINDS):
            continue
        if isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue  # the line edit inside a combo box or date field
        if isinstance(widget, QAbstractItemView) and not isinstance(
            widget, (QTableWidget, QListWidget)
        ):
            continue  # a combo box's popup list
        text = widget.text() if isinstance(widget, (QCheckBox, QRadioButton)) else ""
        if not (widget.accessibleName() or text):
            problems.append(f"{type(widget).__name__} {widget.objectName()}")
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            problems.append(f"{type(widget).__name__} cannot take the focus")
    return problems


def test_every_tab_starts_clean_names_its_inputs_and_speaks_hebrew(
    qtbot: QtBot, desk: Desk
) -> None:
    case_file = desk.load()
    for kind in MORE_TABS:
        tab = kind(desk.context)
        qtbot.addWidget(tab)
        assert not tab.is_dirty(), kind.__name__
        tab.show_case(case_file)
        assert not tab.is_dirty(), kind.__name__
        assert unnamed_inputs(tab) == [], kind.__name__
        set_language("he")
        tab.retranslate()
        assert _(kind.TITLE)
        set_language("en")
        tab.retranslate()
    assert [t.KEY for t in MORE_TABS] == [
        "needs",
        "plan",
        "services",
        "referrals",
        "return",
        "reintegration",
    ]


def test_a_half_recorded_visit_survives_as_a_draft(qtbot: QtBot, desk: Desk) -> None:
    session, case_id = desk.context.session, desk.case_id

    def returned() -> None:
        cases.save_record(
            session,
            Return(case_id=case_id, destination_country="GE", travel_on=TODAY),
        )
        cases.schedule_follow_ups(session, case_id)

    desk.context.runner.worker.call(returned)
    tab = desk.show(qtbot, ReintegrationTab(desk.context))
    assert isinstance(tab, ReintegrationTab)
    assert tab.state_words() == ["Upcoming"] * 4
    code = next(iter(tab.questions))
    option = tab.questions[code].question.options[0].code
    tab.questions[code].radios[option].click()
    tab.add_objective_row(focus=True)
    qtbot.keyClicks(tab.objective_rows[0].objective, "Reopen the bakery")
    draft = tab.draft()
    assert draft is not None
    tab.show_case(desk.load())
    assert tab.answers() == {} and tab.objective_rows == []
    tab.restore_draft(draft)
    assert tab.answers() == {code: option}
    assert tab.objective_rows[0].objective.text() == "Reopen the bakery"
    assert tab.is_dirty()

    # the workspace's Save (Ctrl+S) stores both parts
    tab.planned_on.set_date(TODAY)
    tab.objective_rows[0].dimension.set_code("Economic")
    tab.mode.set_code("InPerson")
    tab.save()
    qtbot.waitUntil(lambda: not tab.is_dirty())
    stored = desk.load()
    assert stored.plans[0].objectives[0].objective == "Reopen the bakery"
    assert [f.answers for f in stored.follow_ups if f.done_on] == [{code: option}]


def test_a_service_is_deleted_after_confirmation(qtbot: QtBot, desk: Desk) -> None:
    session, case_id = desk.context.session, desk.case_id
    desk.context.runner.worker.call(
        lambda: cases.save_record(
            session,
            ServiceDelivery(
                case_id=case_id,
                service_type="Medical",
                started_on=TODAY,
                cost=Decimal("80"),
                currency="ILS",
            ),
        )
    )
    tab = desk.show(qtbot, ServicesTab(desk.context))
    assert isinstance(tab, ServicesTab)
    assert "Medical: ₪80.00" in tab.totals.text()
    tab.table.selectRow(0)
    assert tab.editing_id and tab.service_type.code() == "Medical"
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    box = tab.delete_box
    qtbot.waitUntil(box.isVisible)
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 0)
    assert desk.load().services == []
    assert tab.totals.text() == "No costs recorded yet."
