"""The main window: navigation, the current page, menus and the status bar. Nothing else.

Pages come from :data:`shelter_desk.gui.views.PAGES`; what happens on lock, language change
or quit is decided by the :class:`~shelter_desk.gui.shell.Shell`, which this window only
asks through signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from shelter_desk.gui.about import AboutDialog
from shelter_desk.gui.geometry import remember_geometry, restore_geometry
from shelter_desk.gui.print_dialog import PrintDialog, open_print_dialog
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.views.export_dialog import ExportDialog
from shelter_desk.gui.views.pages import PAGES, Page
from shelter_desk.gui.views.sync import SyncView
from shelter_desk.gui.views.user_dialogs import ChangePassphraseDialog
from shelter_desk.i18n import LANGUAGES, _, current_language, language_name
from shelter_desk.security.permissions import ROLE_LABELS, Permission

if TYPE_CHECKING:
    from shelter_desk.gui.views.import_wizard import ImportWizard

NAVIGATION_MIN_WIDTH = 140
NAVIGATION_MAX_WIDTH = 320
STATUS_LABEL_MIN_WIDTH = 40


def window_title(org_name: str, is_demo: bool) -> str:
    if is_demo:
        return _("Shelter Desk — {organisation} (demo data)").format(organisation=org_name)
    return _("Shelter Desk — {organisation}").format(organisation=org_name)


class MainWindow(QMainWindow):
    lock_requested = Signal()
    language_requested = Signal(str)
    quit_requested = Signal()
    ready = Signal()
    """The first page has its data (see :attr:`is_ready`)."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        session = context.session
        self.pages: list[Page] = [page for page in PAGES if page.shown_to(session)]
        self.views: dict[str, View] = {}

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setTextElideMode(Qt.TextElideMode.ElideNone)
        for _page in self.pages:
            self.navigation.addItem(QListWidgetItem())
        self.stack = QStackedWidget()
        for _page in self.pages:
            self.stack.addWidget(QWidget())  # replaced by the view the first time it is shown
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self.navigation.currentRowChanged.connect(self.show_page_at)
        self.retranslate()
        if self.pages:
            self.navigation.setCurrentRow(0)
        self.navigation.setFocus()
        self.is_ready = True
        """False while the first page waits for its data (a page with a ``ready`` signal
        and ``is_ready`` False, as the case list): the shell shows the window after."""
        first = self.views.get(self.pages[0].key) if self.pages else None
        first_ready = getattr(first, "ready", None)
        if first_ready is not None and not getattr(first, "is_ready", True):
            self.is_ready = False
            first_ready.connect(self._first_page_ready)
        restore_geometry(self)

    # -- building ------------------------------------------------------------------
    def _build_menus(self) -> None:
        self.file_menu = QMenu(self)
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock_requested)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.quit_requested)
        self.file_menu.addAction(self.lock_action)
        self.passphrase_action = QAction(self)
        self.passphrase_action.triggered.connect(self.open_change_passphrase)
        self.file_menu.addAction(self.passphrase_action)
        self.print_action = QAction(self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.open_print_dialog)
        self.print_action.setVisible(self.context.session.can(Permission.PRINT))
        self.file_menu.addAction(self.print_action)
        self.import_action = QAction(self)
        self.import_action.triggered.connect(self.open_import_wizard)
        self.import_action.setVisible(self.context.session.can(Permission.IMPORT))
        self.file_menu.addAction(self.import_action)
        self.export_action = QAction(self)
        self.export_action.triggered.connect(self.open_export_dialog)
        self.file_menu.addAction(self.export_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.language_menu = QMenu(self)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            action = QAction(language_name(code), self)
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _checked=False, c=code: self.language_requested.emit(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

        self.help_menu = QMenu(self)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

        bar = self.menuBar()
        for menu in (self.file_menu, self.language_menu, self.help_menu):
            bar.addMenu(menu)

    def _build_status_bar(self) -> None:
        signed_in = self.context.signed_in
        self.user_label = QLabel()
        self.user_label.setObjectName("signedInUser")
        self.org_label = QLabel()
        self.demo_label = QLabel()
        self.demo_label.setObjectName("demoMarker")
        self.demo_label.setStyleSheet("font-weight: bold; padding: 0 6px;")
        self.demo_label.setVisible(signed_in.is_demo)
        self.lock_button = QPushButton()
        self.lock_button.clicked.connect(self.lock_requested)
        status = self.statusBar()
        for label in (self.user_label, self.org_label, self.demo_label):
            # Cut rather than widen the window (the tooltip says it in full).
            label.setMinimumWidth(STATUS_LABEL_MIN_WIDTH)
            status.addWidget(label)
        status.addPermanentWidget(self.lock_button)

    def _first_page_ready(self) -> None:
        if not self.is_ready:
            self.is_ready = True
            self.ready.emit()

    # -- pages ---------------------------------------------------------------------
    def _fit_navigation(self) -> None:
        """Exactly as wide as the longest page name in the current language needs: fixed,
        so the pane neither jumps when a page fills in nor takes width from the page."""
        margin = 2 * self.navigation.frameWidth() + 24
        widest = max(
            (self.navigation.fontMetrics().horizontalAdvance(_(page.label)) for page in self.pages),
            default=0,
        )
        self.navigation.setFixedWidth(
            min(max(widest + margin, NAVIGATION_MIN_WIDTH), NAVIGATION_MAX_WIDTH)
        )

    def show_page_at(self, row: int) -> None:
        if not 0 <= row < len(self.pages):
            return
        page = self.pages[row]
        view = self.views.get(page.key)
        if view is None:
            view = page.view(self.context)
            view.setObjectName(f"view_{page.key}")
            opens_cases = getattr(view, "open_case_requested", None)
            if opens_cases is not None:  # follow-ups, referrals: a row opens the case
                opens_cases.connect(self.open_case)
            if isinstance(view, CasesView):  # an empty installation's first steps
                view.import_file_requested.connect(self.open_import_wizard)
                view.import_bundle_requested.connect(self.import_bundle)
            old = self.stack.widget(row)
            self.stack.insertWidget(row, view)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self.views[page.key] = view
        self.stack.setCurrentWidget(view)

    def open_case(self, case_id: str, tab_key: str = "") -> None:
        """Show the Cases page with this case open (at a section, when given)."""
        cases_view = self.show_page("cases")
        open_case = getattr(cases_view, "open_case", None)
        if open_case is not None:
            open_case(case_id, tab_key)

    def show_page(self, key: str) -> View:
        """Show a page by key and return its view (for keyboard shortcuts and tests)."""
        row = next(i for i, page in enumerate(self.pages) if page.key == key)
        self.navigation.setCurrentRow(row)
        return self.views[key]

    def page_keys(self) -> list[str]:
        return [page.key for page in self.pages]

    def discard_views(self) -> None:
        """Hide and delete every page now, so no data stays in any widget after a lock.

        Each page first keeps its unsaved work as drafts (:meth:`View.before_lock`), and
        the window's size and place are remembered for the next unlock or start."""
        remember_geometry(self)
        for view in self.views.values():
            view.before_lock()
        self.stack.hide()
        for view in self.views.values():
            view.hide()
            self.stack.removeWidget(view)
            view.setParent(None)
            view.deleteLater()
        self.views.clear()
        self.navigation.clear()

    # -- language ------------------------------------------------------------------
    def retranslate(self) -> None:
        signed_in = self.context.signed_in
        self.setWindowTitle(window_title(signed_in.org_name, signed_in.is_demo))
        self.file_menu.setTitle(_("&File"))
        self.lock_action.setText(_("&Lock now"))
        self.passphrase_action.setText(_("Change my &passphrase…"))
        self.print_action.setText(_("P&rint a form…"))
        self.import_action.setText(_("&Import cases from an HTCDS file…"))
        self.export_action.setText(_("E&xport (HTCDS, CTDC, intake form for phones)…"))
        self.quit_action.setText(_("&Quit"))
        self.language_menu.setTitle(_("Lang&uage"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About Shelter Desk"))
        for code, action in self.language_actions.items():
            action.setChecked(code == current_language())
        self.navigation.setAccessibleName(_("Pages"))
        for row, page in enumerate(self.pages):
            item = self.navigation.item(row)
            if item is not None:
                item.setText(_(page.label))
        self._fit_navigation()
        self.user_label.setText(
            _("Signed in: {name} ({role})").format(
                name=signed_in.display_name, role=_(ROLE_LABELS[signed_in.session.role])
            )
        )
        self.user_label.setAccessibleName(self.user_label.text())
        self.org_label.setText(
            _("Organisation: {organisation}").format(organisation=signed_in.org_name)
        )
        self.demo_label.setText(_("DEMO DATA — invented people, not real cases"))
        for label in (self.user_label, self.org_label, self.demo_label):
            label.setToolTip(label.text())
        self.lock_button.setText(_("Loc&k"))
        self.lock_button.setToolTip(
            _("Lock Shelter Desk now ({shortcut})").format(
                shortcut=self.lock_action.shortcut().toString(
                    QKeySequence.SequenceFormat.NativeText
                )
            )
        )
        self.lock_button.setAccessibleName(_("Lock now"))
        for view in self.views.values():
            view.retranslate()

    def open_change_passphrase(self) -> ChangePassphraseDialog:
        dialog = ChangePassphraseDialog(self.context.runner, self.context.session, self)
        dialog.done_with.connect(
            lambda _name: self.statusBar().showMessage(_("Your passphrase was changed."), 8000)
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_export_dialog(self) -> ExportDialog:
        dialog = ExportDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_import_wizard(self) -> ImportWizard:
        # Loaded on first use: the spreadsheet readers are not needed to show the window.
        from shelter_desk.gui.views.import_wizard import ImportWizard

        wizard = ImportWizard(self.context, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()
        return wizard

    def import_bundle(self) -> None:
        """The Sync page, choosing a bundle to import."""
        if "sync" in self.page_keys():
            sync = self.show_page("sync")
            if isinstance(sync, SyncView):
                sync.choose_import_file()

    def open_print_dialog(self) -> PrintDialog:
        return open_print_dialog(self, self.context)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.context.session.installation.root, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
