"""The encrypted database: one SQLCipher 4 file, opened with a raw 256-bit key.

A connection used before ``PRAGMA key`` silently creates a plain database, so the key is
always the first statement, and opening never creates a file: creating is a separate call
that refuses to overwrite anything. One thread owns the connection (the one that opened
it); every other thread must go through the database worker.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlcipher3

from shelter_desk.domain.errors import StoreError
from shelter_desk.domain.os_errors import read_only_message
from shelter_desk.i18n import _
from shelter_desk.store import migrations

CACHE_KIB = 64 * 1024
WAL_LIMIT_BYTES = 4 * 1024 * 1024
COMPACT_LIMIT_BYTES = 1024 * 1024 * 1024
Row = tuple[Any, ...]


class Database:
    """A keyed SQLCipher connection with explicit transactions."""

    def __init__(self, conn: Any, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._owner = threading.get_ident()
        self._depth = 0
        self.closed = False

    # -- opening -------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, key: bytes) -> Database:
        if path.exists():
            raise StoreError(
                _("A database already exists at {path}; it was not touched.").format(path=path)
            )
        db = cls(_connect(path, key), path)
        os.chmod(path, 0o600)
        db.migrate()
        return db

    @classmethod
    def open(
        cls, path: Path, key: bytes, *, read_only: bool = False, migrate: bool = True
    ) -> Database:
        """Open the file; ``read_only`` for a folder that cannot be written (see
        :func:`_refuse_unclosed_log`): every write then fails with a translated StoreError.
        ``migrate=False`` leaves an older schema as it is, for a backup before upgrading
        (a newer one is refused all the same)."""
        if not path.is_file():
            raise StoreError(_("The database file {path} is missing.").format(path=path))
        db = cls(_connect(path, key, read_only=read_only), path)
        try:
            # Not migrating still refuses a schema newer than this code (target = current).
            migrations.upgrade(db, migrations.LATEST if migrate else migrations.schema_version(db))
        except BaseException:
            db._conn.close()
            raise
        return db

    def close(self) -> None:
        self._check_thread()
        try:
            with contextlib.suppress(sqlcipher3.Error):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.closed = True
            self._conn.close()

    def migrate(self) -> int:
        return migrations.upgrade(self)

    # -- statements ----------------------------------------------------------------
    def _check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            raise RuntimeError("the database connection is owned by another thread")

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        self._check_thread()
        try:
            return self._conn.execute(sql, params)
        except sqlcipher3.DatabaseError as exc:
            raise _translate(exc, self.path) from exc

    def executemany(self, sql: str, rows: Any) -> None:
        self._check_thread()
        try:
            self._conn.executemany(sql, rows)
        except sqlcipher3.DatabaseError as exc:
            raise _translate(exc, self.path) from exc

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Row | None:
        try:
            row = self.execute(sql, params).fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise _translate(exc, self.path) from exc
        return tuple(row) if row is not None else None

    def all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        try:
            return [tuple(r) for r in self.execute(sql, params).fetchall()]
        except sqlcipher3.DatabaseError as exc:
            raise _translate(exc, self.path) from exc

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.one(sql, params)
        return row[0] if row else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic unit of work; nested calls join the outer transaction."""
        self._check_thread()
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            with contextlib.suppress(sqlcipher3.Error):
                self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.execute("COMMIT")
        except BaseException:
            # A failed COMMIT leaves SQLite inside the transaction: every later BEGIN would
            # fail until restart. Nothing of it was saved; end it and say so.
            with contextlib.suppress(sqlcipher3.Error):
                self._conn.execute("ROLLBACK")
            raise

    # -- maintenance ---------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """Problems found by SQLCipher's HMAC check and SQLite's integrity check."""
        try:
            problems = [str(r[0]) for r in self.all("PRAGMA cipher_integrity_check")]
            result = [str(r[0]) for r in self.all("PRAGMA integrity_check")]
        except StoreError as exc:
            return [exc.message]
        if result != ["ok"]:
            problems.extend(result)
        return problems

    def compact(self, max_bytes: int = COMPACT_LIMIT_BYTES) -> bool:
        """Give the free pages back to the disk (VACUUM), when there are any and the data
        takes at most ``max_bytes``; whether it ran. VACUUM builds the new file in memory
        (``temp_store = MEMORY``: nothing of it reaches the disk unencrypted), hence the
        limit; above it the free pages are simply reused by later writes. A kill during it
        leaves the file as it was (the copy is written through the write-ahead log)."""
        page = int(self.scalar("PRAGMA page_size"))
        free = int(self.scalar("PRAGMA freelist_count"))
        used = (int(self.scalar("PRAGMA page_count")) - free) * page
        if not free or used > max_bytes:
            return False
        self.execute("VACUUM")
        self.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return True

    def export_encrypted(self, path: Path, key: bytes) -> None:
        """Write a consistent encrypted copy of the whole database to ``path``."""
        self._check_thread()
        version = int(self.scalar("PRAGMA main.user_version"))
        try:
            self._conn.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{key.hex()}'\"", (str(path),))
            try:
                # The copy is a temporary file, read once and deleted: a journal and syncs
                # for each of its statements only slow it down (and a crash discards it).
                self._conn.execute("PRAGMA backup.journal_mode = OFF").fetchone()
                self._conn.execute("PRAGMA backup.synchronous = OFF")
                self._conn.execute("SELECT sqlcipher_export('backup')")
                self._conn.execute(f"PRAGMA backup.user_version = {version}")
            finally:
                with contextlib.suppress(sqlcipher3.Error):
                    self._conn.execute("DETACH DATABASE backup")
        except sqlcipher3.DatabaseError as exc:
            raise _translate(exc, path) from exc


def _connect(path: Path, key: bytes, *, read_only: bool = False) -> Any:
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    if read_only:
        _refuse_unclosed_log(path)
    target = f"{path.absolute().as_uri()}?immutable=1" if read_only else str(path)
    conn = sqlcipher3.connect(target, uri=read_only, isolation_level=None, check_same_thread=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # errors reach us as exceptions
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # OFF (SQLCipher's default since 4.5): ON zeroes and locks every page SQLite frees,
        # which made the store 3.5-7x slower while the same plaintext lives unwiped in Python
        # objects and Qt widgets anyway. The key itself is wiped on lock (see Session.lock).
        conn.execute("PRAGMA cipher_memory_security = OFF")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            # The log is truncated back to this after each checkpoint; without it a large
            # transaction (a demo batch, an import) left it at its largest until close.
            conn.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise _translate(exc, path) from exc
    return conn


def _refuse_unclosed_log(path: Path) -> None:
    """A read-only connection (SQLite's ``immutable`` mode: no locks, no ``-wal``/``-shm``
    files, which a read-only folder could not hold) cannot read a write-ahead log that a
    crash left with content, so such a folder is refused rather than read without it."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(
            _(
                "This installation cannot be written and was not closed properly; copy its"
                " folder to a writable disk and open it there."
            )
        )


def _translate(exc: sqlcipher3.DatabaseError, path: Path) -> StoreError:
    text = str(exc).lower()
    if "readonly" in text:
        return StoreError(read_only_message())
    if "not a database" in text:
        return StoreError(
            _(
                "The database {name} cannot be read with this key: it is damaged or is not"
                " the one these key slots belong to. Restore it from a backup."
            ).format(name=path.name)
        )
    if "malformed" in text or "corrupt" in text:
        return StoreError(
            _("The database {name} is damaged. Restore it from a backup.").format(name=path.name)
        )
    if "locked" in text or "busy" in text:
        return StoreError(_("The database is busy; try again."))
    if "disk is full" in text:
        return StoreError(_("The disk is full; nothing was saved."))
    if "disk i/o error" in text or "unable to open" in text:
        return StoreError(
            _("Could not write to the disk (it may be full or removed); nothing was saved.")
        )
    raise exc
