"""The contract between the case workspace and its tabs.

A tab shows one section of a case (person, intake, services...). The workspace loads the
case file once on the database worker (``services.cases.load_case``), hands it to every tab
with :meth:`CaseTab.show_case`, and reloads it after any tab saves. A tab:

* builds its widgets in ``__init__`` and sets every text in :meth:`retranslate`;
* never touches the database itself: it saves through ``run_op`` with a service call from
  ``services.cases`` and then calls ``self.saved()`` so the workspace reloads the case;
* saves its unsaved edits in :meth:`save` (the workspace's Save button and Ctrl+S call it
  on the current tab; a tab that only shows things keeps the default, which does nothing);
* reports unsaved edits through :meth:`is_dirty` / the ``dirty_changed`` signal (and
  ``discarded`` when the person throws them away), and can
  give its unsaved form contents as plain JSON-able data (:meth:`draft`) and take them back
  (:meth:`restore_draft`) so a lock keeps them, encrypted in the database, instead of
  throwing them away;
* shows validation errors next to the fields from ``ValidationError.errors`` (field name ->
  translated message) with :meth:`show_errors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from shelter_desk.i18n import N_
from shelter_desk.services.cases import CaseFile

if TYPE_CHECKING:  # views import the workspace, so only for type checking
    from shelter_desk.gui.views.base import ViewContext


class CaseTab(QWidget):
    TITLE: ClassVar[str] = N_("Section")
    KEY: ClassVar[str] = "section"

    dirty_changed = Signal(bool)
    saved_signal = Signal()
    discarded = Signal()
    """The person threw the unsaved edits away: any draft kept of them goes too."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.case_file: CaseFile | None = None
        self._dirty = False

    def show_case(self, case_file: CaseFile) -> None:
        """Fill the tab from the freshly loaded case (discarding unsaved edits)."""
        self.case_file = case_file
        self.set_dirty(False)

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""

    def is_dirty(self) -> bool:
        return self._dirty

    def set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def save(self) -> None:
        """Save the unsaved edits through ``run_op``; call :meth:`saved` once stored."""

    def draft(self) -> dict[str, Any] | None:
        """Unsaved form contents as JSON-able data, or None when nothing is unsaved."""
        return None

    def restore_draft(self, data: dict[str, Any]) -> None:
        """Put back what :meth:`draft` returned (after unlocking)."""

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each message next to its field."""

    def saved(self) -> None:
        self.set_dirty(False)
        self.saved_signal.emit()
