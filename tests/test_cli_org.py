"""`org show` / `org set` and the country at `init`, through the real command line."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

from tests.test_cli import PASS, sd

OTHER = "granite meadow violin ninety"


def _init_without_country(data: Path) -> None:
    made = sd(data, "init", "--org", "Hope House", "--admin", "amira", stdin=PASS + "\n")
    assert made.returncode == 0, made.stderr
    assert "org set --country" in made.stderr  # says how to add it later


def test_org_set_country_makes_the_partner_card_possible(tmp_path: Path) -> None:
    data = tmp_path / "inst"
    _init_without_country(data)
    card = tmp_path / "card"
    refused = sd(data, "partner", "card", "--out", str(card), stdin=PASS + "\n")
    assert refused.returncode == 1
    assert not card.exists()
    shown = sd(data, "org", "show", stdin=PASS + "\n")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == ["name: Hope House", "country: "]

    changed = sd(data, "org", "set", "--country", "ge", stdin=PASS + "\n")
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.splitlines() == ["Organisation saved.", "name: Hope House", "country: GE"]
    made = sd(data, "partner", "card", "--out", str(card), stdin=PASS + "\n")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("fingerprint: ")

    renamed = sd(data, "org", "set", "--name", "Hope House Batumi", stdin=PASS + "\n")
    assert renamed.returncode == 0, renamed.stderr
    assert sd(data, "org", "show", stdin=PASS + "\n").stdout.splitlines() == [
        "name: Hope House Batumi",
        "country: GE",
    ]


def test_org_set_refuses_bad_values_and_non_administrators(tmp_path: Path) -> None:
    data = tmp_path / "inst"
    _init_without_country(data)
    for bad in ("XX", "Georgia", "G1"):
        result = sd(data, "org", "set", "--country", bad, stdin=PASS + "\n")
        assert result.returncode == 1
        assert result.stderr.strip() == "Choose a country from the list."
    empty_name = sd(data, "org", "set", "--name", "  ", "--country", "GE", stdin=PASS + "\n")
    assert empty_name.returncode == 1
    assert len(empty_name.stderr.strip().splitlines()) == 1
    assert sd(data, "org", "set", stdin=PASS + "\n").returncode == 2  # nothing to set

    added = sd(
        data,
        "user",
        "add",
        "bob",
        "--role",
        "caseworker",
        "--user",
        "amira",
        stdin=f"{PASS}\n{OTHER}\n",
    )
    assert added.returncode == 0, added.stderr
    denied = sd(data, "org", "set", "--country", "GE", "--user", "bob", stdin=OTHER + "\n")
    assert denied.returncode == 1
    assert "may not do this" in denied.stderr
    shown = sd(data, "org", "show", "--user", "bob", stdin=OTHER + "\n")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == ["name: Hope House", "country: "]  # nothing changed


def test_init_country_must_be_a_real_country(tmp_path: Path) -> None:
    data = tmp_path / "inst"
    result = sd(
        data, "init", "--org", "O", "--admin", "amira", "--country", "XX", stdin=PASS + "\n"
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "Use a two-letter country code such as IL or JO."
    assert not (data / "keyslots.json").exists()


def _on_terminal(argv: list[str], dialogue: list[tuple[str, str]]) -> tuple[int, str]:
    """Run the CLI on a pseudo-terminal; answer each expected prompt; return the exit code
    and everything the terminal showed."""
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal
        os.execve(sys.executable, [sys.executable, "-m", "shelter_desk", *argv], env)
    shown, steps = b"", list(dialogue)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        if steps and steps[0][0].encode() in shown:
            shown = shown.replace(steps[0][0].encode(), b"<" + steps[0][0].encode() + b">", 1)
            os.write(fd, (steps.pop(0)[1] + "\n").encode())
    _pid, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


def test_init_on_a_terminal_asks_for_the_country(tmp_path: Path) -> None:
    data = tmp_path / "inst"
    code, shown = _on_terminal(
        ["--data-dir", str(data), "init", "--org", "Hope House", "--admin", "amira"],
        [
            ("Country of the organisation", "QQ"),
            ("Country of the organisation", "ge"),
            ("New passphrase for amira:", PASS),
            ("Repeat it:", PASS),
        ],
    )
    assert code == 0, shown
    assert "QQ is not a country code." in shown
    shown_org = sd(data, "org", "show", stdin=PASS + "\n")
    assert shown_org.stdout.splitlines() == ["name: Hope House", "country: GE"]
