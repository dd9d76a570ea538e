"""A killed plain-text export leaves no partial file and no temporary copy behind.

The HTCDS export holds every person's name: a temporary file left by a killed export would
be identified data in plain text on the stick. `write_atomic` writes into an unnamed file
and names it only when it is complete, so after a kill at any write, sync, rename, unlink or
truncation, every file in the folder is one of the export's files, complete.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.crashpoints import (
    WRITE_SYSCALLS,
    cli_args,
    crash_points,
    fresh_copy,
    needs_strace,
    run_killed,
)

pytestmark = [needs_strace, pytest.mark.slow]

PASSPHRASE = "shelter-desk-demo"
# Every call that writes or names a file; the database's own page writes (pwrite64: the audit
# entry of the export) are left to the store's crash tests. linkat names the unnamed file.
FILE_SYSCALLS = (*(s for s in WRITE_SYSCALLS if s != "pwrite64"), "linkat")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "data"
    made = subprocess.run(
        [sys.executable, "-m", "shelter_desk", "--data-dir", str(folder), "demo", "--cases", "4"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    return folder


def _export(data: Path, out: Path) -> list[str]:
    return cli_args(data, "--user", "demo", "export", "htcds", "--out", str(out / "cases.csv"))


def test_a_killed_export_leaves_only_complete_files(demo_template: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    reference.mkdir()
    data = fresh_copy(demo_template, tmp_path / "counting")
    points = crash_points(_export(data, reference), stdin=PASSPHRASE + "\n", syscalls=FILE_SYSCALLS)
    expected = {p.name: p.read_bytes() for p in reference.iterdir()}
    assert "cases.csv" in expected and len(points) > 10
    assert any(p.syscall == "linkat" for p in points)

    killed = 0
    for n, point in enumerate(points):
        out = tmp_path / f"out-{n}"
        out.mkdir()
        data = fresh_copy(demo_template, tmp_path / "data")
        result = run_killed(_export(data, out), point, stdin=PASSPHRASE + "\n")
        killed += result.returncode in (137, -9)
        for left in out.iterdir():
            assert left.name in expected, f"{point}: {left.name} left behind"
            assert left.read_bytes() == expected[left.name], f"{point}: {left.name} partial"
    assert killed > 0
