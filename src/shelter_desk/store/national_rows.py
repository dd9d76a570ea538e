"""Schema 10: the period report's compact rows, kept by triggers on ``records``.

Reading every record's JSON for each report took 10-15 s for a year at 20,000 cases. These
tables hold, for every record the report counts (cases, people, intakes, exploitation
events, services, referrals, returns and follow-ups that are not deleted), only the fields
it reads, as ``json_extract`` returns them (so the figures are the same as when they were
read from ``records``). One row per record, keyed by the record's id: a trigger on
``records`` rewrites that one row in the same statement (and so the same transaction) as
the record, whoever writes it (a save, a sync bundle, an HTCDS import, the demo). The
report joins them by case and person id (store/national.py).

The migration fills them from the records there are. ``REBUILD`` lists one
``SELECT`` per table over ``records``: what the table must equal (the consistency tests
compare them). Never edit what shipped: a change is a new migration.
"""

from __future__ import annotations

# table -> (entity, extra condition on NEW, [(column, field of the record's data)])
# A column named "case_id" or "created_at" is the records column of that name, not a field.
TABLES: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "report_cases": (
        "case",
        "",
        (
            ("case_id", ""),
            ("org_id", ""),
            ("person_id", "person_id"),
            ("opened_on", "opened_on"),
            ("opened_year", "opened_on_year"),
            ("closed_on", "closed_on"),
            ("closed_year", "closed_on_year"),
            ("status", "status"),
            ("closure_reason", "closure_reason"),
            ("trafficking_status", "trafficking_status"),
            ("decision_org", "trafficking_status_decision_org"),
        ),
    ),
    "report_people": (
        "person",
        "",
        (
            ("gender", "gender"),
            ("birth_date", "birth_date"),
            ("estimated_birth_year", "estimated_birth_year"),
            ("birth_year", "birth_year"),
            ("citizenships", "citizenships"),
        ),
    ),
    "report_intakes": (
        "intake",
        "",
        (
            ("case_id", ""),
            ("created_at", ""),
            ("exploitation_types", "exploitation_types"),
            ("industry", "forced_labour_industry"),
            ("identification_source", "identification_source"),
            ("intake_on", "intake_date"),
        ),
    ),
    "report_exploitations": (
        "trafficking_event",
        "json_extract({r}.data, '$.event_type') = 'Exploitation'",
        (("case_id", ""), ("country", "country")),
    ),
    "report_services": (
        "service_delivery",
        "",
        (
            ("case_id", ""),
            ("service_type", "service_type"),
            ("started_on", "started_on"),
            ("cost", "cost"),
            ("currency", "currency"),
        ),
    ),
    "report_referrals": (
        "referral",
        "",
        (
            ("case_id", ""),
            ("referred_on", "referred_on"),
            ("status", "status"),
            ("responded_on", "responded_on"),
        ),
    ),
    "report_returns": (
        "return",
        "",
        (
            ("case_id", ""),
            ("travel_on", "travel_on"),
            ("cost", "cost"),
            ("currency", "currency"),
        ),
    ),
    "report_follow_ups": (
        "follow_up",
        "",
        (
            ("case_id", ""),
            ("scheduled_on", "scheduled_on"),
            ("done_on", "done_on"),
            ("composite", "composite_score"),
            ("economic", "economic_score"),
            ("social", "social_score"),
            ("psychosocial", "psychosocial_score"),
        ),
    ),
}

INDEXES = (
    "CREATE INDEX report_cases_by_case ON report_cases(case_id)",
    "CREATE INDEX report_intakes_by_case ON report_intakes(case_id, created_at)",
    "CREATE INDEX report_services_by_start ON report_services(started_on)",
    "CREATE INDEX report_services_by_case ON report_services(case_id, started_on)",
    "CREATE INDEX report_referrals_by_date ON report_referrals(referred_on)",
    "CREATE INDEX report_returns_by_date ON report_returns(travel_on)",
    "CREATE INDEX report_follow_ups_by_schedule ON report_follow_ups(scheduled_on)",
    "CREATE INDEX report_follow_ups_by_done ON report_follow_ups(done_on)",
)


def _values(alias: str, columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(
        f"{alias}.{name}" if not field else f"json_extract({alias}.data, '$.{field}')"
        for name, field in columns
    )


def _select(table: str, alias: str, source: str) -> str:
    """The row ``table`` holds for the record ``alias`` (a ``records`` row), if any."""
    entity, extra, columns = TABLES[table]
    # A record whose data cannot be read counts nowhere (the report reads it as nothing),
    # rather than making the migration, or the write, fail: json_extract refuses bad JSON.
    condition = f"{alias}.entity = '{entity}' AND {alias}.deleted = 0 AND json_valid({alias}.data)"
    if extra:
        condition += " AND " + extra.format(r=alias)
    return f"SELECT {alias}.id, {_values(alias, columns)}{source} WHERE {condition}"


REBUILD = {table: _select(table, "r", " FROM records r") for table in TABLES}


def _statements() -> list[str]:
    found = []
    for table, (entity, _extra, columns) in TABLES.items():
        names = ", ".join(name for name, _field in columns)
        # No column types: each value is kept exactly as json_extract returned it.
        found.append(f"CREATE TABLE {table} (id TEXT PRIMARY KEY, {names})")
        found.append(f"INSERT INTO {table} {REBUILD[table]}")
        write = f"INSERT INTO {table} {_select(table, 'NEW', '')}"
        found += [
            f"CREATE TRIGGER {table}_added AFTER INSERT ON records"
            f" WHEN NEW.entity = '{entity}' BEGIN"
            f" DELETE FROM {table} WHERE id = NEW.id; {write}; END",
            f"CREATE TRIGGER {table}_changed AFTER UPDATE ON records"
            f" WHEN OLD.entity = '{entity}' OR NEW.entity = '{entity}' BEGIN"
            f" DELETE FROM {table} WHERE id = OLD.id OR id = NEW.id; {write}; END",
            f"CREATE TRIGGER {table}_removed AFTER DELETE ON records"
            f" WHEN OLD.entity = '{entity}' BEGIN"
            f" DELETE FROM {table} WHERE id = OLD.id; END",
        ]
    return [*found, *INDEXES]


V10_REPORT_ROWS = ";\n".join(_statements()) + ";\n"
