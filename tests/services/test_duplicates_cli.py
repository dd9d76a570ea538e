"""Possible duplicates through the command line, with real bundles between real databases:
one person registered at two shelters, once in Latin letters and once in Arabic script,
shared pseudonymised, is listed by ``case duplicates`` at the coordinator."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from shelter_desk.services import cases, sharing
from shelter_desk.services.installation import Installation
from shelter_desk.sync.hlc import Timestamp
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.services.case_helpers import TODAY, consent, intake, person
from tests.sync.cli_world import CliWorld, sd
from tests.sync.sync_parties import Party
from tests.sync.test_import_cli import FAST_KDF


def run_cli(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
    cmd = [sys.executable, "-m", "shelter_desk", *args, "--user", ADMIN]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120, env=env)


def _open(party: Party, first: str, latin: str, second: str, second_latin: str, born: int) -> str:
    cf = cases.open_case(
        party.session,
        person(
            first=first,
            latin=latin,
            second=second,
            second_latin=second_latin,
            birth_date=dt.date(born, 3, 4),
        ),
        intake(),
        consent(sharing_level="Pseudonymised"),
        today=TODAY,
    )
    return cf.case.number


def _network(tmp_path: Path) -> tuple[Party, Party, Party]:
    a = Party(tmp_path / "a", "Hope House", "shelter", "JO")
    b = Party(tmp_path / "b", "Amal Shelter", "shelter", "JO")
    c = Party(tmp_path / "c", "National Coordinator", "coordinator", "JO")
    a.trust(c)
    b.trust(c)
    return a, b, c


def _ok(result: object) -> str:
    assert getattr(result, "returncode", None) == 0, getattr(result, "stderr", "")
    return str(getattr(result, "stdout", ""))


def test_latin_and_arabic_registrations_meet_at_the_coordinator(tmp_path: Path) -> None:
    a, b, c = _network(tmp_path)
    at_a = _open(a, "Yasmin", "", "Haddad", "", 1998)
    _open(a, "Salma", "", "Nasser", "", 1990)
    at_b = _open(b, "ياسمين", "", "حداد", "", 1999)  # no Latin spelling; born a year later
    _open(b, "سلمى", "", "خليل", "", 1990)
    for party in (a, b, c):
        party.close()

    made = _ok(sd(a.installation.root, "network", "secret", "new"))
    secret = made.splitlines()[0].removeprefix("secret: ")
    assert len(secret.replace("-", "")) == 26
    stdin = ADMIN_PASSPHRASE + "\n" + secret + "\n"
    saved = run_cli(["--data-dir", str(b.installation.root), "network", "secret", "set"], stdin)
    assert saved.returncode == 0, saved.stderr
    assert secret not in saved.stdout

    for shelter in (a, b):
        out = tmp_path / f"{shelter.installation.root.name}.shbundle"
        _ok(
            sd(
                shelter.installation.root,
                "bundle",
                "export",
                "--to",
                "National Coordinator",
                "--out",
                str(out),
            )
        )
        _ok(sd(c.installation.root, "bundle", "import", str(out)))

    listed = _ok(sd(c.installation.root, "case", "duplicates", "--limit", "10")).splitlines()
    assert len(listed) == 1, listed
    first, second, score = listed[0].split("\t")
    assert {first, second} == {f"{at_a} (Hope House)", f"{at_b} (Amal Shelter)"}
    assert 50 <= int(score) <= 99
    # The coordinator holds the tokens, never the names.
    inst = Installation(c.installation.root)
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        stored = json.dumps(
            [r[0] for r in session.db.all("SELECT data FROM records")], ensure_ascii=False
        )
        tokens = [r.data.get("identity_tokens") for r in session.records.of_entity("person")]
    finally:
        session.lock()
        inst.release()
    for name in ("Yasmin", "Haddad", "ياسمين", "حداد", "Salma", "سلمى"):
        assert name not in stored, name
    assert all(isinstance(t, list) and len(t) >= 4 for t in tokens), tokens


def test_case_duplicates_refuses_a_limit_below_one(tmp_path: Path) -> None:
    result = run_cli(["--data-dir", str(tmp_path / "none"), "case", "duplicates", "--limit", "0"])
    assert result.returncode == 2
    assert "--limit must be at least 1." in result.stderr


def test_network_secret_set_refuses_a_malformed_secret(tmp_path: Path) -> None:
    a = Party(tmp_path / "a", "Hope House", "shelter", "JO")
    a.close()
    stdin = ADMIN_PASSPHRASE + "\nnot a secret\n"
    result = run_cli(["--data-dir", str(a.installation.root), "network", "secret", "set"], stdin)
    assert result.returncode == 1
    assert "A network secret has 26 letters and digits" in result.stderr
    assert "Traceback" not in result.stderr


def _derived(
    world: CliWorld, entity: str, record_id: str, case_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """A reduced (pseudonymised) transaction as the shelter would send it."""
    stamp = Timestamp(int(time.time() * 1000), 0, world.shelter.identity.key_id).encode()
    return {
        "txn_id": sharing.derived_id(sharing.PSEUDONYMISED, str(uuid.uuid4())),
        "hlc": stamp,
        "device": world.shelter.identity.key_id,
        "user_id": world.shelter.user_id,
        "org_id": world.shelter.org_id,
        "case_id": case_id,
        "entity": entity,
        "record_id": record_id,
        "parents": [],
        "fields": fields,
        "deleted": False,
    }


def test_tokens_that_are_not_a_list_of_texts_are_refused(tmp_path: Path) -> None:
    world = CliWorld(tmp_path / "world", kdf=FAST_KDF)
    sent: list[Path] = []
    for seq, tokens in enumerate(([1, 2], "0abc", ["0" + "ab" * 16]), start=1):
        case_id, person_id = str(uuid.uuid4()), str(uuid.uuid4())
        case = {
            "number": f"HH-2026-000{seq}",
            "person_id": person_id,
            "status": "Active",
            "opened_on": "2026-11-01",
            "sharing_level": "Pseudonymised",
        }
        person_fields = {"gender": "Feminine", "birth_year": 1998, "identity_tokens": tokens}
        bundle = tmp_path / f"{seq}.shbundle"
        bundle.write_bytes(
            world.crafted(
                [
                    _derived(world, "case", case_id, case_id, case),
                    _derived(world, "person", person_id, case_id, person_fields),
                ],
                seq=len(sent) + 1,
            )
        )
        result = sd(world.coord.root, "bundle", "import", str(bundle))
        if isinstance(tokens, list) and all(isinstance(t, str) for t in tokens):
            assert result.returncode == 0, result.stderr
            sent.append(bundle)
        else:
            assert result.returncode == 1
            assert "Nothing was imported" in result.stderr
            assert "Traceback" not in result.stderr
    assert len(sent) == 1
