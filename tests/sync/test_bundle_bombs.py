"""A validly signed bundle built to cost the importer time and memory: ``bundle import`` in a
real process must refuse it in bounded memory and time, with one translated line."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard

from shelter_desk.i18n import _
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.sync.cli_world import CliWorld, section

PEAK_RSS_LIMIT_MB = 300
SECONDS_LIMIT = 5.0
# The importer's own measurement, written where the test can read it (not on stderr, which
# must hold the one refusal line).
_MEASURED = """
import os, sys, time
from shelter_desk.app import main
start = time.perf_counter()
code = main(sys.argv[1:])
with open(os.environ["SD_MEASURE"], "w") as out:
    # VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's (the pytest worker's)
    # peak, while VmHWM belongs to this program's own memory since exec.
    peak = next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    out.write(f"{peak} {time.perf_counter() - start}")
sys.exit(code)
"""


def _limit_memory() -> None:
    # A guard for the machine, well above what is asserted: the old reader wanted ~4 GB.
    limit = 2 * 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _import_measured(data_dir: Path, bundle: Path, tmp: Path) -> tuple[int, str, float, float]:
    """Exit code, standard error, peak RSS in MB and seconds of ``bundle import``."""
    measure = tmp / "measure.txt"
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
    env["SD_MEASURE"] = str(measure)
    args = ["--data-dir", str(data_dir), "bundle", "import", str(bundle), "--user", ADMIN]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        input=ADMIN_PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        preexec_fn=_limit_memory,
    )
    peak_kb, seconds = (
        (float(v) for v in measure.read_text().split())
        if measure.exists()
        else (
            float("inf"),
            float("inf"),
        )
    )
    return done.returncode, done.stderr, peak_kb / 1024, seconds


def _stream(head: bytes, filler: bytes, total: int, tail: bytes) -> bytes:
    """``head``, ``filler`` repeated to ``total`` bytes, ``tail``: one small zstd stream."""
    compressor = zstandard.ZstdCompressor(level=3).compressobj()
    block = filler * max(1, (1 << 20) // len(filler))
    parts = [compressor.compress(head)]
    parts += [compressor.compress(block) for _ in range(total // len(block))]
    parts.append(compressor.compress(tail))
    return b"".join(parts) + compressor.flush()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> CliWorld:
    return CliWorld(tmp_path_factory.mktemp("bombs"))


def test_100_mib_of_empty_sections_is_refused_in_little_memory_and_time(
    world: CliWorld, tmp_path: Path
) -> None:
    head = world.manifest_section() + section(b"T", b"")
    plaintext = _stream(head, section(b"A", b""), 100 * 1024 * 1024, section(b"E", b""))
    bomb = tmp_path / "empty-sections.shbundle"
    bomb.write_bytes(world.sealed(plaintext))
    assert bomb.stat().st_size < 1024 * 1024

    code, stderr, peak_mb, seconds = _import_measured(world.coord.root, bomb, tmp_path)
    assert code == 1, stderr
    assert stderr.strip() == _(
        "This bundle is damaged or was changed after the sender signed it. Nothing was "
        "imported. Ask the sender for a new copy."
    )
    assert peak_mb < PEAK_RSS_LIMIT_MB
    assert seconds < SECONDS_LIMIT


@pytest.mark.parametrize(
    "filler",
    [
        b"{}\n",  # a hundred million bytes of empty transactions
        b"\n",  # empty lines
        b" ",  # one line of spaces that never ends
    ],
)
def test_100_mib_of_empty_transactions_is_refused_in_little_memory_and_time(
    world: CliWorld, tmp_path: Path, filler: bytes
) -> None:
    size = 100 * 1024 * 1024
    count = size // len(filler)
    head = world.manifest_section(count=count) + b"T" + size.to_bytes(8, "big")
    plaintext = _stream(head, filler, size, section(b"E", b""))
    bomb = tmp_path / "empty-transactions.shbundle"
    bomb.write_bytes(world.sealed(plaintext))

    code, stderr, peak_mb, seconds = _import_measured(world.coord.root, bomb, tmp_path)
    assert code == 1, stderr
    assert len(stderr.strip().splitlines()) == 1
    assert "Traceback" not in stderr and "unexpected error" not in stderr
    assert peak_mb < PEAK_RSS_LIMIT_MB
    assert seconds < SECONDS_LIMIT
