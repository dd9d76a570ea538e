"""The organisation's referrals, outgoing and incoming, for the Referrals page."""

from __future__ import annotations

from shelter_desk.domain.entities import Case, Organisation, Referral
from shelter_desk.domain.serialize import to_fields
from shelter_desk.services import cases, referrals
from shelter_desk.services.session import Session
from shelter_desk.store.records import Change
from tests.services.case_helpers import TODAY, consent, intake, open_case, person

OTHER_ORG = "0190a0b0-0000-7000-8000-00000000abcd"


def receive(session: Session, entity: Case | Referral) -> None:
    """Store a record written by another organisation, as an imported bundle does."""
    fields = to_fields(entity)
    fields.pop("id")
    with session.db.transaction():
        session.records.apply(
            Change(
                txn_id=cases.new_id(),
                hlc=session.tick(),
                device="their-laptop",
                user_id="their-caseworker",
                org_id=OTHER_ORG,
                case_id=entity.id if isinstance(entity, Case) else entity.case_id,
                entity=entity.ENTITY,
                record_id=entity.id,
                parents=(),
                fields=fields,
                deleted=False,
            )
        )


def test_outgoing_and_incoming_referrals_are_listed_newest_first(
    admin_session: Session,
) -> None:
    session = admin_session
    partner = cases.save_organisation(
        session, Organisation(name="Legal Aid Centre", type="NGO", country="IL")
    )
    cases.save_organisation(
        session, Organisation(id=OTHER_ORG, name="Safe Haven", type="NGO", country="JO")
    )
    cf = cases.open_case(
        session, person(), intake(), consent(share_with_partners=True), today=TODAY
    )
    sent = cases.save_record(
        session,
        Referral(
            case_id=cf.case.id,
            from_org_id=session.org_id,
            to_org_id=partner.id,
            referred_on=TODAY.replace(day=1),
            reason="AdditionalServicesRequired",
            services_requested=("LegalAid",),
        ),
        today=TODAY,
    )
    their_case = Case(id=cases.new_id(), org_id=OTHER_ORG, number="SH-2026-0007", opened_on=TODAY)
    receive(session, their_case)
    receive(
        session,
        Referral(
            id=cases.new_id(),
            org_id=OTHER_ORG,
            case_id=their_case.id,
            from_org_id=OTHER_ORG,
            to_org_id=session.org_id,
            referred_on=TODAY,
            reason="MigrationOrChangeOfLocation",
            shares_identity=False,
        ),
    )
    # a referral between two other organisations is not ours to list
    receive(
        session,
        Referral(
            id=cases.new_id(),
            org_id=OTHER_ORG,
            case_id=their_case.id,
            from_org_id=OTHER_ORG,
            to_org_id=partner.id,
            referred_on=TODAY,
            reason="Other",
        ),
    )

    rows = referrals.list_referrals(session)
    assert [r.direction for r in rows] == [referrals.INCOMING, referrals.OUTGOING]
    incoming, outgoing = rows
    assert incoming.case_number == "SH-2026-0007"
    assert (incoming.from_org_name, incoming.to_org_name) == ("Safe Haven", "Hope House")
    assert not incoming.shares_identity
    assert outgoing.referral_id == sent.id
    assert outgoing.case_number == cf.case.number
    assert (outgoing.from_org_name, outgoing.to_org_name) == ("Hope House", "Legal Aid Centre")
    assert outgoing.services_requested == ("LegalAid",)
    assert outgoing.status == "Sent"


def test_an_organisation_without_referrals_lists_none(admin_session: Session) -> None:
    open_case(admin_session)
    assert referrals.list_referrals(admin_session) == []
