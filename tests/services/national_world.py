"""Two shelters and a national coordinator that imported their bundles, with cases whose
every figure is known, for the period report tests.

Hope House (IL) has three shared cases, Safe Haven (JO) one shared and one not shared:

* HH1: a woman born 2000, Ukrainian, forced labour in agriculture, identified by the police,
  shared identified; opened 2026-03-10; a medical service (100 ILS) on 2026-03-12 and a
  shelter stay (50.50 ILS) from 2026-04-01; a referral on 2026-03-15 accepted on the 20th;
  closed on 2026-06-30 (support completed).
* HH2: a boy born 2010, Sudanese, sexual exploitation in Egypt, shared pseudonymised;
  opened 2026-05-02; returned on 2026-05-20 (300 USD), follow-ups scheduled after it: the
  first (June 20th) done on June 22nd with the best answer to every question.
* HH3: a man shared as statistics only, opened 2026-02-01 (the coordinator sees 2026).
* SH1: a woman born 1996, Filipino, shared identified, opened 2026-04-04.
* SH2: not shared: never reaches the coordinator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from shelter_desk.domain.entities import (
    Organisation,
    Person,
    Return,
    ServiceDelivery,
    TraffickingEvent,
)
from shelter_desk.domain.entities import Referral as ReferralRecord
from shelter_desk.domain.sustainability import DEFAULT
from shelter_desk.services import cases, exchange
from tests.services.case_helpers import TODAY, consent, intake
from tests.sync.sync_parties import NETWORK_SECRET, Party


@dataclass
class World:
    hope: Party
    haven: Party
    coordinator: Party

    def close(self) -> None:
        for party in (self.hope, self.haven, self.coordinator):
            party.close()


def _open(
    party: Party,
    *,
    level: str,
    opened: dt.date,
    gender: str,
    born: int,
    citizenship: str,
    exploitation: str,
    **intake_fields: object,
) -> cases.CaseFile:
    return cases.open_case(
        party.session,
        Person(
            first_name="Test",
            first_name_latin="Test",
            gender=gender,
            citizenships=(citizenship,),
            birth_date=dt.date(born, 6, 1),
        ),
        intake(
            intake_date=opened,
            exploitation_types=(exploitation,),
            **intake_fields,
        ),
        consent(sharing_level=level, given_on=opened),
        today=TODAY,
    )


def build(root: Path) -> World:
    hope = Party(root / "hope", "Hope House", "shelter", "IL")
    haven = Party(root / "haven", "Safe Haven", "shelter", "JO")
    coordinator = Party(root / "coordinator", "National Office", "coordinator", "JO")
    world = World(hope, haven, coordinator)
    s = hope.session
    hh1 = _open(
        hope,
        level="Identified",
        opened=dt.date(2026, 3, 10),
        gender="Feminine",
        born=2000,
        citizenship="UA",
        exploitation="ForcedLabour",
        forced_labour_industry="A_AgricultureForestryAndFishing",
        identification_source="Police",
    )
    case_id = hh1.case.id
    for kind, day, cost in (
        ("Medical", dt.date(2026, 3, 12), Decimal("100")),
        ("Accommodation", dt.date(2026, 4, 1), Decimal("50.50")),
    ):
        cases.save_record(
            s,
            ServiceDelivery(
                case_id=case_id, service_type=kind, started_on=day, cost=cost, currency="ILS"
            ),
            today=TODAY,
        )
    cases.save_record(
        s,
        ReferralRecord(
            case_id=case_id,
            to_org_id=cases.save_organisation(
                s, Organisation(name="Legal Aid Centre", type="LegalService", country="IL")
            ).id,
            referred_on=dt.date(2026, 3, 15),
            reason="AdditionalServicesRequired",
            status="Accepted",
            responded_on=dt.date(2026, 3, 20),
            shares_identity=False,
        ),
        today=TODAY,
    )
    cases.close_case(s, case_id, "SupportCompleted", closed_on=dt.date(2026, 6, 30), today=TODAY)

    hh2 = _open(
        hope,
        level="Pseudonymised",
        opened=dt.date(2026, 5, 2),
        gender="Masculine",
        born=2010,
        citizenship="SD",
        exploitation="SexualExploitation",
    )
    cases.save_record(
        s,
        TraffickingEvent(case_id=hh2.case.id, event_type="Exploitation", country="EG"),
        today=TODAY,
    )
    cases.save_record(
        s,
        Return(
            case_id=hh2.case.id,
            decided_on=dt.date(2026, 5, 10),
            destination_country="SD",
            travel_on=dt.date(2026, 5, 20),
            cost=Decimal("300"),
            currency="USD",
        ),
        today=TODAY,
    )
    visits = cases.schedule_follow_ups(s, hh2.case.id)
    first = min(visits, key=lambda v: v.scheduled_on or TODAY)  # June 20th
    first.done_on, first.mode = dt.date(2026, 6, 22), "Phone"
    first.questionnaire = f"{DEFAULT.code}/{DEFAULT.version}"
    first.answers = {  # the best answer to every question: every score is 1
        q.code: max((o for o in q.options if o.score is not None), key=lambda o: o.score or 0).code
        for q in DEFAULT.questions
    }
    cases.record_follow_up(s, first, today=TODAY)
    _open(
        hope,
        level="StatisticsOnly",
        opened=dt.date(2026, 2, 1),
        gender="Masculine",
        born=1990,
        citizenship="ER",
        exploitation="ForcedLabour",
    )
    _open(
        haven,
        level="Identified",
        opened=dt.date(2026, 4, 4),
        gender="Feminine",
        born=1996,
        citizenship="PH",
        exploitation="ForcedLabour",
        identification_source="NGO",
    )
    _open(
        haven,
        level="NotShared",
        opened=dt.date(2026, 4, 5),
        gender="Feminine",
        born=1999,
        citizenship="PH",
        exploitation="ForcedLabour",
    )
    for shelter in (hope, haven):
        shelter.trust(coordinator)
        exchange.set_network_secret(shelter.session, NETWORK_SECRET)
        coordinator.receive(shelter.send(coordinator))
        shelter.receive(coordinator.send(shelter))
    return world
