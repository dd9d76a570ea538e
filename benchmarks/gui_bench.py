"""The desktop app on a large installation: time from unlocking to a usable case list,
time to open a case, search-as-you-type latency through the GUI, and the memory (RSS) of the
running app (target < 400 MB on 100k cases).

    PYTHONPATH=src .venv/bin/python benchmarks/gui_bench.py [--cases 100000] [--dir FOLDER]

With ``--dir`` holding a demo installation (from ``shelter-desk demo`` or
``cases_bench.py --dir``) it is reused; otherwise a demo installation of ``--cases`` cases
is generated first in a temporary folder (this takes long at 100k: about 11 minutes on an
idle 2-core machine). Runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psutil
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from verdict import result

from shelter_desk.gui.fonts import register_bundled_fonts
from shelter_desk.gui.operations import OpRunner
from shelter_desk.gui.shell import Shell
from shelter_desk.services.demo import generate_demo
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER, Installation


def wait_until(condition: object, timeout: float = 120.0) -> float:
    started = time.perf_counter()
    while not condition():  # type: ignore[operator]
        QCoreApplication.processEvents()
        if time.perf_counter() - started > timeout:
            raise TimeoutError
        time.sleep(0.001)
    return time.perf_counter() - started


def prepare(folder: Path, cases: int) -> None:
    if (folder / "keyslots.json").exists():
        return
    installation = Installation(folder)
    session, _recovery = installation.create(
        org_name="Bench Shelter", admin=DEMO_USER, passphrase=DEMO_PASSPHRASE, demo=True
    )
    started = time.perf_counter()
    generate_demo(session, cases, 1)
    print(f"generated {cases} demo cases in {time.perf_counter() - started:.0f} s")
    session.lock()
    installation.release()


def measure(folder: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    register_bundled_fonts()
    shell = Shell(app, OpRunner(), folder)  # type: ignore[arg-type]
    shell.start()
    wait_until(lambda: shell.window is not None and hasattr(shell.window, "user_list"))
    window = shell.window
    wait_until(lambda: window.user_list.count() > 0)  # type: ignore[union-attr]
    window.user_list.setCurrentRow(0)  # type: ignore[union-attr]
    started = time.perf_counter()
    window.passphrase.setText(DEMO_PASSPHRASE)  # type: ignore[union-attr]
    window.unlock()  # type: ignore[union-attr]
    wait_until(lambda: shell.main_window is not None)
    view = shell.main_window.show_page("cases")  # type: ignore[union-attr]
    wait_until(lambda: view.model.rowCount() > 0 and view.model.row_at(0) is not None)
    ready = time.perf_counter() - started
    print(f"unlock to a usable case list of {view.model.rowCount()} cases: {ready * 1000:.0f} ms")
    result(
        f"GUI unlock to filled case list, {view.model.rowCount():,} cases",
        "< 1 s",
        f"{ready * 1000:.0f} ms",
        ready < 1,
    )

    latencies = []
    for text in ("Muh", "Muhammad", "Ольга", "გიორგი", "Maria", "ሰላም"):
        view.search.setText(text)
        started = time.perf_counter()
        model = view.model
        before = model.fetches
        wait_until(lambda m=model, b=before: m.fetches > b or m.rowCount() == 0, 30)
        wait_until(lambda m=model: m.rowCount() == 0 or m.row_at(0) is not None, 30)
        latencies.append((time.perf_counter() - started) * 1000)
    print(
        "search as you type (debounce included), median / max: "
        f"{statistics.median(latencies):.0f} / {max(latencies):.0f} ms"
    )
    view.search.setText("")
    wait_until(lambda: view.model.rowCount() > 0 and view.model.row_at(0) is not None, 60)
    started = time.perf_counter()
    workspace = view.open_case(view.model.case_id(0) or "")
    wait_until(lambda: workspace.case_file is not None)
    print(f"open a case in the workspace: {(time.perf_counter() - started) * 1000:.0f} ms")
    rss = psutil.Process().memory_info().rss / 2**20
    print(f"memory of the running app (RSS): {rss:.0f} MB (target < 400 MB)")
    result("GUI memory (RSS)", "< 400 MB", f"{rss:.0f} MB", rss < 400)
    shell.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    if args.dir:
        prepare(args.dir, args.cases)
        measure(args.dir)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        prepare(folder, args.cases)
        measure(folder)


if __name__ == "__main__":
    main()
