"""The Referrals page lists the organisation's referrals and opens their case."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Referral
from shelter_desk.gui.views.referrals import ReferralsView
from shelter_desk.services import cases
from tests.gui.case_desk import TODAY, open_desk
from tests.gui.conftest import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


def test_a_sent_referral_is_listed_and_opens_its_case(qtbot: QtBot, data_dir: Path) -> None:
    with open_desk(data_dir) as desk:
        session = desk.context.session
        referral = Referral(
            case_id=desk.case_id,
            to_org_id=desk.partner_id,
            referred_on=TODAY,
            reason="AdditionalServicesRequired",
            services_requested=("LegalAid", "Medical"),
            shares_identity=False,
        )

        def send() -> None:
            referral.from_org_id = session.org_id
            cases.save_record(session, referral)

        desk.context.runner.worker.call(send)
        view = ReferralsView(desk.context)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: view.table.rowCount() == 1)
        cells = [view.table.item(0, c).text() for c in range(view.table.columnCount())]
        assert cells[0] == "Sent"
        assert cells[1] == desk.load().case.number
        assert cells[2] == "Legal Aid Centre"  # the partner; "Sent" says we are the sender
        assert cells[5] == "Legal aid and Medical"
        assert cells[6] == "Sent"
        assert view.count.text() == "1 referral"

        view.showing.setCurrentIndex(view.showing.findData("incoming"))
        assert view.table.rowCount() == 0
        view.showing.setCurrentIndex(0)
        view.table.setFocus()
        view.table.setCurrentCell(0, 0)
        with qtbot.waitSignal(view.open_case_requested) as opened:
            qtbot.keyClick(view.table, Qt.Key.Key_Enter)
        assert opened.args == [desk.case_id, "referrals"]
