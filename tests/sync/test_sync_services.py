"""Sync services between real installations: partners, bundles, consent, referrals,
idempotent imports in any order, and the conflict queue."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import replace

import pytest

from shelter_desk.domain.entities import IdentityDocument, Referral
from shelter_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from shelter_desk.security.permissions import Role
from shelter_desk.services import cases, exchange, sharing, users
from shelter_desk.services.installation import Installation
from shelter_desk.services.verify import verify
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.services.case_helpers import TODAY, consent, intake, person
from tests.sync.sync_parties import NETWORK_SECRET, Party

MakeParty = Callable[..., Party]
SUPERVISOR_PASS = "copper willow seventy lantern"
CASEWORKER_PASS = "granite meadow violin ninety"


def _open(
    party: Party, first: str, latin: str, level: str, *, partners: bool = False, **kw: object
) -> cases.CaseFile:
    return cases.open_case(
        party.session,
        person(first=first, latin=latin, **kw),
        intake(narrative=f"Narrative of {latin}", place="Secret farm road"),
        consent(sharing_level=level, share_with_partners=partners),
        today=TODAY,
    )


def _exchange(a: Party, b: Party) -> None:
    """``a`` sends to ``b`` and ``b`` answers: a full round trip."""
    b.receive(a.send(b))
    a.receive(b.send(a))


# -- partners ------------------------------------------------------------------------


def test_partner_cards_need_the_confirmed_fingerprint(make_party: MakeParty) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    card = exchange.my_card(c.session)
    assert card.organisation == "National Coordinator"
    assert card.role == "coordinator" and card.country == "JO"
    other = exchange.my_card(make_party("x", "Shelter X").session)
    with pytest.raises(ValidationError) as info:
        exchange.add_partner(a.session, card.to_bytes(), other.fingerprint)
    assert "fingerprint" in info.value.errors
    assert exchange.list_partners(a.session) == []

    # the digits, spaced any way, and four-letter word prefixes both confirm it
    exchange.add_partner(a.session, card.to_bytes(), card.fingerprint_digits.replace(" ", "-"))
    short = " ".join(w[:4] for w in card.fingerprint_words).upper()
    exchange.add_partner(a.session, card.to_bytes(), short)
    [info_row] = exchange.list_partners(a.session)
    assert info_row.organisation == "National Coordinator"
    assert info_row.fingerprint == card.fingerprint and not info_row.revoked
    assert exchange.find_partner(a.session, "national coordinator").key_id == c.key_id
    assert exchange.find_partner(a.session, card.fingerprint).key_id == c.key_id
    with pytest.raises(NotFound):
        exchange.find_partner(a.session, "Nobody")
    with pytest.raises(ValidationError):
        exchange.add_partner(
            a.session,
            exchange.my_card(a.session).to_bytes(),
            exchange.my_card(a.session).fingerprint,
        )

    exchange.revoke_partner(a.session, c.key_id)
    assert exchange.list_partners(a.session)[0].revoked
    with pytest.raises(NotFound):
        exchange.find_partner(a.session, "National Coordinator")
    with pytest.raises(ValidationError):
        exchange.add_partner(a.session, card.to_bytes(), card.fingerprint)
    with pytest.raises(ValidationError):
        a.export(c)
    actions = [e.action for e in a.session.audit_log.events()]
    assert actions.count("partner_add") == 2 and "partner_revoke" in actions


def test_a_caseworker_cannot_trust_partners_or_exchange_bundles(make_party: MakeParty) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    users.add_user(a.session, "bob", Role.CASEWORKER, CASEWORKER_PASS)
    a.session.lock()
    bob = a.installation.unlock("bob", CASEWORKER_PASS)
    card = exchange.my_card(c.session)
    with pytest.raises(PermissionDenied):
        exchange.add_partner(bob, card.to_bytes(), card.fingerprint)
    with pytest.raises(PermissionDenied):
        exchange.import_bundle(bob, b"SHBNDL")
    with pytest.raises(PermissionDenied):
        exchange.export_bundle(bob, c.key_id, a.outbox / "never.shbundle")
    bob.lock()
    a.session = a.installation.unlock(ADMIN, ADMIN_PASSPHRASE)


# -- round trip ----------------------------------------------------------------------


def test_round_trip_to_the_coordinator_and_back(make_party: MakeParty) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    opened = [_open(a, f"Amal{i}", f"Amal{i}", "Identified") for i in range(3)]
    cases.update_case(a.session, replace(opened[0].case, risk_level="High"), today=TODAY)
    cases.close_case(a.session, opened[1].case.id, "SupportCompleted", today=TODAY)

    first = a.export(c)
    assert first.summary.seq == 1 and first.summary.cases == 3
    assert first.summary.identified == first.summary.transactions == a.change_count()
    result = c.receive(first.bundle)
    assert result.applied and not result.already_applied
    assert result.counts["new"] == a.change_count() and result.gap_before is None
    assert exchange.cases_by_organisation(c.session) == {a.org_id: 3}
    assert exchange.organisation_names(c.session)[a.org_id] == "Shelter A"
    shown = cases.load_case(c.session, opened[0].case.id)
    assert shown.case.risk_level == "High" and shown.person.first_name == "Amal0"
    assert cases.count_cases(c.session, cases.CaseFilter(text="Amal1")) == 1

    back = c.receive(first.bundle)  # a replay changes nothing and says so
    assert back.already_applied and not back.applied and "already imported" in back.message

    answer = c.send(a)  # the directory entry for A and the acknowledgement
    got = a.receive(answer)
    assert got.counts["acknowledged"] == 1
    assert a.digest() == c.digest()
    count = c.change_count()
    again = a.export(c)  # acknowledged: nothing to send again
    assert again.summary.transactions == 0 and again.summary.seq == 2
    c.receive(again.bundle)
    assert c.change_count() == count
    partners = {p.key_id: p for p in exchange.list_partners(c.session)}
    assert partners[a.key_id].org_id == a.org_id
    assert partners[a.key_id].last_received_seq == 2
    history = exchange.bundle_history(c.session)
    assert [(b.direction, b.seq) for b in history][:1] == [("received", 2)]


def test_unacknowledged_changes_travel_again(make_party: MakeParty) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    _open(a, "Huda", "Huda", "Identified")
    lost = a.export(c)  # the USB stick is lost
    _open(a, "Rana", "Rana", "Identified")
    second = a.export(c)
    assert second.summary.transactions == lost.summary.transactions * 2
    assert second.summary.seq == 2
    result = c.receive(second.bundle)
    assert result.gap_before == 1  # bundle 1 never arrived: reported, not fatal
    assert exchange.cases_by_organisation(c.session) == {a.org_id: 2}
    late = c.receive(lost.bundle)  # it turns up after all
    assert late.applied and late.counts["new"] == 0


# -- three parties and referrals -----------------------------------------------------


def _network(make_party: MakeParty) -> tuple[Party, Party, Party]:
    a = make_party("a", "Shelter A")
    b = make_party("b", "Shelter B", country="LB")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    b.trust(c)
    for shelter in (a, b):
        exchange.set_network_secret(shelter.session, NETWORK_SECRET)
        c.receive(shelter.send(c))
    for shelter in (a, b):
        shelter.receive(c.send(shelter))  # the partner directory
    return a, b, c


def test_referral_from_a_to_b_through_the_coordinator(make_party: MakeParty) -> None:
    a, b, c = _network(make_party)
    names = {o.id: o.name for o in cases.organisations(a.session)}
    assert names[b.org_id] == "Shelter B"
    kept = _open(a, "Samira", "Samira", "StatisticsOnly")  # stays at A
    cf = _open(a, "Layla", "Layla", "StatisticsOnly", partners=True)
    referral = Referral(
        case_id=cf.case.id,
        from_org_id=a.org_id,
        to_org_id=b.org_id,
        referred_on=TODAY,
        reason="AdditionalServicesRequired",
        details="Needs a safe bed near the clinic",
    )
    cases.save_record(a.session, referral, today=TODAY)

    c.receive(a.send(c))
    b.receive(c.send(b))
    [incoming] = exchange.incoming_referrals(b.session)
    assert incoming.id == referral.id and incoming.status == "Sent"
    at_b = cases.load_case(b.session, cf.case.id)
    assert at_b.person.first_name == "Layla"  # the referral shares identity, with consent
    assert at_b.intakes == [] and at_b.consents == []  # only what is needed to act
    with pytest.raises(NotFound):
        cases.load_case(b.session, kept.case.id)
    assert "Samira" not in b.records_json()

    exchange.respond_to_referral(b.session, referral.id, "Accepted", today=TODAY)
    with pytest.raises(PermissionDenied):
        exchange.respond_to_referral(a.session, referral.id, "Declined", today=TODAY)
    c.receive(b.send(c))
    a.receive(c.send(a))
    status = {r.id: r.status for r in cases.load_case(a.session, cf.case.id).referrals}
    assert status[referral.id] == "Accepted"

    exchange.respond_to_referral(b.session, referral.id, "Completed", today=TODAY)
    c.receive(b.send(c))
    a.receive(c.send(a))
    status = {r.id: r.status for r in cases.load_case(a.session, cf.case.id).referrals}
    assert status[referral.id] == "Completed"
    assert exchange.cases_by_organisation(c.session) == {a.org_id: 2}


def test_referral_without_identity_reaches_b_pseudonymised(make_party: MakeParty) -> None:
    a, b, c = _network(make_party)
    cf = _open(a, "Noor", "Noor", "Identified")  # the coordinator may know her, B may not
    cases.save_record(
        a.session,
        Referral(
            case_id=cf.case.id,
            from_org_id=a.org_id,
            to_org_id=b.org_id,
            referred_on=TODAY,
            reason="AdditionalServicesRequired",
            shares_identity=False,
        ),
        today=TODAY,
    )
    c.receive(a.send(c))
    assert cases.load_case(c.session, cf.case.id).person.first_name == "Noor"
    b.receive(c.send(b))
    at_b = cases.load_case(b.session, cf.case.id)
    assert at_b.person.first_name == "" and at_b.person.gender == "Masculine"
    assert "Noor" not in b.records_json()


# -- consent levels ------------------------------------------------------------------


def test_statistics_only_case_carries_no_identifying_field(make_party: MakeParty) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    passport = IdentityDocument(document_type="Passport", number="P7781234", issuing_country="SD")
    stats = _open(
        a,
        "Fatima",
        "Fatimah",
        "StatisticsOnly",
        second="Zahrawi",
        second_latin="Zahrawi",
        birth_date=dt.date(2001, 4, 9),
        documents=(passport,),
        city="Irbid",
    )
    hidden = _open(a, "Mariam", "Mariam", "NotShared")
    c.receive(a.send(c))
    stored = c.records_json()
    for secret in (
        "Fatima",
        "Fatimah",
        "Zahrawi",
        "P7781234",
        "Irbid",
        "Narrative of",
        "Secret farm road",
        "2001-04-09",
        "Mariam",
    ):
        assert secret not in stored, secret
    person_row = c.session.records.get(stats.person.id)
    assert person_row is not None
    assert person_row.data["gender"] == "Masculine" and person_row.data["citizenships"] == ["SD"]
    assert person_row.data["birth_year"] == 2001
    intake_row = c.session.records.get(stats.intakes[0].id)
    assert intake_row is not None and intake_row.data["intake_date_year"] == 2026
    assert "intake_date" not in intake_row.data
    assert intake_row.data["exploitation_types"] == ["ForcedLabour"]
    assert c.session.records.get(hidden.case.id) is None
    assert exchange.cases_by_organisation(c.session) == {a.org_id: 1}


def test_pseudonymised_person_gets_the_same_token_at_both_shelters(
    make_party: MakeParty,
) -> None:
    a, b, c = _network(make_party)
    born = dt.date(1998, 2, 3)
    at_a = _open(a, "Yasmin", "Yasmin", "Pseudonymised", second="Haddad", birth_date=born)
    at_b = _open(b, "ياسمين", "yasmin", "Pseudonymised", second="HADDAD", birth_date=born)
    other = _open(b, "Salma", "Salma", "Pseudonymised", second="Haddad", birth_date=born)
    c.receive(a.send(c))
    c.receive(b.send(c))
    tokens = {}
    for cf in (at_a, at_b, other):
        row = c.session.records.get(cf.person.id)
        assert row is not None
        tokens[cf.person.id] = row.data["identity_token"]
    assert tokens[at_a.person.id] == tokens[at_b.person.id]
    assert tokens[other.person.id] != tokens[at_a.person.id]
    assert len(tokens[at_a.person.id]) == 32
    stored = c.records_json()
    for secret in ("Yasmin", "yasmin", "Haddad", "HADDAD", "1998-02-03", "Narrative of"):
        assert secret not in stored, secret
    assert exchange.cases_by_organisation(c.session) == {a.org_id: 1, b.org_id: 2}


def test_network_secret_must_be_well_formed(make_party: MakeParty) -> None:
    a = make_party("a", "Shelter A")
    with pytest.raises(ValidationError):
        exchange.set_network_secret(a.session, "too short")
    assert not exchange.has_network_secret(a.session)
    exchange.set_network_secret(a.session, sharing.new_network_secret())
    assert exchange.has_network_secret(a.session)


# -- any order, any number of times ---------------------------------------------------


def test_bundles_twice_and_shuffled_give_the_in_order_digest(make_party: MakeParty) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    bundles = []
    cf = _open(a, "Amira", "Amira", "Identified")
    bundles.append(a.send(c))
    cases.update_case(a.session, replace(cf.case, risk_level="Medium"), today=TODAY)
    _open(a, "Dalia", "Dalia", "Pseudonymised")
    bundles.append(a.send(c))
    cases.update_case(a.session, replace(cf.case, risk_level="High"), today=TODAY)
    _open(a, "Reem", "Reem", "StatisticsOnly")
    bundles.append(a.send(c))
    cases.close_case(a.session, cf.case.id, "SupportCompleted", today=TODAY)
    bundles.append(a.send(c))

    # a second coordinator database with the same keys, to import the other way
    c.session.lock()
    c.installation.release()
    shutil.copytree(c.installation.root, c.installation.root.with_name("c2"))
    twin = Installation(c.installation.root.with_name("c2"))
    twin_session = twin.unlock(ADMIN, ADMIN_PASSPHRASE)
    c.session = c.installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        for data in bundles:
            c.receive(data)
        shuffled = bundles * 2
        random.Random(7).shuffle(shuffled)
        outcomes = [exchange.import_bundle(twin_session, data) for data in shuffled]
        assert sum(o.already_applied for o in outcomes) == len(bundles)
        assert verify(twin_session).digest == c.digest()
        assert twin_session.db.scalar("SELECT count(*) FROM changes") == c.change_count()
        assert cases.load_case(twin_session, cf.case.id).case.status == "Closed"
    finally:
        twin_session.lock()
        twin.release()


# -- conflicts -----------------------------------------------------------------------


def test_concurrent_edits_of_a_safety_critical_field_enter_the_queue(
    make_party: MakeParty,
) -> None:
    a, b, c = _network(make_party)
    cf = _open(a, "Hana", "Hana", "Identified", partners=True, city="Amman")
    referral = Referral(
        case_id=cf.case.id,
        from_org_id=a.org_id,
        to_org_id=b.org_id,
        referred_on=TODAY,
        reason="MigrationOrChangeOfLocation",
    )
    cases.save_record(a.session, referral, today=TODAY)
    c.receive(a.send(c))
    b.receive(c.send(b))
    # both organisations learn of a move at the same time, without hearing of each other
    cases.save_person(a.session, replace(cf.person, city="Irbid"), today=TODAY)
    at_b = cases.load_case(b.session, cf.case.id)
    cases.save_person(b.session, replace(at_b.person, city="Zarqa"), today=TODAY)
    cases.update_case(b.session, replace(at_b.case, risk_level="High"), today=TODAY)

    c.receive(a.send(c))
    c.receive(b.send(c))
    result = a.receive(c.send(a))
    [conflict] = result.conflicts
    assert conflict.field == "city" and conflict.entity == "person"
    assert {conflict.local_value, conflict.remote_value} == {"Irbid", "Zarqa"}
    assert conflict.local_device == a.key_id and conflict.remote_device == b.key_id
    assert conflict.local_user == a.session.user.id and conflict.remote_at
    assert [q.id for q in exchange.conflicts(a.session)] == [conflict.id]
    # not concurrent: nobody at A touched the risk level, so B's value simply applies
    assert cases.load_case(a.session, cf.case.id).case.risk_level == "High"

    users.add_user(a.session, "sara", Role.SUPERVISOR, SUPERVISOR_PASS)
    users.add_user(a.session, "bob", Role.CASEWORKER, CASEWORKER_PASS)
    a.session.lock()
    bob = a.installation.unlock("bob", CASEWORKER_PASS)
    with pytest.raises(PermissionDenied):
        exchange.resolve_conflict(bob, conflict.id, "Zarqa")
    bob.lock()
    sara = a.installation.unlock("sara", SUPERVISOR_PASS)
    done = exchange.resolve_conflict(sara, conflict.id, "Zarqa", today=TODAY)
    assert done.status == "resolved" and done.resolved_by == sara.user.id
    assert exchange.conflicts(sara) == []
    assert cases.load_case(sara, cf.case.id).person.city == "Zarqa"
    with pytest.raises(ValidationError):
        exchange.resolve_conflict(sara, conflict.id, "Amman")
    assert "conflict_resolve" in [e.action for e in sara.audit_log.events()]
    a.session = sara

    # the decision travels: B queued the same conflict and it settles there too
    b_result = b.receive(c.send(b))
    assert [q.field for q in b_result.conflicts] == ["city"]
    c.receive(a.send(c))
    b.receive(c.send(b))
    assert exchange.conflicts(b.session) == []
    assert cases.load_case(b.session, cf.case.id).person.city == "Zarqa"
    assert json.dumps(exchange.cases_by_organisation(c.session)) == json.dumps({a.org_id: 1})
