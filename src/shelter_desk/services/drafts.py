"""Unsaved work kept across a lock: form contents stored (encrypted) in the database per
user, under a key such as ``case/<case id>/<tab>`` or ``new-case``, until saved or dropped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shelter_desk.services.session import Session


def save_draft(session: Session, key: str, data: dict[str, Any]) -> None:
    with session.db.transaction():
        session.drafts.save(
            session.user.id, key, data, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        )


def load_draft(session: Session, key: str) -> dict[str, Any] | None:
    return session.drafts.load(session.user.id, key)


def draft_keys(session: Session) -> list[str]:
    return session.drafts.keys(session.user.id)


def discard_draft(session: Session, key: str) -> None:
    with session.db.transaction():
        session.drafts.delete(session.user.id, key)
