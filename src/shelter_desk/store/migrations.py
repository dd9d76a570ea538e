"""Numbered schema migrations. Each runs in its own transaction and sets user_version.

Never edit a migration that has shipped: add the next one. tests/store/test_migrations.py
upgrades a fixture of every earlier version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlcipher3

from shelter_desk.domain.errors import StoreError
from shelter_desk.i18n import _

if TYPE_CHECKING:
    from shelter_desk.store.db import Database

V1_FOUNDATION = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en',
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_object ON audit(object_type, object_id);
"""

MIGRATIONS: tuple[str, ...] = (V1_FOUNDATION,)
LATEST = len(MIGRATIONS)


def upgrade(db: Database, target: int = LATEST) -> int:
    """Apply every migration after the file's user_version up to ``target``."""
    current = int(db.scalar("PRAGMA user_version") or 0)
    if current > LATEST:
        raise StoreError(
            _(
                "This database was made by a newer Shelter Desk (schema {found}); update the app."
            ).format(found=current)
        )
    for version in range(current + 1, target + 1):
        with db.transaction():
            for statement in _statements(MIGRATIONS[version - 1]):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {version}")
    return max(current, target)


def _statements(script: str) -> list[str]:
    """Split a migration into complete statements (triggers included)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
