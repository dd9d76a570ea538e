"""Refused imports: the quarantine stays bounded, a sender that is not registered is refused by
a real check, and a validly signed bundle from a buggy or compromised partner can put nothing
into the store that the domain rules would refuse from the GUI."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelter_desk.domain import rules
from shelter_desk.domain.errors import BundleError, ShelterDeskError
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields
from shelter_desk.security.audit import Action
from shelter_desk.services import cases, exchange, sharing
from shelter_desk.services.exchange import incoming
from shelter_desk.services.exchange.common import state_of
from shelter_desk.services.exchange.fields import field_problem
from shelter_desk.store import migrations
from shelter_desk.sync.bundle import write_bundle
from shelter_desk.sync.identity import PartnerCard
from tests.services.case_helpers import TODAY, consent, intake, person
from tests.sync.sync_parties import Party

MakeParty = Callable[..., Party]


class Pair:
    """Shelter X, trusted by coordinator C, with one case of its own (valid transactions)."""

    def __init__(self, make_party: MakeParty) -> None:
        self.x = make_party("x", "Shelter X")
        self.c = make_party("c", "National Coordinator", "coordinator")
        self.x.trust(self.c)
        self.cf = cases.open_case(
            self.x.session, person(), intake(), consent(sharing_level="Identified"), today=TODAY
        )
        state = state_of(self.x.session)
        self.valid = [sharing.txn_dict(c) for c in state.changes_by(self.x.org_id, self.x.key_id)]
        self.bundles = 0

    def crafted(self, transactions: list[dict[str, Any]]) -> bytes:
        """Signed with X's real keys; every bundle gets the next sequence number."""
        self.bundles += 1
        manifest = {
            "format": exchange.MANIFEST_FORMAT,
            "version": exchange.MANIFEST_VERSION,
            "org_id": self.x.org_id,
            "role": "shelter",
            "acknowledgements": [],
        }
        return write_bundle(
            self.x.session.device_identity,
            PartnerCard.from_bytes(self.c.card_bytes()),
            manifest,
            transactions,
            seq=self.bundles,
            previous_hash="",
            schema_version=migrations.LATEST,
        )

    def fresh(self, txn: dict[str, Any], **changes: Any) -> dict[str, Any]:
        """``txn`` as a new transaction of X, written after everything before it."""
        self.x.session.clock.tick()
        stamp = self.x.session.clock.tick().encode()
        return {**txn, "txn_id": str(uuid.uuid4()), "hlc": stamp, "parents": [], **changes}

    def of_entity(self, entity: str) -> dict[str, Any]:
        return next(t for t in self.valid if t["entity"] == entity)


@pytest.fixture
def pair(make_party: MakeParty) -> Pair:
    return Pair(make_party)


def _refusals(party: Party) -> int:
    events = party.session.audit_log.events(after=0, limit=1_000_000)
    return sum(1 for e in events if e.action == Action.IMPORT_REFUSED)


def _refused(party: Party, data: bytes) -> BundleError:
    digest, count = party.digest(), party.change_count()
    with pytest.raises(BundleError) as info:
        party.receive(data)
    assert party.digest() == digest
    assert party.change_count() == count
    return info.value


# -- item 9: the quarantine is bounded, the audit keeps every refusal ---------------------


def test_the_same_refused_file_is_quarantined_once_and_audited_each_time(pair: Pair) -> None:
    junk = b"SHBNDL\x01 not really a bundle"
    before = _refusals(pair.c)
    for _ in range(3):
        _refused(pair.c, junk)
    entries = exchange.quarantined_bundles(pair.c.session)
    assert [e.bundle_hash for e in entries] == [hashlib.sha256(junk).hexdigest()]
    assert entries[0].size == len(junk)
    assert _refusals(pair.c) == before + 3


def test_the_quarantine_keeps_only_the_newest_entries(pair: Pair) -> None:
    limit = incoming.QUARANTINE_LIMIT
    for n in range(limit + 7):
        _refused(pair.c, f"junk number {n}".encode())
    entries = exchange.quarantined_bundles(pair.c.session)
    assert len(entries) == limit
    newest = hashlib.sha256(f"junk number {limit + 6}".encode()).hexdigest()
    assert entries[0].bundle_hash == newest
    assert _refusals(pair.c) >= limit + 7


# -- item 15: a real check instead of an assert ------------------------------------------


def test_a_sender_missing_from_the_registered_partners_is_refused(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the card and the partner rows ever disagree (the invariant ``assert`` stood for),
    the bundle is refused with a translated message, also under ``python -O``."""
    data = pair.x.send(pair.c)
    exchange.revoke_partner(pair.c.session, pair.x.key_id)
    card = PartnerCard.from_bytes(pair.x.card_bytes())
    monkeypatch.setattr(incoming, "trusted_cards", lambda _state: ({card.key_id: card}, set()))
    error = _refused(pair.c, data)
    assert getattr(error, "problem", None) == "unknown_sender"
    assert error.message


# -- item 10: a validly signed bundle with values the domain refuses ---------------------


def test_the_values_of_the_report_are_refused_naming_entity_and_field(pair: Pair) -> None:
    the_person, the_case = pair.of_entity("person"), pair.of_entity("case")
    bad_values = [
        (the_person, "gender", [1, 2]),
        (the_case, "status", "NoSuchStatus"),
        (the_case, "risk_level", {"a": 1}),
        (the_person, "estimated_birth_year", "1" * 100_000),
        (the_person, "first_name", "x" * 100_000),
        (the_person, "first_name", "Ali\u202e"),
    ]
    for txn, name, value in bad_values:
        bad = pair.fresh(txn, fields={name: value})
        error = _refused(pair.c, pair.crafted([*pair.valid, bad]))
        assert error.problem == "invalid_transaction"
        assert f" {name} " in error.message and txn["entity"] in error.message
        assert str(value)[:20] not in error.message


def test_an_unknown_field_name_is_refused_without_being_shown(pair: Pair) -> None:
    bad = pair.fresh(pair.of_entity("case"), fields={"risk\u202elevel": "High"})
    error = _refused(pair.c, pair.crafted([*pair.valid, bad]))
    assert "\u202e" not in error.message and "risk" not in error.message
    assert "case" in error.message


def test_the_reports_crashers_are_refused(pair: Pair) -> None:
    case_id = pair.cf.case.id
    delivery = pair.fresh(
        pair.of_entity("case"),
        entity="service_delivery",
        record_id=str(uuid.uuid4()),
        fields={"case_id": case_id, "service_type": "Medical", "started_on": "2026-11-01"},
    )
    for bad in (
        {**pair.fresh(pair.of_entity("case")), "entity": {"an": "object"}},
        {**delivery, "fields": {**delivery["fields"], "cost": {}}},
        {**delivery, "fields": {**delivery["fields"], "cost": "NaN", "currency": "JOD"}},
        {**delivery, "fields": {**delivery["fields"], "cost": True}},
    ):
        _refused(pair.c, pair.crafted([*pair.valid, bad]))


def test_duplicate_transaction_ids_are_refused(pair: Pair) -> None:
    first = pair.fresh(pair.of_entity("case"), fields={"risk_level": "High"})
    again = {**first, "fields": {"risk_level": "Low"}}
    _refused(pair.c, pair.crafted([*pair.valid, first, again]))


def test_a_rule_across_fields_is_kept(pair: Pair) -> None:
    """Closing a case needs its closing date and reason (validate_case_closure)."""
    closed = pair.fresh(pair.of_entity("case"), fields={"status": "Closed"})
    error = _refused(pair.c, pair.crafted([*pair.valid, closed]))
    assert "closed_on" in error.message


def test_valid_changes_still_import(pair: Pair) -> None:
    edit = pair.fresh(pair.of_entity("case"), fields={"risk_level": "High"})
    assert pair.c.receive(pair.crafted([*pair.valid, edit])).applied
    assert pair.c.session.records.get(pair.cf.case.id).data["risk_level"] == "High"


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "High", "Closed", "2026-11-01", "2099-01-01", "1.5", "JO", "x" * 300]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _field_names(entity: str) -> st.SearchStrategy[str]:
    known = sorted(f for f in ENTITY_TYPES[entity].__dataclass_fields__ if f != "id")
    return st.sampled_from(known) | st.text(min_size=1, max_size=12)


@st.composite
def _mutations(draw: st.DrawFn, pair: Pair) -> dict[str, Any]:
    txn = draw(st.sampled_from(pair.valid))
    fields = dict(txn["fields"])
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        fields[draw(_field_names(txn["entity"]))] = draw(_JSON)
    changed = pair.fresh(txn, fields=fields)
    if draw(st.booleans()):
        key = draw(st.sampled_from(["entity", "record_id", "deleted", "case_id", "user_id"]))
        changed[key] = draw(_JSON | st.sampled_from(list(ENTITY_TYPES)))
    return changed


def _assert_store_obeys_the_rules(party: Party) -> None:
    horizon = dt.date.today() + dt.timedelta(days=1)
    for row in party.session.db.all("SELECT id FROM records"):
        record = party.session.records.get(row[0])
        assert record is not None
        data = {k: v for k, v in record.data.items() if k != "id"}
        assert field_problem(record.entity, data, reduced=False) is None, record.entity
        entity: Any = from_fields(ENTITY_TYPES[record.entity], {**data, "id": record.id})
        assert rules.validate(entity, horizon) == {}, record.entity


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_crafted_bundle_is_refused_cleanly_or_obeys_the_rules(
    pair: Pair, data: st.DataObject
) -> None:
    mutated = data.draw(_mutations(pair))
    bundle = pair.crafted([*pair.valid, mutated])
    digest, count = pair.c.digest(), pair.c.change_count()
    try:
        pair.c.receive(bundle)
    except BundleError as error:
        assert error.message
        assert pair.c.digest() == digest and pair.c.change_count() == count
    _assert_store_obeys_the_rules(pair.c)


def test_a_file_that_cannot_be_read_is_not_a_refused_bundle(pair: Pair, tmp_path: Path) -> None:
    before = len(exchange.quarantined_bundles(pair.c.session))
    for unreadable in (tmp_path / "missing.shbundle", tmp_path):
        with pytest.raises(ShelterDeskError) as info:
            exchange.import_bundle(pair.c.session, unreadable)
        assert not isinstance(info.value, BundleError)
        assert info.value.message.startswith("Cannot read")
    assert len(exchange.quarantined_bundles(pair.c.session)) == before


def test_a_bundle_file_imports_from_disk(pair: Pair, tmp_path: Path) -> None:
    path = tmp_path / "from-x.shbundle"
    path.write_bytes(pair.x.send(pair.c))
    assert exchange.inspect(pair.c.session, path).signature == "valid"
    assert exchange.import_bundle(pair.c.session, path).applied
