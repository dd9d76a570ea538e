"""Cold start of the packaged app: Shelter Desk's unlock window against a bare PySide6 window,
both frozen by PyInstaller with the same spec (packaging/shelter-desk.spec), one folder each.

    .venv/bin/python benchmarks/frozen_startup_bench.py [--runs 7] [--keep DIR]

Builds two programs from the spec with another entry script each (a few minutes): one shows
a bare QWidget, the other starts Shelter Desk's shell on an empty data folder until the
unlock window is visible; each prints a line when its window is shown. The time is taken
in this process from starting the program to reading that line, so it includes the
bootloader and unpacking nothing (one-folder build). Prints medians, the ratio (target:
within 1.5x) and each folder's size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "shelter-desk.spec"

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.setWindowTitle("bare"); w.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

SHELTER_DESK = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from shelter_desk.gui.fonts import register_bundled_fonts
from shelter_desk.gui.operations import OpRunner
from shelter_desk.gui.shell import Shell
app = QApplication([])
register_bundled_fonts()
shell = Shell(app, OpRunner(), Path(sys.argv[1]))
shell.start()
def poll():
    if shell.window is not None and shell.window.isVisible():
        print("shown", flush=True)
        shell.shutdown(); app.quit()
    else:
        QTimer.singleShot(1, poll)
QTimer.singleShot(0, poll)
app.exec()
"""


def build(name: str, code: str, work: Path) -> Path:
    """Freeze ``code`` with the project's spec (its entry replaced); return the program."""
    entry = work / f"{name}_entry.py"
    entry.write_text(code)
    spec_text = SPEC.read_text()
    spec_text = spec_text.replace('str(ROOT / "packaging" / "entry.py")', repr(str(entry)))
    spec_text = spec_text.replace(
        "ROOT = Path(SPECPATH).resolve().parent", f"ROOT = Path({str(ROOT)!r})"
    )
    spec = work / f"{name}.spec"
    spec.write_text(spec_text)
    dist = work / name
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pyinstaller"),
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(dist),
            "--workpath",
            str(work / f"build-{name}"),
            str(spec),
        ],
        check=True,
    )
    return dist / "shelter-desk" / "shelter-desk"


def time_to_window(program: Path, *args: str) -> float:
    env = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(program.parent), "LANG": "C.UTF-8"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(program), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = (time.perf_counter() - started) * 1000
    child.wait(timeout=60)
    if line.strip() != b"shown":
        raise SystemExit(f"{program} did not show its window")
    return elapsed


def folder_size(program: Path) -> int:
    return sum(p.stat().st_size for p in program.parent.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build here and keep the programs")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="frozen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        bare = build("bare", BARE, work)
        app = build("app", SHELTER_DESK, work)
        empty = work / "empty-data"
        empty.mkdir(exist_ok=True)
        time_to_window(bare)  # warm the page cache for both: a second start is typical
        time_to_window(app, str(empty))
        bare_ms = statistics.median(time_to_window(bare) for _ in range(args.runs))
        app_ms = statistics.median(time_to_window(app, str(empty)) for _ in range(args.runs))
        ratio = app_ms / bare_ms
        print(f"Frozen cold start, median of {args.runs} ({os.cpu_count()} CPUs)")
        print(f"  bare PySide6 window      {bare_ms:7.1f} ms")
        print(f"  Shelter Desk unlock      {app_ms:7.1f} ms   ({ratio:.2f}x)")
        print(f"  within 1.5x: {'met' if ratio <= 1.5 else 'NOT met'}")
        print(f"  folder sizes: bare {folder_size(bare) / 1e6:.0f} MB (same spec and libraries)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
