"""The History tab says what a referral or a service was and to or from whom ("added a
referral to Legal Aid Centre (Legal aid)"), in the reader's language, from the codes and
organisation ids the change log holds; nothing else about the person comes out."""

from __future__ import annotations

from shelter_desk.domain.entities import Consent, Organisation, Referral, ServiceDelivery
from shelter_desk.gui.workspace.history_tab import describe
from shelter_desk.i18n import _, set_language
from shelter_desk.services import case_history, cases
from shelter_desk.services.session import Session
from tests.services.case_helpers import TODAY, open_case


def _history(session: Session) -> tuple[list[case_history.HistoryEntry], dict[str, str]]:
    legal = cases.save_organisation(
        session, Organisation(name="Legal Aid Centre", type="NGO", country="IL"), today=TODAY
    )
    clinic = cases.save_organisation(
        session, Organisation(name="Al-Amal Clinic", type="NGO", country="IL"), today=TODAY
    )
    case_id = open_case(session).case.id
    cases.save_record(
        session,
        Consent(
            case_id=case_id,
            consent_given=True,
            method="Written",
            given_on=TODAY,
            share_with_partners=True,
        ),
        today=TODAY,
    )
    referral = cases.save_record(
        session,
        Referral(
            case_id=case_id,
            to_org_id=legal.id,
            referred_on=TODAY,
            reason="AdditionalServicesRequired",
            services_requested=("LegalAid",),
            details="Hearing about her employer on Monday",
        ),
        today=TODAY,
    )
    cases.save_record(
        session,
        ServiceDelivery(
            case_id=case_id,
            service_type="Medical",
            provider_org_id=clinic.id,
            started_on=TODAY,
            notes="Sprained wrist",
        ),
        today=TODAY,
    )
    cases.save_record(
        session,
        ServiceDelivery(case_id=case_id, service_type="Psychosocial", started_on=TODAY),
        today=TODAY,
    )
    cases.delete_record(session, referral.id)
    names = {o.id: o.name for o in cases.organisations(session)}
    return case_history.case_history(session, case_id), names


def _lines(entries: list[case_history.HistoryEntry], names: dict[str, str]) -> list[str]:
    plain = str.maketrans("", "", "\u2066\u2067\u2068\u2069")
    return [describe(e, {}, names).translate(plain) for e in entries]


def test_referrals_and_services_are_told_by_what_and_whom(admin_session: Session) -> None:
    entries, names = _history(admin_session)
    lines = _lines(entries, names)
    assert any(line.endswith("added a referral to Legal Aid Centre (Legal aid)") for line in lines)
    assert any(
        line.endswith("removed a referral to Legal Aid Centre (Legal aid)") for line in lines
    )
    assert any(line.endswith("added a service: Medical, Al-Amal Clinic") for line in lines)
    assert any(line.endswith("added a service: Psychosocial") for line in lines)
    assert any(line.endswith("added the person") for line in lines)  # others as before

    # Only codes and organisation ids: no note, detail or name of the person.
    for entry in entries:
        for _field, values in entry.about:
            assert all(" " not in v for v in values), values
    assert all(e.about == () for e in entries if e.entity not in ("referral", "service_delivery"))


def test_a_partner_not_in_the_address_book_and_another_language(admin_session: Session) -> None:
    entries, names = _history(admin_session)
    unknown = _lines(entries, {})
    assert any(
        line.endswith("added a referral to an organisation not in the directory (Legal aid)")
        for line in unknown
    )
    set_language("ru")
    russian = _lines(entries, names)
    legal_aid, medical = _("Legal aid"), _("Medical")
    assert legal_aid != "Legal aid" and medical != "Medical"  # the catalogue has them
    assert any(f"Legal Aid Centre ({legal_aid})" in line for line in russian)
    assert any(f"{medical}, Al-Amal Clinic" in line for line in russian)
