"""A crash during `import htcds --commit` leaves all rows imported or none: the real command,
killed with SIGKILL at write, sync, rename and truncate points spread over the whole run
(the first and last of each kind, and evenly between), each on a fresh copy of the same
installation. After each kill the installation opens, passes `verify`, holds 0 or 20 cases
with every case's list row, and importing the file again completes it to exactly 20."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shelter_desk.security.keyslots import KdfParams
from shelter_desk.services.installation import Installation
from shelter_desk.services.standards import htcds_import as imports
from shelter_desk.services.verify import verify
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ORG
from tests.crashpoints import (
    CrashPoint,
    cli_args,
    crash_points,
    fresh_copy,
    needs_strace,
    run_killed,
)
from tests.services import htcds_samples as hs

pytestmark = [pytest.mark.slow, needs_strace]

CHEAP = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
ROWS = 20
SAMPLED = 14


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("template") / "data"
    inst = Installation(root, kdf=CHEAP)
    session, _recovery = inst.create(org_name=ORG, admin=ADMIN, passphrase=ADMIN_PASSPHRASE)
    session.lock()
    inst.release()
    yield root


def _sampled(points: list[CrashPoint]) -> list[CrashPoint]:
    """The first and last point of each system call, and points evenly between."""
    chosen: dict[str, CrashPoint] = {}
    by_call: dict[str, list[CrashPoint]] = {}
    for point in points:
        by_call.setdefault(point.syscall, []).append(point)
    for calls in by_call.values():
        for point in (calls[0], calls[-1]):
            chosen[str(point)] = point
    step = max(len(points) // SAMPLED, 1)
    for point in points[::step]:
        chosen[str(point)] = point
    return list(chosen.values())


def _state(root: Path) -> tuple[int, int]:
    inst = Installation(root, kdf=CHEAP)
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        assert verify(session).ok
        cases = len(session.records.of_entity("case"))
        listed = sum(1 for r in session.records.of_entity("case") if session.case_index.get(r.id))
        return cases, listed
    finally:
        session.lock()
        inst.release()


def _import_again(root: Path, data: bytes) -> int:
    inst = Installation(root, kdf=CHEAP)
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        return imports.commit_htcds(session, data)
    finally:
        session.lock()
        inst.release()


def test_a_crash_during_an_import_leaves_all_rows_or_none(template: Path, tmp_path: Path) -> None:
    data = hs.filled_template(hs.samples(ROWS))
    xlsx = tmp_path / "htcds.xlsx"
    xlsx.write_bytes(data)
    argv = ("import", "htcds", str(xlsx), "--commit", "--user", ADMIN)
    stdin = ADMIN_PASSPHRASE + "\n"
    probe = fresh_copy(template, tmp_path / "probe")
    points = _sampled(crash_points(cli_args(probe, *argv), stdin=stdin))
    assert _state(probe) == (ROWS, ROWS)
    for point in points:
        copy = fresh_copy(template, tmp_path / "copy")
        run_killed(cli_args(copy, *argv), point, stdin=stdin)
        cases, listed = _state(copy)
        assert (cases, listed) in ((0, 0), (ROWS, ROWS)), point
        assert _import_again(copy, data) == ROWS - cases, point
        assert _state(copy) == (ROWS, ROWS), point
