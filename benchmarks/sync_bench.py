"""Export and import of a whole shelter to its coordinator, and an incremental bundle.

    PYTHONPATH=src .venv/bin/python benchmarks/sync_bench.py [--cases 10000] [--edits 100]

Builds two real installations in a temporary folder (a shelter and a coordinator that trust
each other), opens N synthetic cases at the shelter (person, intake, consent, case, then a
risk-level edit: five transactions each; made-up names, identified sharing), and prints:
the full export and import times with transactions per second, the bundle size per case, and
the size and times of an incremental bundle after the coordinator acknowledged the first one
and the shelter edited E cases. Nothing resembles real people; everything stays encrypted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import verdict

from shelter_desk.domain.entities import Consent, Intake, Person
from shelter_desk.services import cases, exchange
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session

PASSPHRASE = "benchmark orchard velvet ninety"
DAY = dt.date(2026, 3, 2)
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tu", "vel", "do", "ar", "ni", "shi", "po", "zem"]


def made_up_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def make(root: Path, org: str, role: str) -> Session:
    session, _recovery = Installation(root).create(
        org_name=org, admin="bench", passphrase=PASSPHRASE, role=role, country="JO"
    )
    return session


def fill(session: Session, count: int, rng: random.Random) -> list[cases.CaseFile]:
    opened: list[cases.CaseFile] = []
    with session.db.transaction():
        for _ in range(count):
            first, last = made_up_name(rng), made_up_name(rng)
            cf = cases.open_case(
                session,
                Person(
                    first_name=first,
                    first_name_latin=first,
                    second_name=last,
                    second_name_latin=last,
                    gender=rng.choice(["Masculine", "Feminine"]),
                    citizenships=(rng.choice(["SD", "ET", "PH", "NP", "SY"]),),
                    estimated_birth_year=rng.randint(1970, 2006),
                ),
                Intake(
                    intake_date=DAY,
                    exploitation_types=(rng.choice(["ForcedLabour", "SexualExploitation"]),),
                    identification_source="NGO",
                    narrative=" ".join(made_up_name(rng) for _ in range(40)),
                ),
                Consent(
                    consent_given=True, method="Written", given_on=DAY, sharing_level="Identified"
                ),
                today=DAY,
            )
            cases.update_case(session, replace(cf.case, risk_level="Medium"), today=DAY)
            opened.append(cf)
    return opened


def trust(a: Session, b: Session) -> None:
    card_a, card_b = exchange.my_card(a), exchange.my_card(b)
    exchange.add_partner(a, card_b.to_bytes(), card_b.fingerprint)
    exchange.add_partner(b, card_a.to_bytes(), card_a.fingerprint)


def timed(label: str, seconds: float, cpu: float, transactions: int) -> None:
    rate = transactions / seconds if seconds else 0.0
    print(
        f"{label:<28} {seconds:8.2f} s  (CPU {cpu:6.2f} s)  {transactions:>8} txns"
        f"  {rate:>10,.0f} txns/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        shelter = make(Path(folder) / "shelter", "Bench Shelter", "shelter")
        coordinator = make(Path(folder) / "coordinator", "Bench Coordinator", "coordinator")
        trust(shelter, coordinator)
        started = time.perf_counter()
        opened = fill(shelter, args.cases, rng)
        print(f"made {args.cases} cases in {time.perf_counter() - started:.1f} s (not timed)")
        partner = coordinator.device_id

        started, cpu = time.perf_counter(), time.process_time()
        full = exchange.export_bundle(shelter, partner, Path(folder) / "full.shbundle")
        export_s, export_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        result = exchange.import_bundle(coordinator, full.bundle)
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        txns = full.summary.transactions
        timed("full export", export_s, export_cpu, txns)
        timed("full import", import_s, import_cpu, txns)
        timed("full export + import", export_s + import_s, export_cpu + import_cpu, txns)
        print(f"bundle {len(full.bundle):,} bytes, {len(full.bundle) / args.cases:,.0f} per case")
        rate = txns / (export_s + import_s)
        verdict.result(
            f"sync export + import, {args.cases:,} cases",
            ">= 10,000 txns/s",
            f"{rate:,.0f} txns/s",
            rate >= 10_000,
        )
        print(f"coordinator cases by organisation: {exchange.cases_by_organisation(coordinator)}")
        assert result.counts["new"] == txns

        back = Path(folder) / "back.shbundle"
        exchange.import_bundle(
            shelter, exchange.export_bundle(coordinator, shelter.device_id, back).bundle
        )
        for cf in rng.sample(opened, min(args.edits, len(opened))):
            cases.update_case(shelter, replace(cf.case, risk_level="High"), today=DAY)
        started = time.perf_counter()
        delta = exchange.export_bundle(shelter, partner, Path(folder) / "delta.shbundle")
        delta_export = time.perf_counter() - started
        started = time.perf_counter()
        exchange.import_bundle(coordinator, delta.bundle)
        delta_import = time.perf_counter() - started
        print(
            f"incremental after {args.edits} edits: {delta.summary.transactions} txns,"
            f" {len(delta.bundle):,} bytes, export {delta_export:.3f} s"
            f" ({100 * delta_export / export_s:.1f} % of the full export),"
            f" import {delta_import:.2f} s"
        )
        share = 100 * delta_export / export_s
        verdict.result(
            f"incremental export after {args.edits} edits",
            "<= 2 % of the full export",
            f"{share:.1f} %",
            share <= 2,
        )
        shelter.lock()
        coordinator.lock()
        shelter.installation.release()
        coordinator.installation.release()


if __name__ == "__main__":
    main()
