"""The demo data generator, on real encrypted demo installations."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from shelter_desk.domain import codes, rules
from shelter_desk.domain.coordination import COORDINATION_TYPES
from shelter_desk.domain.entities import Organisation, Person
from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields
from shelter_desk.services import cases, demo
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify
from shelter_desk.services.worker import CancelToken

TODAY = dt.date(2026, 11, 20)
SHARED_CASES = 300
DEMO_CURRENCIES = {"ILS", "JOD", "EGP", "MAD", "LBP", "QAR", "GEL", "USD"}
# Canonical digests (see ``_canonical_digest``) of what the single-module generator made
# before it became the ``services.demo`` package: the split must not change a record.
# (Updated once the records carried the new, empty HTCDS fields: salutation, title, state,
# postal code, positions, websites.)
DIGEST_SEED_2026_300_CASES = "295ce0c44ac55ee90b9f47a0edbbbd0aa27b0958bf7b0c8469f3ffaa67c2cc96"
DIGEST_SEED_5_40_CASES = "5bc64db6cc353fea56fb7d5357074615495be3c3537a866c4790e79f1e4235a8"


def _demo_installation(folder: Path) -> tuple[Installation, Session]:
    installation = Installation(folder)
    session, _recovery = installation.create(
        org_name="Demo Shelter", admin="demo", passphrase="shelter-desk-demo", demo=True
    )
    return installation, session


@pytest.fixture(scope="module")
def demo_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    installation, session = _demo_installation(tmp_path_factory.mktemp("demo") / "x")
    demo.generate_demo(session, SHARED_CASES, 2026, today=TODAY)
    yield session
    session.lock()
    installation.release()


def _case_files(session: Session) -> list[cases.CaseFile]:
    rows = cases.case_page(session, cases.CaseFilter(), 0, 100_000, today=TODAY)
    return [cases.load_case(session, row.case_id) for row in rows]


def _people(session: Session) -> list[Person]:
    return [
        from_fields(Person, {**r.data, "id": r.id})
        for r in session.records.of_entity(Person.ENTITY)
    ]


def _scripts(text: str) -> set[str]:
    return {unicodedata.name(c).split()[0] for c in text if c.isalpha()}


def _canonical_digest(session: Session) -> str:
    """SHA-256 of every record (id, entity, data), with the installation's own random
    organisation and user ids replaced by placeholders."""
    h = hashlib.sha256()
    records = [r for entity in ENTITY_TYPES for r in session.records.of_entity(entity)]
    for r in sorted(records, key=lambda r: r.id):
        data = json.dumps(r.data, sort_keys=True, ensure_ascii=False)
        data = data.replace(session.org_id, "<org>").replace(session.user.id, "<user>")
        h.update(f"{r.id}\x1f{r.entity}\x1f{data}\x1e".encode())
    return h.hexdigest()


# --- the shared demo installation ---------------------------------------------------------


def test_installation_is_marked_as_demo(demo_session: Session) -> None:
    assert demo_session.is_demo
    assert demo_session.meta.get("demo_cases") == str(SHARED_CASES)
    assert cases.count_cases(demo_session, cases.CaseFilter(), today=TODAY) == SHARED_CASES
    assert verify(demo_session).ok


def test_every_stored_record_passes_the_domain_rules(demo_session: Session) -> None:
    for cf in _case_files(demo_session):
        assert demo.problems(cf, TODAY) == {}, cf.case.number
        assert cf.intakes and cf.consents and cf.events and cf.assessments
    for org in cases.organisations(demo_session):
        assert rules.validate(org, TODAY) == {}


def test_full_histories(demo_session: Session) -> None:
    counts = demo_session.records.count_by_entity()
    for entity in ENTITY_TYPES:  # every case record; the demo keeps no coordination log yet
        if entity not in COORDINATION_TYPES:
            assert counts.get(entity, 0) > 0, entity
    assert counts["organisation"] >= 20
    total = sum(counts.values()) - counts["organisation"]
    assert 10 * SHARED_CASES <= total <= 20 * SHARED_CASES


def test_populations_are_written_in_their_own_scripts(demo_session: Session) -> None:
    people = _people(demo_session)
    scripts = set().union(*(_scripts(p.first_name + p.second_name) for p in people))
    assert {"ETHIOPIC", "ARABIC", "CYRILLIC", "GEORGIAN", "LATIN"} <= scripts
    assert len(scripts & {"THAI", "DEVANAGARI", "BENGALI", "SINHALA", "HEBREW"}) >= 3
    for p in people:
        if _scripts(p.first_name) != {"LATIN"}:
            assert p.first_name_latin and _scripts(p.first_name_latin) == {"LATIN"}
    nationalities = Counter(c for p in people for c in p.citizenships)
    assert len(nationalities) >= 12
    assert any(p.aliases for p in people)


def test_plausible_people_and_exploitation(demo_session: Session) -> None:
    files = _case_files(demo_session)
    by_type = Counter(t for cf in files for t in cf.intakes[0].exploitation_types)
    assert {"ForcedLabour", "Servitude", "SexualExploitation"} <= set(by_type)
    domestic = [cf for cf in files if "Servitude" in cf.intakes[0].exploitation_types]
    women = sum(cf.person.gender == "Feminine" for cf in domestic)
    assert women > 0.8 * len(domestic)
    ages = [cf.age_at_trafficking() for cf in files]
    assert any(a is not None and a < rules.AGE_OF_MAJORITY for a in ages)
    assert any(a is not None and a >= rules.AGE_OF_MAJORITY for a in ages)
    assert any(d.withheld_by_trafficker for cf in files for d in cf.person.documents)
    assert any(cf.intakes[0].delphi_indicators for cf in files)
    assert any(cf.intakes[0].forced_labour_indicators for cf in files)
    levels = Counter(cf.consent.sharing_level for cf in files if cf.consent)
    assert len(levels) >= 3
    countries = {e.country for cf in files for e in cf.events}
    assert {"IL", "JO", "LB", "QA", "EG", "MA", "GE"} <= countries


def test_follow_ups_done_and_overdue(demo_session: Session) -> None:
    due = cases.follow_ups_due(demo_session, today=TODAY)
    assert due.overdue
    assert all(row.scheduled_on < TODAY.isoformat() for row in due.overdue)
    files = _case_files(demo_session)
    done = [f for cf in files for f in cf.follow_ups if f.done_on is not None]
    assert done and all(f.composite_score is not None for f in done)
    for cf in files:
        if cf.follow_ups:
            assert cf.return_date is not None
            months = [rules.add_months(cf.return_date, m) for m in (1, 3, 6, 12)]
            assert [f.scheduled_on for f in cf.follow_ups] == months[: len(cf.follow_ups)]


def test_closures_have_reasons(demo_session: Session) -> None:
    files = _case_files(demo_session)
    closed = [cf for cf in files if cf.case.status in codes.CLOSED_CASE_STATUSES]
    assert 0 < len(closed) < len(files)
    assert all(cf.case.closure_reason in codes.CLOSURE_REASON for cf in closed)
    assert len({cf.case.closure_reason for cf in closed}) >= 5
    for cf in closed:
        if cf.case.status == "ClosedReferred":
            assert any(r.status == "Accepted" for r in cf.referrals)
    statuses = Counter(cf.case.status for cf in files)
    assert statuses["Active"] and statuses["FollowUp"]
    decided = [cf.case for cf in files if cf.case.trafficking_status_decided_on]
    assert decided and all(c.trafficking_status_decided_by for c in decided)


def test_costs_in_local_currencies_with_partner_providers(demo_session: Session) -> None:
    files = _case_files(demo_session)
    currencies = {s.currency for cf in files for s in cf.services if s.cost is not None}
    assert currencies <= DEMO_CURRENCIES
    assert len(currencies) >= 5
    partners = {o.id for o in cases.organisations(demo_session)} | {demo_session.org_id}
    providers = {s.provider_org_id for cf in files for s in cf.services}
    assert providers <= partners
    assert len(providers) > 5
    stays = [s for cf in files for s in cf.services if s.service_type == "Accommodation"]
    assert stays and any(s.ended_on is None for s in stays)
    assert any(cf.referrals for cf in files)
    assert any(cf.returns and cf.plans for cf in files)


def test_search_finds_demo_people_across_scripts(demo_session: Session) -> None:
    people = _people(demo_session)

    def numbers(text: str) -> set[str]:
        rows = cases.case_page(
            demo_session, cases.CaseFilter(text=text, sort="number"), 0, 10_000, today=TODAY
        )
        return {row.number for row in rows}

    def number_of(person: Person) -> str:
        stored = demo_session.records.get(person.id)
        assert stored is not None
        row = cases.case_row(demo_session, stored.case_id)
        assert row is not None
        return row.number

    arabic = next(p for p in people if p.first_name in ("محمد", "مُحَمَّد"))
    assert number_of(arabic) in numbers("Muhammad")
    cyrillic = next(p for p in people if _scripts(p.first_name) == {"CYRILLIC"})
    assert number_of(cyrillic) in numbers(cyrillic.first_name_latin)
    georgian = next(p for p in people if _scripts(p.first_name) == {"GEORGIAN"})
    assert number_of(georgian) in numbers(georgian.first_name_latin)
    ethiopic = next(p for p in people if _scripts(p.first_name) == {"ETHIOPIC"})
    assert number_of(ethiopic) in numbers(ethiopic.first_name)


def test_ids_are_uuid7_in_opening_order(demo_session: Session) -> None:
    rows = cases.case_page(demo_session, cases.CaseFilter(sort="opened"), 0, 10_000)
    ids = [row.case_id for row in rows]
    assert all(i[14] == "7" and i[19] in "89ab" for i in ids)
    assert ids == sorted(ids)


# --- runs of their own ------------------------------------------------------------------


def test_same_seed_same_records(tmp_path: Path) -> None:
    digests = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        installation, session = _demo_installation(tmp_path / name)
        try:
            summary = demo.generate_demo(session, 40, seed, today=TODAY)
            assert summary.cases == 40 and not summary.cancelled
            digests.append(_canonical_digest(session))
        finally:
            session.lock()
            installation.release()
    assert digests[0] == digests[1] == DIGEST_SEED_5_40_CASES
    assert digests[0] != digests[2]


def test_the_package_makes_what_the_single_module_made(demo_session: Session) -> None:
    assert _canonical_digest(demo_session) == DIGEST_SEED_2026_300_CASES


def test_every_module_of_the_demo_package_is_small() -> None:
    folder = Path(demo.__file__).parent
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in folder.glob("*.py")}
    assert len(sizes) > 1
    assert max(sizes.values()) < 600, sizes


def test_cancel_stops_after_a_whole_batch(tmp_path: Path) -> None:
    installation, session = _demo_installation(tmp_path / "x")
    token = CancelToken()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        token.cancel()

    try:
        summary = demo.generate_demo(
            session, 50, 3, progress=progress, cancel=token, today=TODAY, batch_size=20
        )
        assert summary.cancelled
        assert summary.cases == 20
        assert seen == [(20, 50)]
        assert session.meta.get("demo_cases") == "20"
        counts = session.records.count_by_entity()
        assert counts["case"] == counts["person"] == counts["intake"] == 20
        assert cases.count_cases(session, cases.CaseFilter(), today=TODAY) == 20
    finally:
        session.lock()
        installation.release()


def test_five_hundred_cases_in_reasonable_time(tmp_path: Path) -> None:
    installation, session = _demo_installation(tmp_path / "x")
    try:
        started = time.perf_counter()
        summary = demo.generate_demo(session, 500, 1, today=TODAY)
        elapsed = time.perf_counter() - started
        assert summary.cases == 500
        assert summary.records > 500 * 10
        assert elapsed < 60, f"500 demo cases took {elapsed:.1f} s"
    finally:
        session.lock()
        installation.release()


def test_refuses_a_real_installation_and_a_second_run(
    admin_session: Session, tmp_path: Path
) -> None:
    with pytest.raises(ShelterDeskError):
        demo.generate_demo(admin_session, 5, 1, today=TODAY)
    assert admin_session.records.count_by_entity() == {}
    installation, session = _demo_installation(tmp_path / "x")
    try:
        demo.generate_demo(session, 5, 1, today=TODAY)
        with pytest.raises(ShelterDeskError):
            demo.generate_demo(session, 5, 1, today=TODAY)
        assert session.records.count_by_entity()["case"] == 5
        assert Organisation.ENTITY in session.records.count_by_entity()
    finally:
        session.lock()
        installation.release()
