"""The application icon: resources/icons/shelter-desk-<size>.png, drawn for this app.

PNG files at the usual sizes rather than the SVG source, so that no image-format plugin is
needed at run time (the packaged app carries only the plugins it uses).
"""

from __future__ import annotations

from PySide6.QtGui import QIcon

from shelter_desk.resources import resource_path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def application_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource_path("icons", f"shelter-desk-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon
