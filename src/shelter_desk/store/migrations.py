"""Numbered schema migrations. Each runs in its own transaction and sets user_version.

Never edit a migration that has shipped: add the next one. tests/store/test_migrations.py
upgrades a fixture of every earlier version.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlcipher3

from shelter_desk.domain.errors import StoreError
from shelter_desk.i18n import _
from shelter_desk.store.compact import compact_storage
from shelter_desk.store.national_rows import V10_REPORT_ROWS
from shelter_desk.store.search_index import rebuild_search_index
from shelter_desk.store.statements import Statements

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

# Case records as a change log: every write is an immutable transaction in ``changes``;
# ``records`` holds each record's current state (with a clock per field for merging);
# ``case_index``, ``case_search`` and ``follow_up_index`` are derived for fast lists.
V2_CASE_RECORDS = """
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL,
    org_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    data TEXT NOT NULL,
    clocks TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    origin_device TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX records_by_case ON records(case_id, entity);
CREATE INDEX records_by_entity ON records(entity, org_id);

CREATE TABLE changes (
    txn_id TEXT PRIMARY KEY,
    hlc TEXT NOT NULL,
    device TEXT NOT NULL,
    user_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    parents TEXT NOT NULL,
    fields TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX changes_by_record ON changes(record_id);
CREATE INDEX changes_by_hlc ON changes(hlc);

CREATE TABLE case_numbers (
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
) STRICT;

CREATE TABLE case_index (
    rowid INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    number TEXT NOT NULL,
    name TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    status TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    risk_level TEXT NOT NULL,
    exploitation TEXT NOT NULL,
    nationality TEXT NOT NULL,
    gender TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    next_follow_up TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX case_index_number ON case_index(number);
CREATE INDEX case_index_name ON case_index(sort_name);
CREATE INDEX case_index_status ON case_index(status, number);
CREATE INDEX case_index_owner ON case_index(owner_id, number);
CREATE INDEX case_index_opened ON case_index(opened_on);
CREATE INDEX case_index_follow_up ON case_index(next_follow_up);
CREATE INDEX case_index_risk ON case_index(risk_level, number);

CREATE VIRTUAL TABLE case_search USING fts5(
    exact, fuzzy, content='', contentless_delete=1, tokenize="ascii tokenchars '_'"
);

CREATE TABLE follow_up_index (
    record_id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    scheduled_on TEXT NOT NULL,
    done_on TEXT NOT NULL
) STRICT;
CREATE INDEX follow_up_due ON follow_up_index(done_on, scheduled_on);
CREATE INDEX follow_up_owner ON follow_up_index(owner_id, done_on, scheduled_on);

CREATE TABLE drafts (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT;
"""

# Sync between installations (see shared/design/bundle-format.md). Local bookkeeping only:
# nothing here is case data, and quarantine rows never hold a bundle's content.
V3_SYNC = """
CREATE TABLE sync_partners (
    key_id TEXT PRIMARY KEY,
    card BLOB NOT NULL,
    fingerprint TEXT NOT NULL,
    organisation TEXT NOT NULL,
    country TEXT NOT NULL,
    role TEXT NOT NULL,
    org_id TEXT NOT NULL DEFAULT '',
    trusted_at TEXT NOT NULL,
    trusted_by TEXT NOT NULL,
    revoked_at TEXT NOT NULL DEFAULT '',
    revoked_by TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sync_partners_org ON sync_partners(org_id);

CREATE TABLE sync_bundles (
    bundle_hash TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL,
    partner_key_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    seq INTEGER NOT NULL,
    previous_hash TEXT NOT NULL,
    at TEXT NOT NULL,
    user_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    transactions INTEGER NOT NULL,
    new_transactions INTEGER NOT NULL DEFAULT 0,
    cases INTEGER NOT NULL DEFAULT 0,
    acknowledgements INTEGER NOT NULL DEFAULT 0,
    conflicts INTEGER NOT NULL DEFAULT 0,
    gap_before INTEGER NOT NULL DEFAULT 0,
    chain_broken INTEGER NOT NULL DEFAULT 0,
    future_clocks TEXT NOT NULL DEFAULT '[]',
    acknowledged_at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sync_bundles_partner ON sync_bundles(partner_key_id, direction, seq);

CREATE TABLE sync_bundle_txns (
    bundle_hash TEXT NOT NULL,
    txn_id TEXT NOT NULL,
    PRIMARY KEY (bundle_hash, txn_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_acknowledged (
    partner_key_id TEXT NOT NULL,
    txn_id TEXT NOT NULL,
    PRIMARY KEY (partner_key_id, txn_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_quarantine (
    id INTEGER PRIMARY KEY,
    bundle_hash TEXT NOT NULL,
    reason TEXT NOT NULL,
    sender_key_id TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL,
    at TEXT NOT NULL,
    user_id TEXT NOT NULL
) STRICT;

CREATE TABLE sync_conflicts (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    case_id TEXT NOT NULL,
    field TEXT NOT NULL,
    local_value TEXT NOT NULL,
    local_hlc TEXT NOT NULL,
    local_user TEXT NOT NULL,
    local_device TEXT NOT NULL,
    local_txn TEXT NOT NULL,
    remote_value TEXT NOT NULL,
    remote_hlc TEXT NOT NULL,
    remote_user TEXT NOT NULL,
    remote_device TEXT NOT NULL,
    remote_txn TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolved_by TEXT NOT NULL DEFAULT '',
    resolved_at TEXT NOT NULL DEFAULT '',
    resolution_txn TEXT NOT NULL DEFAULT '',
    UNIQUE (record_id, field, local_txn, remote_txn)
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts(status, record_id, field);
"""

# The dashboard's services-per-month figures read one partial, covering index instead of
# every service record (6 s -> 0.6 s at 100k cases); the case list sorted by next
# follow-up or citizenship reads an index too (60-80 ms -> a few ms for the first page).
V4_SERVICE_STATISTICS = """
DROP INDEX case_index_follow_up;
CREATE INDEX case_index_follow_up_number ON case_index(next_follow_up, number);
CREATE INDEX case_index_nationality_number ON case_index(nationality, number);

CREATE INDEX records_services_by_month ON records(
    json_extract(data, '$.started_on'),
    json_extract(data, '$.currency'),
    json_extract(data, '$.cost')
) WHERE entity = 'service_delivery' AND deleted = 0;
"""

# The search tokens changed (names-table keys, transliterations in the second column): the
# search rows written before would not be found by the new queries, so they are written again.
V5_SEARCH_NAMES = rebuild_search_index

# The CTDC release log (store/ctdc_releases.py): each release, and the row every case was
# published with, so later releases never reveal a case by their difference.
V6_CTDC_RELEASES = """
CREATE TABLE ctdc_releases (
    seq INTEGER PRIMARY KEY,
    schema TEXT NOT NULL,
    released_at TEXT NOT NULL,
    user_id TEXT NOT NULL,
    k INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    held_back INTEGER NOT NULL
) STRICT;

CREATE TABLE ctdc_released_rows (
    schema TEXT NOT NULL,
    case_id TEXT NOT NULL,
    release_seq INTEGER NOT NULL,
    row TEXT NOT NULL,
    PRIMARY KEY (schema, case_id)
) STRICT, WITHOUT ROWID;
"""

# Which organisations number their cases with which prefix (store/coordination.py), kept by
# triggers on case_index; a prefix is the part of a case number before its first hyphen.
V7_CASE_PREFIXES = """
CREATE TABLE case_prefixes (
    prefix TEXT NOT NULL,
    org_id TEXT NOT NULL,
    PRIMARY KEY (prefix, org_id)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO case_prefixes (prefix, org_id)
    SELECT DISTINCT substr(number, 1, instr(number, '-') - 1), org_id FROM case_index
    WHERE instr(number, '-') > 1;

CREATE TRIGGER case_prefixes_added AFTER INSERT ON case_index
WHEN instr(NEW.number, '-') > 1
BEGIN
    INSERT OR IGNORE INTO case_prefixes (prefix, org_id)
        VALUES (substr(NEW.number, 1, instr(NEW.number, '-') - 1), NEW.org_id);
END;

CREATE TRIGGER case_prefixes_changed AFTER UPDATE OF number, org_id ON case_index
WHEN instr(NEW.number, '-') > 1
BEGIN
    INSERT OR IGNORE INTO case_prefixes (prefix, org_id)
        VALUES (substr(NEW.number, 1, instr(NEW.number, '-') - 1), NEW.org_id);
END;
"""

# Decisions on "possibly the same person" pairs of cases (store/duplicates.py).
V8_DUPLICATE_DECISIONS = """
CREATE TABLE duplicate_decisions (
    case_a TEXT NOT NULL,
    case_b TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('same', 'different')),
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    PRIMARY KEY (case_a, case_b),
    CHECK (case_a < case_b)
) STRICT, WITHOUT ROWID;
"""

# The order in which transactions arrived in the change log (written here or imported), by
# case, so that an export reads only the cases where something arrived since the last bundle a
# partner acknowledged (services/exchange/outgoing.py). A table of its own with an INTEGER
# PRIMARY KEY: the implicit rowid of ``changes`` is not stable (VACUUM may renumber it).
V9_CHANGE_ARRIVALS = """
CREATE TABLE change_arrivals (
    n INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL
) STRICT;
INSERT INTO change_arrivals (case_id) SELECT case_id FROM changes ORDER BY rowid;

CREATE TRIGGER change_arrived AFTER INSERT ON changes
BEGIN
    INSERT INTO change_arrivals (case_id) VALUES (NEW.case_id);
END;

ALTER TABLE sync_bundles ADD COLUMN arrivals_mark INTEGER NOT NULL DEFAULT 0;
"""

# Records' clocks stored as the clock most fields share plus the exceptions, the change log's
# bodies compressed with a dictionary, audit hashes as bytes (store/compact.py).
V11_COMPACT_STORAGE = compact_storage

# A migration is SQL, or a function for what SQL cannot do (run in the same transaction).
MIGRATIONS: tuple[str | Callable[[Statements], None], ...] = (
    V1_FOUNDATION,
    V2_CASE_RECORDS,
    V3_SYNC,
    V4_SERVICE_STATISTICS,
    V5_SEARCH_NAMES,
    V6_CTDC_RELEASES,
    V7_CASE_PREFIXES,
    V8_DUPLICATE_DECISIONS,
    V9_CHANGE_ARRIVALS,
    V10_REPORT_ROWS,  # the period report's compact rows, kept by triggers (national_rows)
    V11_COMPACT_STORAGE,
)
LATEST = len(MIGRATIONS)
COMPACT_STORAGE = MIGRATIONS.index(V11_COMPACT_STORAGE) + 1  # its version number


def schema_version(db: Statements) -> int:
    """The schema version the open file records (0 for a file no migration has touched)."""
    return int(db.scalar("PRAGMA user_version") or 0)


def upgrade(db: Statements, target: int = LATEST) -> int:
    """Apply every migration after the file's user_version up to ``target``."""
    current = schema_version(db)
    if current > LATEST:
        raise StoreError(
            _(
                "This database was made by a newer Shelter Desk (schema {found}); update the app."
            ).format(found=current)
        )
    for version in range(current + 1, target + 1):
        migration = MIGRATIONS[version - 1]
        with db.transaction():
            if callable(migration):
                migration(db)
            else:
                for statement in _statements(migration):
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
