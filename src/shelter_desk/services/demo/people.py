"""The person and the first records of a demo case: names in the population's own
script, birth, documents, contacts, intake (with ILO and Delphi indicators), consent and
the trafficking events.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence

from anyascii import anyascii

from shelter_desk.domain import rules
from shelter_desk.domain.entities import (
    Consent,
    Contact,
    IdentityDocument,
    Intake,
    TraffickingEvent,
)
from shelter_desk.domain.indicators import (
    DELPHI_DIMENSIONS,
    FORCED_LABOUR_INDICATORS,
    indicators_of,
)
from shelter_desk.services.demo import given_names, places, surnames
from shelter_desk.services.demo.base import GeneratorBase, Story, in_days
from shelter_desk.services.demo.populations import (
    CONTROL_LABOUR,
    CONTROL_RANSOM,
    CONTROL_SEX,
    IDENTIFIED_BY,
    NARRATIVE,
    RECRUITMENT,
    SEX,
)


class People(GeneratorBase):
    # -- the person ----------------------------------------------------------------
    def name(self, choices: Sequence[given_names.Name]) -> tuple[str, str, tuple[str, ...]]:
        """(as written, usual Latin spelling, other spellings)."""
        written, spellings = self.pick(choices)
        if _is_latin(written) or not spellings:
            return written, written if _is_latin(written) else anyascii(written), spellings
        latin = spellings[0] if self.chance(0.8) else self.pick(spellings)
        others = tuple(s for s in spellings if s != latin)
        if written in given_names.VOCALISED and self.chance(0.2):
            written = given_names.VOCALISED[written]
        return written, latin, others

    def person(self, story: Story, female: bool) -> None:
        country = story.population.country
        p = story.cf.person
        given = given_names.FEMALE[country] if female else given_names.MALE[country]
        family = surnames.SURNAMES_FEMALE[country] if female else surnames.SURNAMES_MALE[country]
        first, first_latin, first_others = self.name(given)
        second, second_latin, _o = self.name(family)
        p.first_name, p.first_name_latin = first, first_latin
        p.second_name, p.second_name_latin = second, second_latin
        if country == "PH" and self.chance(0.5):
            p.middle_name, p.middle_name_latin, _o = self.name(surnames.SURNAMES_MALE["PH"])
        elif country in ("ER", "ET", "SD") and self.chance(0.4):
            p.middle_name, p.middle_name_latin, _o = self.name(given_names.MALE[country])
        aliases: list[str] = []
        if first_others and self.chance(0.35):
            aliases.append(f"{self.pick(first_others)} {second_latin}")
        if "SexualExploitation" in story.pattern.types and self.chance(0.3):
            aliases.append(self.pick(given_names.WORK_NAMES))
        if self.chance(0.04):
            _other, other_latin, _o = self.name(given)
            aliases.append(other_latin)
        p.aliases = tuple(dict.fromkeys(a for a in aliases if a))
        p.gender = "Feminine" if female else "Masculine"
        if "SexualExploitation" in story.pattern.types and self.chance(0.03):
            p.gender = "TransgenderFeminine"
        elif self.chance(0.005):
            p.gender = "NonSpecifiedUnknown"
        p.citizenships = (country,)
        p.primary_language, p.secondary_language = places.LANGUAGES[country]
        p.marital_status = "Single"
        if not story.minor:
            p.marital_status = self.weighted(
                [("Single", 50), ("Married", 28), ("Divorced", 9), ("Separated", 7), ("Widowed", 4)]
            )
            p.number_of_children = self.rng.choice((0, 0, 1, 1, 2, 2, 3, 4))
            if p.marital_status == "Single" and self.chance(0.7):
                p.number_of_children = 0
        p.education_level = self.weighted(
            [
                ("NoFormalEducation", 8),
                ("PrimaryEducation", 25),
                ("LowerSecondaryEducation", 25),
                ("UpperSecondaryEducation", 25),
                ("PostSecondaryNonTertiaryEducation", 7),
                ("BachelorsOrEquivalentLevel", 6),
                ("", 4),
            ]
        )

    def birth(self, story: Story, began: dt.date) -> None:
        pattern = story.pattern
        if story.minor:
            low = 8 if "ForcedBegging" in pattern.types else 12
            age = self.rng.randint(low, 17)
        else:
            age = int(self.rng.triangular(18, 55, 24))
        born = began - in_days(int(age * 365.25) + self.rng.randint(1, 360))
        p = story.cf.person
        if self.chance(0.6):
            p.birth_date = born
        else:
            p.estimated_birth_year = born.year

    def documents(self, story: Story, recruited: dt.date, withheld: bool) -> None:
        p = story.cf.person
        country = story.population.country
        docs: list[IdentityDocument] = []
        if country in ("ER", "SD", "SY") and self.chance(0.7):
            docs.append(
                IdentityDocument(
                    document_type="RefugeeOrAsylumDocument",
                    number=f"{self.rng.randint(100, 999)}-{self.rng.randint(10000, 99999)}",
                    issuing_country=story.host,
                    issued_on=self.between(recruited, story.opened),
                )
            )
        elif country == "IL":
            docs.append(
                IdentityDocument(
                    document_type="NationalIdCard",
                    number=f"{self.rng.randint(10_000_000, 399_999_999):09d}",
                    issuing_country="IL",
                )
            )
        if country != "IL" and self.chance(0.85):
            issued = recruited - in_days(self.rng.randint(20, 2500))
            docs.append(
                IdentityDocument(
                    document_type="Passport",
                    number=f"{self.pick('ABCEKLMNPST')}{self.rng.randint(1_000_000, 9_999_999)}",
                    issuing_country=country,
                    issued_on=issued,
                    expires_on=rules.add_months(issued, 120 if self.chance(0.6) else 60),
                    withheld_by_trafficker=withheld,
                    notes="Kept by the employer since arrival." if withheld else "",
                )
            )
        if story.pattern.industry and story.host != country and self.chance(0.4):
            issued = self.between(recruited, recruited + in_days(60))
            docs.append(
                IdentityDocument(
                    document_type=self.pick(("WorkPermit", "ResidencePermit", "Visa")),
                    number=f"{self.rng.randint(1_000_000, 99_999_999)}",
                    issuing_country=story.exploited_in,
                    issued_on=min(issued, story.opened),
                    expires_on=rules.add_months(min(issued, story.opened), 24),
                )
            )
        p.documents = tuple(docs)

    def contacts(self, story: Story) -> None:
        p = story.cf.person
        found: list[Contact] = []
        if self.chance(0.8):
            code = places.DIALLING_CODES.get(story.host, "972")
            unsafe = self.chance(0.15)
            found.append(
                Contact(
                    contact_type="MobilePhone",
                    value=self.phone(code),
                    safe_to_use=not unsafe,
                    notes="The employer knows this number." if unsafe else "",
                )
            )
        if self.chance(0.3):
            code = places.DIALLING_CODES.get(story.population.country, "1")
            found.append(Contact(contact_type="MessagingApp", value=f"WhatsApp {self.phone(code)}"))
        if self.chance(0.1):
            local = anyascii(f"{p.first_name_latin}.{p.second_name_latin}").lower()
            local = "".join(c for c in local if c.isalnum() or c == ".").strip(".") or "person"
            found.append(
                Contact(
                    contact_type="Email",
                    value=f"{local}{self.rng.randint(1, 99)}@mail.example",
                )
            )
        if self.chance(0.1):
            found.append(
                Contact(
                    contact_type="Other",
                    value="Through the sister's phone",
                    notes="Call only after 18:00.",
                )
            )
        p.contacts = tuple(found)

    def phone(self, code: str) -> str:
        return (
            f"+{code} {self.rng.randint(50, 99)} {self.rng.randint(100, 999)}"
            f" {self.rng.randint(1000, 9999)}"
        )

    # -- intake, consent, events ---------------------------------------------------
    def intake(self, story: Story) -> Intake:
        pattern, opened = story.pattern, story.opened
        ended = opened - in_days(self.rng.randint(0, 45))
        length = min(int(self.rng.expovariate(1 / 320)) + 14, 365 * 6)
        began = ended - in_days(length)
        recruited = began - in_days(self.rng.randint(3, 120))
        story.recruited = recruited
        self.birth(story, began)
        labour = bool({"ForcedLabour", "Servitude", "ChildLabour"} & set(pattern.types))
        withheld = self.chance(0.55 if labour else 0.35 if pattern.types == SEX else 0.1)
        self.documents(story, recruited, withheld)
        self.contacts(story)
        if pattern.ransom:
            control = self.some(CONTROL_RANSOM, 2, 4)
        elif "SexualExploitation" in pattern.types:
            control = self.some(CONTROL_SEX, 2, 5)
        else:
            control = self.some(CONTROL_LABOUR, 2, 5)
        if withheld and "WithholdsDocuments" not in control:
            control += ("WithholdsDocuments",)
        ilo = self.some(FORCED_LABOUR_INDICATORS.codes(), 2, 6)
        if withheld and "RetentionOfIdentityDocuments" not in ilo:
            ilo += ("RetentionOfIdentityDocuments",)
        source = self.weighted(IDENTIFIED_BY)
        referring = ""
        if source in ("NGO", "EmbassyOrConsulate", "InternationalOrganisation"):
            org = self.partner_for("Documentation", story.host) or self.international(story.host)
            referring = org.id
        language = story.cf.person.primary_language
        intake = Intake(
            id=self.ids.on(opened),
            org_id=self.org_id,
            case_id=story.cf.case.id,
            intake_date=opened,
            place=self.pick(("Shelter office", "Police station", "Hospital", "Partner office")),
            interviewer=story.staff,
            interpreter_language=language if language not in ("en", "ar", "he", "ru") else "",
            identification_source=source,
            referring_org_id=referring,
            data_source="Hotline" if self.chance(0.08) else "CaseManagement",
            exploitation_types=pattern.types,
            forced_labour_industry=pattern.industry if labour else "",
            sex_exploitation_types=pattern.sex,
            methods_of_control=control,
            recruitment_methods=(self.weighted(RECRUITMENT),),
            relationship_to_trafficker=self.weighted(
                [("Familial", 25 if story.minor else 8), ("Acquainted", 45), ("Unaquainted", 45)]
            ),
            trafficking_began_on=began,
            trafficking_ended_on=ended,
            abducted=self.chance(0.7) if pattern.ransom else (None if self.chance(0.1) else False),
            forced_labour_indicators=ilo,
            delphi_indicators=self.delphi(),
            narrative=NARRATIVE.get(pattern.types[0], ""),
        )
        story.cf.intakes.append(intake)
        return intake

    def delphi(self) -> tuple[str, ...]:
        chosen: list[str] = []
        for dimension in DELPHI_DIMENSIONS.codes():
            pool = [ind.code for ind in indicators_of(dimension)]
            chosen.extend(self.some(pool, 0, 3))
        return tuple(chosen)

    def consent(self, story: Story) -> Consent:
        given = self.chance(0.9)
        language = story.cf.person.primary_language
        method = ""
        if given:
            method = self.weighted([("Written", 5), ("Oral", 2), ("OralWithInterpreter", 3)])
        consent = Consent(
            id=self.ids.on(story.opened),
            org_id=self.org_id,
            case_id=story.cf.case.id,
            consent_given=given,
            informed_of_purpose=True,
            informed_of_data_use=True,
            informed_of_research_use=given,
            informed_of_right_of_access=True,
            informed_of_retention=given,
            informed_of_withdrawal=True,
            sharing_level=self.weighted(
                [
                    ("Identified", 15),
                    ("Pseudonymised", 40),
                    ("StatisticsOnly", 30),
                    ("NotShared", 15),
                ]
            )
            if given
            else "NotShared",
            share_with_partners=given and self.chance(0.8),
            research=given and self.chance(0.3),
            photographs=given and self.chance(0.1),
            method=method,
            interpreter_language=language if method == "OralWithInterpreter" else "",
            given_on=story.opened,
            recorded_by=story.staff,
        )
        if given and self.chance(0.03):
            consent.withdrawn_on = self.between(story.opened, self.today)
            consent.notes = "Withdrew consent to sharing after a visit from the family."
        story.cf.consents.append(consent)
        story.cf.case.sharing_level = (
            story.cf.consent.sharing_level if story.cf.consent else "NotShared"
        )
        return consent

    def events(self, story: Story, intake: Intake) -> None:
        began = intake.trafficking_began_on or story.opened
        ended = intake.trafficking_ended_on or story.opened
        recruited = story.recruited or began
        origin = story.population.country
        plan: list[tuple[str, dt.date, str, str]] = [
            ("Recruitment", recruited, origin, "Met the recruiter; promised work abroad.")
        ]
        if story.pattern.transit:
            country = self.pick(story.pattern.transit)
            plan.append(
                ("Transit", self.between(recruited, began), country, "Moved on by smugglers.")
            )
        plan.append(("Exploitation", began, story.exploited_in, "Exploitation began."))
        if self.chance(0.15) and (ended - began).days > 30:
            moved = self.between(began + in_days(15), ended)
            plan.append(("Exploitation", moved, story.exploited_in, "Moved to another employer."))
        for kind, day, country, description in plan:
            story.cf.events.append(
                TraffickingEvent(
                    id=self.ids.on(story.opened),
                    org_id=self.org_id,
                    case_id=story.cf.case.id,
                    event_type=kind,
                    event_date=day,
                    country=country,
                    city=self.pick(places.CITIES.get(country, ("",))),
                    description=description,
                )
            )


def _is_latin(text: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())
