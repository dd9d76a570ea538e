"""What happens to a demo case after intake: the trafficking status decision, needs
assessments, objectives, services, referrals, the assisted return with its follow-ups
and reintegration plan, and the closure.
"""

from __future__ import annotations

import datetime as dt

from shelter_desk.domain import codes, rules
from shelter_desk.domain.entities import (
    Consent,
    FollowUp,
    IdentityDocument,
    NeedRating,
    NeedsAssessment,
    Organisation,
    Referral,
    ReintegrationObjective,
    ReintegrationPlan,
    Return,
    RiskFactor,
    ServiceDelivery,
    SupportObjective,
)
from shelter_desk.domain.sustainability import DEFAULT, score_answers
from shelter_desk.services.demo import places
from shelter_desk.services.demo.base import GeneratorBase, Story, in_days
from shelter_desk.services.demo.populations import (
    CLOSURE_NOTES,
    CLOSURE_WITHOUT_RETURN,
    OBJECTIVES,
    OPTIONAL_SERVICES,
    PROTECTIVE_FACTORS,
    REINTEGRATION,
    RISK_FACTORS,
)

LOST_CONTACT_DAYS = 150  # a follow-up missed this long ago usually means contact was lost


class History(GeneratorBase):
    def decide_status(self, story: Story) -> None:
        case = story.cf.case
        outcome = self.weighted(
            [
                ("ActualVictimOfTrafficking", 66),
                ("PossibleVictimOfTrafficking", 30),
                ("NotAVictimOfTrafficking", 4),
            ]
        )
        if outcome == "PossibleVictimOfTrafficking":
            return
        decided = story.opened + in_days(self.rng.randint(7, 120))
        if decided > self.today:
            return
        case.trafficking_status = outcome
        case.trafficking_status_decided_by = self.owner_id
        case.trafficking_status_decided_on = decided
        case.trafficking_status_decision_org = self.weighted(
            [
                ("Police", 8),
                ("NGO", 5),
                ("NonPoliceGovernmentalOrganization", 4),
                ("CourtOrProsecution", 2),
                ("Other", 1),
            ]
        )
        if outcome == "NotAVictimOfTrafficking":
            self.close(
                story,
                "NoLongerEligible",
                min(decided + in_days(self.rng.randint(1, 20)), self.today),
            )

    # -- closing -------------------------------------------------------------------
    def close(self, story: Story, reason: str, on: dt.date, notes: str = "") -> None:
        case = story.cf.case
        case.status = "ClosedReferred" if reason == "ReferredToOtherOrganisation" else "Closed"
        case.closed_on = on
        case.closure_reason = reason
        case.closure_notes = notes or CLOSURE_NOTES[reason]
        story.end = on

    def close_without_return(self, story: Story) -> None:
        if story.cf.case.closed_on is not None:
            return
        on = story.opened + in_days(self.rng.randint(45, 720))
        if on > self.today:
            return
        reason = self.weighted(CLOSURE_WITHOUT_RETURN)
        if reason == "SecurityConstraints" and story.host != "LB":
            reason = "SupportCompleted"
        self.close(story, reason, on)

    # -- assessments, objectives, services, referrals -----------------------------
    def assessments(self, story: Story) -> None:
        day = min(story.opened + in_days(self.rng.randint(0, 7)), story.end)
        rounds = 0
        risk = self.weighted([("Low", 3), ("Medium", 4), ("High", 3)])
        reviews = 2 if self.chance(0.35) else 1
        while day <= story.end and rounds < reviews:
            story.cf.assessments.append(self.assessment(story, day, risk, rounds))
            rounds += 1
            day = day + in_days(self.rng.randint(80, 120))
            risk = {"High": "Medium", "Medium": self.pick(("Low", "Medium")), "Low": "Low"}[risk]

    def assessment(self, story: Story, day: dt.date, risk: str, review: int) -> NeedsAssessment:
        levels = ("None", "Low", "Medium", "High", "Urgent")
        ratings = []
        for domain in codes.NEED_DOMAIN.codes():
            base = {"Safety": 3, "MentalHealthPsychosocial": 3, "LegalDocuments": 3}.get(domain, 2)
            level = max(0, min(4, base - review + self.rng.randint(-2, 1)))
            ratings.append(NeedRating(domain=domain, level=levels[level]))
        factors = [
            RiskFactor(level=level, description=self.pick(RISK_FACTORS[level]))
            for level in self.some(tuple(RISK_FACTORS), 1, 3)
        ]
        factors += [
            RiskFactor(
                level=level, description=self.pick(PROTECTIVE_FACTORS[level]), protective=True
            )
            for level in self.some(tuple(PROTECTIVE_FACTORS), 0, 2)
        ]
        return NeedsAssessment(
            id=self.ids.on(story.opened),
            org_id=self.org_id,
            case_id=story.cf.case.id,
            assessed_on=day,
            assessor=story.staff,
            ratings=tuple(ratings),
            risk_level=risk,
            risk_factors=tuple(factors),
            next_review_on=day + in_days(90),
            notes="Initial assessment." if review == 0 else "Review after three months.",
        )

    def objectives(self, story: Story) -> None:
        types = story.pattern.types
        kinds = ["SocialCare"]
        if "SexualExploitation" in types:
            kinds.append("SexualExploitationRehabilitation")
        elif {"ForcedLabour", "Servitude"} & set(types):
            kinds.append("LabourExploitationRehabilitation")
        kinds.append(
            self.pick(
                ("Health", "Legal", "Livelihood", "Education", "Financial", "RightsBasedTraining")
            )
        )
        for kind in kinds[: self.rng.randint(1, 2)]:
            planned = story.opened + in_days(self.rng.randint(60, 240))
            objective, action = OBJECTIVES[kind]
            status, actual = "InProgress", None
            if planned <= story.end or story.cf.case.closed_on is not None:
                status = self.weighted(
                    [
                        ("Achieved", 55),
                        ("PartlyAchieved", 20),
                        ("NotAchieved", 10),
                        ("Cancelled", 5),
                    ]
                )
                actual = min(planned + in_days(self.rng.randint(-20, 30)), story.end)
                actual = max(actual, story.opened)
            elif self.chance(0.2):
                status = "Planned"
            story.cf.objectives.append(
                SupportObjective(
                    id=self.ids.on(story.opened),
                    org_id=self.org_id,
                    case_id=story.cf.case.id,
                    objective_type=kind,
                    objective=objective,
                    action=action,
                    responsible=story.staff,
                    planned_end_on=planned,
                    actual_end_on=actual,
                    status=status,
                )
            )

    def service(
        self,
        story: Story,
        kind: str,
        start: dt.date,
        end: dt.date | None,
        provider: Organisation | None,
        *,
        currency: str = "",
        units: int = 1,
    ) -> None:
        currency = currency or story.currency
        if end is None and story.cf.case.closed_on is not None:
            end = max(start, story.end)
        free = provider is not None and self.chance(0.3)
        cost = (
            None
            if free or (kind == "Accommodation" and end is None)
            else self.money(kind, currency, units)
        )
        objective = next((o.id for o in story.cf.objectives if _serves(o.objective_type, kind)), "")
        story.cf.services.append(
            ServiceDelivery(
                id=self.ids.on(story.opened),
                org_id=self.org_id,
                case_id=story.cf.case.id,
                service_type=kind,
                provider_org_id=provider.id if provider else self.org_id,
                staff=story.staff if provider is None else "",
                started_on=start,
                ended_on=end,
                cost=cost,
                currency=currency if cost is not None else "",
                objective_id=objective,
            )
        )

    def services(self, story: Story) -> None:
        opened, end = story.opened, story.end
        stay_end = opened + in_days(self.rng.randint(5, 200))
        if story.leaves_on is not None:
            stay_end = min(stay_end, story.leaves_on)
        discharged: dt.date | None = min(stay_end, end)
        if discharged is not None and discharged >= self.today and story.cf.case.closed_on is None:
            discharged = None
        if self.chance(0.9):
            nights = ((discharged or opened) - opened).days or 1
            self.service(story, "Accommodation", opened, discharged, None, units=nights)
        wanted = self.rng.choice((0, 1, 1, 1, 2, 2))
        kinds = {self.weighted(OPTIONAL_SERVICES) for _n in range(wanted)}
        for kind in sorted(kinds):
            start = self.between(opened, min(stay_end, end))
            if start > self.today:
                continue
            finish = min(start + in_days(self.rng.randint(0, 90)), end)
            provider = self.partner_for(kind, story.host) if self.chance(0.5) else None
            self.service(story, kind, start, finish if finish < self.today else None, provider)

    def referrals(self, story: Story, consent: Consent) -> None:
        wanted = self.rng.choice((0, 0, 0, 1, 1, 2))
        if story.cf.case.closure_reason == "ReferredToOtherOrganisation":
            wanted = max(wanted, 1)
        local = [o for o in self.partners if o.country == story.host]
        for n in range(wanted):
            if not local:
                return
            to = self.pick(local)
            day = self.between(story.opened, story.end)
            status, answered = "Sent", None
            if (story.end - day).days > 7 or story.cf.case.closed_on is not None:
                status = self.weighted([("Accepted", 5), ("Completed", 4), ("Declined", 1)])
                answered = min(day + in_days(self.rng.randint(1, 10)), story.end)
            if story.cf.case.closure_reason == "ReferredToOtherOrganisation" and n == 0:
                status, answered = "Accepted", day
            shares = bool(story.cf.consent and story.cf.consent.share_with_partners)
            story.cf.referrals.append(
                Referral(
                    id=self.ids.on(story.opened),
                    org_id=self.org_id,
                    case_id=story.cf.case.id,
                    from_org_id=self.org_id,
                    to_org_id=to.id,
                    referred_on=day,
                    caseworker=story.staff,
                    reason="AdditionalServicesRequired" if self.chance(0.9) else "Other",
                    services_requested=self.some(to.services_offered, 1, 2),
                    consent_id=consent.id,
                    status=status,
                    responded_on=answered,
                    cross_border=False,
                    shares_identity=shares,
                    details="" if shares else "Sent without the person's identity (no consent).",
                )
            )

    # -- return and reintegration --------------------------------------------------
    def return_(self, story: Story) -> Return | None:
        country = story.population.country
        if (
            not story.population.returns
            or story.host == country
            or story.cf.case.closed_on is not None
            or not self.chance(0.4)
        ):
            return None
        decided = story.opened + in_days(self.rng.randint(10, 120))
        if decided > self.today:
            return None
        travel = decided + in_days(self.rng.randint(10, 75))
        travelled = travel <= self.today
        checklist = [
            "TravelDocument",
            "Ticket",
            "FitToTravel",
            "LuggageProperty",
            "ReceptionPartner",
        ]
        if self.chance(0.3):
            checklist.append("Escort")
        if not travelled:
            checklist = list(self.some(checklist, 0, 3))
        reception = self.partner_for("ReintegrationAssistance", country)
        returning = Return(
            id=self.ids.on(story.opened),
            org_id=self.org_id,
            case_id=story.cf.case.id,
            decided_on=decided,
            counselling_sessions=self.rng.randint(1, 5),
            destination_country=country,
            destination_city=self.pick(places.CITIES[country]),
            travel_on=travel,
            checklist=tuple(c for c in codes.RETURN_CHECKLIST.codes() if c in checklist),
            reception_org_id=(reception or self.international(story.host)).id,
            cost=self.money("ReturnTravel", "USD") if travelled else None,
            currency="USD" if travelled else "",
        )
        story.cf.returns.append(returning)
        story.leaves_on = travel
        p = story.cf.person
        withheld = any(d.withheld_by_trafficker for d in p.documents)
        if withheld:
            issued = min(decided + in_days(self.rng.randint(2, 10)), self.today)
            p.documents += (
                IdentityDocument(
                    document_type="EmergencyTravelDocument",
                    number=f"ETD{self.rng.randint(100_000, 999_999)}",
                    issuing_country=country,
                    issued_on=issued,
                    expires_on=issued + in_days(90),
                ),
            )
        if travelled:
            p.country = country
            p.city = returning.destination_city
            self.follow_ups(story, returning)
        return returning

    def follow_ups(self, story: Story, returning: Return) -> None:
        """Follow-ups at the configured months after return; the case closes when the last
        is done, or earlier when the person stops (then later ones are never scheduled)."""
        travel = returning.travel_on
        assert travel is not None
        case = story.cf.case
        case.status = "FollowUp"
        schedule = rules.follow_up_schedule(travel, self.months)
        stops_after = self.rng.randint(1, len(schedule)) if self.chance(0.08) else None
        wellbeing = self.rng.uniform(0.2, 0.8)
        done_dates: list[dt.date] = []
        for i, day in enumerate(schedule):
            follow_up = FollowUp(
                id=self.ids.on(story.opened),
                org_id=self.org_id,
                case_id=case.id,
                scheduled_on=day,
            )
            done = day + in_days(self.rng.randint(0, 21))
            if day <= self.today and done <= self.today and self.chance(0.8):
                wellbeing = min(1.0, wellbeing + self.rng.uniform(-0.05, 0.15))
                self.answer(follow_up, done, wellbeing, story)
                done_dates.append(done)
            elif (self.today - day).days > LOST_CONTACT_DAYS and self.chance(0.75):
                on = min(day + in_days(self.rng.randint(30, 90)), self.today)
                self.close(story, "LeftTheArea", on, "Lost contact after return.")
                return
            later = schedule[i + 1] if i + 1 < len(schedule) else None
            follow_up.next_on = later if later and later >= (follow_up.done_on or day) else None
            story.cf.follow_ups.append(follow_up)
            if stops_after is not None and i + 1 == stops_after and follow_up.done_on:
                follow_up.next_on = None
                on = min(done + in_days(self.rng.randint(1, 30)), self.today)
                self.close(
                    story, self.pick(("ReMigrated", "ChoseToStopSupport", "LeftTheArea")), on
                )
                return
        if len(done_dates) == len(schedule) and self.chance(0.85):
            on = min(done_dates[-1] + in_days(self.rng.randint(1, 30)), self.today)
            self.close(story, "SupportCompleted", on)

    def answer(self, follow_up: FollowUp, done: dt.date, wellbeing: float, story: Story) -> None:
        answers: dict[str, str] = {}
        for question in DEFAULT.questions:
            if self.chance(0.05):
                unscored = [o.code for o in question.options if o.score is None]
                answers[question.code] = self.pick(unscored)
                continue
            scored = [o for o in question.options if o.score is not None]
            target = min(1.0, max(0.0, self.rng.gauss(wellbeing, 0.25)))
            best = min(scored, key=lambda o: abs((o.score or 0.0) - target))
            answers[question.code] = best.code
        scores = score_answers(answers)
        follow_up.done_on = done
        follow_up.mode = self.weighted([("InPerson", 4), ("Phone", 4), ("ByPartner", 2)])
        follow_up.done_by = story.staff
        follow_up.questionnaire = f"{DEFAULT.code}/{DEFAULT.version}"
        follow_up.answers = answers
        follow_up.economic_score = scores.economic
        follow_up.social_score = scores.social
        follow_up.psychosocial_score = scores.psychosocial
        follow_up.composite_score = scores.composite
        follow_up.notes = "Visited at home." if follow_up.mode == "InPerson" else ""

    def reintegration(self, story: Story, returning: Return) -> None:
        travel = returning.travel_on
        if travel is None or travel > self.today:
            return
        planned = min(travel + in_days(self.rng.randint(3, 40)), story.end, self.today)
        planned = max(planned, travel)
        objectives = []
        for dimension, options in REINTEGRATION.items():
            objective, assistance = self.pick(options)
            target = planned + in_days(self.rng.randint(60, 300))
            status = "InProgress"
            if target <= self.today or story.cf.case.closed_on is not None:
                status = self.weighted([("Achieved", 6), ("PartlyAchieved", 3), ("NotAchieved", 1)])
            objectives.append(
                ReintegrationObjective(
                    dimension=dimension,
                    objective=objective,
                    planned_assistance=assistance,
                    responsible="Reception partner",
                    target_on=target,
                    status=status,
                )
            )
        story.cf.plans.append(
            ReintegrationPlan(
                id=self.ids.on(story.opened),
                org_id=self.org_id,
                case_id=story.cf.case.id,
                planned_on=planned,
                objectives=tuple(objectives),
                notes="Agreed with the person and the reception partner.",
            )
        )
        reception = next((o for o in self.partners if o.id == returning.reception_org_id), None)
        self.service(
            story, "ReturnTravel", travel, travel, self.international(story.host), currency="USD"
        )
        start = min(planned + in_days(self.rng.randint(0, 30)), story.end)
        if start <= self.today:
            self.service(story, "ReintegrationAssistance", start, None, reception, currency="USD")


def _serves(objective_type: str, service: str) -> bool:
    return service in {
        "Health": ("Medical",),
        "Legal": ("LegalAid", "Documentation"),
        "Livelihood": ("Livelihood",),
        "Education": ("EducationVocational",),
        "SocialCare": ("Accommodation",),
        "SexualExploitationRehabilitation": ("Psychosocial",),
        "LabourExploitationRehabilitation": ("Psychosocial",),
        "Financial": ("Financial",),
    }.get(objective_type, ())
