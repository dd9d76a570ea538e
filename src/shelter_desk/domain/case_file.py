"""One case with everything recorded about it, and the rule for which consent is in force.

:class:`CaseFile` is the one shape of a case that every layer passes around: the services
build it from the stored records, the screens show it, the printed forms print it, exports
and sharing read it. It also carries the names behind the ids it holds (users, partner
organisations) when the caller resolved them, for the forms and screens that print names.

The consent in force (:func:`consent_in_force`) decides what may be shared, whether a
referral may identify the person and what the forms and the Consent tab say. The latest
consent recorded is the one that counts: consent is given again by recording a new one, and
withdrawing the latest one withdraws consent, however many were given before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from shelter_desk.domain import rules
from shelter_desk.domain.entities import (
    Case,
    Consent,
    FollowUp,
    Intake,
    NeedsAssessment,
    Person,
    Referral,
    ReintegrationPlan,
    Return,
    ServiceDelivery,
    SupportObjective,
    TraffickingEvent,
)

NOT_SHARED = "NotShared"


def latest_consent(consents: Sequence[Consent]) -> Consent | None:
    """The consent recorded last (withdrawn or not), or None when there is none."""
    return consents[-1] if consents else None


def consent_in_force(consents: Sequence[Consent]) -> Consent | None:
    """The consent in force: the latest one recorded, when the person gave it and has not
    withdrawn it; None otherwise (nothing may then be shared)."""
    latest = latest_consent(consents)
    if latest is None or not latest.consent_given or latest.withdrawn_on is not None:
        return None
    return latest


def sharing_level_in_force(consents: Sequence[Consent]) -> str:
    """What the case may share with the coordinator (``SHARING_LEVEL``), from the consent in
    force: ``NotShared`` without one."""
    consent = consent_in_force(consents)
    return consent.sharing_level if consent is not None else NOT_SHARED


@dataclass
class CaseFile:
    """Everything recorded about one case, as domain records, in the order recorded.

    ``user_names`` (user id -> display name) and ``organisation_names`` (partner id -> name)
    are filled by the caller when names are to be shown or printed; empty otherwise.
    """

    case: Case
    person: Person
    intakes: list[Intake] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    events: list[TraffickingEvent] = field(default_factory=list)
    assessments: list[NeedsAssessment] = field(default_factory=list)
    objectives: list[SupportObjective] = field(default_factory=list)
    services: list[ServiceDelivery] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    plans: list[ReintegrationPlan] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    user_names: Mapping[str, str] = field(default_factory=dict)
    organisation_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def intake(self) -> Intake | None:
        return self.intakes[-1] if self.intakes else None

    @property
    def consent(self) -> Consent | None:
        """The consent in force (see :func:`consent_in_force`)."""
        return consent_in_force(self.consents)

    @property
    def may_refer_identified(self) -> bool:
        """Whether a referral may tell the other organisation who the person is: the
        consent in force says the person agreed to be referred (in doubt, no)."""
        consent = self.consent
        return consent is not None and consent.share_with_partners

    @property
    def latest_consent(self) -> Consent | None:
        """The consent recorded last, also when it was withdrawn or refused."""
        return latest_consent(self.consents)

    @property
    def latest_assessment(self) -> NeedsAssessment | None:
        """The needs assessment with the latest date (the last recorded among equals)."""
        if not self.assessments:
            return None
        return max(
            enumerate(self.assessments),
            key=lambda pair: (pair[1].assessed_on or dt.date.min, pair[0]),
        )[1]

    @property
    def return_(self) -> Return | None:
        return self.returns[-1] if self.returns else None

    @property
    def return_date(self) -> dt.date | None:
        r = self.return_
        return r.travel_on if r else None

    @property
    def owner_name(self) -> str:
        """The display name of the caseworker who manages the case, when known."""
        return self.user_names.get(self.case.owner_id, "")

    def user_name(self, user: str) -> str:
        """A user's display name; a value that is not a known user id is a typed name."""
        return self.user_names.get(user, user) if user else ""

    def organisation_name(self, org_id: str) -> str:
        return self.organisation_names.get(org_id, "") if org_id else ""

    def service_totals(self) -> dict[tuple[str, str], Decimal]:
        """Cost per (service type, currency), in the order first met."""
        totals: dict[tuple[str, str], Decimal] = {}
        for s in self.services:
            if s.cost is not None:
                key = (s.service_type, s.currency)
                totals[key] = totals.get(key, Decimal(0)) + s.cost
        return totals

    def cost_totals(self) -> dict[str, Decimal]:
        """Cost of all services and returns, per currency, in the order first met."""
        totals: dict[str, Decimal] = {}
        costs = [(s.cost, s.currency) for s in self.services]
        costs += [(r.cost, r.currency) for r in self.returns]
        for cost, currency in costs:
            if cost is not None:
                totals[currency] = totals.get(currency, Decimal(0)) + cost
        return totals

    def age_at_trafficking(self) -> int | None:
        return rules.age_at_trafficking(self.person, self.intake or self.events)
