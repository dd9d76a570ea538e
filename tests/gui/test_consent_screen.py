"""The Consent and Referrals tabs show the consent in force by the domain's one rule: once
the latest consent is withdrawn, none is in force, even if an earlier one was never
withdrawn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from shelter_desk.gui.workspace.consent_tab import ConsentTab
from shelter_desk.gui.workspace.referrals_tab import ReferralsTab
from shelter_desk.services import cases
from tests.gui.case_desk import TODAY, Desk, open_desk
from tests.gui.conftest import OFFSCREEN_LIMITS
from tests.services.case_helpers import consent

pytestmark = OFFSCREEN_LIMITS


@pytest.fixture
def desk(data_dir: Path, qtbot: QtBot) -> Iterator[Desk]:
    with open_desk(data_dir) as opened:
        yield opened


def test_a_withdrawn_latest_consent_leaves_none_in_force_on_screen(
    qtbot: QtBot, desk: Desk
) -> None:
    session = desk.context.session

    def give_again_then_withdraw() -> None:
        newer = consent(case_id=desk.case_id, share_with_partners=True)
        cases.save_record(session, newer, today=TODAY)
        cases.withdraw_consent(session, newer.id, withdrawn_on=TODAY)

    desk.context.runner.worker.call(give_again_then_withdraw)
    case_file = desk.load()
    assert len(case_file.consents) == 2 and case_file.consents[0].withdrawn_on is None

    tab = desk.show(qtbot, ConsentTab(desk.context))
    assert isinstance(tab, ConsentTab)
    assert "No consent is in force" in tab.earlier.text()
    assert "was withdrawn on" in tab.earlier.text()
    assert not tab.withdraw_button.isEnabled()
    assert not tab.consent.consent_given.isChecked()  # a new consent is recorded below

    referrals = desk.show(qtbot, ReferralsTab(desk.context))
    assert isinstance(referrals, ReferralsTab)
    assert "No consent to referral is recorded" in referrals.consent_note.text()
