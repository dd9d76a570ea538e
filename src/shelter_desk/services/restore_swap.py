"""A restore's replacement of the database and key slots as one recoverable step.

``backup.restore`` first prepares, beside the installation, the verified candidate database
(``.restore-candidate.db``) and its key slots (``.restore-candidate.json``), both on disk and
synced. Only then does :func:`swap_in` write a journal (``.restore-journal.json``) naming where
the old files will be kept, and rename, in this order: the old database (with its ``-wal``,
which holds transactions committed but not yet checkpointed) to the kept name, the old key
slots to theirs, the candidate key slots and the candidate database into place. The journal
goes last.

:func:`recover` runs on every start (the first ``Installation.acquire`` of a process, with
the single-copy lock held). With a journal it completes the swap: each rename is made only if
it was not made yet, so a crash during recovery is harmless too. Without one, a swap never
began: the candidate files and the temporary copies of a killed backup are deleted (they are
full encrypted copies of the data and must not pile up in the data folder).

Only file names are handled here; nothing is opened, so this runs before any key is known.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from shelter_desk.security.atomic import fsync_dir, write_atomic

CANDIDATE_DB = ".restore-candidate.db"
CANDIDATE_SLOTS = ".restore-candidate.json"
JOURNAL = ".restore-journal.json"
REPLACED = ".replaced-"
BACKUP_TMP_PREFIX = ".backup-"
# SQLite's companions of a database file: a moved database takes its WAL with it.
COMPANIONS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Swap:
    """The names of one swap, relative to the data folder."""

    db: str
    slots: str
    kept_db: str
    kept_slots: str


def kept_suffix(root: Path, db: str, slots: str) -> str:
    """A ``.replaced-STAMP`` suffix that no file in ``root`` has yet: a kept database is
    never overwritten, even by two restores within one second."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    taken = {p.name for p in root.iterdir()}
    n = 1
    while True:
        suffix = f"{REPLACED}{stamp}" + (f"-{n}" if n > 1 else "")
        names = (db + suffix, slots + suffix)
        if not any(name.startswith(names) for name in taken):
            return suffix
        n += 1


def swap_in(root: Path, db: str, slots: str) -> Path | None:
    """Put the prepared candidate in place; return where the old database was kept."""
    suffix = kept_suffix(root, db, slots)
    swap = Swap(db, slots, db + suffix, slots + suffix)
    had_db = (root / db).exists()
    write_atomic(root / JOURNAL, json.dumps(swap.__dict__).encode("utf-8"))
    _complete(root, swap)
    return root / swap.kept_db if had_db else None


def _complete(root: Path, swap: Swap) -> None:
    """Every step of the swap that is not done yet, in order; then drop the journal."""
    candidate = root / CANDIDATE_DB
    if candidate.exists():  # the candidate goes in last: until then the old files may move
        db = root / swap.db
        if db.exists():
            os.replace(db, root / swap.kept_db)
        wal = root / f"{swap.db}-wal"
        if wal.exists():
            os.replace(wal, root / f"{swap.kept_db}-wal")
        for suffix in ("-shm", "-journal"):
            _unlink(root / f"{swap.db}{suffix}")
        new_slots = root / CANDIDATE_SLOTS
        if new_slots.exists():
            if (root / swap.slots).exists():
                os.replace(root / swap.slots, root / swap.kept_slots)
            os.replace(new_slots, root / swap.slots)
        fsync_dir(root)
        os.replace(candidate, root / swap.db)
    fsync_dir(root)
    _unlink(root / JOURNAL)
    fsync_dir(root)


def recover(root: Path) -> None:
    """Complete an interrupted swap, or delete what a killed backup or restore left."""
    if not root.is_dir():
        return
    journal = root / JOURNAL
    if journal.exists():
        try:
            swap = Swap(**json.loads(journal.read_bytes()))
        except (OSError, ValueError, TypeError):
            swap = None  # a journal is written atomically: unreadable means never complete
        if swap is not None:
            _complete(root, swap)
            return
        _unlink(journal)
    discard_leftovers(root)


def discard_leftovers(root: Path) -> None:
    """Delete candidate files and backups' temporary copies (never a kept database)."""
    removed = False
    for path in root.iterdir():
        name = path.name
        temporary = (CANDIDATE_DB, CANDIDATE_SLOTS, f".{CANDIDATE_SLOTS}.", f".{JOURNAL}.")
        if name.startswith(temporary) or (name.startswith(BACKUP_TMP_PREFIX) and ".db" in name):
            _unlink(path)
            removed = True
    if removed:
        fsync_dir(root)


def leftover_data(root: Path, db: str, slots: str) -> list[str]:
    """Names in ``root`` that hold data of an installation that is not in place: kept
    (replaced) files, a restore's candidate, a pending journal, or one of the pair alone."""
    if not root.is_dir():
        return []
    names = sorted(p.name for p in root.iterdir())
    found = [n for n in names if REPLACED in n or n.startswith((CANDIDATE_DB, JOURNAL))]
    has_db, has_slots = db in names, slots in names
    if has_db != has_slots:
        found.insert(0, db if has_db else slots)
    return found


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
