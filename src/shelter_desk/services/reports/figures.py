"""The national picture for a period: every figure as a table, from :class:`NationalStore`.

Which records count (the definitions printed with the report say the same):

* **People identified**: cases opened in the period (a case shared as statistics only
  carries only its year: it counts when the period holds that whole year).
* Services, referrals, returns and closures count by their own date (start, referral,
  travel, closing) in the period, for the cases the filters keep, whenever those opened.
* **Follow-ups** scheduled in the period: done, and overdue (not done and scheduled before
  the end of the period or today, whichever is earlier) on open cases.
* **Caseload**: cases open at the start, opened, closed, and open at the end of the period.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from shelter_desk.domain import codes
from shelter_desk.i18n import N_
from shelter_desk.reports.national_tables import (
    NOT_RECORDED,
    Count,
    Key,
    Money,
    Table,
    msg,
)
from shelter_desk.services.reports.counting import (
    Row,
    age_at_identification,
    by_codes,
    closed_in,
    code_key,
    days,
    keeps,
    mean,
    median,
    money,
    next_day,
    open_on,
    opened_in,
    ranked,
)
from shelter_desk.services.reports.period import (
    AGE_BAND_CODES,
    MINOR_BANDS,
    Filters,
    Period,
    age_band,
    age_band_label,
)
from shelter_desk.store.national import CaseFacts, FollowUpFacts, NationalStore

OPEN_STATUSES = frozenset({"Active", "FollowUp"})
ACCEPTED = frozenset({"Accepted", "Completed"})

CASES = msg(N_("Cases"))
PEOPLE = msg(N_("People"))
TOTAL = msg(N_("Total"))


@dataclass(frozen=True)
class NationalFigures:
    period: Period
    filters: Filters
    as_of: str  # ISO date: overdue is counted up to here
    organisations: tuple[tuple[str, str], ...]  # (org id, name) of the cases counted
    identified: int
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


class _Computation:
    def __init__(
        self,
        store: NationalStore,
        period: Period,
        filters: Filters,
        today: str,
        names: dict[str, str],
        allowed: Callable[[str], bool],
    ) -> None:
        self.period, self.filters, self.names = period, filters, names
        self.start, self.end = period.start.isoformat(), period.end.isoformat()
        self.as_of = min(today, (period.end.isoformat()))
        # Without filters on the cases themselves, the cases only open in the period (most
        # of a big caseload) are counted by the store instead of read one by one.
        counted = not dataclasses.replace(filters, org_id="").empty
        self.cases = {
            c.case_id: c
            for c in store.cases(self.start, self.end, whole=counted)
            if allowed(c.org_id) and keeps(filters, c)
        }
        self.carried = {
            org: counts
            for org, counts in ({} if counted else store.open_counts(self.start, self.end)).items()
            if allowed(org) and filters.org_id in ("", org)
        }
        self.orgs = self._organisations(store, allowed)
        self.identified = [c for c in self.cases.values() if opened_in(period, c)]
        self.services = [s for s in store.services(self.start, self.end) if s.case_id in self.cases]
        self.first_service = store.first_services(c.case_id for c in self.identified)
        self.referrals = [
            r for r in store.referrals(self.start, self.end) if r.case_id in self.cases
        ]
        self.returns = [r for r in store.returns(self.start, self.end) if r.case_id in self.cases]
        self.follow_ups = [
            f for f in store.follow_ups(self.start, self.end) if f.case_id in self.cases
        ]
        self.closed = [c for c in self.cases.values() if closed_in(period, c)]

    def _organisations(self, store: NationalStore, allowed: Callable[[str], bool]) -> set[str]:
        """The organisations with a case the filters keep, in any period (each has a row in
        the caseload table); the store gave the cases of the period only."""
        found = {c.org_id for c in self.cases.values()} | set(self.carried)
        for org in store.organisations():
            if org in found or not allowed(org) or self.filters.org_id not in ("", org):
                continue
            if any(keeps(self.filters, c) for c in store.organisation_cases(org)):
                found.add(org)
        return found

    def org_order(self, org_id: str) -> tuple[str, str]:
        return (self.names.get(org_id, org_id), org_id)

    def org_name(self, org_id: str) -> Key:
        return Key("org", self.names.get(org_id) or org_id[:8])

    # -- the tables ------------------------------------------------------------------
    def tables(self) -> tuple[Table, ...]:
        return (
            self.summary(),
            self.status_decided(),
            self.sex_age(),
            self.counted(
                "citizenship",
                N_("People identified by citizenship"),
                N_("A person with two citizenships counts under each of them."),
                N_("Citizenship"),
                lambda c: c.citizenships,
                lambda code: Key("country", code) if code else msg(NOT_RECORDED),
            ),
            self.counted(
                "exploited_in",
                N_("People identified by country of exploitation"),
                N_("The countries of the exploitation events recorded for each person."),
                N_("Country of exploitation"),
                lambda c: c.exploited_in,
                lambda code: Key("country", code) if code else msg(NOT_RECORDED),
            ),
            self.counted(
                "exploitation",
                N_("People identified by type of exploitation"),
                N_("A person may have been exploited in several ways: each type counts."),
                N_("Type of exploitation"),
                lambda c: c.exploitation_types,
                lambda code: code_key(codes.EXPLOITATION_TYPE, code),
            ),
            self.counted(
                "sector",
                N_("People identified by sector of forced labour"),
                N_("The industry (ISIC section) of the forced labour, as recorded at intake."),
                N_("Sector"),
                lambda c: (c.industry,),
                lambda code: code_key(codes.FORCED_LABOUR_INDUSTRY, code),
            ),
            self.counted(
                "identification_source",
                N_("People identified by who identified them"),
                N_("The identification source recorded at intake."),
                N_("Identified by"),
                lambda c: (c.identification_source,),
                lambda code: code_key(codes.IDENTIFICATION_SOURCE, code),
            ),
            self.services_table(),
            self.referrals_table(),
            self.returns_table(),
            self.sustainability(),
            self.follow_ups_table(),
            self.first_service_table(),
            self.caseload(),
            self.closures(),
            self.per_organisation(),
        )

    def summary(self) -> Table:
        status = Counter(c.trafficking_status for c in self.identified)
        minors = sum(
            1 for c in self.identified if age_band(age_at_identification(c)) in MINOR_BANDS
        )
        figures = (
            (N_("People identified"), len(self.identified)),
            (N_("Possible victims of trafficking"), status["PossibleVictimOfTrafficking"]),
            (N_("Actual victims of trafficking"), status["ActualVictimOfTrafficking"]),
            (N_("Minors (under 18 when identified)"), minors),
            (N_("Services delivered"), len(self.services)),
            (N_("Referrals made"), len(self.referrals)),
            (N_("Returns (AVRR)"), len(self.returns)),
            (
                N_("Follow-up visits done"),
                sum(1 for f in self.follow_ups if self.period.holds(f.done_on)),
            ),
            (N_("Cases closed"), len(self.closed)),
        )
        return Table(
            "summary",
            N_("The period at a glance"),
            N_("The main figures of the period; each is broken down in the tables after."),
            (msg(N_("Figure")),),
            (msg(N_("Number")),),
            tuple(((msg(text),), (Count(n),)) for text, n in figures),
        )

    def status_decided(self) -> Table:
        counter = Counter((c.trafficking_status, c.decision_org) for c in self.identified)
        order = {code: i for i, code in enumerate(codes.TRAFFICKING_STATUS.codes())}
        rows = tuple(
            (
                (
                    code_key(codes.TRAFFICKING_STATUS, status),
                    code_key(codes.TRAFFICKING_STATUS_DECISION_ORG, org),
                ),
                (Count(n),),
            )
            for (status, org), n in sorted(
                counter.items(), key=lambda p: (order.get(p[0][0], 99), -p[1], p[0][1])
            )
        )
        return Table(
            "status",
            N_("Trafficking status and who decided it"),
            N_("The status recorded on each case and the kind of organisation that decided it."),
            (msg(N_("Trafficking status")), msg(N_("Decided by"))),
            (PEOPLE,),
            rows,
            chart=0,
        )

    def sex_age(self) -> Table:
        counter = Counter((c.gender, age_band(age_at_identification(c))) for c in self.identified)
        sexes = [g for g in (*codes.GENDER.codes(), "") if any(k[0] == g for k in counter)]
        rows = []
        for sex in sexes:
            cells = [Count(counter[(sex, band)]) for band in AGE_BAND_CODES]
            minors = sum(counter[(sex, band)] for band in MINOR_BANDS)
            total = sum(counter[(sex, band)] for band in AGE_BAND_CODES)
            rows.append(((code_key(codes.GENDER, sex),), (*cells, Count(minors), Count(total))))
        return Table(
            "sex_age",
            N_("People identified by sex and age"),
            N_(
                "Age when identified, in whole years, from the year of birth (exact or"
                " estimated); minors are under 18."
            ),
            (msg(N_("Sex")),),
            (
                *(msg(age_band_label(b)) for b in AGE_BAND_CODES),
                msg(N_("Minors")),
                TOTAL,
            ),
            tuple(rows),
            chart=len(AGE_BAND_CODES) + 1,
        )

    def counted(
        self,
        key: str,
        title: str,
        definition: str,
        column: str,
        pick: Callable[[CaseFacts], Iterable[str]],
        label: Callable[[str], Key],
    ) -> Table:
        counter = by_codes(self.identified, lambda c: [x for x in pick(c) if x])
        return Table(
            key, title, definition, (msg(column),), (PEOPLE,), ranked(counter, label), chart=0
        )

    def services_table(self) -> Table:
        counts: Counter[tuple[str, str]] = Counter()
        costs: dict[tuple[str, str], Decimal] = {}
        for s in self.services:
            amount = money(s.cost)
            group = (s.service_type, s.currency if amount is not None else "")
            counts[group] += 1
            if amount is not None:
                costs[group] = costs.get(group, Decimal(0)) + amount
        order = {code: i for i, code in enumerate(codes.SERVICE_TYPE.codes())}
        rows = tuple(
            (
                (code_key(codes.SERVICE_TYPE, kind), Key("currency", currency)),
                (Count(n), Money(costs.get((kind, currency)), currency, n)),
            )
            for (kind, currency), n in sorted(
                counts.items(), key=lambda p: (order.get(p[0][0], 99), p[0][1])
            )
        )
        return Table(
            "services",
            N_("Services delivered and their cost"),
            N_(
                "Services that started in the period, by type and by the currency their cost"
                " was recorded in; services without a cost are counted apart."
            ),
            (msg(N_("Service")), msg(N_("Currency"))),
            (msg(N_("Services")), msg(N_("Cost"))),
            rows,
            chart=0,
        )

    def referrals_table(self) -> Table:
        status = Counter(r.status for r in self.referrals)
        waits = [
            float(d)
            for r in self.referrals
            if r.responded_on and (d := days(r.referred_on, r.responded_on)) is not None
        ]
        rows: list[Row] = [
            ((msg(N_("Referrals made")),), (Count(len(self.referrals)),)),
            ((msg(N_("Accepted")),), (Count(sum(status[s] for s in ACCEPTED)),)),
            ((msg(N_("Declined")),), (Count(status["Declined"]),)),
            ((msg(N_("Waiting for an answer")),), (Count(status["Sent"]),)),
            ((msg(N_("Days to a response (median)")),), (median(waits),)),
            ((msg(N_("Days to a response (average)")),), (mean(waits),)),
        ]
        return Table(
            "referrals",
            N_("Referrals"),
            N_(
                "Referrals made in the period; accepted includes completed ones. Days to a"
                " response count from the referral to the answer of the organisation referred to."
            ),
            (msg(N_("Referrals")),),
            (msg(N_("Number")),),
            tuple(rows),
        )

    def returns_table(self) -> Table:
        people: dict[str, set[str]] = {}
        costs: dict[str, Decimal] = {}
        for r in self.returns:
            amount = money(r.cost)
            currency = r.currency if amount is not None else ""
            people.setdefault(currency, set()).add(r.case_id)
            if amount is not None:
                costs[currency] = costs.get(currency, Decimal(0)) + amount
        rows: list[Row] = []
        for currency in sorted(people):
            n = len(people[currency])
            total = costs.get(currency)
            each = (total / n).quantize(Decimal("0.01")) if total is not None and n else None
            rows.append(
                (
                    (Key("currency", currency),),
                    (Count(n), Money(total, currency, n), Money(each, currency, n)),
                )
            )
        return Table(
            "returns",
            N_("Returns (AVRR) and their cost"),
            N_(
                "People whose assisted return travel took place in the period, by the"
                " currency of its cost; the cost per returned person is the total divided"
                " by the people returned."
            ),
            (msg(N_("Currency")),),
            (
                msg(N_("People returned")),
                msg(N_("Total cost")),
                msg(N_("Cost per returned person")),
            ),
            tuple(rows),
        )

    def sustainability(self) -> Table:
        months: dict[str, list[tuple[float | None, ...]]] = {}
        for f in self.follow_ups:
            if f.done_on and self.period.holds(f.done_on) and f.composite is not None:
                months.setdefault(f.done_on[:7], []).append(
                    (f.composite, f.economic, f.social, f.psychosocial)
                )
        rows: list[Row] = []
        for month in sorted(months):
            scores = months[month]
            columns = [[s[i] for s in scores if s[i] is not None] for i in range(4)]
            rows.append(
                (
                    (Key("month", month),),
                    (
                        Count(len(scores)),
                        *(mean([float(v) for v in c if v is not None], 2) for c in columns),
                    ),
                )
            )
        return Table(
            "sustainability",
            N_("Reintegration sustainability scores over time"),
            N_(
                "Average scores (0 to 1) of the follow-up visits done in each month, from the"
                " sustainability questionnaire: composite, economic, social, psychosocial."
            ),
            (msg(N_("Month")),),
            (
                msg(N_("Visits scored")),
                msg(N_("Composite")),
                msg(N_("Economic")),
                msg(N_("Social")),
                msg(N_("Psychosocial")),
            ),
            tuple(rows),
            chart=1,
        )

    def _overdue(self, f: FollowUpFacts) -> bool:
        """Not done, scheduled in the period before ``as_of``, on an open case (the rule of
        the Follow-ups due page)."""
        case = self.cases.get(f.case_id)
        return (
            not f.done_on
            and self.period.holds(f.scheduled_on)
            and f.scheduled_on < self.as_of
            and case is not None
            and case.status in OPEN_STATUSES
        )

    def follow_ups_table(self) -> Table:
        due = [f for f in self.follow_ups if self.period.holds(f.scheduled_on)]
        rows: list[Row] = [
            ((msg(N_("Due in the period")),), (Count(len(due)),)),
            ((msg(N_("Done")),), (Count(sum(1 for f in due if f.done_on)),)),
            ((msg(N_("Overdue")),), (Count(sum(1 for f in due if self._overdue(f))),)),
        ]
        return Table(
            "follow_ups",
            N_("Follow-up visits"),
            N_(
                "Visits scheduled in the period: done, and overdue (not done, scheduled before"
                " the end of the period or today, on an open case)."
            ),
            (msg(N_("Follow-up visits")),),
            (msg(N_("Number")),),
            tuple(rows),
        )

    def first_service_table(self) -> Table:
        waits = []
        without = 0
        for c in self.identified:
            start = c.intake_on or c.opened_on
            first = self.first_service.get(c.case_id)
            wait = days(start, first) if start and first else None
            if wait is None:
                without += 1
            else:
                waits.append(float(max(wait, 0)))
        rows: list[Row] = [
            ((msg(N_("People with a service")),), (Count(len(waits)),)),
            ((msg(N_("People without a service recorded")),), (Count(without),)),
            ((msg(N_("Days from intake to the first service (median)")),), (median(waits),)),
            ((msg(N_("Days from intake to the first service (average)")),), (mean(waits),)),
        ]
        return Table(
            "first_service",
            N_("Time from intake to the first service"),
            N_(
                "For the people identified in the period: days from the intake (or the"
                " opening of the case) to the start of their first service."
            ),
            (msg(N_("Time to the first service")),),
            (msg(N_("Number")),),
            tuple(rows),
        )

    def caseload(self) -> Table:
        day_after = next_day(self.end)
        by_org: dict[str, list[int]] = {org: [0, 0, 0, 0] for org in self.orgs}
        for c in self.cases.values():
            row = by_org[c.org_id]
            row[0] += open_on(c, self.start)
            row[1] += opened_in(self.period, c)
            row[2] += closed_in(self.period, c)
            row[3] += open_on(c, day_after)
        for org, (at_start, at_end) in self.carried.items():
            by_org[org][0] += at_start
            by_org[org][3] += at_end
        rows = tuple(
            ((self.org_name(org),), tuple(Count(v) for v in values))
            for org, values in sorted(by_org.items(), key=lambda p: self.org_order(p[0]))
        )
        return Table(
            "caseload",
            N_("Caseload per organisation"),
            N_(
                "Cases open at the start of the period, opened and closed in it, and open at"
                " its end."
            ),
            (msg(N_("Organisation")),),
            (
                msg(N_("Open at the start")),
                msg(N_("Opened")),
                msg(N_("Closed")),
                msg(N_("Open at the end")),
            ),
            rows,
            chart=3,
        )

    def closures(self) -> Table:
        counter = Counter(c.closure_reason for c in self.closed)
        return Table(
            "closures",
            N_("Cases closed by reason"),
            N_("Cases closed in the period, by the reason recorded when closing."),
            (msg(N_("Reason")),),
            (CASES,),
            ranked(counter, lambda code: code_key(codes.CLOSURE_REASON, code)),
            chart=0,
        )

    def per_organisation(self) -> Table:
        per: dict[str, Counter[str]] = {}

        def add(org: str, what: str) -> None:
            per.setdefault(org, Counter())[what] += 1

        for c in self.identified:
            add(c.org_id, "identified")
        for c in self.closed:
            add(c.org_id, "closed")
        for name, items in (
            ("services", self.services),
            ("referrals", self.referrals),
            ("returns", self.returns),
        ):
            for item in items:
                add(self.cases[item.case_id].org_id, name)
        for f in self.follow_ups:
            org = self.cases[f.case_id].org_id
            if f.done_on and self.period.holds(f.done_on):
                add(org, "done")
            if self._overdue(f):
                add(org, "overdue")
        columns = ("identified", "services", "referrals", "returns", "done", "overdue", "closed")
        rows = tuple(
            ((self.org_name(org),), tuple(Count(per[org][c]) for c in columns))
            for org in sorted(per, key=self.org_order)
        )
        return Table(
            "organisations",
            N_("Per organisation"),
            N_("The main figures of the period for each organisation that recorded them."),
            (msg(N_("Organisation")),),
            (
                msg(N_("People identified")),
                msg(N_("Services delivered")),
                msg(N_("Referrals made")),
                msg(N_("Returns (AVRR)")),
                msg(N_("Follow-up visits done")),
                msg(N_("Overdue")),
                msg(N_("Cases closed")),
            ),
            rows,
            chart=0,
        )


def compute(
    store: NationalStore,
    period: Period,
    filters: Filters,
    *,
    today: str,
    names: dict[str, str],
    allowed: Callable[[str], bool] = lambda _org: True,
) -> NationalFigures:
    """Every table of the period report (see the module docstring for what counts)."""
    work = _Computation(store, period, filters, today, names, allowed)
    orgs = sorted(work.orgs, key=work.org_order)
    return NationalFigures(
        period=period,
        filters=filters,
        as_of=work.as_of,
        organisations=tuple((o, names.get(o, o[:8])) for o in orgs),
        identified=len(work.identified),
        tables=work.tables(),
    )
