"""The demo generator's state and random helpers, its deterministic ids and the story
that the records of one case share.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from shelter_desk.domain.entities import ContactPerson, Organisation
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.demo import places
from shelter_desk.services.demo.populations import (
    PER_USD,
    POPULATIONS,
    SERVICE_COST_USD,
    Pattern,
    Population,
)
from shelter_desk.services.session import Session

DEMO_YEARS = 4  # cases open over the four years before ``today``
T = TypeVar("T")


# --- Deterministic ids ------------------------------------------------------------------


class Ids:
    """UUIDv7 values from the seed: the time part is the case's opening date (so ids
    sort in the order cases opened), the random parts come from the seeded generator."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"shelter-desk-demo-ids/{seed}")
        self._last_ms = 0

    def on(self, day: dt.date) -> str:
        ms = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)
        self._last_ms = ms = max(ms, self._last_ms + 1)
        value = (
            (ms << 80)
            | (0x7 << 76)
            | (self._rng.getrandbits(12) << 64)
            | (0b10 << 62)
            | self._rng.getrandbits(62)
        )
        return str(uuid.UUID(int=value))


# --- Generating ---------------------------------------------------------------------------


def in_days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@dataclass
class Story:
    """The facts of one case that its records share."""

    population: Population
    pattern: Pattern
    host: str
    exploited_in: str
    currency: str
    opened: dt.date
    end: dt.date  # the last day anything happens: the closing date, or today
    staff: str
    minor: bool
    cf: CaseFile
    recruited: dt.date | None = None
    leaves_on: dt.date | None = None  # the return travel date


class GeneratorBase:
    """The random generator, ids, dates and partner book every part of the
    generator shares; the parts are mixed together in ``generator.Generator``."""

    def __init__(self, session: Session, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.ids = Ids(seed)
        self.today = today
        self.org_id = session.org_id
        self.owner_id = session.user.id
        self.prefix = session.case_prefix
        self.numbers = session.case_numbers
        self.months = cases.follow_up_months(session)
        self.home = session.meta.get("org_country")
        self.partners: list[Organisation] = []
        self._partner_keys: dict[str, Organisation] = {}
        populations = [p for p in POPULATIONS if self._hosts(p)] or list(POPULATIONS)
        self.populations = populations

    def _hosts(self, population: Population) -> bool:
        return not self.home or any(self.home in p.hosts for p in population.patterns)

    # -- helpers -------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def weighted(self, pairs: Sequence[tuple[T, int]]) -> T:
        total = sum(w for _item, w in pairs)
        n = self.rng.randrange(total)
        for item, w in pairs:
            n -= w
            if n < 0:
                return item
        return pairs[-1][0]

    def some(self, items: Sequence[T], low: int, high: int) -> tuple[T, ...]:
        k = min(len(items), self.rng.randint(low, high))
        return tuple(self.rng.sample(list(items), k))

    def between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + in_days(self.rng.randint(0, (end - start).days))

    def money(self, service: str, currency: str, units: int = 1) -> Decimal:
        low, high = SERVICE_COST_USD.get(service, (20, 200))
        usd = self.rng.uniform(low, high) * units
        amount = usd * PER_USD[currency]
        step = 1000 if currency == "LBP" else 5 if amount > 200 else 1
        return Decimal(max(step, int(amount / step) * step))

    # -- the partner address book --------------------------------------------------
    def address_book(self) -> list[Organisation]:
        start = self.today - in_days(365 * (DEMO_YEARS + 1))
        for p in places.PARTNERS:
            org = Organisation(
                id=self.ids.on(start),
                org_id=self.org_id,
                name=p.name,
                type=p.type,
                country=p.country,
                city=p.city,
                phone=p.phone,
                email=p.email,
                languages=p.languages,
                services_offered=p.services,
                coalition_role=p.coalition_role,
                contact_persons=(
                    ContactPerson(
                        name=p.contact,
                        role=p.contact_role,
                        phone=p.phone,
                        email=p.email,
                        languages=p.languages,
                    ),
                ),
                notes="Demo entry: an invented organisation; its details belong to nobody.",
            )
            self.partners.append(org)
            self._partner_keys[p.key] = org
        return self.partners

    def partner_for(self, service: str, country: str) -> Organisation | None:
        found = [o for o in self.partners if service in o.services_offered and o.country == country]
        return self.pick(found) if found else None

    def international(self, host: str) -> Organisation:
        key = "crossroads_tbilisi" if host == "GE" else "crossroads_amman"
        return self._partner_keys[key]

    # -- opening dates -------------------------------------------------------------
    def opening_dates(self, count: int) -> list[dt.date]:
        """When the cases opened: over the last DEMO_YEARS years, more of them recently."""
        span = 365 * DEMO_YEARS
        days = [int(span * (1 - self.rng.random() ** 1.3)) for _n in range(count)]
        return sorted(self.today - in_days(d) for d in days)
