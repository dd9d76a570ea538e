"""One demo case from start to end: the parts of the generator put together."""

from __future__ import annotations

import datetime as dt

from shelter_desk.domain import rules
from shelter_desk.domain.entities import Case, Person
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.demo import places
from shelter_desk.services.demo.base import Story
from shelter_desk.services.demo.history import History
from shelter_desk.services.demo.people import People
from shelter_desk.services.demo.populations import CURRENCIES


class Generator(People, History):
    """Makes one whole case file at a time, from the seeded random generator."""

    # -- one case ------------------------------------------------------------------
    def case(self, opened: dt.date) -> CaseFile:
        population = self.weighted([(p, p.weight) for p in self.populations])
        pattern = self.weighted([(p, p.weight) for p in population.patterns])
        host = self.home if self.home in pattern.hosts else self.pick(pattern.hosts)
        exploited_in = self.pick(pattern.exploited_in) if pattern.exploited_in else host
        case_id = self.ids.on(opened)
        seq = self.numbers.next(self.prefix, opened.year)
        case = Case(
            id=case_id,
            org_id=self.org_id,
            number=rules.format_case_number(self.prefix, opened.year, seq),
            person_id=self.ids.on(opened),
            owner_id=self.owner_id,
            opened_on=opened,
        )
        story = Story(
            population=population,
            pattern=pattern,
            host=host,
            exploited_in=exploited_in,
            currency=CURRENCIES[host],
            opened=opened,
            end=self.today,
            staff=self.pick(places.STAFF),
            minor=self.chance(pattern.minor),
            cf=CaseFile(case=case, person=Person(id=case.person_id, org_id=self.org_id)),
        )
        self.person(story, self.chance(pattern.female))
        intake = self.intake(story)
        consent = self.consent(story)
        self.events(story, intake)
        self.decide_status(story)
        returning = self.return_(story)
        if returning is None:
            self.close_without_return(story)
        self.assessments(story)
        self.objectives(story)
        self.services(story)
        self.referrals(story, consent)
        if returning is not None:
            self.reintegration(story, returning)
        cf = story.cf
        cf.case.risk_level = cf.assessments[-1].risk_level if cf.assessments else ""
        decided = cf.case.trafficking_status_decided_on
        if decided and cf.case.closed_on and decided > cf.case.closed_on:
            cf.case.trafficking_status_decided_on = cf.case.closed_on
        return cf
