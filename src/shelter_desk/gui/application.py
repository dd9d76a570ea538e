"""Starting the desktop application: ``shelter-desk`` with no command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from shelter_desk import __version__
from shelter_desk.gui.fonts import register_bundled_fonts
from shelter_desk.gui.icon import application_icon
from shelter_desk.gui.operations import OpRunner
from shelter_desk.gui.shell import Shell
from shelter_desk.i18n import _


def run_gui(
    args: Any,
    *,
    default_data_dir: Callable[[], Path] | None = None,
    demo_login: tuple[str, str] | None = None,
) -> int:
    """Open the first-run or unlock window and run until the last window closes.

    ``args`` is the parsed command line (``data_dir``, ``lang`` and ``user`` are optional).
    The composition root passes ``default_data_dir`` (used when ``--data-dir`` is absent)
    and the demo installation's published ``demo_login`` (user name, passphrase), shown on
    the unlock window of a demo installation only.
    """
    data_dir = getattr(args, "data_dir", None)
    if data_dir is None and default_data_dir is not None:
        data_dir = default_data_dir()
    if data_dir is None:
        print(_("No data folder given: use --data-dir FOLDER."), file=sys.stderr)
        return 2
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Shelter Desk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("shelter-desk")
    app.setWindowIcon(application_icon())
    register_bundled_fonts()
    runner = OpRunner()
    shell = Shell(
        app,
        runner,
        Path(data_dir),
        language=getattr(args, "lang", None),
        preselect_user=getattr(args, "user", None) or "",
        demo_login=demo_login,
    )
    shell.start()
    try:
        return int(app.exec())
    finally:
        shell.shutdown()
