"""How records' clocks and the change log's bodies are stored compactly (schema 11).

Clocks: a record keeps the clock of every field's last write, and nearly all of a record's
fields were written by the same transaction. Stored as a JSON object (field -> clock, about
45 bytes a field) they were the biggest single part of the database. Now they are a JSON
array ``[default, {field: clock}, [field, ...]]``: the clock most fields share, the fields
whose clock differs (or that have a clock but no value, such as ``__deleted__``), and the
fields that have a value but no clock; trailing empty parts are left out, so a record
written once stores one clock. Reading gives back exactly the mapping that was written.

Change bodies (the fields of a transaction, canonical JSON) are compressed with zstd and a
dictionary trained on record bodies (store/record_dictionary.py): the field names and code
values are in the dictionary, so a body takes about a fifth of its JSON. The first byte
names the format, so a later dictionary can be added beside this one.

The audit log's two hashes a row are stored as their 32 bytes (store/accounts.py reads
them back as the hexadecimal text they are computed as).

``records.data`` stays JSON text: the period report's triggers, the statistics index and
other queries read it in SQL with ``json_extract``.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

import zstandard

from shelter_desk.store.record_dictionary import DICTIONARY_1

_FORMAT_ZSTD_1 = 1  # zstd, magicless frame, dictionary 1, content size written
_LEVEL = 3  # level 19 saves another 10 % at 60 times the time of a write
_MAX_BODY = 64 * 1024 * 1024  # refuse to inflate a damaged body past this


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)  # one encoder: json.dumps with options builds one a call


def encode_clocks(data: Mapping[str, Any], clocks: Mapping[str, str]) -> str:
    """``clocks`` (field -> clock) as stored beside ``data`` (see the module docstring)."""
    if not clocks:
        return "[]"
    if clocks.keys() == data.keys() and len(one := set(clocks.values())) == 1:
        return _dumps(list(one))  # every field written by one transaction: a sync import
    shared = Counter(v for k, v in clocks.items() if k in data)
    # The commonest clock; among equally common ones the latest, so the text is the same
    # whatever order the mapping was built in.
    default = max(shared.items(), key=lambda kv: (kv[1], kv[0]))[0] if shared else ""
    different = {k: v for k, v in clocks.items() if k not in data or v != default}
    missing = sorted(k for k in data if k not in clocks)
    parts: list[Any] = [default, different, missing]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    return _dumps(parts)


def decode_clocks(data: Mapping[str, Any], raw: str) -> dict[str, str]:
    """The mapping :func:`encode_clocks` stored (a JSON object as written before schema 11
    is read as it is)."""
    value = json.loads(raw)
    if isinstance(value, dict):
        return value
    if not value:
        return {}
    default = value[0]
    different: dict[str, str] = value[1] if len(value) > 1 else {}
    missing = set(value[2]) if len(value) > 2 else set()
    clocks = {k: default for k in data if k not in missing}
    clocks.update(different)
    return clocks


class _Codec(threading.local):
    """A compressor and a decompressor per thread (zstandard's objects are not to be shared
    between threads); the dictionary is prepared once."""

    def __init__(self) -> None:
        dictionary = _dictionary()
        self.compressor = zstandard.ZstdCompressor(
            level=_LEVEL,
            dict_data=dictionary,
            write_checksum=False,  # SQLCipher authenticates every page
            write_dict_id=False,  # the format byte names the dictionary
            write_content_size=True,
        )
        self.decompressor = zstandard.ZstdDecompressor(dict_data=dictionary)


_DICTIONARY: zstandard.ZstdCompressionDict | None = None
_LOCK = threading.Lock()


def _dictionary() -> zstandard.ZstdCompressionDict:
    global _DICTIONARY
    with _LOCK:
        if _DICTIONARY is None:
            prepared = zstandard.ZstdCompressionDict(DICTIONARY_1)
            prepared.precompute_compress(level=_LEVEL)
            _DICTIONARY = prepared
        return _DICTIONARY


_CODEC: _Codec | None = None


def _codec() -> _Codec:
    global _CODEC
    if _CODEC is None:
        _CODEC = _Codec()
    return _CODEC


_MAGIC = b"\x28\xb5\x2f\xfd"  # zstd's frame magic, left out of the stored bytes


def pack_json(value: Any) -> bytes:
    """``value`` as canonical JSON, compressed: what ``changes.fields`` holds."""
    return _pack(_dumps(value))


def _pack(text: str) -> bytes:
    frame = _codec().compressor.compress(text.encode())
    if not frame.startswith(_MAGIC):  # zstandard always writes it; never stored without
        raise ValueError("unexpected zstd frame")
    return bytes([_FORMAT_ZSTD_1]) + frame[len(_MAGIC) :]


def unpack_json(stored: bytes | str) -> Any:
    """What :func:`pack_json` packed (JSON text as stored before schema 11 is read too)."""
    if isinstance(stored, str):
        return json.loads(stored)
    if not stored or stored[0] != _FORMAT_ZSTD_1:
        raise ValueError("unknown format of a stored change")
    try:
        body = _codec().decompressor.decompress(_MAGIC + stored[1:], max_output_size=_MAX_BODY)
    except zstandard.ZstdError as exc:
        raise ValueError("a stored change is damaged") from exc
    return json.loads(body)


# -- schema 11 -----------------------------------------------------------------------
_CHANGES_V11 = """
CREATE TABLE changes_v11 (
    txn_id TEXT PRIMARY KEY,
    hlc TEXT NOT NULL,
    device TEXT NOT NULL,
    user_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    parents TEXT NOT NULL,
    fields BLOB NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT
"""
_CHANGE_COPY = (
    "txn_id, hlc, device, user_id, org_id, case_id, entity, record_id, parents, fields, deleted"
)
_BATCH = 2000
# Not kept: the change log is read by record, by transaction and by arrival, never in clock
# order across records (the few reads that sort by clock sort what they selected).
_DROPPED_INDEXES = frozenset({"changes_by_hlc"})


def _batches(db: Any, sql: str) -> Any:
    """Rows of ``sql`` (which selects the rowid first and takes the last one seen) in
    batches, so that a large table is never held whole in memory."""
    last = 0
    while True:
        rows = db.execute(sql, (last, _BATCH)).fetchall()
        if not rows:
            return
        yield rows
        last = int(rows[-1][0])


_AUDIT_V11 = """
CREATE TABLE audit_v11 (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id TEXT NOT NULL DEFAULT '',
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
) STRICT
"""
# The hashes as their 32 bytes instead of 64 hexadecimal digits (read back with
# lower(hex(...)): store/accounts.py). A value that is not hexadecimal (a damaged or altered
# row) is kept as its text's bytes, so the chain check still finds it and the upgrade works.
_AUDIT_COPY = (
    "INSERT INTO audit_v11 SELECT seq, at, user_id, action, object_type, object_id,"
    " coalesce(unhex(prev_hash), CAST(prev_hash AS BLOB)), coalesce(unhex(hash),"
    " CAST(hash AS BLOB)) FROM audit ORDER BY seq"
)


def _replace_table(db: Any, table: str, fill: Any, dropped: frozenset[str] = frozenset()) -> None:
    """Swap ``table`` for ``{table}_v11`` (already created) once ``fill()`` has copied the
    rows into it; the old table's indexes and triggers are made again on the new one, but
    those in ``dropped``."""
    kept = [
        str(sql)
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_schema WHERE tbl_name = ? AND sql IS NOT NULL"
            " AND type IN ('index', 'trigger') ORDER BY type, name",
            (table,),
        ).fetchall()
        if name not in dropped
    ]
    fill()
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {table}_v11 RENAME TO {table}")
    for sql in kept:
        db.execute(sql)


def compact_storage(db: Any) -> None:
    """Schema 11: records' clocks in their compact form, change bodies compressed, audit
    hashes as bytes (see the module docstring). ``db`` runs statements (a Database or a raw
    connection, inside the migration's transaction); the space freed is reused by later
    writes, and a backup (written afresh) restores to a file without it."""
    for rows in _batches(
        db, "SELECT rowid, data, clocks FROM records WHERE rowid > ? ORDER BY rowid LIMIT ?"
    ):
        for rowid, data, clocks in rows:
            try:
                compact = encode_clocks(json.loads(data), decode_clocks({}, clocks))
            except ValueError:
                continue  # unreadable data: the clocks stay as they are, readable as before
            db.execute("UPDATE records SET clocks = ? WHERE rowid = ?", (compact, rowid))

    def copy_changes() -> None:
        for rows in _batches(
            db,
            f"SELECT rowid, {_CHANGE_COPY} FROM changes WHERE rowid > ? ORDER BY rowid LIMIT ?",
        ):
            for row in rows:
                packed = (*row[:10], _pack(row[10]), row[11])  # the text as it was written
                db.execute(
                    f"INSERT INTO changes_v11 (rowid, {_CHANGE_COPY})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    packed,
                )

    db.execute(_CHANGES_V11)
    _replace_table(db, "changes", copy_changes, _DROPPED_INDEXES)
    db.execute(_AUDIT_V11)
    _replace_table(db, "audit", lambda: db.execute(_AUDIT_COPY))
