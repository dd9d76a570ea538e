"""The Dashboard's list of overdue action items from the coordination log.

It reads them on the database worker itself (``services.coordination.log.overdue_actions``)
and hides while there are none. Action items name organisations and tasks, never a person.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from shelter_desk.domain import coordination as co
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.i18n import _, format_date, format_number, ltr, ngettext
from shelter_desk.services.coordination import log
from shelter_desk.services.coordination.log import OverdueAction
from shelter_desk.services.coordination.numbers import organisation_names
from shelter_desk.services.session import Session

SHOWN = 10  # the oldest ones; the Coordination page lists them all


def load(session: Session) -> tuple[list[OverdueAction], dict[str, str]]:
    return log.overdue_actions(session), organisation_names(session)


class OverdueActionsCard(QFrame):
    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.overdue: list[OverdueAction] = []
        self.names: dict[str, str] = {}
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.lines = QLabel()
        self.lines.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.lines)
        self.hide()

    def refresh(self) -> None:
        session = self.context.session
        run_op(self, self.context.runner, lambda: load(session), self._loaded)

    def _loaded(self, found: tuple[list[OverdueAction], dict[str, str]]) -> None:
        self.overdue, self.names = found
        self.retranslate()

    def retranslate(self) -> None:
        count = len(self.overdue)
        self.setVisible(count > 0)
        self.title.setText(
            ngettext(
                "{count} action item from the coordination log is overdue",
                "{count} action items from the coordination log are overdue",
                count,
            ).format(count=format_number(count))
        )
        self.lines.setText(
            "\n".join(
                _("Due {date}: {action} ({organisation}; {kind}: {title})").format(
                    date=ltr(format_date(a.due_on)),
                    action=a.action,
                    organisation=self.names.get(a.owner_org_id, "—"),
                    kind=_(co.KIND_LABELS[a.kind]),
                    title=a.title,
                )
                for a in self.overdue[:SHOWN]
            )
        )
        self.setAccessibleName(self.title.text())
