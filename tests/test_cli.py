"""The command line contract: outputs and exit codes from cli.md, in real processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PASS = "olive lantern harbour seventeen"


def sd(
    data: Path, *args: str, stdin: str = "", lang: str | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "shelter_desk", "--data-dir", str(data), *args]
    if lang:
        cmd[3:3] = ["--lang", lang]
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    data = tmp_path / "inst"
    result = sd(
        data,
        "init",
        "--org",
        "Hope House",
        "--admin",
        "amira",
        "--country",
        "IL",
        stdin=PASS + "\n",
    )
    assert result.returncode == 0, result.stderr
    return data


def test_init_prints_recovery_key_once(home: Path) -> None:
    again = sd(home, "init", "--org", "X", "--admin", "z", stdin=PASS + "\n")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert again.stderr.count("\n") == 1


def test_init_output_has_twelve_words(tmp_path: Path) -> None:
    result = sd(tmp_path / "i", "init", "--org", "O", "--admin", "amira", stdin=PASS + "\n")
    words = [w for line in result.stdout.splitlines()[2:] for w in line.split()]
    assert len(words) == 12


def test_user_commands_and_verify(home: Path) -> None:
    add = sd(
        home,
        "user",
        "add",
        "bob",
        "--role",
        "caseworker",
        "--user",
        "amira",
        stdin=f"{PASS}\ngranite meadow violin ninety\n",
    )
    assert add.returncode == 0, add.stderr
    listed = sd(home, "user", "list", "--user", "amira", stdin=PASS + "\n")
    assert listed.returncode == 0
    assert "bob\tcaseworker\tactive" in listed.stdout
    verified = sd(home, "verify", "--user", "amira", stdin=PASS + "\n")
    assert verified.returncode == 0
    lines = verified.stdout.splitlines()
    assert "users: 2" in lines
    assert any(line.startswith("digest: ") and len(line) == 8 + 64 for line in lines)


def test_expected_failures_exit_1_with_one_line(home: Path) -> None:
    wrong = sd(home, "verify", "--user", "amira", stdin="wrong passphrase\n")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == "Wrong passphrase."
    weak = sd(
        home,
        "user",
        "add",
        "eve",
        "--role",
        "auditor",
        "--user",
        "amira",
        stdin=f"{PASS}\npassword\n",
    )
    assert weak.returncode == 1
    assert len(weak.stderr.strip().splitlines()) == 1
    not_backup = home.parent / "not.backup"
    not_backup.write_text("hello")
    restore = sd(home, "restore", str(not_backup), "--user", "amira", stdin=PASS + "\n")
    assert restore.returncode == 1
    assert "not a Shelter Desk backup" in restore.stderr


def test_wrong_usage_exits_2(home: Path) -> None:
    assert sd(home, "no-such-command").returncode == 2
    assert sd(home, "user", "add", "x").returncode == 2  # --role missing
    assert sd(home, "verify", stdin="").returncode == 2  # no passphrase on stdin


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "shelter_desk", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert re.fullmatch(r"shelter-desk \d+\.\d+\.\d+\n", result.stdout)
    assert result.stderr == ""


def test_an_unexpected_error_is_one_translated_line_without_a_traceback(home: Path) -> None:
    slots = home / "keyslots.json"
    raw = json.loads(slots.read_bytes())
    for slot in raw["slots"]:
        slot["kdf"]["memory_kib"] = "Olga Petrenko"  # the key derivation cannot use this
    slots.write_text(json.dumps(raw))
    before = sorted(p.name for p in home.iterdir())
    result = sd(home, "verify", "--user", "amira", stdin=PASS + "\n")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Shelter Desk stopped on an unexpected error (TypeError). Please report it with the"
        " command you ran (not its data)."
    ]
    assert result.stdout == ""
    assert sorted(p.name for p in home.iterdir()) == before  # nothing written about it


def test_system_errors_are_named_in_words_not_the_systems_english(
    home: Path, tmp_path: Path
) -> None:
    missing = sd(home, "import", "htcds", str(tmp_path / "nope.csv"), stdin=PASS + "\n")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "Cannot read nope.csv: not found"
    out = tmp_path / "no-such-folder" / "x.csv"
    nowhere = sd(home, "export", "ctdc", "--out", str(out), "--user", "amira", stdin=PASS + "\n")
    assert nowhere.returncode == 1
    assert nowhere.stderr.strip() == "Could not write x.csv: not found"


def test_backup_restore_and_passwd(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.backup"
    assert (
        sd(home, "backup", "--out", str(out), "--user", "amira", stdin=PASS + "\n").returncode == 0
    )
    new = "copper kettle winter orchard"
    changed = sd(home, "passwd", "--user", "amira", stdin=f"{PASS}\n{new}\n")
    assert changed.returncode == 0, changed.stderr
    assert sd(home, "verify", "--user", "amira", stdin=PASS + "\n").returncode == 1
    assert sd(home, "verify", "--user", "amira", stdin=new + "\n").returncode == 0
    # This installation's passphrase first (it approves the restore), then the backup's.
    restored = sd(home, "restore", str(out), "--user", "amira", stdin=f"{new}\n{PASS}\n")
    assert restored.returncode == 0, restored.stderr
    assert sd(home, "verify", "--user", "amira", stdin=PASS + "\n").returncode == 0


def test_demo_refuses_a_real_installation(home: Path) -> None:
    result = sd(home, "demo")
    assert result.returncode == 1
    assert "real installation" in result.stderr


def test_demo_prints_credentials(tmp_path: Path) -> None:
    result = sd(tmp_path / "demo", "demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["user: demo", "passphrase: shelter-desk-demo"]


def test_case_list_prints_numbers_and_status_only(home: Path) -> None:
    import datetime as dt

    from shelter_desk.services import cases
    from shelter_desk.services.installation import Installation
    from tests.services.case_helpers import consent, intake, person

    inst = Installation(home)
    session = inst.unlock("amira", PASS)
    today = dt.date.today()
    for first in ("Olga", "Amal"):
        cases.open_case(
            session,
            person(first=first, latin=first),
            intake(intake_date=today),
            consent(given_on=today),
            today=today,
        )
    session.lock()
    inst.release()
    listed = sd(home, "case", "list", "--user", "amira", stdin=PASS + "\n")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 2
    assert all(line.endswith("\tActive") for line in lines)
    assert "Olga" not in listed.stdout
    found = sd(home, "case", "list", "--search", "Ольга", "--user", "amira", stdin=PASS + "\n")
    assert found.stdout.count("\n") == 1
    closed = sd(home, "case", "list", "--status", "Closed", "--user", "amira", stdin=PASS + "\n")
    assert closed.stdout == ""


def test_print_blank_and_filled_forms(home: Path, tmp_path: Path) -> None:
    import datetime as dt

    from pypdf import PdfReader

    from shelter_desk.services import cases
    from shelter_desk.services.installation import Installation
    from tests.services.case_helpers import consent, intake, person

    inst = Installation(home)
    session = inst.unlock("amira", PASS)
    today = dt.date.today()
    cf = cases.open_case(
        session,
        person(first="محمد", latin="Mohammed"),
        intake(intake_date=today),
        consent(given_on=today),
        today=today,
    )
    session.lock()
    inst.release()
    blank = tmp_path / "blank.pdf"
    result = sd(
        home,
        "print",
        "intake",
        "--lang",
        "ar",
        "--second-lang",
        "en",
        "--out",
        str(blank),
        "--user",
        "amira",
        stdin=PASS + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert blank.read_bytes().startswith(b"%PDF")
    filled = tmp_path / "filled.pdf"
    result = sd(
        home,
        "print",
        "case-summary",
        "--case",
        cf.case.number,
        "--paper",
        "letter",
        "--out",
        str(filled),
        "--user",
        "amira",
        stdin=PASS + "\n",
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(filled)
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert cf.case.number in reader.pages[0].extract_text()
    assert "محمد" not in result.stdout
    missing = sd(
        home,
        "print",
        "case-summary",
        "--out",
        str(tmp_path / "x.pdf"),
        "--user",
        "amira",
        stdin=PASS + "\n",
    )
    assert missing.returncode == 1
    assert not (tmp_path / "x.pdf").exists()


def test_partner_cards_and_bundles_between_two_installations(home: Path, tmp_path: Path) -> None:
    import datetime as dt

    from shelter_desk.services import cases
    from shelter_desk.services.installation import Installation
    from tests.services.case_helpers import consent, intake, person

    coord = tmp_path / "coordinator"
    made = sd(
        coord,
        "init",
        "--org",
        "National Coordinator",
        "--admin",
        "nadia",
        "--role",
        "coordinator",
        "--country",
        "IL",
        stdin=PASS + "\n",
    )
    assert made.returncode == 0, made.stderr
    inst = Installation(home)
    session = inst.unlock("amira", PASS)
    today = dt.date.today()
    cases.open_case(
        session,
        person(),
        intake(intake_date=today),
        consent(given_on=today, sharing_level="Identified"),
        today=today,
    )
    session.lock()
    inst.release()

    cards = {}
    for name, data, user in (("shelter", home, "amira"), ("coord", coord, "nadia")):
        out = tmp_path / f"{name}.card"
        result = sd(data, "partner", "card", "--out", str(out), "--user", user, stdin=PASS + "\n")
        assert result.returncode == 0, result.stderr
        cards[name] = (out, result.stdout.strip().removeprefix("fingerprint: "))
    wrong = sd(
        coord,
        "partner",
        "add",
        str(cards["shelter"][0]),
        "--fingerprint",
        "abandon ability able",
        "--user",
        "nadia",
        stdin=PASS + "\n",
    )
    assert wrong.returncode == 1
    for data, user, other in ((coord, "nadia", "shelter"), (home, "amira", "coord")):
        added = sd(
            data,
            "partner",
            "add",
            str(cards[other][0]),
            "--fingerprint",
            cards[other][1],
            "--user",
            user,
            stdin=PASS + "\n",
        )
        assert added.returncode == 0, added.stderr
    listed = sd(home, "partner", "list", "--user", "amira", stdin=PASS + "\n")
    assert "National Coordinator" in listed.stdout and "trusted" in listed.stdout

    bundle = tmp_path / "to-coordinator.bundle"
    exported = sd(
        home,
        "bundle",
        "export",
        "--to",
        "National Coordinator",
        "--out",
        str(bundle),
        "--user",
        "amira",
        stdin=PASS + "\n",
    )
    assert exported.returncode == 0, exported.stderr
    inspected = sd(coord, "bundle", "inspect", str(bundle), "--user", "nadia", stdin=PASS + "\n")
    assert "signature: valid" in inspected.stdout
    assert "seq: 1" in inspected.stdout
    first = sd(coord, "bundle", "import", str(bundle), "--user", "nadia", stdin=PASS + "\n")
    assert first.returncode == 0, first.stderr
    again = sd(coord, "bundle", "import", str(bundle), "--user", "nadia", stdin=PASS + "\n")
    assert again.returncode == 0
    assert "already imported" in again.stdout
    listed_cases = sd(coord, "case", "list", "--user", "nadia", stdin=PASS + "\n")
    assert listed_cases.stdout.count("\tActive") == 1

    tampered = tmp_path / "tampered.bundle"
    flipped = bytearray(bundle.read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    tampered.write_bytes(bytes(flipped))
    refused = sd(coord, "bundle", "import", str(tampered), "--user", "nadia", stdin=PASS + "\n")
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("he", "משפט סיסמה שגוי."), ("ar", None), ("ka", None), ("ru", None)],
)
def test_messages_in_the_chosen_language(home: Path, lang: str, expected: str | None) -> None:
    from shelter_desk.i18n import load_translations

    result = sd(home, "verify", "--user", "amira", stdin="wrong\n", lang=lang)
    assert result.returncode == 1
    wanted = expected or load_translations(lang).gettext("Wrong passphrase.")
    assert wanted != "Wrong passphrase."
    assert result.stderr.strip() == wanted


def _open_cases_for_export(home: Path) -> None:
    import datetime as dt

    from shelter_desk.domain.entities import Person
    from shelter_desk.services import cases
    from shelter_desk.services.installation import Installation
    from tests.services.case_helpers import consent, intake

    inst = Installation(home)
    session = inst.unlock("amira", PASS)
    today = dt.date.today()
    for first, citizenship in (("فاطمة", "SY"), ("Ольга", "UA")):
        cases.open_case(
            session,
            Person(first_name=first, gender="Feminine", citizenships=(citizenship,)),
            intake(intake_date=today, narrative="kept in a locked flat"),
            consent(given_on=today, sharing_level="StatisticsOnly"),
            today=today,
        )
    session.lock()
    inst.release()


def _preview_summary(stdout: str) -> str:
    """The preview's count line: the export writes HTCDS columns the import leaves out
    (contacts, places, referral names), which the preview names first."""
    lines = stdout.strip().splitlines()
    assert all(line.startswith("Column ") for line in lines[:-1]), lines
    return lines[-1]


def test_export_and_import_htcds_round_trip(home: Path, tmp_path: Path) -> None:
    _open_cases_for_export(home)
    out = tmp_path / "cases.csv"
    exported = sd(home, "export", "htcds", "--out", str(out), "--user", "amira", stdin=PASS + "\n")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines() == [
        f"Exported 2 cases to {out}.",
        "The related tables are beside it: cases-referrals.csv, cases-trafficking-events.csv,"
        " cases-support-plan.csv, cases-organisations.csv.",
    ]
    assert (tmp_path / "cases-support-plan.csv").is_file()
    text = out.read_bytes().decode("utf-8-sig")
    assert "فاطمة" in text and "Ольга" in text
    assert "locked flat" not in text

    other = tmp_path / "other"
    made = sd(other, "init", "--org", "Other", "--admin", "nino", stdin=PASS + "\n")
    assert made.returncode == 0, made.stderr
    preview = sd(other, "import", "htcds", str(out), "--user", "nino", stdin=PASS + "\n")
    assert preview.returncode == 0, preview.stderr
    assert _preview_summary(preview.stdout) == "2 rows: 2 ready, 0 with errors"
    empty = sd(other, "case", "list", "--user", "nino", stdin=PASS + "\n")
    assert empty.stdout == ""
    done = sd(other, "import", "htcds", str(out), "--commit", "--user", "nino", stdin=PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "Imported 2 cases."
    for output in (exported.stdout, preview.stdout, done.stdout):
        assert "فاطمة" not in output and "Ольга" not in output
    listed = sd(other, "case", "list", "--user", "nino", stdin=PASS + "\n")
    assert listed.stdout.count("\tActive") == 2


def test_import_with_errors_exits_1_and_imports_nothing(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "prs_FirstName,prs_Gender,sd_IntakeDate,shoe_size\n"
        "Salma,Feminine,2026-01-02,38\n"
        "Dana,Robot,2026-01-02,40\n",
        encoding="utf-8",
    )
    preview = sd(home, "import", "htcds", str(bad), "--user", "amira", stdin=PASS + "\n")
    assert preview.returncode == 1
    lines = preview.stdout.splitlines()
    assert "Column shoe_size is not known and was ignored." in lines
    assert "2 rows: 1 ready, 1 with errors" in lines
    assert any(line.startswith("row 3: prs_Gender: ") for line in lines)
    assert "Dana" not in preview.stdout and "Robot" not in preview.stdout
    assert "Salma" not in preview.stdout
    assert len(preview.stderr.strip().splitlines()) == 1
    commit = sd(home, "import", "htcds", str(bad), "--commit", "--user", "amira", stdin=PASS + "\n")
    assert commit.returncode == 1
    assert len(commit.stderr.strip().splitlines()) == 1
    listed = sd(home, "case", "list", "--user", "amira", stdin=PASS + "\n")
    assert listed.stdout == ""


def test_ctdc_export_prints_counts_only(home: Path, tmp_path: Path) -> None:
    _open_cases_for_export(home)
    out = tmp_path / "ctdc.csv"
    result = sd(home, "export", "ctdc", "--out", str(out), "--user", "amira", stdin=PASS + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Exported 0 cases to {out}.",
        "Left out: 0 without consent for statistics, 2 for anonymity; 0 generalised.",
        "Release 1: 0 cases added, 0 removed since the last release; cases left out for"
        " anonymity are added once enough new cases keep them anonymous.",
    ]
    assert out.read_bytes().decode("utf-8-sig").splitlines()[0].startswith("yearOfRegistration,")
    synthetic = tmp_path / "synthetic.csv"
    argv = ("export", "ctdc", "--schema", "synthetic", "--out", str(synthetic), "--user", "amira")
    assert sd(home, *argv, stdin=PASS + "\n").returncode == 0
    header = synthetic.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("yearOfRegistration,gender,ageBroad,citizenship,")


def test_export_htcds_xlsx_and_the_xlsform(home: Path, tmp_path: Path) -> None:
    import openpyxl

    _open_cases_for_export(home)
    out = tmp_path / "cases.xlsx"
    exported = sd(home, "export", "htcds", "--out", str(out), "--user", "amira", stdin=PASS + "\n")
    assert exported.returncode == 0, exported.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "cases" and book["cases"]["B1"].value == "sd_CaseNumber"
    form = tmp_path / "intake.xlsx"
    made = sd(home, "export", "xlsform", "--out", str(form))  # no passphrase: no data in it
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"Wrote the intake form for KoBo and ODK to {form}."
    assert openpyxl.load_workbook(form).sheetnames == ["survey", "choices", "settings"]
    nowhere = sd(home, "export", "xlsform", "--out", str(tmp_path / "no" / "such" / "f.xlsx"))
    assert nowhere.returncode == 1
    assert len(nowhere.stderr.strip().splitlines()) == 1 and "Traceback" not in nowhere.stderr


def test_export_and_import_usage_errors_exit_2(home: Path, tmp_path: Path) -> None:
    assert sd(home, "export", "htcds").returncode == 2  # --out missing
    assert sd(home, "export", "xml", "--out", str(tmp_path / "x")).returncode == 2
    assert sd(home, "import", "ctdc", str(tmp_path / "x.csv")).returncode == 2
    missing = sd(home, "import", "htcds", str(tmp_path / "nope.csv"), stdin=PASS + "\n")
    assert missing.returncode == 1


EXPORT_PASS = "saffron bicycle lagoon thirteen"
PLAIN_WARNING = (
    "Warning: {name} holds the names and details of every person in plain text. Keep it on an"
    " encrypted disk and delete it when done, or export it encrypted with --to PARTNER or"
    " --passphrase."
)


def test_export_htcds_warns_of_plain_text_or_encrypts_with_a_passphrase(
    home: Path, tmp_path: Path
) -> None:
    _open_cases_for_export(home)
    plain = tmp_path / "cases.csv"
    exported = sd(home, "export", "htcds", "--out", str(plain), stdin=PASS + "\n")
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr.splitlines() == [PLAIN_WARNING.format(name="cases.csv")]

    sealed = tmp_path / "cases.csv.age"
    weak = sd(home, "export", "htcds", "--out", str(sealed), "--passphrase", stdin=f"{PASS}\nabc\n")
    assert weak.returncode == 1
    assert not sealed.exists()
    made = sd(
        home,
        "export",
        "htcds",
        "--out",
        str(sealed),
        "--passphrase",
        stdin=f"{PASS}\n{EXPORT_PASS}\n",
    )
    assert made.returncode == 0, made.stderr
    assert made.stderr == ""
    data = sealed.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert "Ольга".encode() not in data

    other = tmp_path / "other"
    assert sd(other, "init", "--org", "Other", "--admin", "nino", stdin=PASS + "\n").returncode == 0
    wrong = sd(other, "import", "htcds", str(sealed), stdin=f"{PASS}\nnot the passphrase\n")
    assert wrong.returncode == 1
    assert len(wrong.stderr.strip().splitlines()) == 1
    done = sd(other, "import", "htcds", str(sealed), "--commit", stdin=f"{PASS}\n{EXPORT_PASS}\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "Imported 2 cases."

    assert sd(home, "export", "ctdc", "--out", str(plain), "--passphrase").returncode == 2
    both = ("export", "htcds", "--out", str(plain), "--passphrase", "--to", "Other")
    assert sd(home, *both).returncode == 2


def test_export_htcds_to_a_partner_opens_only_there(home: Path, tmp_path: Path) -> None:
    from shelter_desk.services import exchange
    from shelter_desk.services.installation import Installation

    _open_cases_for_export(home)
    other = tmp_path / "coordinator"
    init = ("init", "--org", "Coordinator", "--admin", "nadia", "--role", "coordinator")
    made = sd(other, *init, "--country", "IL", stdin=PASS + "\n")
    assert made.returncode == 0, made.stderr
    home_inst, other_inst = Installation(home), Installation(other)
    home_session, other_session = home_inst.unlock("amira", PASS), other_inst.unlock("nadia", PASS)
    card = exchange.my_card(other_session)
    exchange.add_partner(home_session, card.to_bytes(), card.fingerprint)
    for inst, session in ((home_inst, home_session), (other_inst, other_session)):
        session.lock()
        inst.release()

    sealed = tmp_path / "for-coordinator.age"
    sent = sd(
        home, "export", "htcds", "--out", str(sealed), "--to", "Coordinator", stdin=PASS + "\n"
    )
    assert sent.returncode == 0, sent.stderr
    assert sent.stderr == ""
    assert sent.stdout.splitlines()[0] == f"Exported 2 cases to {sealed}."
    preview = sd(other, "import", "htcds", str(sealed), stdin=PASS + "\n")
    assert preview.returncode == 0, preview.stderr
    assert _preview_summary(preview.stdout) == "2 rows: 2 ready, 0 with errors"
    here = sd(home, "import", "htcds", str(sealed), stdin=PASS + "\n")
    assert here.returncode == 1
    assert "another installation" in here.stderr
    to_nobody = ("export", "htcds", "--out", str(tmp_path / "x"), "--to", "Nobody")
    unknown = sd(home, *to_nobody, stdin=PASS + "\n")
    assert unknown.returncode == 1
    assert not (tmp_path / "x").exists()
