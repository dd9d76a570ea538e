"""The screenshots' window size: WIDTHxHEIGHT, checked before anything is rendered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.screenshots import WINDOW_SIZE, parse_size


def test_a_size_is_read_as_width_by_height() -> None:
    assert parse_size("1366x768") == (1366, 768)
    assert parse_size("1920X1080") == (1920, 1080)
    assert parse_size("") == WINDOW_SIZE == (1366, 768)


@pytest.mark.parametrize("text", ["1366", "x768", "big", "1366x", "100x100", "1366x-768"])
def test_a_size_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ShelterDeskError, match="WIDTHxHEIGHT"):
        parse_size(text)


def test_the_command_says_so_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    done = subprocess.run(
        [sys.executable, "-m", "shelter_desk", "screenshots", "--out", str(out), "--size", "wide"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 1
    assert "WIDTHxHEIGHT" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
