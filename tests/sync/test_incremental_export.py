"""An export after an acknowledged bundle considers only what arrived since (issue 12 item 3),
and still sends everything the partner lacks: older transactions that a consent, or a network
secret, made shareable only now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from shelter_desk.domain.entities import Consent
from shelter_desk.services import cases, exchange
from tests.services.case_helpers import TODAY, consent, intake, person
from tests.sync.sync_parties import NETWORK_SECRET, Party

MakeParty = Callable[..., Party]


def _open(party: Party, name: str, level: str) -> cases.CaseFile:
    return cases.open_case(
        party.session,
        person(first=name, latin=name),
        intake(narrative=f"Narrative of {name}"),
        consent(sharing_level=level),
        today=TODAY,
    )


def _export_counting(party: Party, other: Party) -> tuple[exchange.ExportResult, int]:
    """The export and the number of transactions it considered; its progress goes from 0 to
    1000 thousandths and never back."""
    seen: list[tuple[int, int]] = []
    out = party.outbox / f"{other.key_id}-counted-{len(list(party.outbox.iterdir()))}.shbundle"
    result = exchange.export_bundle(
        party.session, other.key_id, out, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[0] == (0, 1000) and seen[-1] == (1000, 1000)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    return result, result.summary.considered


def _round_trip(a: Party, c: Party) -> None:
    c.receive(a.send(c))
    a.receive(c.send(a))  # carries c's acknowledgement


def _changes_of_case(party: Party, case_id: str) -> int:
    return int(
        party.session.db.scalar("SELECT count(*) FROM changes WHERE case_id = ?", (case_id,))
    )


def test_after_an_acknowledgement_only_the_edited_case_is_considered(
    make_party: MakeParty,
) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    opened = [_open(a, f"Amal{i}", "Identified") for i in range(4)]
    _round_trip(a, c)  # the first bundle, acknowledged
    _round_trip(a, c)  # a bundle sent after the coordinator's organisation became known
    edited = opened[2]
    cases.update_case(a.session, replace(edited.case, risk_level="High"), today=TODAY)

    delta, considered = _export_counting(a, c)
    assert delta.summary.transactions == 1
    assert considered == _changes_of_case(a, edited.case.id)  # not the whole change log
    c.receive(delta.bundle)
    assert cases.load_case(c.session, edited.case.id).case.risk_level == "High"
    row = cases.case_row(c.session, edited.case.id)  # the list row was rewritten, not added
    assert row is not None and row.risk_level == "High"
    assert cases.count_cases(c.session, cases.CaseFilter(text="Amal2")) == 1
    assert cases.count_cases(c.session, cases.CaseFilter()) == 4
    assert a.digest() == c.digest()


def test_a_consent_given_later_sends_the_case_s_older_transactions(make_party: MakeParty) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    kept = _open(a, "Huda", "NotShared")
    _open(a, "Rana", "Identified")
    _round_trip(a, c)
    _round_trip(a, c)
    assert exchange.cases_by_organisation(c.session) == {a.org_id: 1}

    cases.save_record(
        a.session,
        Consent(
            case_id=kept.case.id,
            consent_given=True,
            method="Written",
            given_on=TODAY,
            sharing_level="Identified",
        ),
        today=TODAY,
    )
    later, _considered = _export_counting(a, c)
    assert later.summary.cases == 1
    assert later.summary.transactions == _changes_of_case(a, kept.case.id)
    c.receive(later.bundle)
    assert exchange.cases_by_organisation(c.session) == {a.org_id: 2}
    assert cases.load_case(c.session, kept.case.id).person.first_name == "Huda"


def test_setting_the_network_secret_considers_the_whole_log_again(make_party: MakeParty) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    for i in range(3):
        _open(a, f"Noor{i}", "Pseudonymised")
    _round_trip(a, c)
    _round_trip(a, c)
    _quiet, considered = _export_counting(a, c)
    assert considered == 0

    exchange.set_network_secret(a.session, NETWORK_SECRET)
    again, considered = _export_counting(a, c)
    own = a.session.db.scalar("SELECT count(*) FROM changes WHERE device = ?", (a.key_id,))
    assert considered == own  # a person change may carry a token now
    assert c.receive(again.bundle).applied
