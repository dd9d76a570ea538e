"""Time the printed forms: python benchmarks/forms_bench.py [--rounds N] [--batch N].

Prints, for each language (en, he, ar, ka, ru) and bilingual pair (ar+en, ka+ru), the
median milliseconds for each blank form and for a filled intake; then the time for a batch
of case summaries (default 1,000, each its own PDF) and the peak memory: the process's peak
resident size and tracemalloc's peak for one filled intake and one summary.

Cases are synthetic, generated in memory from a seed (invented names, no personal data);
every PDF stays in memory and is dropped after its size is taken. Nothing touches disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

LANGUAGE_SETS: tuple[tuple[str, str | None], ...] = (
    ("en", None),
    ("he", None),
    ("ar", None),
    ("ka", None),
    ("ru", None),
    ("ar", "en"),
    ("ka", "ru"),
)
BLANK_FORMS = ("intake", "consent", "follow-up")
FIRST_NAMES = (("فاطمة", "Fatima"), ("נועה", "Noa"), ("ნინო", "Nino"), ("Анна", "Anna"))
FAMILY_NAMES = (("حداد", "Haddad"), ("כהן", "Cohen"), ("ბერიძე", "Beridze"), ("Иванова", "Ivanova"))
PRINTED = dt.date(2026, 11, 20)


def synthetic_case(index: int, rng: random.Random) -> Any:
    """One invented case with an intake, consent, events, services and follow-ups."""
    from shelter_desk.domain import codes
    from shelter_desk.domain.case_file import CaseFile
    from shelter_desk.domain.entities import (
        Case,
        Consent,
        FollowUp,
        Intake,
        NeedRating,
        NeedsAssessment,
        Person,
        Referral,
        ServiceDelivery,
        TraffickingEvent,
    )
    from shelter_desk.domain.indicators import DELPHI_INDICATORS
    from shelter_desk.domain.sustainability import DEFAULT, score_answers

    first, first_latin = rng.choice(FIRST_NAMES)
    family, family_latin = rng.choice(FAMILY_NAMES)
    opened = PRINTED - dt.timedelta(days=rng.randint(30, 700))
    answers = {q.code: rng.choice(q.options).code for q in DEFAULT.questions if rng.random() < 0.8}
    scores = score_answers(answers)
    services = tuple(
        ServiceDelivery(
            service_type=rng.choice(codes.SERVICE_TYPE.codes()),
            provider_org_id=rng.choice(("o-1", "o-2", "")),
            started_on=opened + dt.timedelta(days=rng.randint(0, 20)),
            cost=Decimal(rng.randint(50, 5000)),
            currency=rng.choice(("ILS", "USD", "JOD", "GEL")),
        )
        for _ in range(rng.randint(1, 8))
    )
    return CaseFile(
        case=Case(
            id=f"case-{index}",
            number=f"HH-{opened.year}-{index:04d}",
            status=rng.choice(codes.CASE_STATUS.codes()),
            opened_on=opened,
            risk_level=rng.choice(codes.RISK_LEVEL.codes()),
            owner_id="u-1",
        ),
        person=Person(
            first_name=first,
            second_name=family,
            first_name_latin=first_latin,
            second_name_latin=family_latin,
            estimated_birth_year=rng.randint(1970, 2006),
            gender=rng.choice(codes.GENDER.codes()),
            citizenships=(rng.choice(("SD", "ER", "GE", "UA", "PH")),),
        ),
        intakes=(
            Intake(
                intake_date=opened,
                identification_source=rng.choice(codes.IDENTIFICATION_SOURCE.codes()),
                exploitation_types=tuple(rng.sample(codes.EXPLOITATION_TYPE.codes(), 2)),
                methods_of_control=tuple(rng.sample(codes.METHODS_OF_CONTROL.codes(), 4)),
                delphi_indicators=tuple(i.code for i in rng.sample(DELPHI_INDICATORS, 8)),
            ),
        ),
        consents=(Consent(consent_given=True, sharing_level="Pseudonymised", given_on=opened),),
        events=(
            TraffickingEvent(event_type="Recruitment", event_date=opened, country="SD"),
            TraffickingEvent(event_type="Exploitation", event_date=opened, country="IL"),
        ),
        assessments=(
            NeedsAssessment(
                assessed_on=opened,
                ratings=tuple(
                    NeedRating(domain=d, level=rng.choice(codes.NEED_LEVEL.codes()))
                    for d in codes.NEED_DOMAIN.codes()
                ),
            ),
        ),
        services=services,
        referrals=(Referral(to_org_id="o-2", referred_on=opened, status="Accepted"),),
        follow_ups=(
            FollowUp(
                id=f"fu-{index}",
                scheduled_on=opened + dt.timedelta(days=30),
                done_on=opened + dt.timedelta(days=31),
                answers=answers,
                economic_score=scores.economic,
                social_score=scores.social,
                psychosocial_score=scores.psychosocial,
                composite_score=scores.composite,
            ),
        ),
        user_names={"u-1": "Dana Levi"},
        organisation_names={"o-1": "Safe Haven Shelter", "o-2": "Clinic for Migrants"},
    )


def median_ms(action: Callable[[], bytes], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def traced_peak_mib(action: Callable[[], bytes]) -> float:
    tracemalloc.start()
    action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes / KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="renders per measurement")
    parser.add_argument("--batch", type=int, default=1000, help="case summaries in the batch")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    from shelter_desk.reports.fonts import register_fonts
    from shelter_desk.reports.forms import render_form

    register_fonts()
    print(f"import and font registration: {(time.perf_counter() - start) * 1000:.0f} ms")
    rng = random.Random(args.seed)
    sample = synthetic_case(0, rng)

    def form(name: str, lang: str, second: str | None, case: Any = None) -> Callable[[], bytes]:
        return lambda: render_form(
            name,
            lang=lang,
            second_lang=second,
            case=case,
            organisation="Hope House",
            printed_on=PRINTED,
        )

    form("intake", "en", None, sample)()  # warm caches (fonts, catalogues, CLDR data)
    header = ["language", *(f"blank {f}" for f in BLANK_FORMS), "filled intake", "summary"]
    print(" | ".join(f"{h:>15}" for h in header))
    for lang, second in LANGUAGE_SETS:
        name = f"{lang}+{second}" if second else lang
        cells = [median_ms(form(f, lang, second), args.rounds) for f in BLANK_FORMS]
        cells.append(median_ms(form("intake", lang, second, sample), args.rounds))
        cells.append(median_ms(form("case-summary", lang, second, sample), args.rounds))
        print(" | ".join([f"{name:>15}", *(f"{c:>12.1f} ms" for c in cells)]))

    cases = [synthetic_case(i, rng) for i in range(1, args.batch + 1)]
    start = time.perf_counter()
    total_bytes = 0
    for index, case in enumerate(cases):
        lang = LANGUAGE_SETS[index % 5][0]
        total_bytes += len(form("case-summary", lang, None, case)())
    elapsed = time.perf_counter() - start
    print(
        f"batch: {args.batch} case summaries (en, he, ar, ka, ru in turn) in {elapsed:.1f} s, "
        f"{elapsed * 1000 / max(args.batch, 1):.1f} ms each, {total_bytes / 2**20:.1f} MiB of PDF"
    )
    print(
        f"tracemalloc peak, one filled intake (ar+en): "
        f"{traced_peak_mib(form('intake', 'ar', 'en', sample)):.1f} MiB"
    )
    print(
        f"tracemalloc peak, one case summary (ar): "
        f"{traced_peak_mib(form('case-summary', 'ar', None, sample)):.1f} MiB"
    )
    print(f"peak resident memory of the whole run: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
