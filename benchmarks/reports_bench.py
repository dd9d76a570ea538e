"""Time printed-form pages per language: python benchmarks/reports_bench.py [--pages N].

Builds a realistic one-section form (heading, filled and blank fields, tick boxes, a
paragraph, a signature line) repeated over N pages, in memory, for en, he, ar, ka, ru and
the bilingual pairs ar+en and ka+ru, and prints the median milliseconds per page.
The text is generated sample wording, not personal data; nothing is written to disk.

``--national CASES`` times the period report instead, on a demo coordinator installation of
CASES synthetic cases shared among ``--organisations`` shelters (default 50; written by
``services.demo.network`` the way bundle imports write, in a temporary folder, or kept and
reused with ``--data-dir``): the generation, the database size, the figures for a month,
a quarter, a year and a filtered year, and the report as PDF (en, ar) and XLSX (en, he),
each in wall and CPU time. ``--part N`` (N > 0) first adds CASES more cases to the
organisations of ``--data-dir`` (to grow one installation in steps). ``--old`` also times
the figures as computed before schema 10 (every record's JSON read per request;
tests/store/national_reference.py).
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
    began, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(f"{what:<44}{wall * 1000:>10.0f} ms wall{cpu * 1000:>10.0f} ms CPU")
    return result


def _load() -> str:
    return (
        Path("/proc/loadavg").read_text().split(" ")[0] if Path("/proc/loadavg").exists() else "?"
    )


def national(cases: int, organisations: int, data_dir: Path | None, old: bool, part: int) -> None:
    """The period report on ``cases`` demo cases (see the module docstring)."""
    from shelter_desk.services import reports
    from shelter_desk.services.demo.network import generate_network
    from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER, Installation
    from shelter_desk.services.reports import period as periods

    with tempfile.TemporaryDirectory(prefix="sd-national-") as temporary:
        root = data_dir or Path(temporary) / "coordinator"
        inst = Installation(root)
        print(f"load average at the start: {_load()}")
        fresh = not inst.exists()
        if fresh:
            session, _key = inst.create(
                org_name="Demo Coordinator",
                admin=DEMO_USER,
                passphrase=DEMO_PASSPHRASE,
                role="coordinator",
                country="JO",
                demo=True,
            )
        else:
            session = inst.unlock(DEMO_USER, DEMO_PASSPHRASE)
        if fresh or part:
            each = max(1, cases // organisations)

            def progress(done: int, total: int) -> None:
                if done % 10_000 < 1000:
                    print(f"  {done} of {total} cases, load {_load()}", flush=True)

            _timed(
                f"demo: {organisations} x {each} cases",
                lambda: generate_network(
                    session, organisations, each, 1, check=False, part=part, progress=progress
                ),
            )
            session.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            size = sum(f.stat().st_size for f in root.rglob("*.db*") if f.is_file())
            counted = session.db.scalar("SELECT count(*) FROM report_cases")
            print(f"database: {size / 2**20:.0f} MiB, {counted} cases, load {_load()}")
            today = dt.date.today()
            year = periods.year(today.year - 1)
            quarter = periods.quarter(today.year - 1, 4)
            month = periods.month(today.year - 1, 11)
            women = reports.make_filters(session, sex="Feminine", exploitation_type="ForcedLabour")
            for name, period in (("a month", month), ("a quarter", quarter), ("a year", year)):
                found = _timed(
                    f"figures, {name}", lambda p=period: reports.national_figures(session, p)
                )
                assert isinstance(found, reports.NationalFigures)
                print(f"  people identified: {found.identified}, load {_load()}")
            _timed("figures, a year, again", lambda: reports.national_figures(session, year))
            _timed(
                "figures, a year, women in forced labour",
                lambda: reports.national_figures(session, year, women),
            )
            if old:
                _old_figures(session, year)
            for fmt, lang in (("pdf", "en"), ("pdf", "ar"), ("xlsx", "en"), ("xlsx", "he")):
                data = _timed(
                    f"report, a year, {fmt} {lang}",
                    lambda fmt=fmt, lang=lang: reports.report(session, year, fmt=fmt, lang=lang),
                )
                assert isinstance(data, bytes)
                print(f"  {len(data) / 1024:.0f} KiB, load {_load()}")
        finally:
            session.lock()
            inst.release()


def _old_figures(session: object, year: object) -> None:
    """The year's figures as computed before schema 10 (for the before/after figures)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from shelter_desk.services.reports import Filters
    from shelter_desk.services.reports.figures import compute
    from tests.store.national_reference import RecordsNationalStore

    db = session.db  # type: ignore[attr-defined]
    today = dt.date.today().isoformat()
    _timed(
        "figures, a year, before schema 10",
        lambda: compute(RecordsNationalStore(db), year, Filters(), today=today, names={}),  # type: ignore[arg-type]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5, help="pages per document")
    parser.add_argument("--rounds", type=int, default=5, help="documents per language")
    parser.add_argument("--national", type=int, metavar="CASES", help="time the period report")
    parser.add_argument("--organisations", type=int, default=50, help="shelters of the demo")
    parser.add_argument("--data-dir", type=Path, help="a demo coordinator installation to reuse")
    parser.add_argument(
        "--part", type=int, default=0, help="add CASES more to --data-dir's organisations"
    )
    parser.add_argument("--old", action="store_true", help="also time the figures before schema 10")
    args = parser.parse_args()
    if args.national is not None:
        national(args.national, args.organisations, args.data_dir, args.old, args.part)
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
