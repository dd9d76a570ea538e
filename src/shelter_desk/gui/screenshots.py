"""Screenshots of every main screen, rendered offscreen on demo data (for the README and
for translators, who see where their words appear).

:func:`render_screenshots` opens a demo installation through the real :class:`Shell`, as a
person would (unlock window, then each page of the main window), waits until every page
has its data from the database worker, and saves each window with ``QWidget.grab``.

Only demo data is ever photographed: a folder holding a real installation is refused, and
without one a temporary demo installation is made, filled with invented cases, and removed
afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.fonts import register_bundled_fonts
from shelter_desk.gui.language import InterfaceLanguage
from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.operations import OpRunner
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.unlock import UnlockWindow
from shelter_desk.i18n import LANGUAGES, _, current_language
from shelter_desk.services import cases
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER, Installation
from shelter_desk.services.session import Session

DEMO_CASES = 300
DEMO_SEED = 1
WINDOW_SIZE = (1366, 768)
"""A common laptop screen: what most caseworkers see."""
UNLOCK_SIZE = (900, 620)
WAIT_SECONDS = 60.0
QUIET_CHECKS = 3
CASE_SECTIONS = ("intake", "needs", "plan", "reintegration")
"""The sections of the open case photographed besides the first (their ``KEY``)."""
"""How many checks in a row must find the worker idle before a window counts as ready."""


def parse_size(text: str) -> tuple[int, int]:
    """``"1366x768"`` -> (1366, 768); empty -> :data:`WINDOW_SIZE`."""
    if not text:
        return WINDOW_SIZE
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise ShelterDeskError(_("Give the size as WIDTHxHEIGHT, e.g. 1366x768."))
    size = int(width), int(height)
    if not (640 <= size[0] <= 7680 and 480 <= size[1] <= 4320):
        raise ShelterDeskError(_("Give the size as WIDTHxHEIGHT, e.g. 1366x768."))
    return size


def render_screenshots(
    out_dir: Path,
    lang: str | None,
    data_dir: Path | None,
    *,
    size: tuple[int, int] = WINDOW_SIZE,
) -> list[Path]:
    """Render the unlock window and each page of the main window to PNG files in
    ``out_dir``; return their paths in the order a person meets them.

    ``lang`` is the interface language (the current one when None). ``data_dir`` may hold a
    demo installation to photograph; when it holds none, a temporary one is made. ``size``
    is the main window's size in pixels.
    """
    if lang is not None and lang not in LANGUAGES:
        raise ShelterDeskError(_("Unsupported language."))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(["shelter-desk-screenshots"])
    register_bundled_fonts()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    before = current_language()
    language = lang or before
    try:
        with demo_installation(data_dir, language) as folder:
            return _photograph(app, folder, language, out_dir, size)
    finally:
        InterfaceLanguage(app).apply(before)


@contextmanager
def demo_installation(data_dir: Path | None, language: str) -> Iterator[Path]:
    """The folder of a demo installation: ``data_dir`` when it holds one, else a temporary
    one filled with invented cases (removed afterwards)."""
    if data_dir is not None and Installation(data_dir).exists():
        if not Installation(data_dir).slots().demo:
            raise ShelterDeskError(
                _("{path} holds real data: screenshots are made on demo data only.").format(
                    path=data_dir
                )
            )
        yield Path(data_dir)
        return
    with tempfile.TemporaryDirectory(prefix="shelter-desk-screenshots-") as tmp:
        folder = Path(tmp) / "demo"
        make_demo(folder, language)
        yield folder


def make_demo(folder: Path, language: str) -> None:
    """Create a demo installation in ``folder`` and fill it with invented cases."""
    installation = Installation(folder)
    session, _recovery = installation.create(
        org_name=_("Demo Shelter"),
        admin=DEMO_USER,
        passphrase=DEMO_PASSPHRASE,
        demo=True,
        language=language,
    )
    try:
        fill_demo(session)
    finally:
        session.lock()
        installation.release()


def fill_demo(session: Session) -> None:
    try:
        from shelter_desk.services.demo import generate_demo
    except ImportError:  # an installation without the demo generator: a few plain cases
        _few_cases(session)
        return
    generate_demo(session, cases=DEMO_CASES, seed=DEMO_SEED)


def _few_cases(session: Session) -> None:
    from shelter_desk.domain.entities import Consent, Intake, Person

    today = dt.date.today()
    people = (("Amina", "NG"), ("Olena", "UA"), ("Tesfaye", "ET"), ("Nino", "GE"))
    for first, country in people:
        cases.open_case(
            session,
            Person(first_name=first, citizenships=(country,)),
            Intake(
                intake_date=today,
                exploitation_types=("ForcedLabour",),
                identification_source="NGO",
            ),
            Consent(consent_given=True, method="Written", given_on=today),
            today=today,
        )


# -- photographing ----------------------------------------------------------------------
def _photograph(
    app: QApplication, folder: Path, language: str, out_dir: Path, size: tuple[int, int]
) -> list[Path]:
    # The window's remembered geometry stays out of the photographer's own settings.
    settings_folder = tempfile.TemporaryDirectory(prefix="shelter-desk-screenshots-settings-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_folder.name)
    runner = OpRunner()
    shell = Shell(app, runner, folder, language=language, demo_login=(DEMO_USER, DEMO_PASSPHRASE))
    saved: list[Path] = []

    def save(window: QWidget, name: str) -> None:
        settle(runner)
        path = out_dir / f"{len(saved) + 1:02d}-{name}.png"
        if not window.grab().save(str(path), "PNG"):
            raise ShelterDeskError(_("Could not write {path}.").format(path=path))
        saved.append(path)

    try:
        shell.start()
        wait_for(lambda: isinstance(shell.window, UnlockWindow))
        unlock = shell.window
        assert isinstance(unlock, UnlockWindow)
        wait_for(lambda: unlock.user_list.count() > 0)
        unlock.resize(*UNLOCK_SIZE)
        save(unlock, "unlock")

        items = unlock.user_list.findItems(DEMO_USER, Qt.MatchFlag.MatchExactly)
        if items:
            unlock.user_list.setCurrentItem(items[0])
        unlock.passphrase.setText(DEMO_PASSPHRASE)
        unlock.unlock_button.click()
        wait_for(lambda: shell.main_window is not None)
        main = shell.main_window
        assert main is not None
        main.resize(*size)
        for key in main.page_keys():
            view = main.show_page(key)
            save(main, key.replace("_", "-"))
            if key == "cases":
                _photograph_the_wizard(view, save)
                _photograph_a_case(main, runner, view, save)
            elif key == "administration":
                _photograph_audit_log(main, view, save)
    finally:
        shell.shutdown()
        for widget in QApplication.topLevelWidgets():
            widget.close()
            widget.deleteLater()
        settle_events()
        settings_folder.cleanup()
    return saved


def _photograph_the_wizard(view: QWidget, save: Callable[[QWidget, str], None]) -> None:
    """The new case wizard's first step, as New case opens it; closed untouched."""
    open_wizard = getattr(view, "open_wizard", None)
    if open_wizard is None:
        return
    wizard = open_wizard()
    settle_events(200)
    save(wizard, "wizard")
    wizard.reject()
    settle_events()


def _photograph_a_case(
    main: MainWindow, runner: OpRunner, view: QWidget, save: Callable[[QWidget, str], None]
) -> None:
    """Open a case in follow-up (the richest kind) in its workspace, if the view can."""
    open_case = getattr(view, "open_case", None)
    if open_case is None:
        return
    session = main.context.session
    case_id = runner.worker.call(lambda: _case_to_show(session), WAIT_SECONDS)
    if case_id is None:
        return
    workspace = open_case(case_id)
    save(main, "case")
    show_tab = getattr(workspace, "show_tab", None)
    if show_tab is None:
        return
    for key in CASE_SECTIONS:
        show_tab(key)
        save(main, f"case-{key}")


def _case_to_show(session: Session) -> str | None:
    for statuses in (("FollowUp",), ("Active",), ()):
        rows = cases.case_page(session, cases.CaseFilter(statuses=statuses), 0, 1)
        if rows:
            return rows[0].case_id
    return None


def _photograph_audit_log(
    main: MainWindow, view: QWidget, save: Callable[[QWidget, str], None]
) -> None:
    tabs, audit = getattr(view, "tabs", None), getattr(view, "audit", None)
    if tabs is None or audit is None:
        return
    tabs.setCurrentWidget(audit)
    save(main, "audit-log")


# -- waiting without blocking the event loop --------------------------------------------
def wait_for(condition: Callable[[], bool], timeout: float = WAIT_SECONDS) -> None:
    """Run the event loop until ``condition()`` holds (checked every 20 ms)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise ShelterDeskError(_("The screen did not finish loading in time."))
        settle_events(20)


def settle(runner: OpRunner) -> None:
    """Wait until the worker has delivered everything and stays idle for a moment."""
    quiet = 0
    deadline = time.monotonic() + WAIT_SECONDS
    while quiet < QUIET_CHECKS:
        if time.monotonic() > deadline:
            raise ShelterDeskError(_("The screen did not finish loading in time."))
        settle_events(30)
        quiet = 0 if runner.busy else quiet + 1


def settle_events(milliseconds: int = 10) -> None:
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()
