"""The case workspace: one case, its header and actions, and its tabs.

Tabs plug in from :data:`TABS`: each is a :class:`~shelter_desk.gui.workspace.base.CaseTab`
subclass with its own ``TITLE`` and ``KEY``. The workspace loads the case on the worker
(``services.cases.load_case``, audited as a view), gives it to every tab, reloads it after
any tab saves, keeps each tab's unsaved edits as a draft (``case/<case id>/<tab key>``)
when Shelter Desk locks, and puts them back when the case is opened again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.print_dialog import open_print_dialog
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.bidi import in_interface_direction, isolated_name
from shelter_desk.gui.workspace.base import CaseTab
from shelter_desk.gui.workspace.case_actions import CloseCaseDialog, DecideStatusDialog
from shelter_desk.gui.workspace.consent_tab import ConsentTab
from shelter_desk.gui.workspace.history_tab import HistoryTab
from shelter_desk.gui.workspace.intake_tab import IntakeTab
from shelter_desk.gui.workspace.more_tabs import MORE_TABS
from shelter_desk.gui.workspace.person_tab import PersonTab
from shelter_desk.i18n import _, format_date, format_list, isolate, ltr
from shelter_desk.security.permissions import Permission
from shelter_desk.services import case_history, cases, drafts
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.coordination.numbers import displayed_number
from shelter_desk.services.session import Session

TABS: list[type[CaseTab]] = [PersonTab, IntakeTab, ConsentTab, *MORE_TABS, HistoryTab]
"""The workspace's tabs in order. Another tab plugs in by being added here (or to
:data:`~shelter_desk.gui.workspace.more_tabs.MORE_TABS`)."""

UNSAVED_MARK = "• "
SECTIONS_MAX_WIDTH = 210
"""The list of the case's parts never takes more (a longer name wraps instead)."""


def draft_key(case_id: str, tab_key: str) -> str:
    return f"case/{case_id}/{tab_key}"


def case_of_draft_key(key: str) -> str | None:
    """The case id in a workspace draft key, or None for any other draft."""
    parts = key.split("/")
    return parts[1] if len(parts) == 3 and parts[0] == "case" else None


@dataclass
class OpenedCase:
    case_file: CaseFile
    owner_names: dict[str, str]
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    number: str = ""  # as shown: with the organisation when another shares the prefix


def open_for_workspace(
    session: Session, case_id: str, tab_keys: list[str], with_drafts: bool
) -> OpenedCase:
    """Load the case (an audited view), its caseworkers' names and any kept drafts."""
    opened = OpenedCase(cases.load_case(session, case_id), case_history.user_names(session))
    case = opened.case_file.case
    opened.number = displayed_number(session, case.number, case.org_id)
    if with_drafts:
        for key in tab_keys:
            data = drafts.load_draft(session, draft_key(case_id, key))
            if data is not None:
                opened.drafts[key] = data
    return opened


class CaseWorkspace(QWidget):
    title_changed = Signal()
    close_requested = Signal()
    """The workspace may go: nothing unsaved is left (saved, discarded or kept)."""
    loaded = Signal()

    def __init__(self, context: ViewContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.case_id = case_id
        self.case_file: CaseFile | None = None
        self.shown_number = ""
        self.owner_names: dict[str, str] = {}
        self.closing = False
        self.close_box: QMessageBox | None = None
        self.dialog: CloseCaseDialog | DecideStatusDialog | None = None
        session = context.session

        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.close_case_button = QPushButton()
        self.reopen_button = QPushButton()
        self.decide_button = QPushButton()
        self.save_button = QPushButton()
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.open_print_dialog)
        self.print_button.setVisible(session.can(Permission.PRINT))
        self.close_case_button.clicked.connect(self.open_close_dialog)
        self.reopen_button.clicked.connect(self.reopen)
        self.decide_button.clicked.connect(self.open_decide_dialog)
        self.save_button.clicked.connect(self.save_current)
        self.may_close = session.can(Permission.CLOSE_CASES)
        self.may_decide = session.can(Permission.DECIDE_TRAFFICKING_STATUS)
        self.decide_button.setVisible(self.may_decide)
        self.unsaved_label = QLabel()
        self.unsaved_label.setObjectName("unsavedChanges")
        bold = QFont(self.unsaved_label.font())
        bold.setBold(True)
        self.unsaved_label.setFont(bold)
        self.unsaved_label.hide()
        self.restored_note = QLabel()
        self.restored_note.setWordWrap(True)
        self.restored_note.setFont(bold)
        self.restored_note.hide()

        # The parts of the case are listed down the side, each name written in full (ten
        # tabs in a row did not fit, in any language); the tab widget only holds the pages.
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().hide()
        self.sections = QListWidget()
        self.sections.setObjectName("caseSections")
        self.sections.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sections.setWordWrap(True)
        self.sections.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.sections.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.case_tabs: list[CaseTab] = []
        for tab_class in TABS:
            tab = tab_class(context)
            tab.dirty_changed.connect(lambda _dirty, t=tab: self._dirty_changed(t))
            tab.saved_signal.connect(lambda t=tab: self._tab_saved(t))
            tab.discarded.connect(lambda t=tab: self._tab_discarded(t))
            self.case_tabs.append(tab)
            self.tabs.addTab(tab, "")
            self.sections.addItem(QListWidgetItem())
        self.sections.setCurrentRow(0)
        self.sections.currentRowChanged.connect(self._section_chosen)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.tabs.currentChanged.connect(lambda _i: self._update_marks())
        self.tabs.setEnabled(False)  # until the case is here

        actions = QHBoxLayout()
        for button in (
            self.close_case_button,
            self.reopen_button,
            self.decide_button,
            self.print_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.unsaved_label)
        actions.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addLayout(actions)
        layout.addWidget(self.restored_note)
        parts = QHBoxLayout()
        parts.addWidget(self.sections)
        parts.addWidget(self.tabs, 1)
        layout.addLayout(parts, 1)

        self.save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self.save_shortcut.activated.connect(self.save_current)
        self.retranslate()
        self.load(with_drafts=True)

    # -- loading -------------------------------------------------------------------
    def load(self, *, with_drafts: bool = False) -> None:
        session, case_id = self.context.session, self.case_id
        keys = [tab.KEY for tab in self.case_tabs]
        run_op(
            self,
            self.context.runner,
            lambda: open_for_workspace(session, case_id, keys, with_drafts),
            self._opened,
        )

    def _opened(self, opened: OpenedCase) -> None:
        self.case_file = opened.case_file
        self.owner_names = opened.owner_names
        self.shown_number = opened.number
        for tab in self.case_tabs:
            kept = tab.draft() if tab.is_dirty() else None  # edits in other tabs survive
            tab.show_case(opened.case_file)
            data = opened.drafts.get(tab.KEY) or kept
            if data is not None:
                tab.restore_draft(data)
        if opened.drafts:
            self.restored_note.setText(_("Restored unsaved changes from before the lock."))
            self.restored_note.show()
        self.tabs.setEnabled(True)
        self._show_header()
        self._update_marks()
        self.loaded.emit()

    # -- header --------------------------------------------------------------------
    def _show_header(self) -> None:
        case_file = self.case_file
        if case_file is None:
            self.title.setText(_("Opening the case…"))
            self.details.clear()
            self._update_actions()
            return
        case = case_file.case
        self.title.setText(
            in_interface_direction(
                _("{number} — {name}").format(
                    number=ltr(self.shown_number),
                    name=isolated_name(cases.display_name(case_file.person)),
                )
            )
        )
        parts = [
            _("Status: {status}").format(status=_(codes.CASE_STATUS.label(case.status))),
            _("Trafficking status: {status}").format(
                status=_(codes.TRAFFICKING_STATUS.label(case.trafficking_status))
            ),
            _("Caseworker: {name}").format(
                name=isolate(self.owner_names.get(case.owner_id) or _("unknown"))
            ),
        ]
        if case.opened_on:
            parts.append(_("Opened: {date}").format(date=format_date(case.opened_on)))
        if case.closed_on and case.status in codes.CLOSED_CASE_STATUSES:
            parts.append(
                _("Closed: {date} ({reason})").format(
                    date=format_date(case.closed_on),
                    reason=_(codes.CLOSURE_REASON.label(case.closure_reason)),
                )
            )
        self.details.setText(" · ".join(parts))
        self._update_actions()

    def _update_actions(self) -> None:
        case = self.case_file.case if self.case_file else None
        closed = case is not None and case.status in codes.CLOSED_CASE_STATUSES
        self.close_case_button.setVisible(self.may_close and not closed)
        self.reopen_button.setVisible(self.may_close and closed)
        for button in (
            self.close_case_button,
            self.reopen_button,
            self.decide_button,
            self.print_button,
        ):
            button.setEnabled(case is not None)

    def title_text(self) -> str:
        """The title of this workspace's tab (with the unsaved mark when there is work)."""
        number = self.shown_number if self.case_file else _("Opening…")
        return (UNSAVED_MARK if self.has_unsaved() else "") + number

    # -- unsaved work --------------------------------------------------------------
    def show_tab(self, key: str) -> None:
        """Bring the tab with this ``KEY`` to the front (e.g. "reintegration")."""
        for tab in self.case_tabs:
            if key == tab.KEY:
                self.tabs.setCurrentWidget(tab)
                return

    def has_unsaved(self) -> bool:
        return any(tab.is_dirty() for tab in self.case_tabs)

    def dirty_tabs(self) -> list[CaseTab]:
        return [tab for tab in self.case_tabs if tab.is_dirty()]

    def _dirty_changed(self, tab: CaseTab) -> None:
        if tab.is_dirty():
            self.closing = False  # new edits: a pending "save and close" no longer applies
        self._update_marks()

    def _section_chosen(self, row: int) -> None:
        if 0 <= row < self.tabs.count():
            self.tabs.setCurrentIndex(row)

    def _tab_shown(self, index: int) -> None:
        if self.sections.currentRow() != index:
            self.sections.setCurrentRow(index)

    def _update_marks(self) -> None:
        for index, tab in enumerate(self.case_tabs):
            mark = UNSAVED_MARK if tab.is_dirty() else ""
            self.tabs.setTabText(index, mark + _(tab.TITLE))
            item = self.sections.item(index)
            if item is not None:
                item.setText(mark + _(tab.TITLE).replace("&&", "&"))
                item.setToolTip(
                    _("{section} (not saved yet)").format(section=item.text()) if mark else ""
                )
        self._fit_sections()
        dirty = self.dirty_tabs()
        self.unsaved_label.setVisible(bool(dirty))
        self.unsaved_label.setText(
            _("Unsaved changes: {tabs}").format(
                tabs=format_list([_(t.TITLE).replace("&&", "&") for t in dirty])
            )
        )
        self.save_button.setEnabled(bool(dirty))
        self.title_changed.emit()

    def _fit_sections(self) -> None:
        """As wide as the longest name with the unsaved mark: every name reads in full."""
        metrics = self.sections.fontMetrics()
        widest = max(
            (
                metrics.horizontalAdvance(UNSAVED_MARK + _(tab.TITLE).replace("&&", "&"))
                for tab in self.case_tabs
            ),
            default=0,
        )
        margin = 2 * self.sections.frameWidth() + 24
        self.sections.setFixedWidth(min(widest + margin, SECTIONS_MAX_WIDTH))

    def save_current(self) -> None:
        """The one way to save edits (the Save button, Ctrl+S): every tab with unsaved
        edits saves them, the tab in view first; a restored draft in a tab not opened yet
        is saved as well."""
        current = self.tabs.currentWidget()
        dirty = self.dirty_tabs()
        for tab in sorted(dirty, key=lambda t: t is not current):
            tab.save()

    def _tab_saved(self, tab: CaseTab) -> None:
        self._drop_draft(tab)
        self.load()
        if self.closing and not self.has_unsaved():
            self.close_requested.emit()

    def _tab_discarded(self, tab: CaseTab) -> None:
        """Edits thrown away are gone for good: the draft kept of them too (it would come
        back after the next lock or start)."""
        self._drop_draft(tab)
        if not self.has_unsaved():
            self.restored_note.hide()

    def _drop_draft(self, tab: CaseTab) -> None:
        session, key = self.context.session, draft_key(self.case_id, tab.KEY)
        run_op(self, self.context.runner, lambda: drafts.discard_draft(session, key), _nothing)

    def keep_drafts(self) -> None:
        """Make the kept drafts what the tabs hold now (before a lock or quit deletes the
        widgets): each tab's unsaved edits are stored, and a tab without any keeps none."""
        session = self.context.session
        kept: dict[str, dict[str, Any] | None] = {
            draft_key(self.case_id, tab.KEY): tab.draft() if tab.is_dirty() else None
            for tab in self.case_tabs
        }

        def store() -> None:
            for key, data in kept.items():
                if data is not None:
                    drafts.save_draft(session, key, data)
                else:
                    drafts.discard_draft(session, key)

        run_op(self, self.context.runner, store, _nothing)

    def discard_drafts(self) -> None:
        session = self.context.session
        keys = [draft_key(self.case_id, tab.KEY) for tab in self.case_tabs]

        def discard() -> None:
            for key in keys:
                drafts.discard_draft(session, key)

        run_op(self, self.context.runner, discard, _nothing)

    def ask_to_close(self) -> None:
        """Close now when nothing is unsaved; otherwise ask Save / Discard / Cancel."""
        if not self.has_unsaved():
            self.close_requested.emit()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Unsaved changes"),
            _("This case has changes that are not saved yet ({tabs}). Save them?").format(
                tabs=format_list([_(t.TITLE).replace("&&", "&") for t in self.dirty_tabs()])
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.finished.connect(self._close_answered)
        self.close_box = box
        box.open()

    def _close_answered(self, answer: int) -> None:
        self.close_box = None
        if answer == QMessageBox.StandardButton.Save:
            self.closing = True
            for tab in self.dirty_tabs():
                tab.save()
        elif answer == QMessageBox.StandardButton.Discard:
            self.discard_drafts()
            for tab in self.case_tabs:
                tab.set_dirty(False)
            self.close_requested.emit()

    # -- case actions --------------------------------------------------------------
    def open_close_dialog(self) -> None:
        dialog = CloseCaseDialog(self.context, self.case_id, self)
        self._open_dialog(dialog)

    def open_decide_dialog(self) -> None:
        if self.case_file is None:
            return
        current = self.case_file.case.trafficking_status
        self._open_dialog(DecideStatusDialog(self.context, self.case_id, current, self))

    def _open_dialog(self, dialog: CloseCaseDialog | DecideStatusDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.done_with.connect(self.load)
        dialog.finished.connect(lambda _r: self._dialog_gone(dialog))
        self.dialog = dialog
        dialog.open()

    def _dialog_gone(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def open_print_dialog(self) -> None:
        """Print or preview this case's forms (the case summary first)."""
        if self.case_file is not None:
            open_print_dialog(self, self.context, case_number=self.case_file.case.number)

    def reopen(self) -> None:
        session, case_id = self.context.session, self.case_id
        run_op(
            self,
            self.context.runner,
            lambda: cases.reopen_case(session, case_id),
            lambda _case: self.load(),
        )

    # -- language ------------------------------------------------------------------
    def retranslate(self) -> None:
        self.close_case_button.setText(_("&Close case…"))
        self.reopen_button.setText(_("Re&open case"))
        self.decide_button.setText(_("&Decide trafficking status…"))
        self.print_button.setText(_("&Print…"))
        self.print_button.setToolTip(_("Print this case's summary or one of its forms"))
        self.save_button.setText(_("&Save"))
        self.save_button.setToolTip(
            _("Save the unsaved changes of this case ({shortcut})").format(
                shortcut=self.save_shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.tabs.setAccessibleName(_("Parts of the case"))
        self.sections.setAccessibleName(_("Parts of the case"))
        if self.restored_note.isVisible():
            self.restored_note.setText(_("Restored unsaved changes from before the lock."))
        for tab in self.case_tabs:
            tab.retranslate()
        self._show_header()
        self._update_marks()


def _nothing(_result: object) -> None:
    """Nothing to show when this work is done."""
