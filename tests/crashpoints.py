"""Fault injection: run a real `shelter-desk` process and kill it at a chosen system call.

`strace` counts the writes, syncs, renames, truncations and unlinks a command makes, then
runs it again once per crash point with ``inject=SYSCALL:signal=SIGKILL:when=N``: the
kernel delivers SIGKILL as the N-th such call starts, before it does anything. This is a
real crash at an exact point (no sleep, no Python-level hook), and it reaches SQLite's own
writes in C as well as ours.

Typical use::

    points = crash_points(cli_args(data, "user", "add", "bob", "--role", "caseworker"),
                          stdin=...)
    for point in points:
        copy = fresh_copy_of_template()
        result = run_killed(cli_args(copy, ...), point, stdin=...)
        assert_invariants(copy)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

# Every system call by which a command changes a file's content or a folder's entries.
WRITE_SYSCALLS: tuple[str, ...] = (
    "write",
    "pwrite64",
    "writev",
    "fsync",
    "fdatasync",
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "ftruncate",
)

STRACE = shutil.which("strace")
needs_strace = pytest.mark.skipif(STRACE is None, reason="strace is not installed")


@dataclass(frozen=True)
class CrashPoint:
    syscall: str
    nth: int  # 1-based: the nth call of this syscall in the process tree

    def __str__(self) -> str:
        return f"{self.syscall}#{self.nth}"


def cli_args(data_dir: Path, *args: str) -> list[str]:
    """The argument vector of `shelter-desk --data-dir DATA ARGS` in this interpreter."""
    return [sys.executable, "-m", "shelter_desk", "--data-dir", str(data_dir), *args]


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # .pyc files would add writes that vary by run
    env.update(extra or {})
    return env


def count_calls(
    argv: Sequence[str],
    *,
    stdin: str = "",
    env: dict[str, str] | None = None,
    syscalls: Sequence[str] = WRITE_SYSCALLS,
    cwd: Path | None = None,
) -> tuple[Counter[str], subprocess.CompletedProcess[str]]:
    """How often the command makes each of ``syscalls`` in an undisturbed run."""
    assert STRACE is not None
    trace_log = Path(os.environ.get("TMPDIR", "/tmp")) / f"sd-strace-{os.getpid()}.log"
    try:
        result = subprocess.run(
            [STRACE, "-f", "-qq", "-o", str(trace_log), "-e", "trace=" + ",".join(syscalls), *argv],
            input=stdin,
            capture_output=True,
            text=True,
            env=_env(env),
            cwd=cwd,
            timeout=300,
        )
        counts: Counter[str] = Counter()
        for line in trace_log.read_text(errors="replace").splitlines():
            body = line.split(None, 1)[1] if line[:1].isdigit() else line
            name = body.split("(", 1)[0].strip()
            if name in syscalls:
                counts[name] += 1
    finally:
        trace_log.unlink(missing_ok=True)
    return counts, result


def crash_points(
    argv: Sequence[str],
    *,
    stdin: str = "",
    env: dict[str, str] | None = None,
    syscalls: Sequence[str] = WRITE_SYSCALLS,
    cwd: Path | None = None,
) -> list[CrashPoint]:
    """Every crash point of the command: one per call of each write-like syscall.

    The command is run once to count; it must succeed (its effects are then discarded by
    the caller, who runs each point on a fresh copy of the same starting state).
    """
    counts, result = count_calls(argv, stdin=stdin, env=env, syscalls=syscalls, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return [CrashPoint(name, n) for name in syscalls for n in range(1, counts[name] + 1)]


def run_killed(
    argv: Sequence[str],
    point: CrashPoint,
    *,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the command and SIGKILL it as it starts ``point``'s system call."""
    assert STRACE is not None
    inject = f"inject={point.syscall}:signal=SIGKILL:when={point.nth}"
    return subprocess.run(
        [
            STRACE,
            "-f",
            "-qq",
            "-o",
            "/dev/null",
            "-e",
            f"trace={point.syscall}",
            "-e",
            inject,
            *argv,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(env),
        cwd=cwd,
        timeout=300,
    )


def was_killed(result: subprocess.CompletedProcess[str]) -> bool:
    """strace exits 128+9 (or -9) when its tracee died of the injected SIGKILL."""
    return result.returncode in (137, -9)


def fresh_copy(template: Path, dest: Path) -> Path:
    """A copy of a prepared data folder (keeps modes), for one crash point."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(template, dest, symlinks=True)
    return dest
