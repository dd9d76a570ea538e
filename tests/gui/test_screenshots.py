"""Screenshots: every main screen rendered offscreen on demo data, in English and Arabic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.screenshots import make_demo, render_screenshots
from shelter_desk.i18n import current_language
from shelter_desk.services.installation import Installation
from tests.gui.conftest import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS

SCREENS = [
    "unlock",
    "cases",
    "wizard",
    "case",
    "case-intake",
    "case-needs",
    "case-plan",
    "case-reintegration",
    "follow-ups",
    "referrals",
    "partners",
    "coordination",
    "duplicates",
    "dashboard",
    "national",
    "sync",
    "administration",
    "audit-log",
]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("screenshots") / "demo"
    make_demo(folder, "en")
    yield folder


def colours(path: Path) -> int:
    """How many different colours a sample of the image's pixels has."""
    image = QImage(str(path))
    assert not image.isNull()
    seen = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            seen.add(image.pixel(x, y))
    return len(seen)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_main_screen_is_rendered(
    qapp: QApplication, demo_dir: Path, tmp_path: Path, lang: str
) -> None:
    paths = render_screenshots(tmp_path / lang, lang, demo_dir)
    names = [p.stem.split("-", 1)[1] for p in paths]
    assert names == SCREENS
    for path in paths:
        image = QImage(str(path))
        assert image.width() >= 800 and image.height() >= 600
        assert colours(path) > 20, f"{path.name} looks blank"
    main = QImage(str(paths[1]))
    assert (main.width(), main.height()) == (1366, 768)
    assert current_language() == "en"  # the interface is left as it was
    assert not QApplication.topLevelWidgets() or all(
        not w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_real_data_is_never_photographed(qapp: QApplication, tmp_path: Path) -> None:
    real = tmp_path / "real"
    installation = Installation(real)
    session, _recovery = installation.create(
        org_name="Hope House", admin="amira", passphrase="olive lantern harbour seventeen"
    )
    session.lock()
    installation.release()
    with pytest.raises(ShelterDeskError, match="demo data only"):
        render_screenshots(tmp_path / "out", "en", real)
