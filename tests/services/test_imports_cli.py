"""`shelter-desk import htcds` on IOM's filled Excel template, in a real process: the preview,
the commit, a second import that adds nothing, and `--dates`."""

from __future__ import annotations

from pathlib import Path

from tests.services import htcds_samples as hs
from tests.test_cli import PASS, home, sd

__all__ = ["home"]  # the fixture, used by name


def test_cli_imports_iom_template_once(home: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "htcds.xlsx"
    xlsx.write_bytes(hs.filled_template(hs.samples(50)))
    args = ("import", "htcds", str(xlsx), "--user", "amira")
    preview = sd(home, *args, stdin=PASS + "\n")
    assert preview.returncode == 0, preview.stderr
    assert "50 rows: 50 ready, 0 with errors" in preview.stdout.splitlines()
    done = sd(home, *args, "--commit", stdin=PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "Imported 50 cases."
    again = sd(home, *args, "--commit", stdin=PASS + "\n")
    lines = again.stdout.splitlines()
    assert "50 rows were imported before and are skipped." in lines
    assert lines[-1] == "Imported 0 cases."
    for output in (preview.stdout, done.stdout, again.stdout):
        assert not any(name in output for name in hs.FIRST + hs.SECOND)


def test_cli_reads_a_semicolon_windows_1256_csv_and_takes_the_date_order(
    home: Path, tmp_path: Path
) -> None:
    data = tmp_path / "excel.csv"
    data.write_bytes(hs.excel_locale_csv(hs.samples(50, arabic=True)))
    preview = sd(home, "import", "htcds", str(data), "--user", "amira", stdin=PASS + "\n")
    assert preview.returncode == 0, preview.stderr
    lines = preview.stdout.splitlines()
    assert "Read as CSV: encoding cp1256, separator ';'" in lines
    assert "Dates read as: day first (20/11/2026)" in lines
    assert "50 rows: 50 ready, 0 with errors" in lines
    wrong = sd(
        home, "import", "htcds", str(data), "--dates", "mdy", "--user", "amira", stdin=PASS + "\n"
    )
    assert wrong.returncode == 1
    assert any(
        line.startswith("row 15: cas_IncomingReferralDate: ") for line in wrong.stdout.splitlines()
    )
