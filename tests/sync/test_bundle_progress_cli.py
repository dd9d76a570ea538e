"""`bundle export` and `bundle import` show how far they are, in percent on standard error,
when it is a terminal, and print nothing extra for scripts (issue 12 item 3)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shelter_desk.security.keyslots import KdfParams
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.sync.cli_world import CliWorld, sd

FAST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> CliWorld:
    return CliWorld(tmp_path_factory.mktemp("progress-cli"), kdf=FAST_KDF, cases=3)


def _on_terminal(data: Path, *args: str) -> tuple[int, str]:
    """Run the CLI with standard error on a pseudo-terminal; its exit code and what the
    terminal showed."""
    cmd = [sys.executable, "-m", "shelter_desk", "--data-dir", str(data), *args, "--user", ADMIN]
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
    main, other = pty.openpty()
    try:
        process = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=other, env=env
        )
        os.close(other)
        process.communicate(ADMIN_PASSPHRASE.encode() + b"\n", timeout=120)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the other end closed: everything was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(main)
    return process.returncode, shown.decode()


def test_export_and_import_show_percent_on_a_terminal_only(world: CliWorld, tmp_path: Path) -> None:
    out = tmp_path / "first.shbundle"
    code, shown = _on_terminal(
        world.shelter.root, "bundle", "export", "--to", "National Coordinator", "--out", str(out)
    )
    assert code == 0, shown
    assert "0% done" in shown and shown.rstrip().endswith("100% done")
    code, shown = _on_terminal(world.coord.root, "bundle", "import", str(out))
    assert code == 0, shown
    percents = [int(p) for p in re.findall(r"(\d+)% done", shown)]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(0 < p < 100 for p in percents)  # real steps, not only a start and an end

    piped = sd(
        world.shelter.root,
        "bundle",
        "export",
        "--to",
        "National Coordinator",
        "--out",
        str(tmp_path / "second.shbundle"),
    )
    assert piped.returncode == 0, piped.stderr
    assert "% done" not in piped.stderr and "% done" not in piped.stdout
