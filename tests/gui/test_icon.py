"""The application icon ships at every usual size and loads without an image plugin."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from shelter_desk.gui.icon import ICON_SIZES, application_icon


def test_the_icon_has_every_size(qapp: QApplication) -> None:
    icon = application_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert sizes == set(ICON_SIZES)
    image = icon.pixmap(64, 64).toImage()
    assert image.width() == 64
    corner, middle = image.pixelColor(1, 1), image.pixelColor(32, 20)
    assert corner.alpha() == 0  # rounded corners are transparent
    assert middle.alpha() == 255
