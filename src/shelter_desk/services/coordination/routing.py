"""Which coordination records a partner receives in a bundle (``services.exchange``).

A coordination record travels as the transactions of the change log that wrote it, sent
whole (they hold no case data). A partner receives:

* when it is this installation's **coordinator**: every coordination record of this
  organisation;
* whoever it is: every record that names its organisation (a participant of a meeting, the
  owner of an action item, the visited or a visiting organisation, a body approached about a
  hotspot, a training's audience).

The exchange's own rules still apply on top: only a coordinator relays what others wrote, a
partner never gets back what it wrote, and the receiving side accepts from a shelter only
records of the shelter's own organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from shelter_desk.domain import coordination as co
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields
from shelter_desk.store.exchange_state import ExchangeState
from shelter_desk.store.records import Change


def _names(entity: str, data: dict[str, Any], their_org: str) -> bool:
    try:
        record = cast(co.CoordinationRecord, from_fields(ENTITY_TYPES[entity], data))
    except (ValueError, TypeError, AttributeError, KeyError):
        return False  # a record this version cannot read names nobody it knows
    return their_org in co.organisations_of(record)


def changes_for(
    state: ExchangeState,
    my_org: str,
    their_org: str,
    to_coordinator: bool,
    may_send: Callable[[Change], bool],
) -> list[Change]:
    """The coordination transactions this partner should receive (acknowledged ones
    included: the export leaves those out)."""
    wanted: list[str] = []
    for entity in co.COORDINATION_ENTITIES:
        for rid, (org, _case, data) in state.current_fields(entity).items():
            mine_up = to_coordinator and org == my_org
            if mine_up or (their_org and _names(entity, data, their_org)):
                wanted.append(rid)
    if not wanted:
        return []
    return [c for c in state.changes_of_records(wanted) if may_send(c)]
