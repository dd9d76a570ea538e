"""Possible duplicates: keys across scripts, keyed tokens, decisions (audited), intake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shelter_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from shelter_desk.domain.serialize import to_fields
from shelter_desk.services import cases, exchange, sharing
from shelter_desk.services import users as user_service
from shelter_desk.services.duplicates import decisions as duplicates
from shelter_desk.services.duplicates.tokens import (
    PersonNames,
    keyed_tokens,
    name_keys_of,
    plain_tokens,
    year_buckets,
)
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.store.duplicates import DuplicateDecisions
from tests.services.case_helpers import TODAY, consent, intake, person
from tests.sync.sync_parties import NETWORK_SECRET, Party

AUDITOR_PASS = "pebble orchard thirty lantern"


def _open(session: Session, first: str, second: str, born: int, **kw: object) -> cases.CaseFile:
    return cases.open_case(
        session,
        person(first=first, latin="", second=second, birth_date=dt.date(born, 5, 6), **kw),
        intake(),
        consent(),
        today=TODAY,
    )


# -- keys and tokens ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latin", "written"),
    [
        ("Amira", "أميرة"),
        ("Amira", "אמירה"),
        ("Haddad", "حداد"),
        ("al-Haddad", "حداد"),
        ("Mohammed", "محمد"),
        ("Yosef", "יוסף"),
        ("Olga", "Ольга"),
    ],
)
def test_a_latin_and_another_script_spelling_share_a_key(latin: str, written: str) -> None:
    assert set(name_keys_of([latin])) & set(name_keys_of([written]))


def test_names_that_only_look_alike_do_not_share_a_key() -> None:
    assert not set(name_keys_of(["Mohammed"])) & set(name_keys_of(["Mahmoud"]))
    assert not set(name_keys_of(["Haddad"])) & set(name_keys_of(["Hamdan"]))


def test_birth_years_meet_within_one_year_only() -> None:
    for year in range(1980, 2000):
        assert set(year_buckets(year)) & set(year_buckets(year + 1))
        assert not set(year_buckets(year)) & set(year_buckets(year + 2))


def test_a_coordinator_without_the_secret_cannot_compute_a_token_of_a_guess() -> None:
    real = PersonNames(("Yasmin",), ("Haddad",), 1998)
    key = sharing.network_key(sharing.normalise_network_secret(NETWORK_SECRET) or "")
    sent = set(keyed_tokens(real, key))
    assert len(sent) >= 4
    guess = PersonNames(("ياسمين",), ("حداد",), 1998)  # the right guess, in another script
    assert set(keyed_tokens(guess, key)) & sent  # with the secret the guess would be confirmed
    # Without it: the plain keys, the same tokens under any other key, or under the
    # coordinator's own card key, never meet what was sent.
    assert not set(plain_tokens(guess)) & sent
    other = sharing.network_key(sharing.new_network_secret().replace("-", ""))
    assert not set(keyed_tokens(guess, other)) & sent
    assert not set(keyed_tokens(guess, b"")) & sent
    assert all(len(t) == 33 and t[0] in "d210" for t in sent)


# -- a shelter's own cases: listing and decisions --------------------------------------


def test_own_cases_in_two_scripts_are_listed_and_decisions_are_audited(
    admin_session: Session,
) -> None:
    a = _open(admin_session, "Mohammed", "Haddad", 1990)
    b = _open(admin_session, "محمد", "حداد", 1991)
    _open(admin_session, "Mahmoud", "Haddad", 1990)
    _open(admin_session, "Mohammed", "Haddad", 1970)  # twenty years apart
    pairs = duplicates.possible_duplicates(admin_session)
    assert [(p.number_a, p.number_b) for p in pairs] == [(a.case.number, b.case.number)]
    assert not pairs[0].linked and pairs[0].organisation_a == "Hope House"

    audited = admin_session.audit_log.count()
    duplicates.confirm_same_person(admin_session, b.case.id, a.case.id)
    (linked,) = duplicates.possible_duplicates(admin_session)
    assert linked.linked
    events = admin_session.audit_log.events(after=audited)
    assert [e.action for e in events] == [duplicates.AUDIT_SAME]
    assert events[0].object_type == "case_pair"
    assert set(events[0].object_id.split("+")) == {a.case.id, b.case.id}
    # Linked, never merged: both cases are still there as they were.
    assert cases.load_case(admin_session, a.case.id).person.first_name == "Mohammed"
    assert cases.load_case(admin_session, b.case.id).person.first_name == "محمد"

    duplicates.dismiss(admin_session, a.case.id, b.case.id)
    assert duplicates.possible_duplicates(admin_session) == []
    duplicates.undo_decision(admin_session, a.case.id, b.case.id)
    assert len(duplicates.possible_duplicates(admin_session)) == 1
    events = admin_session.audit_log.events(after=audited)
    actions = [e.action for e in events if e.action.startswith("duplicate_")]
    assert actions == [duplicates.AUDIT_SAME, duplicates.AUDIT_DIFFERENT, duplicates.AUDIT_UNDONE]


def test_bad_decisions_change_nothing(admin_session: Session) -> None:
    a = _open(admin_session, "Amira", "Nasser", 1990)
    audited = admin_session.audit_log.count()
    with pytest.raises(ValidationError) as same:
        duplicates.confirm_same_person(admin_session, a.case.id, a.case.id)
    assert "itself" in same.value.message
    with pytest.raises(NotFound):
        duplicates.dismiss(admin_session, a.case.id, "0193a000-0000-7000-8000-00000000ffff")
    with pytest.raises(NotFound):
        duplicates.confirm_same_person(admin_session, a.case.id, a.person.id)  # not a case
    with pytest.raises(NotFound):
        duplicates.undo_decision(admin_session, a.case.id, a.person.id)
    assert DuplicateDecisions(admin_session.db).all() == {}
    assert admin_session.audit_log.count() == audited


def test_an_auditor_neither_lists_nor_decides(admin_session: Session, data_dir: Path) -> None:
    a = _open(admin_session, "Amira", "Nasser", 1990)
    b = _open(admin_session, "أميرة", "ناصر", 1990)
    user_service.add_user(admin_session, "audrey", "auditor", AUDITOR_PASS)
    admin_session.lock()
    admin_session.installation.release()
    inst = Installation(data_dir)
    auditor = inst.unlock("audrey", AUDITOR_PASS)
    try:
        with pytest.raises(PermissionDenied):
            duplicates.possible_duplicates(auditor)
        with pytest.raises(PermissionDenied):
            duplicates.confirm_same_person(auditor, a.case.id, b.case.id)
        assert DuplicateDecisions(auditor.db).all() == {}
    finally:
        auditor.lock()
        inst.release()


def test_intake_finds_the_person_in_another_spelling(admin_session: Session) -> None:
    known = _open(admin_session, "فاطمة", "الحسن", 1995)
    _open(admin_session, "Fatima", "Hassan", 1960)
    newcomer = person(first="Fatma", latin="", second="Hasan", birth_date=dt.date(1996, 1, 1))
    found = duplicates.intake_matches(admin_session, to_fields(newcomer))
    assert [m.number for m in found] == [known.case.number]
    fields = to_fields(newcomer) | {"gender": "Feminine", "citizenships": ["ER"]}
    assert duplicates.intake_matches(admin_session, fields) == []  # not her: another
    # gender and citizenship
    assert duplicates.intake_matches(admin_session, to_fields(person(first="", latin=""))) == []


def test_a_document_number_alone_is_a_possible_duplicate(admin_session: Session) -> None:
    from shelter_desk.domain.entities import IdentityDocument

    doc = (IdentityDocument(document_type="Passport", number="P 1234567"),)
    a = _open(admin_session, "Tigist", "Bekele", 1994, documents=doc)
    b = _open(
        admin_session,
        "Helen",
        "Tesfaye",
        1980,
        documents=(IdentityDocument(document_type="Passport", number="p1234567"),),
    )
    (pair,) = duplicates.possible_duplicates(admin_session)
    assert {pair.case_a, pair.case_b} == {a.case.id, b.case.id}


# -- older bundles ---------------------------------------------------------------------


def test_bundles_with_only_the_old_identity_token_import_and_still_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = Party(tmp_path / "a", "Hope House", "shelter", "JO")
    b = Party(tmp_path / "b", "Amal Shelter", "shelter", "JO")
    c = Party(tmp_path / "c", "National Coordinator", "coordinator", "JO")
    try:
        for shelter in (a, b):
            shelter.trust(c)
            exchange.set_network_secret(shelter.session, NETWORK_SECRET)
            _open(shelter.session, "Yasmin", "Haddad", 1998)
        # What an older version sends: the one identity token, no identity_tokens.
        monkeypatch.setattr(sharing, "_TOKENS_INPUTS", frozenset())
        for shelter in (a, b):
            result = c.receive(shelter.send(c))
            assert result.applied
        people = c.session.records.of_entity("person")
        assert all("identity_tokens" not in p.data and p.data["identity_token"] for p in people)
        (pair,) = duplicates.possible_duplicates(c.session)
        assert {pair.organisation_a, pair.organisation_b} == {"Hope House", "Amal Shelter"}
    finally:
        for party in (a, b, c):
            party.close()
