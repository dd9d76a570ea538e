"""A shelter and a coordinator that trust each other, driven through the real command line,
and bundles crafted with the shelter's real keys (a buggy or compromised partner)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from shelter_desk.security.keyslots import KdfParams
from shelter_desk.services.cases import open_case
from shelter_desk.services.installation import Installation
from shelter_desk.store import migrations
from shelter_desk.sync import age
from shelter_desk.sync.bundle import MAGIC, write_bundle
from shelter_desk.sync.canonical import canonical_json
from shelter_desk.sync.identity import DeviceIdentity, PartnerCard
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.services.case_helpers import TODAY, consent, intake, person

MANIFEST_FORMAT = "shelter-desk-sync"


def sd(
    data: Path, *args: str, env: Mapping[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """``shelter-desk --data-dir DATA ARGS --user ADMIN`` with the passphrase on stdin."""
    cmd = [sys.executable, "-m", "shelter_desk", "--data-dir", str(data), *args, "--user", ADMIN]
    clean = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
    clean.update(env or {})
    return subprocess.run(
        cmd,
        input=ADMIN_PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        timeout=timeout,
        env=clean,
    )


class Side:
    """One installation: its folder, organisation id and keys (read once, then locked)."""

    def __init__(
        self, root: Path, org: str, role: str, *, kdf: KdfParams | None = None, cases: int = 0
    ) -> None:
        self.root = root
        installation = Installation(root, kdf=kdf)
        session, _recovery = installation.create(
            org_name=org, admin=ADMIN, passphrase=ADMIN_PASSPHRASE, role=role, country="JO"
        )
        for n in range(cases):
            open_case(
                session,
                person(first=f"Name{n}", latin=f"Name{n}"),
                intake(),
                consent(sharing_level="Identified"),
                today=TODAY,
            )
        self.org_id = session.org_id
        self.identity: DeviceIdentity = session.device_identity
        self.user_id = session.user.id
        self.role = role
        self.card = PartnerCard.from_bytes(
            session.device_identity.public_card(org, "JO", role).to_bytes()
        )
        session.lock()
        installation.release()


class CliWorld:
    """Shelter Hope House and its National Coordinator, each trusting the other's card."""

    def __init__(self, folder: Path, *, kdf: KdfParams | None = None, cases: int = 0) -> None:
        self.folder = folder
        self.shelter = Side(folder / "shelter", "Hope House", "shelter", kdf=kdf, cases=cases)
        self.coord = Side(folder / "coord", "National Coordinator", "coordinator", kdf=kdf)
        for me, other in ((self.shelter, self.coord), (self.coord, self.shelter)):
            card = folder / f"{other.root.name}.card"
            card.write_bytes(other.card.to_bytes())
            fingerprint = other.card.fingerprint
            added = sd(me.root, "partner", "add", str(card), "--fingerprint", fingerprint)
            assert added.returncode == 0, added.stderr

    def crafted(self, transactions: Iterable[Mapping[str, Any]], *, seq: int = 1) -> bytes:
        """A bundle from the shelter to the coordinator, made and signed with the shelter's
        real keys around chosen transactions."""
        manifest = {
            "format": MANIFEST_FORMAT,
            "version": 1,
            "org_id": self.shelter.org_id,
            "role": "shelter",
            "acknowledgements": [],
        }
        return write_bundle(
            self.shelter.identity,
            self.coord.card,
            manifest,
            transactions,
            seq=seq,
            previous_hash="",
            schema_version=migrations.LATEST,
        )

    def sealed(self, compressed: bytes, *, bundle_id: str = "ab" * 16) -> bytes:
        """A bundle around an already compressed plaintext, signed by the shelter."""
        ciphertext = age.encrypt(compressed, self.coord.card.recipient)
        header = {
            "format": "shelter-desk-bundle",
            "format_version": [1, 0],
            "bundle_id": bundle_id,
            "sender_key_id": self.shelter.identity.key_id,
            "recipient_key_ids": [self.coord.identity.key_id],
            "seq": 1,
            "previous_hash": "",
            "payload_length": len(ciphertext),
            "payload_sha256": hashlib.sha256(ciphertext).hexdigest(),
            "schema_version": migrations.LATEST,
        }
        body = canonical_json(header)
        prefix = MAGIC + b"\x01" + len(body).to_bytes(4, "big") + body
        digest = hashlib.sha256(ciphertext).digest()
        return prefix + ciphertext + self.shelter.identity.sign(prefix + digest)

    def manifest_section(self, *, bundle_id: str = "ab" * 16, count: int = 0) -> bytes:
        manifest = {
            "format": MANIFEST_FORMAT,
            "version": 1,
            "org_id": self.shelter.org_id,
            "role": "shelter",
            "acknowledgements": [],
            "bundle_id": bundle_id,
            "sender_key_id": self.shelter.identity.key_id,
            "seq": 1,
            "schema_version": migrations.LATEST,
            "transaction_count": count,
            "attachments": [],
        }
        return section(b"M", canonical_json(manifest))


def section(kind: bytes, body: bytes) -> bytes:
    return kind + len(body).to_bytes(8, "big") + body
