"""Real installations that exchange bundles, for the sync service tests."""

from __future__ import annotations

import json
from pathlib import Path

from shelter_desk.services import exchange
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify
from shelter_desk.store.compact import unpack_json
from tests.conftest import ADMIN, ADMIN_PASSPHRASE

NETWORK_SECRET = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z"


class Party:
    """One installation with its admin signed in."""

    def __init__(self, root: Path, org: str, role: str, country: str) -> None:
        self.installation = Installation(root)
        self.outbox = root.parent / f"{root.name}-outbox"
        self.outbox.mkdir(parents=True, exist_ok=True)
        self._sent = 0
        self.session: Session
        self.session, _recovery = self.installation.create(
            org_name=org, admin=ADMIN, passphrase=ADMIN_PASSPHRASE, role=role, country=country
        )

    @property
    def key_id(self) -> str:
        return self.session.device_id

    @property
    def org_id(self) -> str:
        return self.session.org_id

    def card_bytes(self) -> bytes:
        return exchange.my_card(self.session).to_bytes()

    def trust(self, other: Party) -> None:
        """Both sides add each other's card after reading the fingerprint aloud."""
        exchange.add_partner(
            self.session, other.card_bytes(), exchange.my_card(other.session).fingerprint
        )
        exchange.add_partner(
            other.session, self.card_bytes(), exchange.my_card(self.session).fingerprint
        )

    def send(self, other: Party) -> bytes:
        return self.export(other).bundle

    def export(self, other: Party) -> exchange.ExportResult:
        """Export to a new file in this party's outbox (encrypted: safe on disk)."""
        self._sent += 1
        out = self.outbox / f"{other.key_id}-{self._sent}.shbundle"
        return exchange.export_bundle(self.session, other.key_id, out)

    def receive(self, data: bytes) -> exchange.ImportResult:
        return exchange.import_bundle(self.session, data)

    def digest(self) -> str:
        return verify(self.session).digest

    def change_count(self) -> int:
        return int(self.session.db.scalar("SELECT count(*) FROM changes"))

    def records_json(self) -> str:
        """Every record and change as stored (decrypted), for scanning for leaked text."""
        rows = [json.loads(r[0]) for r in self.session.db.all("SELECT data FROM records")]
        rows += [unpack_json(r[0]) for r in self.session.db.all("SELECT fields FROM changes")]
        return json.dumps(rows, ensure_ascii=False)

    def close(self) -> None:
        if self.session.open:
            self.session.lock()
        self.installation.release()
