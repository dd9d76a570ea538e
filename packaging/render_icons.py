"""Render resources/icons/shelter-desk.svg to the PNG sizes the app and desktops use.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

Run after changing the SVG; the PNGs are committed (the app loads PNGs only).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> None:
    app = QGuiApplication([])
    renderer = QSvgRenderer(str(ICONS / "shelter-desk.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"shelter-desk-{size}.png"))
    app.quit()


if __name__ == "__main__":
    main()
