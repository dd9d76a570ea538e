"""The application icon: the bundled one when present, otherwise drawn here (a house)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

from shelter_desk.resources import resource_path

ICON_NAMES = ("shelter-desk.svg", "shelter-desk.png")


def application_icon() -> QIcon:
    for name in ICON_NAMES:
        path = resource_path("icons", name)
        if path.is_file():
            return QIcon(str(path))
    icon = QIcon()
    for size in (16, 32, 64, 128, 256):
        icon.addPixmap(_drawn_house(size))
    return icon


def _drawn_house(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#1f5f7a"))
    painter.drawRoundedRect(QRectF(0, 0, s, s), s * 0.18, s * 0.18)
    painter.setBrush(QColor("#f4efe6"))
    roof = QPolygonF(
        [QPointF(s * 0.5, s * 0.18), QPointF(s * 0.85, s * 0.5), QPointF(s * 0.15, s * 0.5)]
    )
    painter.drawPolygon(roof)
    painter.drawRect(QRectF(s * 0.25, s * 0.48, s * 0.5, s * 0.34))
    painter.setBrush(QColor("#1f5f7a"))
    painter.drawRect(QRectF(s * 0.44, s * 0.6, s * 0.12, s * 0.22))
    painter.end()
    return pixmap
