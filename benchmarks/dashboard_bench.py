"""Figures for the dashboard's aggregate queries on a demo installation.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/dashboard_bench.py [--cases N]
[--keep DIR]`` (default 100000 cases). The installation is made in a temporary folder (or
in DIR with ``--keep``, which is reused on the next run so the cases are generated once);
it is encrypted like any other. Prints the time of each query (best of five runs) and of
the whole ``dashboard_figures`` call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shelter_desk.services.demo import generate_demo
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.statistics import dashboard_figures, last_months
from shelter_desk.store.statistics import CaseStatistics

ADMIN, PASSPHRASE = "demo", "shelter-desk-demo"
TODAY = dt.date(2026, 6, 30)


def open_demo(folder: Path, cases: int) -> Session:
    installation = Installation(folder)
    if installation.exists():
        return installation.unlock(ADMIN, PASSPHRASE)
    session, _recovery = installation.create(
        org_name="Benchmark Shelter", admin=ADMIN, passphrase=PASSPHRASE, demo=True
    )
    started = time.perf_counter()
    generate_demo(
        session,
        cases=cases,
        seed=1,
        today=TODAY,
        progress=lambda done, total: print(f"\r  generated {done}/{total}", end="", flush=True),
    )
    print(f"\n  generating {cases} cases took {time.perf_counter() - started:.0f} s")
    return session


def best_of(runs: int, work: Callable[[], Any]) -> float:
    times = []
    for _n in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        session = open_demo(args.keep or Path(tmp) / "data", args.cases)
        try:
            stats = CaseStatistics(session.db)
            since = last_months(TODAY)[0].isoformat()
            queries: dict[str, Callable[[], Any]] = {
                "cases by status, type, citizenship": stats.case_counts,
                "new cases per month": lambda: stats.new_cases_per_month(since),
                "services per month": lambda: stats.services_per_month(since, TODAY.isoformat()),
                "overdue follow-ups": lambda: stats.overdue_follow_ups(TODAY.isoformat()),
                "whole dashboard": lambda: dashboard_figures(session, today=TODAY),
            }
            cases = stats.case_counts().by_status
            services = session.records.count_by_entity().get("service_delivery", 0)
            print(f"  {sum(cases.values())} cases, {services} service records")
            for name, work in queries.items():
                print(f"  {name:<36} {best_of(5, work) * 1000:8.1f} ms")
        finally:
            session.lock()
            session.installation.release()


if __name__ == "__main__":
    main()
