"""Which texts answer to which Alt+letter, for tests that no two texts shown together share
one (issue 16): two texts with one letter make Alt+letter only move the focus between them,
and a button no longer presses."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabBar, QWidget


def by_letter(texts: Iterable[str]) -> dict[str, list[str]]:
    """The texts by the Alt+letter each answers to (texts without a & mark are left out)."""
    found: dict[str, list[str]] = {}
    for text in texts:
        sequence = QKeySequence.mnemonic(text)
        if not sequence.isEmpty():
            found.setdefault(sequence.toString(), []).append(text.replace("&", ""))
    return found


def clashes(texts: Iterable[str]) -> dict[str, list[str]]:
    """The letters more than one of ``texts`` answers to."""
    return {key: shared for key, shared in by_letter(texts).items() if len(shared) > 1}


def marked_texts(root: QWidget) -> list[str]:
    """The texts in ``root`` shown with it that take an Alt+letter: buttons and check boxes,
    group boxes' titles, tabs, the menu bar's menus, and labels (which take one only when they
    have a buddy to give the focus to)."""

    def shown(widget: QWidget) -> bool:
        return widget.isVisibleTo(root)

    texts = [
        label.text()
        for label in root.findChildren(QLabel)
        if shown(label) and label.buddy() is not None
    ]
    texts += [b.text() for b in root.findChildren(QAbstractButton) if shown(b)]
    texts += [g.title() for g in root.findChildren(QGroupBox) if shown(g)]
    for bar in root.findChildren(QTabBar):
        if shown(bar):
            texts += [bar.tabText(i) for i in range(bar.count()) if bar.isTabVisible(i)]
    for menu_bar in root.findChildren(QMenuBar):
        if shown(menu_bar):
            texts += [a.text() for a in menu_bar.actions() if a.isVisible()]
    return texts
