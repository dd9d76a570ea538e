"""Cold start: process start to a visible window, Shelter Desk's unlock window against a
bare PySide6 window (target: within 1.5x). Also Argon2id unlock time per key slot and the
time to open the encrypted database with the raw key.

    .venv/bin/python benchmarks/startup_bench.py [--runs 7]

Shelter Desk starts as ``shelter-desk --data-dir FOLDER`` does (``shelter_desk.app.main``),
with the probe of ``frozen_startup_bench`` watching for the unlock window. The compiled
``.pyc`` files go to a temporary cache (``PYTHONPYCACHEPREFIX``), warmed by a first run, as
an installed copy has them: without it every start compiles every module again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
import time; t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.setWindowTitle("bare"); w.show()
def done():
    print(f"{(time.perf_counter() - t0) * 1000:.1f}"); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frozen_startup_bench import SHELTER_DESK  # noqa: E402  (the same probe, frozen or not)
from verdict import result  # noqa: E402


def _run(code: str, cache: Path, *args: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    wall = (time.perf_counter() - started) * 1000
    assert out.stdout.strip(), "the window was shown"
    return wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    from shelter_desk.services.installation import Installation

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "inst"
        inst = Installation(data)
        t = time.perf_counter()
        session, _recovery = inst.create(
            org_name="Bench", admin="bench", passphrase="olive lantern harbour seventeen"
        )
        create_ms = (time.perf_counter() - t) * 1000
        session.lock()
        unlock = []
        for _ in range(runs):
            t = time.perf_counter()
            inst.unlock("bench", "olive lantern harbour seventeen").lock()
            unlock.append((time.perf_counter() - t) * 1000)
        inst.release()
        cache = Path(tmp) / "pycache"
        _run(BARE, cache)  # compiles and caches, as installing does
        _run(SHELTER_DESK, cache, str(data))
        bare = [_run(BARE, cache) for _ in range(runs)]
        ours = [_run(SHELTER_DESK, cache, str(data)) for _ in range(runs)]
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"create installation (2 Argon2id slots + schema): {create_ms:.0f} ms")
    print(
        f"unlock (Argon2id t=3, 64 MiB, p=4 + open + audit), median: "
        f"{statistics.median(unlock):.0f} ms"
    )
    print(f"bare PySide6 window, process start to shown, median of {runs}: {b:.0f} ms")
    print(f"Shelter Desk unlock window, process start to shown, median of {runs}: {o:.0f} ms")
    print(f"ratio: {o / b:.2f}x (target <= 1.5x)")
    result("cold start, unlock window", "<= 1.5x a bare window", f"{o / b:.2f}x", o / b <= 1.5)


if __name__ == "__main__":
    main()
