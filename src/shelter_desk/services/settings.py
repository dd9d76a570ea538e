"""The installation's settings an administrator may change: the organisation's name and
country, the case number prefix, the auto-lock time and the follow-up schedule.

They live in the encrypted ``meta`` table. A save validates every field at once (nothing is
written when any is wrong), writes them in one transaction and leaves one audit event that
names the settings changed (never their values).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from shelter_desk.domain.entities import ServiceDelivery
from shelter_desk.domain.errors import ValidationError
from shelter_desk.i18n import _
from shelter_desk.i18n.date_style import DATE_ORDERS, DateStyle
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.cases import DEFAULT_FOLLOW_UP_MONTHS
from shelter_desk.services.installation import known_country
from shelter_desk.services.session import Session
from shelter_desk.store.recent_values import last_value

DEFAULT_AUTOLOCK_MINUTES = 5
MAX_AUTOLOCK_MINUTES = 24 * 60
MAX_FOLLOW_UP_MONTH = 120
MAX_ORG_NAME = 200
CASE_PREFIX = re.compile(r"[A-Z0-9]{2,10}")

# meta keys
ORG_NAME = "org_name"
ORG_COUNTRY = "org_country"
CASE_PREFIX_KEY = "case_prefix"
AUTOLOCK_MINUTES = "autolock_minutes"
FOLLOW_UP_MONTHS = "follow_up_months"
DATE_ORDER = "date_order"  # "" (the organisation's country decides), "dmy", "mdy" or "ymd"


@dataclass(frozen=True)
class Settings:
    org_name: str
    org_country: str  # ISO 3166-1 alpha-2, or "" when not given
    case_prefix: str
    autolock_minutes: int
    follow_up_months: tuple[int, ...]
    date_order: str = ""  # one of DATE_ORDERS; "" follows the organisation's country


def read_settings(session: Session) -> Settings:
    session.require(Permission.CHANGE_SETTINGS)
    meta = session.meta
    return Settings(
        org_name=meta.get(ORG_NAME),
        org_country=meta.get(ORG_COUNTRY),
        case_prefix=meta.get(CASE_PREFIX_KEY, "CASE"),
        autolock_minutes=_stored_minutes(meta.get(AUTOLOCK_MINUTES)),
        follow_up_months=_stored_months(meta.get(FOLLOW_UP_MONTHS)),
        date_order=_stored_order(meta.get(DATE_ORDER)),
    )


def date_style(session: Session) -> DateStyle:
    """How this installation writes dates (every signed-in user reads it): the
    organisation's country decides the order unless an administrator chose one."""
    meta = session.meta
    return DateStyle(meta.get(ORG_COUNTRY), _stored_order(meta.get(DATE_ORDER)))


def _stored_order(raw: str) -> str:
    return raw if raw in DATE_ORDERS else ""


def _stored_minutes(raw: str) -> int:
    try:
        return max(int(raw), 1)
    except ValueError:
        return DEFAULT_AUTOLOCK_MINUTES


def _stored_months(raw: str) -> tuple[int, ...]:
    try:
        return parse_follow_up_months(raw) if raw.strip() else DEFAULT_FOLLOW_UP_MONTHS
    except ValidationError:
        return DEFAULT_FOLLOW_UP_MONTHS


def months_rule() -> str:
    return _(
        "Enter whole numbers of months after the return, from 1 to {most}, separated by"
        " commas: for example 1, 3, 6, 12."
    ).format(most=MAX_FOLLOW_UP_MONTH)


def parse_follow_up_months(text: str) -> tuple[int, ...]:
    """``"1, 3, 6, 12"`` -> ``(1, 3, 6, 12)``: whole months after the return, sorted, each
    once. Commas, semicolons or spaces separate them."""
    parts = [p for p in re.split(r"[\s,;،]+", text.strip()) if p]
    problem = ValidationError({FOLLOW_UP_MONTHS: months_rule()})
    if not parts:
        raise problem
    months = set()
    for part in parts:
        if not part.isascii() or not part.isdigit():
            raise problem
        month = int(part)
        if not 1 <= month <= MAX_FOLLOW_UP_MONTH:
            raise problem
        months.add(month)
    return tuple(sorted(months))


def validate_settings(settings: Settings) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = settings.org_name.strip()
    if not name:
        errors[ORG_NAME] = _("Enter the organisation's name.")
    elif len(name) > MAX_ORG_NAME:
        errors[ORG_NAME] = _("Use at most {count} characters.").format(count=MAX_ORG_NAME)
    country = settings.org_country
    if country and not known_country(country):
        errors[ORG_COUNTRY] = _("Choose a country from the list.")
    if not CASE_PREFIX.fullmatch(settings.case_prefix):
        errors[CASE_PREFIX_KEY] = _(
            "Use 2 to 10 capital Latin letters or digits, like {example}."
        ).format(example="HH")
    if not 1 <= settings.autolock_minutes <= MAX_AUTOLOCK_MINUTES:
        errors[AUTOLOCK_MINUTES] = _(
            "Shelter Desk must lock itself after 1 to {most} minutes without use; it cannot"
            " be switched off."
        ).format(most=MAX_AUTOLOCK_MINUTES)
    months = settings.follow_up_months
    if (
        not months
        or list(months) != sorted(set(months))
        or not all(1 <= m <= MAX_FOLLOW_UP_MONTH for m in months)
    ):
        errors[FOLLOW_UP_MONTHS] = months_rule()
    if settings.date_order not in DATE_ORDERS:
        errors[DATE_ORDER] = _("Choose a date order from the list.")
    return errors


def save_settings(session: Session, settings: Settings) -> Settings:
    """Validate and store every setting; return what is now stored.

    A new case prefix applies to cases opened from now on; existing case numbers never
    change. A new auto-lock time applies from the next unlock."""
    session.require(Permission.CHANGE_SETTINGS)
    settings = _tidied(settings)
    errors = validate_settings(settings)
    if errors:
        raise ValidationError(errors)
    values = {
        ORG_NAME: settings.org_name,
        ORG_COUNTRY: settings.org_country,
        CASE_PREFIX_KEY: settings.case_prefix,
        AUTOLOCK_MINUTES: str(settings.autolock_minutes),
        FOLLOW_UP_MONTHS: ",".join(str(m) for m in settings.follow_up_months),
        DATE_ORDER: settings.date_order,
    }
    changed = [key for key, value in values.items() if session.meta.get(key) != value]
    if changed:
        with session.db.transaction():
            for key in changed:
                session.meta.set(key, values[key])
            session.audit(Action.SETTINGS_CHANGE, "settings", ",".join(changed))
    return read_settings(session)


def save_settings_form(
    session: Session,
    *,
    org_name: str,
    org_country: str,
    case_prefix: str,
    autolock_minutes: int,
    follow_up_months: str,
    date_order: str = "",
) -> Settings:
    """Save the settings as typed in a form (the follow-up months as text); every problem
    is reported at once in one ValidationError."""
    session.require(Permission.CHANGE_SETTINGS)
    errors: dict[str, str] = {}
    try:
        months = parse_follow_up_months(follow_up_months)
    except ValidationError as exc:
        errors.update(exc.errors)
        months = DEFAULT_FOLLOW_UP_MONTHS
    settings = _tidied(
        Settings(org_name, org_country, case_prefix, autolock_minutes, months, date_order)
    )
    errors = validate_settings(settings) | errors
    if errors:
        raise ValidationError(errors)
    return save_settings(session, settings)


def _tidied(settings: Settings) -> Settings:
    return Settings(
        org_name=settings.org_name.strip(),
        org_country=settings.org_country.strip().upper(),
        case_prefix=settings.case_prefix.strip().upper(),
        autolock_minutes=settings.autolock_minutes,
        follow_up_months=settings.follow_up_months,
        date_order=settings.date_order,
    )


@dataclass(frozen=True)
class Organisation:
    name: str
    country: str  # ISO 3166-1 alpha-2, or "" when not given


def organisation(session: Session) -> Organisation:
    """This installation's organisation (every signed-in user may see it)."""
    return Organisation(session.meta.get(ORG_NAME), session.meta.get(ORG_COUNTRY))


def set_organisation(
    session: Session, *, name: str | None = None, country: str | None = None
) -> Organisation:
    """Change the organisation's name and/or country (an administrator), for instance the
    country ``init`` left out; the other settings stay as they are."""
    current = read_settings(session)
    changed = replace(
        current,
        org_name=current.org_name if name is None else name,
        org_country=current.org_country if country is None else country,
    )
    saved = save_settings(session, changed)
    return Organisation(saved.org_name, saved.org_country)


def default_currency(session: Session, *, today: dt.date | None = None) -> str:
    """The currency a new cost starts with: the last one used for a service in this
    installation, else the organisation's country's (ILS in Israel), else none."""
    last = last_value(session.db, ServiceDelivery.ENTITY, session.org_id, "currency")
    if last:
        return last
    country = session.meta.get(ORG_COUNTRY)
    if not country:
        return ""
    from babel.numbers import get_territory_currencies

    current = get_territory_currencies(country, today or dt.date.today())
    return str(current[0]) if current else ""


def describe_months(months: tuple[int, ...]) -> str:
    """``(1, 3, 6)`` -> ``"1, 3, 6"`` as the settings field shows them."""
    return ", ".join(str(m) for m in months)
