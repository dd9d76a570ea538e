"""The coordination log between real installations (two shelters, a coordinator), and case
numbers that two shelters share told apart at the coordinator."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlcipher3

from shelter_desk.domain.coordination import ActionItem, Meeting, Training, Visit
from shelter_desk.domain.errors import BundleError, NotFound, PermissionDenied, ValidationError
from shelter_desk.services import cases, sharing
from shelter_desk.services.coordination import log
from shelter_desk.services.coordination.numbers import displayed_number
from shelter_desk.services.exchange.common import state_of
from shelter_desk.store import migrations
from shelter_desk.store.coordination import CasePrefixes
from shelter_desk.store.db import Database
from tests.fixtures.make_schema_fixture import FIXTURE_KEY
from tests.services.case_helpers import TODAY, open_case
from tests.sync.sync_parties import Party
from tests.sync.test_import_refusals import Pair

MakeParty = Callable[..., Party]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def make_party(tmp_path: Path) -> Iterator[MakeParty]:
    made: list[Party] = []

    def make(name: str, org: str, role: str = "shelter") -> Party:
        party = Party(tmp_path / name, org, role, "JO")
        made.append(party)
        return party

    yield make
    for party in made:
        party.close()


@pytest.fixture
def network(make_party: MakeParty) -> tuple[Party, Party, Party]:
    """Hope House and Harbour Home (both number their cases HH-...) and their coordinator,
    each shelter with one case the coordinator has received."""
    a = make_party("a", "Hope House")
    b = make_party("b", "Harbour Home")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    b.trust(c)
    for shelter, name in ((a, "Amal"), (b, "Bushra")):
        open_case(shelter.session, first=name, latin=name)
        c.receive(shelter.send(c))
    return a, b, c


def stored(party: Party, record_id: str) -> dict[str, object] | None:
    record = party.session.records.get(record_id)
    return None if record is None else {"data": record.data, "deleted": record.deleted}


def test_log_records_travel_to_whom_they_concern_and_back(
    network: tuple[Party, Party, Party],
) -> None:
    a, b, c = network
    # The coordinator's directory has an entry for each shelter it heard from (id = org id).
    meeting = log.save(
        c.session,
        Meeting(
            title="Quarterly round table",
            held_on=dt.date(2026, 10, 1),
            participant_org_ids=(a.org_id, b.org_id),
            decisions=("Shared intake form from January",),
            action_items=(
                ActionItem(
                    action="Send the intake form comments",
                    owner_org_id=b.org_id,
                    due_on=dt.date(2026, 11, 1),
                ),
            ),
        ),
        today=TODAY,
    )
    training = log.save(
        c.session,
        Training(
            topic="CulturalCompetence",
            held_on=dt.date(2026, 11, 3),
            audience_org_id=a.org_id,
            participants=12,
        ),
        today=TODAY,
    )
    a.receive(c.send(a))
    b.receive(c.send(b))
    assert stored(a, meeting.id) == stored(c, meeting.id) == stored(b, meeting.id)
    assert stored(a, training.id) == stored(c, training.id)
    assert stored(b, training.id) is None  # names only Hope House
    overdue = log.overdue_actions(b.session, today=TODAY)
    assert [(o.record_id, o.owner_org_id) for o in overdue] == [(meeting.id, b.org_id)]
    # A shelter may not change the coordinator's record; its own records go up.
    with pytest.raises(PermissionDenied):
        log.delete(a.session, meeting.id)
    visit = log.save(
        a.session,
        Visit(
            facility_name="Hope House, Zarqa branch",
            facility_org_id=a.org_id,
            visited_on=dt.date(2026, 11, 10),
            findings="Fire exit blocked",
        ),
        today=TODAY,
    )
    c.receive(a.send(c))
    assert stored(c, visit.id) == stored(a, visit.id)
    assert [e.record.id for e in log.entries(c.session, log.LogFilter(kinds=("visit",)))] == [
        visit.id
    ]
    b.receive(c.send(b))
    assert stored(b, visit.id) is None  # the visit does not concern Harbour Home
    # Deleting travels as a tombstone.
    log.delete(c.session, training.id)
    a.receive(c.send(a))
    assert stored(a, training.id) == {"data": stored(c, training.id)["data"], "deleted": True}  # type: ignore[index]
    assert training.id not in {e.record.id for e in log.entries(a.session)}


def test_shared_case_number_prefixes_show_the_organisation(
    network: tuple[Party, Party, Party],
) -> None:
    a, _b, c = network
    own_a = cases.case_page(a.session, cases.CaseFilter(), 0, 10, today=TODAY)
    assert [r.number for r in own_a] == ["HH-2026-0001"]  # alone here: unchanged
    rows = cases.case_page(c.session, cases.CaseFilter(sort="name"), 0, 10, today=TODAY)
    assert [r.number for r in rows] == [
        "HH-2026-0001 (Hope House)",
        "HH-2026-0001 (Harbour Home)",
    ]
    keys = cases.case_keys(c.session, cases.CaseFilter(), today=TODAY)
    assert sorted(r.number for r in cases.case_rows(c.session, keys)) == sorted(
        r.number for r in rows
    )
    case_a = cases.load_case(c.session, own_a[0].case_id).case
    assert displayed_number(c.session, case_a.number, case_a.org_id) == rows[0].number
    row = cases.case_row(c.session, own_a[0].case_id)
    assert row is not None and row.number == "HH-2026-0001 (Hope House)"
    # Asked for by number (printing): the organisation decides, a bare number is refused.
    with pytest.raises(ValidationError) as bad:
        cases.case_id_for_number(c.session, "HH-2026-0001")
    assert "with the organisation, like HH-2026-0001 (" in bad.value.errors["number"]
    assert cases.case_id_for_number(c.session, "HH-2026-0001 (Hope House)") == case_a.id
    case_b = rows[1].case_id
    assert cases.case_id_for_number(c.session, " hh-2026-0001 (harbour home) ") == case_b
    with pytest.raises(NotFound):
        cases.case_id_for_number(c.session, "HH-2026-0001 (Nobody)")
    assert cases.case_id_for_number(a.session, "hh-2026-0001") == case_a.id


def test_schema_7_learns_the_prefixes_of_cases_listed_before_it(tmp_path: Path) -> None:
    """A data folder of schema 6 that already lists two organisations' HH cases shows them
    apart after the upgrade (the prefixes are read from the case list once)."""
    copy = tmp_path / "schema_v6.db"
    shutil.copy(FIXTURES / "schema_v6.db", copy)
    conn = sqlcipher3.connect(str(copy), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{FIXTURE_KEY.hex()}'\"")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    for n, org in enumerate(("org-a", "org-b", "org-a")):
        conn.execute(
            "INSERT INTO case_index (case_id, org_id, number, name, sort_name, status,"
            " owner_id, risk_level, exploitation, nationality, gender, opened_on,"
            " next_follow_up) VALUES (?, ?, ?, '', '', 'Active', '', '', '', '', '', '', '')",
            (f"case-{n}", org, f"HH-2026-000{n + 1}"),
        )
    conn.close()
    db = Database.open(copy, FIXTURE_KEY)
    try:
        assert db.scalar("PRAGMA user_version") == migrations.LATEST
        assert CasePrefixes(db).shared() == {"HH"}
        assert CasePrefixes(db).organisations_of(["case-1", "case-9"]) == {"case-1": "org-b"}
    finally:
        db.close()


def test_a_crafted_coordination_change_is_refused_and_nothing_is_imported(
    make_party: MakeParty,
) -> None:
    pair = Pair(make_party)
    x, c = pair.x, pair.c
    meeting = log.save(
        x.session,
        Meeting(title="Staff meeting", held_on=TODAY, participant_org_ids=(x.org_id,)),
        today=TODAY,
    )
    state = state_of(x.session)
    [txn] = [sharing.txn_dict(ch) for ch in state.changes_of_records([meeting.id])]
    assert txn["entity"] == "meeting" and txn["case_id"] == ""
    crafted = [
        (pair.fresh(txn, fields={"meeting_type": "Picnic"}), "meeting_type"),
        (pair.fresh(txn, fields={"action_items": "call everyone"}), "action_items"),
        (pair.fresh(txn, fields={"held_on": "2026-02-30"}), "held_on"),
        (pair.fresh(txn, case_id=pair.cf.case.id), ""),  # a log record is no case record
        (pair.fresh(txn, record_id=str(uuid.uuid4()), org_id=c.org_id), ""),  # not X's
    ]
    for bad, field in crafted:
        digest, count = c.digest(), c.change_count()
        with pytest.raises(BundleError) as refused:
            c.receive(pair.crafted([*pair.valid, bad]))
        assert (c.digest(), c.change_count()) == (digest, count)
        if field:
            assert f" {field} " in refused.value.message and "meeting" in refused.value.message
    c.receive(pair.crafted([*pair.valid, txn]))
    assert c.session.records.get(meeting.id) is not None
