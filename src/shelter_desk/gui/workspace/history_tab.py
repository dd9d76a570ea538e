"""The History tab: who viewed the case and who changed what, newest first.

A referral or a service is told by what it is ("a referral to Legal Aid Centre (Legal
aid)", "a service: Medical, Al-Amal Clinic"), in the reader's language, from the codes and
organisation ids the history keeps."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from shelter_desk.domain import codes
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.labels import entity_label, field_label
from shelter_desk.gui.workspace.base import CaseTab
from shelter_desk.i18n import N_, _, format_datetime, format_list, isolate
from shelter_desk.services import case_history, cases
from shelter_desk.services.case_history import HistoryEntry
from shelter_desk.services.cases import CaseFile


def record_phrase(entry: HistoryEntry, organisations: dict[str, str]) -> str:
    """What the entry is about: "a referral to Legal Aid Centre (Legal aid)", "a service:
    Medical, Al-Amal Clinic", or the record's plain name ("the person")."""
    if entry.entity == "referral" and entry.about_value("to_org_id"):
        organisation = _organisation(entry.about_value("to_org_id"), organisations)
        wanted = [_(codes.SERVICE_TYPE.label(c)) for c in entry.about_value("services_requested")]
        if not wanted:
            wanted = [_(codes.REFERRAL_REASON.label(c)) for c in entry.about_value("reason")]
        if wanted:
            return _("a referral to {organisation} ({what})").format(
                organisation=organisation, what=format_list(wanted)
            )
        return _("a referral to {organisation}").format(organisation=organisation)
    if entry.entity == "service_delivery" and entry.about_value("service_type"):
        service = _(codes.SERVICE_TYPE.label(entry.about_value("service_type")[0]))
        if entry.about_value("provider_org_id"):
            provider = _organisation(entry.about_value("provider_org_id"), organisations)
            return _("a service: {service}, {provider}").format(service=service, provider=provider)
        return _("a service: {service}").format(service=service)
    return entity_label(entry.entity)


def _organisation(ids: tuple[str, ...], organisations: dict[str, str]) -> str:
    name = organisations.get(ids[0])
    return isolate(name) if name else _("an organisation not in the directory")


def describe(
    entry: HistoryEntry, names: dict[str, str], organisations: dict[str, str] | None = None
) -> str:
    """One readable line: "{date} {user} changed the person: City"."""
    when = format_datetime(entry.at.astimezone().replace(tzinfo=None), "short")
    who = isolate(names.get(entry.user_id) or _("someone at another organisation"))
    record = record_phrase(entry, organisations or {})
    action = entry.action
    if action == case_history.VIEWED:
        return _("{date} {user} viewed the case").format(date=when, user=who)
    if action == case_history.ADDED:
        return _("{date} {user} added {record}").format(date=when, user=who, record=record)
    if action == case_history.REMOVED:
        return _("{date} {user} removed {record}").format(date=when, user=who, record=record)
    if action == case_history.CLOSED:
        return _("{date} {user} closed the case").format(date=when, user=who)
    if action == case_history.REOPENED:
        return _("{date} {user} reopened the case").format(date=when, user=who)
    if action == case_history.STATUS_DECIDED:
        return _("{date} {user} decided the trafficking status").format(date=when, user=who)
    if action == case_history.PRINTED:
        return _("{date} {user} printed {record}").format(date=when, user=who, record=record)
    if action == case_history.EXPORTED:
        return _("{date} {user} exported {record}").format(date=when, user=who, record=record)
    if action == case_history.CONSENT_OVERRIDDEN:
        return _("{date} {user} overrode the consent for {record}").format(
            date=when, user=who, record=record
        )
    return _("{date} {user} changed {record}: {fields}").format(
        date=when,
        user=who,
        record=record,
        fields=format_list([field_label(f) for f in entry.fields]),
    )


def fold_views(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """One line for a run of views by the same person on the same day (newest kept)."""
    folded: list[HistoryEntry] = []
    for entry in entries:
        last = folded[-1] if folded else None
        if (
            last is not None
            and entry.action == last.action == case_history.VIEWED
            and entry.user_id == last.user_id
            and _day(entry.at) == _day(last.at)
        ):
            continue
        folded.append(entry)
    return folded


def _day(at: dt.datetime) -> dt.date:
    return at.astimezone().date()


class HistoryTab(CaseTab):
    TITLE = N_("History")
    KEY = "history"

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.entries: list[HistoryEntry] = []
        self.names: dict[str, str] = {}
        self.organisations: dict[str, str] = {}  # partner id -> name, for referrals
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        self.retranslate()

    def show_case(self, case_file: CaseFile) -> None:
        super().show_case(case_file)
        session, case_id = self.context.session, case_file.case.id
        run_op(
            self,
            self.context.runner,
            lambda: (
                case_history.case_history(session, case_id),
                case_history.user_names(session),
                {o.id: o.name for o in cases.organisations(session)},
            ),
            self._arrived,
        )

    def _arrived(self, found: tuple[list[HistoryEntry], dict[str, str], dict[str, str]]) -> None:
        self.entries, self.names, self.organisations = fold_views(found[0]), found[1], found[2]
        self._fill()

    def lines(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _fill(self) -> None:
        self.list.clear()
        for entry in self.entries:
            self.list.addItem(describe(entry, self.names, self.organisations))

    def retranslate(self) -> None:
        self.intro.setText(_("Everything done with this case, newest first."))
        self.list.setAccessibleName(_("Case history"))
        self._fill()
