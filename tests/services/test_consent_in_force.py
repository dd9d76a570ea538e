"""One rule for the consent in force, used by the case's sharing (what the coordinator gets),
referrals, the Consent tab and the printed forms: the latest consent recorded, when given and
not withdrawn."""

from __future__ import annotations

import dataclasses

import pytest

from shelter_desk.domain.entities import Organisation, Referral
from shelter_desk.domain.errors import PermissionDenied, ValidationError
from shelter_desk.services import cases, sharing
from shelter_desk.services.session import Session
from tests.services.case_helpers import TODAY, consent, open_case


def _sent_form(session: Session, case_id: str) -> str | None:
    """The form the case's changes travel in to a coordinator (None: not sent)."""
    level = cases.load_case(session, case_id).case.sharing_level
    return sharing.form_for_level(level)


def test_a_consent_saved_as_withdrawn_stops_the_sharing(admin_session: Session) -> None:
    cf = open_case(admin_session)
    assert _sent_form(admin_session, cf.case.id) == sharing.PSEUDONYMISED
    (given,) = cf.consents
    cases.save_record(admin_session, dataclasses.replace(given, withdrawn_on=TODAY), today=TODAY)
    again = cases.load_case(admin_session, cf.case.id)
    assert again.consent is None
    assert again.case.sharing_level == "NotShared"
    assert _sent_form(admin_session, cf.case.id) is None


def test_a_deleted_consent_stops_the_sharing(admin_session: Session) -> None:
    cf = open_case(admin_session)
    cases.delete_record(admin_session, cf.consents[0].id)
    assert cases.load_case(admin_session, cf.case.id).case.sharing_level == "NotShared"


def test_withdrawing_the_latest_consent_does_not_bring_back_an_earlier_one(
    admin_session: Session,
) -> None:
    partner = cases.save_organisation(
        admin_session, Organisation(name="Legal Aid Centre", type="NGO", country="IL")
    )
    cf = open_case(admin_session)
    first = cf.consents[0]
    cases.save_record(
        admin_session, dataclasses.replace(first, share_with_partners=True), today=TODAY
    )
    newer = consent(case_id=cf.case.id, share_with_partners=True, sharing_level="Identified")
    cases.save_record(admin_session, newer, today=TODAY)
    assert _sent_form(admin_session, cf.case.id) == sharing.RAW
    cases.withdraw_consent(admin_session, newer.id, withdrawn_on=TODAY)

    again = cases.load_case(admin_session, cf.case.id)
    assert again.consent is None  # the earlier consent is not in force again
    assert again.case.sharing_level == "NotShared"
    referral = Referral(
        case_id=cf.case.id,
        from_org_id=admin_session.org_id,
        to_org_id=partner.id,
        referred_on=TODAY,
        reason="AdditionalServicesRequired",
    )
    with pytest.raises(PermissionDenied, match="consented"):
        cases.save_record(admin_session, referral, today=TODAY)


def test_the_case_shares_no_more_than_the_consent_allows(admin_session: Session) -> None:
    cf = open_case(admin_session)
    with pytest.raises(ValidationError) as refused:
        cases.update_case(
            admin_session, dataclasses.replace(cf.case, sharing_level="Identified"), today=TODAY
        )
    assert set(refused.value.errors) == {"sharing_level"}
    assert cases.load_case(admin_session, cf.case.id).case.sharing_level == "Pseudonymised"
