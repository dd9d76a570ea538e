"""Bundle write/read throughput on synthetic transactions.

    PYTHONPATH=src .venv/bin/python benchmarks/bundle_bench.py [--counts 10000 100000]
        [--level 3]

Each transaction is a synthetic change of 300-600 bytes of JSON (UUIDv7 ids, an HLC time,
parents and a handful of fields with made-up text); nothing resembles real people. Prints,
per size: JSON bytes per transaction, bundle bytes per transaction, write and read time and
transactions per second. Everything stays in memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from typing import Any

import uuid6

from shelter_desk.sync.bundle import write_bundle
from shelter_desk.sync.hlc import HLC
from shelter_desk.sync.identity import DeviceIdentity
from shelter_desk.sync.opening import read_bundle

SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tu", "vel", "do", "ar", "ni", "shi", "po", "zem"]
ENTITIES = ["case", "assessment", "service", "referral", "follow_up", "consent", "document"]
STATUSES = ["open", "active", "referred", "closed", "pending"]
RISK = ["low", "medium", "high", "critical"]


def made_up_text(rng: random.Random, words: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(words)
    )


def synthetic_transaction(rng: random.Random, clock: HLC, device: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "status": rng.choice(STATUSES),
        "risk_level": rng.choice(RISK),
        "updated_by": f"user-{rng.randint(1, 40)}",
        "location_code": f"{rng.choice(['JO', 'LB', 'EG', 'GE'])}-{rng.randint(1, 99):02d}",
        "note": made_up_text(rng, rng.randint(5, 45)),
    }
    if rng.random() < 0.5:
        fields["next_follow_up"] = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {
        "txn_id": str(uuid6.uuid7()),
        "device": device,
        "hlc": clock.tick().encode(),
        "parents": [str(uuid6.uuid7()) for _ in range(rng.randint(0, 2))],
        "entity": rng.choice(ENTITIES),
        "record_id": str(uuid6.uuid7()),
        "op": "update",
        "fields": fields,
    }


def run(count: int, level: int) -> None:
    rng = random.Random(count)
    sender, receiver = DeviceIdentity.generate(), DeviceIdentity.generate()
    sender_card = sender.public_card("Synthetic shelter", "JO", "shelter")
    receiver_card = receiver.public_card("Synthetic coordinator", "JO", "coordinator")
    clock = HLC(sender.key_id)
    transactions = [synthetic_transaction(rng, clock, sender.key_id) for _ in range(count)]
    json_bytes = sum(len(json.dumps(t, separators=(",", ":"))) for t in transactions)

    start = time.perf_counter()
    data = write_bundle(
        sender,
        receiver_card,
        {"acknowledged": []},
        transactions,
        seq=1,
        previous_hash=hashlib.sha256(b"").hexdigest(),
        schema_version=1,
        compression_level=level,
    )
    written = time.perf_counter() - start

    start = time.perf_counter()
    opened = read_bundle(data, receiver, {sender_card.key_id: sender_card})
    read = time.perf_counter() - start
    assert len(opened.transactions) == count

    print(
        f"{count:>8} txns | JSON {json_bytes / count:6.0f} B/txn | "
        f"bundle {len(data) / count:6.1f} B/txn ({len(data) / 1e6:7.2f} MB, "
        f"{json_bytes / len(data):4.1f}x) | "
        f"write {written:6.2f} s {count / written:>9,.0f} txn/s | "
        f"read {read:6.2f} s {count / read:>9,.0f} txn/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--level", type=int, default=3, help="zstd level, 1-19")
    args = parser.parse_args()
    print(f"zstd level {args.level}")
    for count in args.counts:
        run(count, args.level)


if __name__ == "__main__":
    main()
