"""The import is batched (issue 13: 10,000 rows took 344 s): 1,000 rows of a KoBo export are
previewed and committed in a few seconds of CPU, measured as CPU time so that a busy machine
does not make the test flaky (the old import needed about 34 s of CPU for these rows)."""

from __future__ import annotations

import time

from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_import as imports
from tests.services import htcds_samples as hs
from tests.services.case_helpers import TODAY
from tests.services.test_imports import second_session

__all__ = ["second_session"]  # the fixture, used by name

ROWS = 1000
CPU_SECONDS = 12.0


def test_a_thousand_rows_take_seconds_not_minutes(second_session: Session) -> None:
    data = hs.csv_bytes(*hs.kobo_rows(hs.samples(ROWS)), delimiter=";")
    reports: list[tuple[int, int]] = []
    start = time.process_time()
    preview = imports.preview_htcds(
        second_session, data, today=TODAY, progress=lambda d, t: reports.append((d, t))
    )
    written = imports.commit_preview(
        second_session, preview, progress=lambda d, t: reports.append((d, t))
    )
    spent = time.process_time() - start
    assert written == ROWS
    assert spent < CPU_SECONDS, f"{spent:.1f} s of CPU for {ROWS} rows"
    # Real progress: several steps for each phase, ending at the total.
    assert len(reports) >= 4 and reports[-1] == (ROWS, ROWS)
    assert len(second_session.records.of_entity("case")) == ROWS
    name = preview.ready[0].person.first_name
    found = cases.count_cases(second_session, cases.CaseFilter(text=name), today=TODAY)
    assert found >= 1  # every case's search row is there
