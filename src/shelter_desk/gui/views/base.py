"""What every page of the main window has in common."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shelter_desk.gui.operations import OpRunner
from shelter_desk.gui.signed_in import SignedIn
from shelter_desk.i18n import N_, _

if TYPE_CHECKING:
    from shelter_desk.services.session import Session


@dataclass(frozen=True)
class ViewContext:
    """What a view is given: the way to the database worker and who is signed in."""

    runner: OpRunner
    signed_in: SignedIn

    @property
    def session(self) -> Session:
        return self.signed_in.session


class View(QWidget):
    """A page of the main window: a heading, then the page's own content in ``body``.

    Subclasses set ``HEADING`` (marked with ``N_``), add their widgets to ``self.body`` and
    extend :meth:`retranslate` to re-set every text they show; the main window calls it when
    the language changes. A view is deleted when Shelter Desk locks, so it must keep no
    data anywhere but in its own widgets.
    """

    HEADING: ClassVar[str] = N_("Shelter Desk")
    # Pages listing what may have changed elsewhere (a bundle imported, a colleague's edit)
    # read it again each time they are shown.
    REFRESH_WHEN_SHOWN: ClassVar[bool] = False

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.heading = QLabel()
        self.heading.setObjectName("viewHeading")
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        self.body = QVBoxLayout()
        layout.addLayout(self.body, 1)

    def retranslate(self) -> None:
        self.heading.setText(_(self.HEADING))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.REFRESH_WHEN_SHOWN and not event.spontaneous():
            self.refresh()

    def refresh(self) -> None:
        """Read the page's content again (pages that set ``REFRESH_WHEN_SHOWN``)."""

    def before_lock(self) -> None:
        """Called just before a lock deletes the view, while the database is still open:
        a view with unsaved work submits it as drafts here (through ``run_op``; the lock
        itself is queued on the same worker after them)."""
