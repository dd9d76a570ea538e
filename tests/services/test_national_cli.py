"""``shelter-desk report`` in real processes, on a coordinator that imported two shelters'
bundles: XLSX and PDF per organisation, exit codes, and nothing written on bad input."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook

from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.services.national_world import build


def sd(
    data: Path, *args: str, stdin: str = ADMIN_PASSPHRASE + "\n"
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "shelter_desk", "--data-dir", str(data), *args]
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    root = tmp_path_factory.mktemp("national-cli")
    world = build(root)
    world.close()
    yield {"coordinator": root / "coordinator", "hope": root / "hope"}


YEAR = ("--from", "2026-01-01", "--to", "2026-12-31")


def test_report_per_organisation_as_a_workbook(folders: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "hope-house.xlsx"
    done = sd(
        folders["coordinator"],
        "--lang",
        "ka",
        "report",
        *YEAR,
        "--org",
        "Hope House",
        "--internal",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and "Hope House" not in done.stdout
    book = load_workbook(io.BytesIO(out.read_bytes()))
    per_org = book.worksheets[-1]
    assert [c.value for c in next(per_org.iter_rows(min_row=3))][:2] == ["Hope House", 3]


def test_report_as_a_pdf_is_audited(folders: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "national.pdf"
    done = sd(folders["coordinator"], "--lang", "ar", "report", *YEAR, "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Hope House" in text and "Safe Haven" in text and "<5" in text
    inst = Installation(folders["coordinator"])
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        from shelter_desk.services.audit_view import audit_page

        rows = audit_page(session).rows
        assert any(r.action == "export" and r.object_type == "period_report" for r in rows)
    finally:
        session.lock()
        inst.release()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-02-30", "--to", "2026-03-31"), "is not a date"),
        (("--from", "2026-04-01", "--to", "2026-03-31"), "ends before it starts"),
        ((*YEAR, "--org", "Nowhere Shelter"), "No organisation is called Nowhere Shelter"),
        ((*YEAR, "--citizenship", "XX"), "is not a country code"),
    ],
)
def test_bad_input_says_why_and_writes_nothing(
    folders: dict[str, Path], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "r.xlsx"
    done = sd(folders["coordinator"], "report", *args, "--out", str(out))
    assert done.returncode == 1
    assert message in done.stderr and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_wrong_usage_and_refusals(folders: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    missing = sd(folders["coordinator"], "report", "--to", "2026-12-31", "--out", str(out))
    assert missing.returncode == 2
    odd = sd(folders["coordinator"], "report", *YEAR, "--out", str(tmp_path / "r.docx"), stdin="")
    assert odd.returncode == 1 and ".xlsx" in odd.stderr  # before any passphrase is asked
    shelter = sd(folders["hope"], "report", *YEAR, "--internal", "--out", str(out))
    assert shelter.returncode == 1 and "small counts" in shelter.stderr
    unwritable = sd(
        folders["coordinator"], "report", *YEAR, "--out", str(tmp_path / "no" / "r.pdf")
    )
    assert unwritable.returncode == 1 and "Traceback" not in unwritable.stderr
    assert list(tmp_path.iterdir()) == []
