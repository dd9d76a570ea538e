"""The Delphi indicators of trafficking, ticked by dimension, with the result computed live.

The result comes from ``indicators.assess_delphi`` every time a box changes; it is never
typed in. Each dimension's heading says how many indicators are ticked and whether the
dimension is positive, in words (not by colour).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.indicators import (
    DELPHI_DIMENSIONS,
    DELPHI_ELEMENTS,
    WEIGHTS,
    DelphiResult,
    assess_delphi,
    indicators_of,
)
from shelter_desk.i18n import _, format_list

CODE_ROLE = Qt.ItemDataRole.UserRole


class DelphiChecklist(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        # The indicator is what a caseworker reads before ticking it: it takes the width,
        # wraps when long, and its tooltip says it in full; the weight is one word.
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        tree_header = self.tree.header()
        tree_header.setStretchLastSection(False)
        tree_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tree_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.result_label = QLabel()
        self.result_label.setObjectName("delphiResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.dimension_items: dict[str, QTreeWidgetItem] = {}
        self.indicator_items: dict[str, QTreeWidgetItem] = {}
        for dimension in DELPHI_DIMENSIONS:
            top = QTreeWidgetItem(self.tree)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.dimension_items[dimension.code] = top
            for indicator in indicators_of(dimension.code):
                child = QTreeWidgetItem(top)
                child.setData(0, CODE_ROLE, indicator.code)
                child.setFlags(
                    Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                )
                child.setCheckState(0, Qt.CheckState.Unchecked)
                self.indicator_items[indicator.code] = child
        self.tree.expandAll()
        self.tree.itemChanged.connect(self._item_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.result_label)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so that its label's mnemonic works
        self.setFocusProxy(self.tree)
        self.result = assess_delphi(())
        self.retranslate()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.tree.setAccessibleName(name)

    def selected(self) -> tuple[str, ...]:
        return tuple(
            code
            for code, item in self.indicator_items.items()
            if item.checkState(0) == Qt.CheckState.Checked
        )

    def set_selected(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        self.tree.blockSignals(True)
        for code, item in self.indicator_items.items():
            item.setCheckState(
                0, Qt.CheckState.Checked if code in wanted else Qt.CheckState.Unchecked
            )
        self.tree.blockSignals(False)
        self._assess()

    def set_checked(self, code: str, checked: bool) -> None:
        self.indicator_items[code].setCheckState(
            0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        )

    def _item_changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._assess()
        self.changed.emit()

    def _assess(self) -> None:
        self.result = assess_delphi(self.selected())
        self._show_result(self.result)

    def _show_result(self, result: DelphiResult) -> None:
        self.tree.blockSignals(True)
        for dimension in DELPHI_DIMENSIONS:
            found = result.dimension(dimension.code)
            ticked = found.strong + found.medium + found.weak
            state = _("positive") if found.positive else _("not positive")
            heading = _("{dimension} — {count} ticked, {state}").format(
                dimension=_(dimension.label), count=ticked, state=state
            )
            self.dimension_items[dimension.code].setText(0, heading)
            self.dimension_items[dimension.code].setToolTip(0, heading)
        self.tree.blockSignals(False)
        present = [_(DELPHI_ELEMENTS.label(e)) for e in result.elements_present]
        missing = [_(DELPHI_ELEMENTS.label(e)) for e in result.elements_missing]
        lines = [_("Computed result: {conclusion}").format(conclusion=_(result.conclusion))]
        if present:
            lines.append(_("Elements shown: {elements}").format(elements=format_list(present)))
        if missing:
            lines.append(_("Elements not shown: {elements}").format(elements=format_list(missing)))
        lines.append(
            _(
                "This supports your judgement; it is not a legal identification of a victim"
                " of trafficking."
            )
        )
        self.result_label.setText("\n".join(lines))

    @property
    def conclusion(self) -> str:
        return _(self.result.conclusion)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_("Indicator"), _("Weight")])
        self.tree.blockSignals(True)
        for code, item in self.indicator_items.items():
            indicator = next(i for i in indicators_of(code.split(".")[0]) if i.code == code)
            item.setText(0, _(indicator.label))
            item.setToolTip(0, _(indicator.label))
            item.setText(1, _(WEIGHTS.label(indicator.weight)))
        self.tree.blockSignals(False)
        self._show_result(self.result)
