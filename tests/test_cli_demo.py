"""The ``demo`` command (cli.md): its accounts, ``--org``, its sync partner and the DEMO DATA
mark on what it prints, in real processes on real installations."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from tests.test_cli import PASS, sd

ACCOUNTS = {
    "demo": "shelter-desk-demo",
    "caseworker": "shelter-desk-caseworker",
    "supervisor": "shelter-desk-supervisor",
}
MARK = "DEMO DATA — invented people, not real cases"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-demo") / "demo"
    result = sd(folder, "demo", "--org", "Hope House Demo", "--cases", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    pairs = list(zip(lines[0:6:2], lines[1:6:2], strict=True))
    assert pairs == [(f"user: {u}", f"passphrase: {p}") for u, p in ACCOUNTS.items()]
    assert lines[6] == "partner: Demo National Coordinator"
    assert lines[7].startswith("fingerprint: ") and len(lines[7].split()) == 1 + 9 + 2
    assert len(lines) == 8
    return folder


def test_demo_org_names_the_organisation(demo: Path, tmp_path: Path) -> None:
    shown = sd(demo, "org", "show", "--user", "demo", stdin=ACCOUNTS["demo"] + "\n")
    assert shown.returncode == 0, shown.stderr
    assert "name: Hope House Demo" in shown.stdout.splitlines()
    default = tmp_path / "default"
    assert sd(default, "demo").returncode == 0
    shown = sd(default, "org", "show", "--user", "demo", stdin=ACCOUNTS["demo"] + "\n")
    assert "name: Demo Shelter" in shown.stdout.splitlines()


def test_demo_refuses_an_empty_org_and_makes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "blank"
    result = sd(folder, "demo", "--org", "   ")
    assert result.returncode == 1
    assert result.stdout == ""
    assert not (folder / "keyslots.json").exists()


def test_each_demo_account_has_its_role(demo: Path) -> None:
    listed = sd(demo, "user", "list", "--user", "demo", stdin=ACCOUNTS["demo"] + "\n")
    assert listed.returncode == 0, listed.stderr
    roles = {line.split("\t")[0]: line.split("\t")[1] for line in listed.stdout.splitlines()}
    assert roles == {"demo": "admin", "caseworker": "caseworker", "supervisor": "supervisor"}
    cases = sd(demo, "case", "list", "--user", "caseworker", stdin=ACCOUNTS["caseworker"] + "\n")
    assert cases.returncode == 0, cases.stderr
    assert len(cases.stdout.splitlines()) == 2
    refused = sd(demo, "user", "list", "--user", "caseworker", stdin=ACCOUNTS["caseworker"] + "\n")
    assert refused.returncode == 1


def test_a_bundle_is_exported_to_the_demo_coordinator(demo: Path, tmp_path: Path) -> None:
    partners = sd(
        demo, "partner", "list", "--user", "supervisor", stdin="shelter-desk-supervisor\n"
    )
    assert partners.returncode == 0, partners.stderr
    (line,) = partners.stdout.splitlines()
    assert line.split("\t")[1:] == ["Demo National Coordinator", "coordinator", "IL", "trusted"]
    out = tmp_path / "to-coordinator.bundle"
    exported = sd(
        demo,
        "bundle",
        "export",
        "--to",
        "Demo National Coordinator",
        "--out",
        str(out),
        "--user",
        "supervisor",
        stdin=ACCOUNTS["supervisor"] + "\n",
    )
    assert exported.returncode == 0, exported.stderr
    assert out.stat().st_size > 0


def _printed_text(folder: Path, user: str, secret: str, out: Path) -> str:
    printed = sd(folder, "print", "intake", "--out", str(out), "--user", user, stdin=secret + "\n")
    assert printed.returncode == 0, printed.stderr
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)


def test_only_the_demo_prints_the_demo_mark(demo: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    made = sd(real, "init", "--org", "Hope House", "--admin", "amira", stdin=PASS + "\n")
    assert made.returncode == 0, made.stderr
    demo_text = _printed_text(demo, "caseworker", ACCOUNTS["caseworker"], tmp_path / "d.pdf")
    real_text = _printed_text(real, "amira", PASS, tmp_path / "r.pdf")
    assert MARK in demo_text
    assert MARK not in real_text


def test_a_reader_that_stops_early_ends_the_listing_quietly(demo: Path) -> None:
    """``case list | head``: the pipe closes before the list is written; the command stops
    with 141 (128 + SIGPIPE) and says nothing, no 'unexpected error', no traceback."""
    command = [sys.executable, "-m", "shelter_desk", "--data-dir", str(demo)]
    process = subprocess.Popen(
        [*command, "case", "list", "--user", "demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before anything is written
    _out, errors = process.communicate(ACCOUNTS["demo"].encode() + b"\n", timeout=120)
    assert process.returncode == 141
    assert errors == b""
