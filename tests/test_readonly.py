"""An installation on a folder that cannot be written (a write-protected stick, a read-only
mounted image), through the real command line.

``chmod a-w`` does not stop root, so each way of making a folder read-only that works on this
machine is used: a read-only bind mount in a private mount namespace (``unshare -m``: the
file system says EROFS), and running the command as an unprivileged user (``setpriv``) on a
folder it may read but not write (EACCES); for a non-root user, plain ``chmod a-w``. A way
that this machine does not allow (no CAP_SYS_ADMIN for a mount namespace in a default Docker
container, say) is skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_cli import PASS, sd

NOBODY = 65534
NOTICE = (
    "Read-only installation: nothing can be changed, and neither this sign-in nor failed"
    " attempts are recorded."
)
REFUSED = (
    "This installation is on a disk or folder that cannot be written (read-only); only verify,"
    " case list, backup, export, print and org show work on it."
)
BIND_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"'


@dataclass
class ReadOnly:
    """A prepared installation ``data`` and a writable folder ``out`` for what is written;
    ``run`` runs the CLI with ``data`` read-only."""

    data: Path
    out: Path
    prefix: list[str]

    def run(self, *args: str, stdin: str = PASS + "\n") -> subprocess.CompletedProcess[str]:
        return self.python("-m", "shelter_desk", "--data-dir", str(self.data), *args, stdin=stdin)

    def python(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # the unprivileged user cannot write them
        cmd = [*self.prefix, sys.executable, *args]
        return subprocess.run(
            cmd, input=stdin, capture_output=True, text=True, timeout=120, env=env
        )


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _bind_mount_prefix(data: Path) -> list[str] | None:
    prefix = ["unshare", "--mount", "sh", "-c", BIND_READ_ONLY, "sh", str(data)]
    if shutil.which("unshare") and _works([*prefix, "sh", "-c", f"! touch '{data}/probe'"]):
        return prefix
    return None


def _unprivileged_prefix(data: Path, out: Path) -> list[str] | None:
    if not shutil.which("setpriv"):
        return None
    for path in [data, *data.iterdir()]:
        os.chown(path, NOBODY, NOBODY)
        path.chmod(0o500 if path.is_dir() else 0o400)
    os.chown(out, NOBODY, NOBODY)
    prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    probe = [*prefix, sys.executable, "-c", f"open('{data / 'probe'}', 'w')"]
    readable = [*prefix, sys.executable, "-c", f"open('{data / 'keyslots.json'}').read()"]
    if _works(readable) and not _works(probe):
        return prefix
    return None


def _make_installation(data: Path) -> str:
    """An installation with one case; return the digest ``verify`` prints for it."""
    from shelter_desk.services import cases
    from shelter_desk.services.installation import Installation
    from tests.services.case_helpers import consent, intake, person

    made = sd(
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
    assert made.returncode == 0, made.stderr
    inst = Installation(data)
    session = inst.unlock("amira", PASS)
    today = dt.date.today()
    cases.open_case(
        session,
        person(first="Olga", latin="Olga"),
        intake(intake_date=today),
        consent(given_on=today),
        today=today,
    )
    session.lock()
    inst.release()
    verified = sd(data, "verify", stdin=PASS + "\n")
    assert verified.returncode == 0, verified.stderr
    return verified.stdout.splitlines()[-1]


@pytest.fixture(params=["bind-mount", "unprivileged-user"] if os.geteuid() == 0 else ["chmod"])
def read_only(request: pytest.FixtureRequest) -> Iterator[tuple[ReadOnly, str]]:
    base = Path(tempfile.mkdtemp(prefix="sd-readonly-"))  # outside root's private tmp_path
    base.chmod(0o755)
    try:
        data, out = base / "data", base / "out"
        out.mkdir()
        digest = _make_installation(data)
        prefix: list[str] | None
        if request.param == "chmod":
            for path in [data, *data.iterdir()]:
                path.chmod(0o500 if path.is_dir() else 0o400)
            prefix = []
        elif request.param == "bind-mount":
            prefix = _bind_mount_prefix(data)
            if prefix is None:
                pytest.skip("no private mount namespace here (unshare needs CAP_SYS_ADMIN)")
        else:
            prefix = _unprivileged_prefix(data, out)
            if prefix is None:
                pytest.skip("cannot run a command as an unprivileged user (setpriv)")
        yield ReadOnly(data, out, prefix), digest
    finally:
        for path in base.rglob("*"):
            if path.is_dir():
                path.chmod(0o700)
        shutil.rmtree(base)


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_reading_commands_work_and_nothing_changes(read_only: tuple[ReadOnly, str]) -> None:
    ro, digest = read_only
    before = _snapshot(ro.data)

    verified = ro.run("verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.splitlines() == [NOTICE]
    assert verified.stdout.splitlines()[-1] == digest  # same case data as when writable

    listed = ro.run("case", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("\tActive") == 1

    backup = ro.out / "copy.backup"
    backed_up = ro.run("backup", "--out", str(backup))
    assert backed_up.returncode == 0, backed_up.stderr
    assert sorted(p.name for p in ro.out.iterdir()) == ["copy.backup"]  # no leftovers

    csv = ro.out / "cases.csv"
    exported = ro.run("export", "htcds", "--out", str(csv))
    assert exported.returncode == 0, exported.stderr
    assert "Olga" in csv.read_bytes().decode("utf-8-sig")

    pdf = ro.out / "intake.pdf"
    printed = ro.run("print", "intake", "--out", str(pdf))
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes().startswith(b"%PDF")

    shown = ro.run("org", "show")
    assert shown.stdout.splitlines() == ["name: Hope House", "country: IL"]

    assert _snapshot(ro.data) == before
    assert not any(p.name.startswith(".") for p in ro.data.iterdir())

    # The backup taken off the read-only folder restores to the same case data.
    restored_dir = ro.out.parent / "restored"
    restored = sd(restored_dir, "restore", str(backup), "--user", "amira", stdin=PASS + "\n")
    assert restored.returncode == 0, restored.stderr
    again = sd(restored_dir, "verify", stdin=PASS + "\n")
    assert again.stdout.splitlines()[-1] == digest


def test_writes_are_refused_with_a_clear_message(read_only: tuple[ReadOnly, str]) -> None:
    ro, _digest = read_only
    before = _snapshot(ro.data)
    for args in (
        ("org", "set", "--country", "JO"),
        ("user", "add", "bob", "--role", "caseworker"),
        ("passwd",),
    ):
        result = ro.run(*args, stdin=f"{PASS}\n{PASS}\n")
        assert result.returncode == 1, args
        assert result.stderr.splitlines() == [REFUSED], args

    wrong = ro.run("verify", stdin="wrong passphrase\n")
    assert wrong.returncode == 1
    assert wrong.stderr.splitlines() == [NOTICE, "Wrong passphrase."]
    # A service that tries to write (as the GUI would) gets a translated message, no traceback.
    script = (
        "from shelter_desk.services.installation import Installation\n"
        "from shelter_desk.services import settings\n"
        "from shelter_desk.domain.errors import StoreError\n"
        f"inst = Installation({str(ro.data)!r})\n"
        "session = inst.unlock('amira', input())\n"
        "print(inst.read_only)\n"
        "try:\n"
        "    settings.set_organisation(session, country='JO')\n"
        "except StoreError as exc:\n"
        "    print(exc.message)\n"
        "session.lock()\n"
    )
    written = ro.python("-c", script, stdin=PASS + "\n")
    assert written.returncode == 0, written.stderr
    assert written.stdout.splitlines() == [
        "True",
        "This installation is on a disk or folder that cannot be written (read-only);"
        " nothing was changed.",
    ]
    assert _snapshot(ro.data) == before
