"""What starting the window loads before the unlock window shows: not the command line
(which loads every service), not babel or its CLDR data, not the database, cryptography,
printing or spreadsheets. A real process, started as ``shelter-desk --data-dir`` starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from shelter_desk.services.installation import Installation

PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
def poll():
    for w in app.topLevelWidgets():
        if w.isVisible() and type(w).__name__ == "UnlockWindow":
            print(json.dumps(sorted(sys.modules)), flush=True)
            app.quit()
            return
    QTimer.singleShot(1, poll)
QTimer.singleShot(0, poll)
from shelter_desk.app import main
raise SystemExit(main(["--data-dir", sys.argv[1]]))
"""

NOT_BEFORE_THE_WINDOW = (
    "shelter_desk.cli",
    "shelter_desk.store",
    "shelter_desk.services.session",
    "shelter_desk.reports",
    "shelter_desk.gui.main_window",
    "babel",
    "sqlcipher3",
    "cryptography",
    "argon2",
    "reportlab",
    "openpyxl",
)


def test_the_unlock_window_shows_before_anything_heavy_loads(
    tmp_path: Path, existing: Path
) -> None:
    assert Installation(existing).exists()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(existing)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.splitlines()[0])
    early = [
        m for m in loaded if any(m == n or m.startswith(f"{n}.") for n in NOT_BEFORE_THE_WINDOW)
    ]
    assert early == []
