"""Users, installation facts (meta) and the audit table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shelter_desk.security.audit import GENESIS, AuditEvent, event_hash
from shelter_desk.store.db import Database


@dataclass(frozen=True)
class UserRow:
    id: str
    username: str
    display_name: str
    role: str
    language: str
    disabled: bool
    created_at: str


_USER_COLUMNS = "id, username, display_name, role, language, disabled, created_at"


def _user(row: tuple[object, ...]) -> UserRow:
    return UserRow(
        str(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), bool(row[5]), str(row[6])
    )


class Users:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, user: UserRow) -> None:
        self._db.execute(
            f"INSERT INTO users ({_USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                user.id,
                user.username,
                user.display_name,
                user.role,
                user.language,
                int(user.disabled),
                user.created_at,
            ),
        )

    def by_name(self, username: str) -> UserRow | None:
        row = self._db.one(f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", (username,))
        return _user(row) if row else None

    def by_id(self, user_id: str) -> UserRow | None:
        row = self._db.one(f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
        return _user(row) if row else None

    def all(self) -> list[UserRow]:
        return [
            _user(r) for r in self._db.all(f"SELECT {_USER_COLUMNS} FROM users ORDER BY username")
        ]

    def set_disabled(self, user_id: str, disabled: bool) -> None:
        self._db.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id))

    def set_role(self, user_id: str, role: str) -> None:
        self._db.execute("UPDATE users SET role = ? WHERE id = ?", (role, user_id))

    def set_language(self, user_id: str, language: str) -> None:
        self._db.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM users"))


class Meta:
    """Installation facts and settings as text key/value pairs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str, default: str = "") -> str:
        value = self._db.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if value is None else str(value)

    def set(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def all(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self._db.all("SELECT key, value FROM meta")}


HEAD_KEY = "audit_head"


# Hashes are stored as their bytes (schema 11) and read as the hexadecimal text they are
# computed as.
_AUDIT_COLUMNS = (
    "seq, at, user_id, action, object_type, object_id, lower(hex(prev_hash)), lower(hex(hash))"
)


def _bytes(digest: str) -> bytes:
    """A hash as stored; text that is not hexadecimal as its bytes (it matches no hash)."""
    try:
        return bytes.fromhex(digest)
    except ValueError:
        return digest.encode()


class AuditLog:
    """Append-only, hash-chained audit events (ids and action codes only)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._meta = Meta(db)

    def append(
        self, user_id: str, action: str, object_type: str = "", object_id: str = ""
    ) -> tuple[int, str]:
        """Add an event; return its sequence number and hash (they identify it exactly)."""
        with self._db.transaction():
            last = self._db.one("SELECT seq, lower(hex(hash)) FROM audit ORDER BY seq DESC LIMIT 1")
            seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
            at = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
            digest = event_hash(prev, seq, at, user_id, action, object_type, object_id)
            self._db.execute(
                "INSERT INTO audit (seq, at, user_id, action, object_type, object_id,"
                " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, at, user_id, action, object_type, object_id, _bytes(prev), _bytes(digest)),
            )
            self._meta.set(HEAD_KEY, f"{seq}:{digest}")
        return seq, digest

    def has(self, seq: int, digest: str) -> bool:
        """Whether the event ``seq`` with this hash was committed."""
        return (
            self._db.one("SELECT 1 FROM audit WHERE seq = ? AND hash = ?", (seq, _bytes(digest)))
            is not None
        )

    def events(self, *, after: int = 0, limit: int | None = None) -> list[AuditEvent]:
        sql = f"SELECT {_AUDIT_COLUMNS} FROM audit WHERE seq > ? ORDER BY seq"
        params: tuple[int, ...] = (after,)
        if limit is not None:
            sql += " LIMIT ?"
            params = (after, limit)
        return [AuditEvent(int(r[0]), *(str(v) for v in r[1:])) for r in self._db.all(sql, params)]

    def for_object(self, object_type: str, object_id: str) -> list[AuditEvent]:
        rows = self._db.all(
            f"SELECT {_AUDIT_COLUMNS}"
            " FROM audit WHERE object_type = ? AND object_id = ? ORDER BY seq",
            (object_type, object_id),
        )
        return [AuditEvent(int(r[0]), *(str(v) for v in r[1:])) for r in rows]

    def head(self) -> tuple[int, str] | None:
        raw = self._meta.get(HEAD_KEY)
        if not raw:
            return None
        seq, digest = raw.split(":", 1)
        return int(seq), digest

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM audit"))
