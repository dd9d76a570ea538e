"""The Cases page: the case list with search as you type and filters, the new case wizard,
and the open cases, each in its own tab beside the list.

Open cases live in tabs of this page (not separate windows), so that a lock, which deletes
the page, takes every open case with it after keeping its unsaved edits as drafts. An
installation with no case at all says what to do first, with buttons that do it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.gui.models.case_list import (
    CASE_ID_ROLE,
    COLUMNS,
    CaseListModel,
    column_samples,
)
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.widgets.columns import share_widths
from shelter_desk.gui.widgets.inputs import ChoiceCombo, code_choices, country_choices
from shelter_desk.gui.wizard import DRAFT_KEY, NewCaseWizard
from shelter_desk.gui.workspace.window import CaseWorkspace, case_of_draft_key
from shelter_desk.i18n import N_, _, format_number, ngettext
from shelter_desk.security.permissions import Permission
from shelter_desk.services import case_history, cases, drafts
from shelter_desk.services.cases import CaseFilter

SEARCH_DELAY_MS = 200
NAME_COLUMN = next(i for i, column in enumerate(COLUMNS) if column.key == "name")
COLUMN_MAX_CHARS = 22
"""No column but the name is wider than about this many characters (longer text elides,
its tooltip and the case itself say it in full)."""
SORT_ARROW_ROOM = 18
FILTER_MIN_CHARS = 8
NAME_SHARE = 0.3
NAME_MIN_WIDTH = 200
"""The name column keeps at least this share of the table and this many pixels."""
OPEN_STATUSES = "open"  # the status filter's "active or follow-up" choice


class CasesView(View):
    HEADING = N_("Cases")

    ready = Signal()
    """The list has its count and first rows (once): the window may appear."""
    import_file_requested = Signal()
    """The first steps' "import a file" button: the window opens the import wizard."""
    import_bundle_requested = Signal()
    """The first steps' "import a bundle" button: the window opens the Sync page's import."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        session = context.session
        self.owner_names: dict[str, str] = {}
        self.workspaces: dict[str, CaseWorkspace] = {}
        self.wizard: NewCaseWizard | None = None
        self.kept_case_ids: list[str] = []
        self.new_case_kept = False  # a new case started earlier is kept unfinished

        # -- search and filters ----------------------------------------------------
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_case)

        self.status_filter = ChoiceCombo(
            lambda: [
                (OPEN_STATUSES, _("Open (active or follow-up)")),
                *code_choices(codes.CASE_STATUS)(),
            ],
            lambda: _("Any status"),
        )
        self.owner_filter = ChoiceCombo(
            lambda: sorted(self.owner_names.items(), key=lambda pair: pair[1].casefold()),
            lambda: _("Any caseworker"),
        )
        self.risk_filter = ChoiceCombo(code_choices(codes.RISK_LEVEL), lambda: _("Any risk"))
        self.exploitation_filter = ChoiceCombo(
            code_choices(codes.EXPLOITATION_TYPE), lambda: _("Any exploitation")
        )
        self.nationality_filter = ChoiceCombo(country_choices, lambda: _("Any citizenship"))
        self.overdue_filter = QCheckBox()
        self.filters: list[ChoiceCombo] = [
            self.status_filter,
            self.owner_filter,
            self.risk_filter,
            self.exploitation_filter,
            self.nationality_filter,
        ]
        for combo in self.filters:
            combo.changed.connect(self.apply_filter)
            # A filter shows a few words at least and may shrink to that: five of them in a
            # row must not make the window wider than the screen (Georgian).
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(FILTER_MIN_CHARS)
        self.overdue_filter.toggled.connect(lambda _on: self.apply_filter())

        # -- the list --------------------------------------------------------------
        self.model = CaseListModel(
            context.runner,
            lambda f: cases.case_keys(session, f),
            lambda keys: cases.case_rows(session, keys),
            parent=self,
        )
        self.model.modelReset.connect(self._update_count)
        self.is_ready = False
        self.model.modelReset.connect(self._check_ready)
        self.model.dataChanged.connect(lambda *_args: self._check_ready())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no measuring 100k rows
        rows.hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.activated.connect(self._activated)
        self.table.viewport().installEventFilter(self)
        self.count_label = QLabel()
        self.count_label.setObjectName("caseCount")

        # -- kept drafts -----------------------------------------------------------
        self.drafts_banner = QFrame()
        self.drafts_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.drafts_text = QLabel()
        self.drafts_text.setWordWrap(True)
        self.continue_button = QPushButton()
        self.discard_button = QPushButton()
        self.open_kept_button = QPushButton()
        self.continue_button.clicked.connect(self.continue_new_case)
        self.discard_button.clicked.connect(self.discard_new_case)
        self.open_kept_button.clicked.connect(self.open_kept_cases)
        banner = QHBoxLayout(self.drafts_banner)
        banner.addWidget(self.drafts_text, 1)
        for button in (self.continue_button, self.discard_button, self.open_kept_button):
            banner.addWidget(button)
        self.drafts_banner.hide()

        # -- first steps (an installation without any case) ------------------------
        self.first_steps = QFrame()
        self.first_steps.setObjectName("firstSteps")
        self.first_steps.setFrameShape(QFrame.Shape.StyledPanel)
        self.first_steps_text = QLabel()
        self.first_steps_text.setWordWrap(True)
        self.first_intake_button = QPushButton()
        self.first_intake_button.clicked.connect(self.new_case)
        self.first_import_button = QPushButton()
        self.first_import_button.clicked.connect(self.import_file_requested)
        self.first_bundle_button = QPushButton()
        self.first_bundle_button.clicked.connect(self.import_bundle_requested)
        can_import = session.can(Permission.IMPORT)
        self.first_intake_button.setVisible(session.can(Permission.EDIT_CASES))
        self.first_import_button.setVisible(can_import)
        self.first_bundle_button.setVisible(can_import)
        steps = QVBoxLayout(self.first_steps)
        steps.addWidget(self.first_steps_text)
        step_buttons = QHBoxLayout()
        for button in (
            self.first_intake_button,
            self.first_import_button,
            self.first_bundle_button,
        ):
            step_buttons.addWidget(button)
        step_buttons.addStretch(1)
        steps.addLayout(step_buttons)
        self.first_steps.hide()
        self.model.modelReset.connect(self._check_empty)

        # -- layout ----------------------------------------------------------------
        list_page = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        filter_row = QHBoxLayout()
        for combo in self.filters:
            filter_row.addWidget(combo, 1)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_label)
        count_row.addStretch(1)
        count_row.addWidget(self.overdue_filter)
        page = QVBoxLayout(list_page)
        page.addWidget(self.drafts_banner)
        page.addLayout(top)
        page.addLayout(filter_row)
        page.addLayout(count_row)
        page.addWidget(self.first_steps)
        page.addWidget(self.table, 1)
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(list_page, "")
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.LeftSide, None)
        self.tabs.tabCloseRequested.connect(self.close_tab_at)
        self.body.addWidget(self.tabs, 1)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self, self.new_case)
        self.retranslate()
        self.apply_filter()
        self._load_owners()
        self.refresh_drafts()

    # -- the list ------------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        status = self.status_filter.code()
        statuses: tuple[str, ...] = ()
        if status == OPEN_STATUSES:
            statuses = ("Active", "FollowUp")
        elif status:
            statuses = (status,)
        return replace(
            self.model.case_filter,
            text=self.search.text(),  # kept as typed: a trailing space ends the last word
            statuses=statuses,
            owner_id=self.owner_filter.code() or None,
            risk_level=self.risk_filter.code() or None,
            exploitation=self.exploitation_filter.code() or None,
            nationality=self.nationality_filter.code() or None,
            follow_up_overdue=self.overdue_filter.isChecked(),
        )

    def apply_filter(self) -> None:
        self.search_timer.stop()
        self.model.set_filter(self.current_filter())

    def _fit_columns(self) -> None:
        """Every column but the name as wide as its title and longest text in this
        language (a few words at most); the name takes the room left and never less than a
        share of the table, so names read in full and nothing scrolls sideways. When the
        titles do not fit (Georgian), the columns give up their titles' width first."""
        header = self.table.horizontalHeader()
        metrics, title_metrics = self.table.fontMetrics(), header.fontMetrics()
        padding = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 16
        cap = metrics.averageCharWidth() * COLUMN_MAX_CHARS
        samples = column_samples(self.owner_names)
        others = [i for i in range(len(COLUMNS)) if i != NAME_COLUMN]
        floors, desired = [], []
        for column in others:
            spec = COLUMNS[column]
            widest = max((metrics.horizontalAdvance(t) for t in samples[spec.key]), default=0)
            title = title_metrics.horizontalAdvance(_(spec.title)) + SORT_ARROW_ROOM
            floors.append(min(widest, cap) + padding)
            desired.append(min(max(widest, title), cap) + padding)
        width = self.table.viewport().width()
        name_room = max(int(width * NAME_SHARE), NAME_MIN_WIDTH)
        sizes = share_widths(desired, floors, width - name_room)
        for column, size in zip(others, sizes, strict=True):
            header.resizeSection(column, size)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.model.sort(column, order)

    def _update_count(self) -> None:
        count = self.model.rowCount()
        if not self.model.listed:
            self.count_label.setText(_("Counting the cases…"))
            return
        self.count_label.setText(
            ngettext("{count} case", "{count} cases", count).format(count=format_number(count))
        )

    def _check_empty(self) -> None:
        """Show the first steps when the installation has no case at all (a search or
        filter that finds nothing in a full installation is not a first day)."""
        if not self.model.listed or self.model.rowCount() > 0:
            self.first_steps.hide()
            return
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: cases.count_cases(session, CaseFilter()),
            lambda total: self.first_steps.setVisible(total == 0 and self.model.rowCount() == 0),
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.first_steps.isVisible():
            self.model.refresh()  # cases imported meanwhile: the list shows them

    def _check_ready(self) -> None:
        if self.is_ready or not self.model.listed:
            return
        if self.model.rowCount() == 0 or self.model.is_loaded(0):
            self.is_ready = True
            self.ready.emit()

    def _load_owners(self) -> None:
        session = self.context.session
        run_op(self, self.context.runner, lambda: case_history.user_names(session), self._owners)

    def _owners(self, names: dict[str, str]) -> None:
        self.owner_names = names
        self.model.set_owner_names(names)
        self.owner_filter.retranslate()
        self._fit_columns()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _activated(self, index: QModelIndex) -> None:
        case_id = self.model.data(index, CASE_ID_ROLE)
        if case_id:
            self.open_case(str(case_id))

    # -- open cases ----------------------------------------------------------------
    def open_case(self, case_id: str, tab_key: str = "") -> CaseWorkspace:
        """Open a case in its own tab (or switch to it), optionally at one section."""
        workspace = self.workspaces.get(case_id)
        if workspace is None:
            workspace = CaseWorkspace(self.context, case_id)
            workspace.title_changed.connect(lambda w=workspace: self._retitle(w))
            workspace.close_requested.connect(lambda w=workspace: self._close_workspace(w))
            self.workspaces[case_id] = workspace
            self.tabs.addTab(workspace, workspace.title_text())
        self.tabs.setCurrentWidget(workspace)
        if tab_key:
            workspace.show_tab(tab_key)
        return workspace

    def _retitle(self, workspace: CaseWorkspace) -> None:
        index = self.tabs.indexOf(workspace)
        if index >= 0:
            self.tabs.setTabText(index, workspace.title_text())

    def close_tab_at(self, index: int) -> None:
        workspace = self.tabs.widget(index)
        if isinstance(workspace, CaseWorkspace):
            workspace.ask_to_close()

    def _close_workspace(self, workspace: CaseWorkspace) -> None:
        self.workspaces.pop(workspace.case_id, None)
        index = self.tabs.indexOf(workspace)
        if index >= 0:
            self.tabs.removeTab(index)
        workspace.deleteLater()
        self.model.refresh()

    # -- new case ------------------------------------------------------------------
    def new_case(self) -> None:
        """New case (Ctrl+N): the new case kept unfinished, if there is one, is continued
        (an empty wizard beside it would replace it when kept)."""
        if self.new_case_kept:
            self.continue_new_case()
        else:
            self.open_wizard()

    def open_wizard(self, draft: dict[str, Any] | None = None) -> NewCaseWizard:
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        if self.wizard is not None:
            self.wizard.deleteLater()
        wizard = NewCaseWizard(self.context, self, draft)
        wizard.case_created.connect(self._case_created)
        wizard.kept_as_draft.connect(self.refresh_drafts)
        # Kept, discarded or not touched: the banner says again what is kept (the draft's
        # work on the worker is queued before this look at it).
        wizard.finished.connect(lambda _r: None if wizard.locking else self.refresh_drafts())
        self.wizard = wizard
        wizard.open()
        return wizard

    def _case_created(self, case_id: str) -> None:
        self.model.refresh()
        workspace = self.open_case(case_id)
        # The wizard is still the active window: the focus given here is where the main
        # window puts it once active again (else back on the navigation list). The case's
        # fields stay disabled until it has loaded, so its section list takes it.
        workspace.sections.setFocus(Qt.FocusReason.OtherFocusReason)
        self.refresh_drafts()

    # -- drafts kept across a lock -------------------------------------------------
    def refresh_drafts(self) -> None:
        session = self.context.session
        run_op(self, self.context.runner, lambda: drafts.draft_keys(session), self._kept)

    def _kept(self, keys: list[str]) -> None:
        has_new_case = self.new_case_kept = DRAFT_KEY in keys
        self.kept_case_ids = sorted(
            {case_id for key in keys if (case_id := case_of_draft_key(key)) is not None}
            - set(self.workspaces)
        )
        self.continue_button.setVisible(has_new_case)
        self.discard_button.setVisible(has_new_case)
        self.open_kept_button.setVisible(bool(self.kept_case_ids))
        self._describe_drafts(has_new_case)
        # Shown as long as a draft is kept: until it is saved as a case or discarded.
        self.drafts_banner.setVisible(has_new_case or bool(self.kept_case_ids))

    def _describe_drafts(self, has_new_case: bool) -> None:
        lines = []
        if has_new_case:
            lines.append(_("A new case you started was kept unfinished."))
        if self.kept_case_ids:
            count = len(self.kept_case_ids)
            lines.append(
                ngettext(
                    "Unsaved changes to {count} case were kept when Shelter Desk locked.",
                    "Unsaved changes to {count} cases were kept when Shelter Desk locked.",
                    count,
                ).format(count=format_number(count))
            )
        self.drafts_text.setText("\n".join(lines))

    def continue_new_case(self) -> None:
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: drafts.load_draft(session, DRAFT_KEY),
            self._continue_with,
        )

    def _continue_with(self, data: dict[str, Any] | None) -> None:
        self.open_wizard(data)

    def discard_new_case(self) -> None:
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: drafts.discard_draft(session, DRAFT_KEY),
            lambda _none: self.refresh_drafts(),
        )

    def open_kept_cases(self) -> None:
        for case_id in self.kept_case_ids:
            self.open_case(case_id)
        self.kept_case_ids = []
        self.refresh_drafts()  # a new case kept unfinished is still offered

    def before_lock(self) -> None:
        wizard = self.wizard
        if wizard is not None and wizard.isVisible() and not wizard.finished_ok:
            wizard.locking = True
            if wizard.dirty:
                wizard.keep_draft()
        for workspace in self.workspaces.values():
            workspace.keep_drafts()

    # -- language ------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.search_label.setText(_("&Search:"))
        self.search.setPlaceholderText(
            _("Name in any script, other name, case number or document number")
        )
        self.search.setAccessibleName(_("Search cases"))
        self.new_button.setText(_("&New case…"))
        self.new_button.setToolTip(
            _("Start a new case ({shortcut})").format(
                shortcut=QKeySequence(QKeySequence.StandardKey.New).toString(
                    QKeySequence.SequenceFormat.NativeText
                )
            )
        )
        names = (
            _("Filter by status"),
            _("Filter by caseworker"),
            _("Filter by risk"),
            _("Filter by type of exploitation"),
            _("Filter by citizenship"),
        )
        for combo, name in zip(self.filters, names, strict=True):
            combo.retranslate()
            combo.setAccessibleName(name)
        self.overdue_filter.setText(_("Follow-up &overdue"))
        self.table.setAccessibleName(_("Cases"))
        self.model.retranslate()
        self._fit_columns()
        self.tabs.setTabText(0, _("Case list"))
        self.continue_button.setText(_("&Continue it"))
        self.discard_button.setText(_("Discard it"))
        self.open_kept_button.setText(_("Open those cases"))
        self.first_steps_text.setText(
            _(
                "There are no cases here yet. Register the first person with a new intake,"
                " or bring in cases recorded elsewhere: a spreadsheet in HTCDS format (IOM's"
                " template or a KoBo export) or a bundle from a sync partner."
            )
        )
        self.first_intake_button.setText(_("New intake…"))
        self.first_import_button.setText(_("Import an HTCDS or KoBo file…"))
        self.first_bundle_button.setText(_("Import a sync bundle…"))
        self._update_count()
        self._describe_drafts(self.continue_button.isVisibleTo(self.drafts_banner))
        for workspace in self.workspaces.values():
            workspace.retranslate()  # (the wizard, a window of its own, follows by itself)
