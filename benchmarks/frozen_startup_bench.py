"""Cold start of the packaged app: Shelter Desk's unlock window against a bare PySide6 window,
both frozen by PyInstaller with the same spec (packaging/shelter-desk.spec), one folder each.

    .venv/bin/python benchmarks/frozen_startup_bench.py [--runs 7] [--keep DIR]

Builds two programs from the spec with another entry script each (a few minutes): one shows
a bare QWidget; the other is the real program (``shelter_desk.app.main``, as
``packaging/entry.py`` runs it) with a probe that watches for the unlock or first-run window.
Each prints a line when its window is shown. The time is taken in this process from
starting the program to reading that line, so it includes the bootloader and unpacking
nothing (one-folder build). Shelter Desk is timed on a demo installation (the unlock window:
what every start but the first shows) and on an empty folder (the first-run window).
Prints medians, the ratio (target: within 1.5x), where the probe saw the time go, and each
folder's size.
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

from verdict import result

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

# The probe is imported first only to watch: the program then starts exactly as the
# packaged one does, through shelter_desk.app.main (which finds this QApplication).
SHELTER_DESK = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
marks = [("PySide6 imported, QApplication", time.perf_counter())]
def poll():
    for w in app.topLevelWidgets():
        if w.isVisible() and type(w).__name__ in ("UnlockWindow", "FirstRunWindow"):
            marks.append(("window shown", time.perf_counter()))
            print("shown", type(w).__name__, flush=True)
            last = t0
            for name, at in marks:
                print(f"  {(at - last) * 1000:7.1f} ms  {name}", flush=True)
                last = at
            app.quit()
            return
    QTimer.singleShot(1, poll)
QTimer.singleShot(0, poll)
import shelter_desk.app
marks.append(("import shelter_desk.app", time.perf_counter()))
import shelter_desk.gui.application
marks.append(("import shelter_desk.gui.application", time.perf_counter()))
raise SystemExit(shelter_desk.app.main(["--data-dir", sys.argv[1]]))
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


def time_to_window(program: Path, *args: str, phases: list[str] | None = None) -> float:
    env = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(program.parent), "LANG": "C.UTF-8"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(program), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = (time.perf_counter() - started) * 1000
    rest = child.stdout.read().decode()
    child.wait(timeout=60)
    if not line.startswith(b"shown"):
        raise SystemExit(f"{program} did not show its window")
    if phases is not None:
        phases[:] = [line.decode().strip(), *rest.splitlines()]
    return elapsed


def demo_installation(folder: Path) -> Path:
    """A demo installation made by the source tree (the unlock window's data folder)."""
    if folder.exists():  # kept from an earlier run (--keep)
        return folder
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "shelter_desk", "--data-dir", str(folder), "demo"],
        check=True,
        env=env,
        capture_output=True,
    )
    return folder


def folder_size(program: Path) -> int:
    """Bytes of the folder's files, each counted once (Qt's libraries are symlinked)."""
    files = (p for p in program.parent.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files)


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
        demo = demo_installation(work / "demo-data")
        time_to_window(bare)  # warm the page cache for both: a second start is typical
        time_to_window(app, str(demo))
        bare_ms = statistics.median(time_to_window(bare) for _ in range(args.runs))
        phases: list[str] = []
        app_ms = statistics.median(
            time_to_window(app, str(demo), phases=phases) for _ in range(args.runs)
        )
        first_phases: list[str] = []
        first_ms = statistics.median(
            time_to_window(app, str(empty), phases=first_phases) for _ in range(args.runs)
        )
        print(f"Frozen cold start, median of {args.runs} ({os.cpu_count()} CPUs)")
        print(f"  bare PySide6 window          {bare_ms:7.1f} ms")
        for label, ms in (("unlock window", app_ms), ("first-run window", first_ms)):
            ratio = ms / bare_ms
            met = "met" if ratio <= 1.5 else "NOT met"
            print(f"  Shelter Desk {label:16} {ms:7.1f} ms   ({ratio:.2f}x; within 1.5x: {met})")
            result(
                f"frozen cold start, {label}",
                "<= 1.5x a bare window",
                f"{ratio:.2f}x ({ms:.0f} ms)",
                ratio <= 1.5,
            )
        print("  where the time went (last unlock-window run, as the probe saw it):")
        print("\n".join(f"    {line}" for line in phases[1:]))
        print(f"  folder sizes: bare {folder_size(bare) / 1e6:.0f} MB, ", end="")
        print(f"Shelter Desk {folder_size(app) / 1e6:.0f} MB (same spec and libraries)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
