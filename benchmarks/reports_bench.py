"""Time printed-form pages per language: python benchmarks/reports_bench.py [--pages N].

Builds a realistic one-section form (heading, filled and blank fields, tick boxes, a
paragraph, a signature line) repeated over N pages, in memory, for en, he, ar, ka, ru and
the bilingual pairs ar+en and ka+ru, and prints the median milliseconds per page.
The text is generated sample wording, not personal data; nothing is written to disk.

``--national CASES`` times the period report instead, on a demo coordinator installation of
CASES synthetic cases (made in a temporary folder, or reused with ``--data-dir``): the
figures for a year, a quarter and a filtered year, and the report as PDF (en, ar) and XLSX.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SAMPLE = {
    "en": ("Case details", "Full name", "Maria Lopez", "Status", ("Victim", "Witness", "Other")),
    "he": ("פרטי התיק", "שם מלא", "מרים כהן", "מצב", ("נפגעת", "עדה", "אחר")),
    "ar": ("بيانات الحالة", "الاسم الكامل", "فاطمة Maria Lopez", "الوضع", ("ضحية", "شاهد", "آخر")),
    "ka": (
        "საქმის დეტალები",
        "სრული სახელი",
        "ნინო ბერიძე",
        "სტატუსი",
        ("მსხვერპლი", "მოწმე", "სხვა"),
    ),
    "ru": (
        "Сведения о деле",
        "Полное имя",
        "Анна Иванова",
        "Статус",
        ("Пострадавшая", "Свидетель", "Другое"),
    ),
}
PARAGRAPH = {
    "en": "The person was referred by the hotline on 2024-04-17 and agreed to an interview. ",
    "he": "האישה הופנתה על ידי הקו החם בתאריך 2024-04-17 והסכימה לראיון. ",
    "ar": "رقم الحالة: 2024-17 أحيلت السيدة من الخط الساخن ووافقت على المقابلة. ",
    "ka": "პირი ცხელმა ხაზმა გადმოგზავნა 2024-04-17 და დათანხმდა გასაუბრებას. ",
    "ru": "Женщина направлена горячей линией 2024-04-17 и согласилась на беседу. ",
}


def build(lang: str, second: str | None, pages: int) -> int:
    """Build a form of ``pages`` pages; returns the PDF size in bytes."""
    from shelter_desk.reports.layout import FormWriter, Label, PageFrame

    def label(index: int) -> Label:
        first = SAMPLE[lang][index]
        return Label(str(first), str(SAMPLE[second][index]) if second else None)

    writer = FormWriter(
        PageFrame("Shelter", lang, "2024-17", second, printed_on=dt.date(2024, 4, 17))
    )
    options = [
        (str(i), Label(SAMPLE[lang][4][i], SAMPLE[second][4][i] if second else None))
        for i in range(3)
    ]
    for page in range(pages):
        if page:
            writer.new_page()
        writer.heading(label(0))
        for _ in range(4):
            writer.field(label(1), str(SAMPLE[lang][2]))
        writer.field(label(1), lines=3)
        writer.tick_boxes(label(3), options, {"1"}, columns=3)
        writer.paragraph(PARAGRAPH[lang] * 6)
        writer.signature()
    return len(writer.finish())


def _timed(what: str, work: Callable[[], object]) -> object:
    began = time.perf_counter()
    result = work()
    print(f"{what:<44}{(time.perf_counter() - began) * 1000:>10.0f} ms")
    return result


def national(cases: int, data_dir: Path | None) -> None:
    """The period report on ``cases`` demo cases (see the module docstring)."""
    from shelter_desk.services import reports
    from shelter_desk.services.demo import generate_demo
    from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER, Installation
    from shelter_desk.services.reports import period as periods

    with tempfile.TemporaryDirectory(prefix="sd-national-") as temporary:
        root = data_dir or Path(temporary) / "coordinator"
        inst = Installation(root)
        if inst.exists():
            session = inst.unlock(DEMO_USER, DEMO_PASSPHRASE)
        else:
            session, _key = inst.create(
                org_name="Demo Coordinator",
                admin=DEMO_USER,
                passphrase=DEMO_PASSPHRASE,
                role="coordinator",
                country="JO",
                demo=True,
            )
            _timed(f"demo: {cases} cases", lambda: generate_demo(session, cases, 1))
        try:
            today = dt.date.today()
            year = periods.year(today.year - 1)
            quarter = periods.quarter(today.year - 1, 4)
            women = reports.make_filters(session, sex="Feminine", exploitation_type="ForcedLabour")
            found = _timed("figures, a year", lambda: reports.national_figures(session, year))
            assert isinstance(found, reports.NationalFigures)
            print(f"  people identified in the year: {found.identified}")
            _timed("figures, a quarter", lambda: reports.national_figures(session, quarter))
            _timed(
                "figures, a year, women in forced labour",
                lambda: reports.national_figures(session, year, women),
            )
            for fmt, lang in (("pdf", "en"), ("pdf", "ar"), ("xlsx", "en"), ("xlsx", "he")):
                data = _timed(
                    f"report, a year, {fmt} {lang}",
                    lambda fmt=fmt, lang=lang: reports.report(session, year, fmt=fmt, lang=lang),
                )
                assert isinstance(data, bytes)
                print(f"  {len(data) / 1024:.0f} KiB")
        finally:
            session.lock()
            inst.release()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5, help="pages per document")
    parser.add_argument("--rounds", type=int, default=5, help="documents per language")
    parser.add_argument("--national", type=int, metavar="CASES", help="time the period report")
    parser.add_argument("--data-dir", type=Path, help="a demo coordinator installation to reuse")
    args = parser.parse_args()
    if args.national is not None:
        national(args.national, args.data_dir)
        return

    start = time.perf_counter()
    import shelter_desk.reports.layout  # noqa: F401  (reportlab, babel, HarfBuzz)
    from shelter_desk.reports.fonts import register_fonts

    register_fonts()
    print(f"import + font registration: {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"{'language':<10}{'ms/page':>10}{'KiB/page':>10}")
    for lang, second in [*((code, None) for code in SAMPLE), ("ar", "en"), ("ka", "ru")]:
        build(lang, second, 1)  # warm the caches (subset fonts, catalogues)
        timings = []
        size = 0
        for _ in range(args.rounds):
            began = time.perf_counter()
            size = build(lang, second, args.pages)
            timings.append((time.perf_counter() - began) * 1000 / args.pages)
        name = lang + (f"+{second}" if second else "")
        print(f"{name:<10}{statistics.median(timings):>10.1f}{size / 1024 / args.pages:>10.1f}")


if __name__ == "__main__":
    main()
