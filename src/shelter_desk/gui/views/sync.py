"""The Sync page: partners and their fingerprints, exporting and importing bundles, the
bundle history and refused bundles, the conflict queue and referrals from other
organisations.

Everything shown is read on the database worker in one go (:func:`read_overview`) and the
page is refilled after every exchange. Summaries of bundles give numbers only, never a
person's details.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.operations import ProgressFeed, run_op
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.views.sync_dialogs import (
    BUNDLE_SUFFIX,
    AddPartnerDialog,
    CardFacts,
    ConflictEntry,
    ConflictPanel,
    ExportDialog,
    MyCardDialog,
    card_facts_from_file,
    choose_file,
    my_card_facts,
    role_text,
    size_text,
    when_text,
)
from shelter_desk.i18n import (
    N_,
    NP_,
    _,
    country_name,
    format_date,
    format_list,
    isolate,
    ngettext,
)
from shelter_desk.security.permissions import Permission
from shelter_desk.services import case_history, exchange, referrals
from shelter_desk.services.exchange import ExportSummary, ImportResult, PartnerInfo
from shelter_desk.services.referrals import ReferralRow
from shelter_desk.services.session import Session

PARTNER_COLUMNS = (
    N_("Organisation"),
    N_("Role"),
    N_("Country"),
    N_("Fingerprint"),
    N_("Last sent"),
    N_("Last received"),
    N_("Trust"),
)
BUNDLE_COLUMNS = (
    N_("Direction"),
    N_("Partner"),
    N_("Number"),
    N_("Date"),
    N_("Changes"),
    N_("New here"),
    N_("Cases"),
    N_("Acknowledgements"),
    N_("Size"),
    N_("Notes"),
)
REFUSED_COLUMNS = (N_("Date"), N_("Sender"), N_("Why it was refused"), N_("Size"))
REFERRAL_COLUMNS = (
    N_("Date"),
    # TRANSLATORS: column of the incoming referrals: the partner that sent the referral.
    NP_("referral sender", "From"),
    N_("Case"),
    N_("Reason"),
    N_("Services requested"),
    N_("Status"),
)
DIRECTION_WORDS = {
    # TRANSLATORS: a sync bundle this installation made for a partner.
    "sent": NP_("bundle direction", "Sent"),
    # TRANSLATORS: a sync bundle that came in from a partner.
    "received": NP_("bundle direction", "Received"),
}

# Quarantine reason codes (services.exchange and the bundle reader) in words.
REFUSAL_REASONS = {
    "not_a_bundle": N_("It is not a Shelter Desk bundle."),
    "unsupported_version": N_("It was made in a format this Shelter Desk cannot read."),
    "damaged": N_("It is damaged or was altered after it was made."),
    "unknown_sender": N_("Its sender is not a trusted sync partner."),
    "revoked_sender": N_("Its sender's key was withdrawn."),
    "not_addressed_here": N_("It was made for another installation."),
    "too_large": N_("It is too large."),
    "inconsistent": N_("Its parts do not agree with each other; it may have been altered."),
    "newer_schema": N_("It was made by a newer Shelter Desk."),
    "bad_manifest": N_("Its list of contents is not valid."),
    "invalid_transaction": N_("It contains a change that cannot be read."),
    "not_permitted": N_("It changes records its sender may not change."),
    "organisation_changed": N_("Its sender now claims to be another organisation."),
}


# =========================================================================================
# What the page shows, read on the worker
# =========================================================================================


@dataclass(frozen=True)
class BundleEntry:
    direction: str  # "sent" or "received"
    partner: str
    seq: int
    at: str
    transactions: int
    new_transactions: int
    cases: int
    acknowledgements: int
    conflicts: int
    size: int
    gap_before: int
    chain_broken: bool
    future_clocks: int


@dataclass(frozen=True)
class RefusedEntry:
    at: str
    sender: str
    reason: str
    size: int


@dataclass(frozen=True)
class SyncOverview:
    partners: list[PartnerInfo]
    bundles: list[BundleEntry]
    refused: list[RefusedEntry]
    conflicts: list[ConflictEntry]
    incoming: list[ReferralRow]


def read_overview(session: Session) -> SyncOverview:
    """Everything the Sync page shows. Worker only."""
    partners = exchange.list_partners(session)
    by_key = {p.key_id: p.organisation for p in partners}
    bundles = [
        BundleEntry(
            direction=b.direction,
            partner=by_key.get(b.partner_key_id, ""),
            seq=b.seq,
            at=b.at,
            transactions=b.transactions,
            new_transactions=b.new_transactions,
            cases=b.cases,
            acknowledgements=b.acknowledgements,
            conflicts=b.conflicts,
            size=b.size,
            gap_before=b.gap_before,
            chain_broken=b.chain_broken,
            future_clocks=len(b.future_clocks),
        )
        for b in exchange.bundle_history(session)
    ]
    refused = []
    if session.can(Permission.IMPORT):
        refused = [
            RefusedEntry(q.at, by_key.get(q.sender_key_id, ""), q.reason, q.size)
            for q in exchange.quarantined_bundles(session)
        ]
    all_referrals = referrals.list_referrals(session)
    return SyncOverview(
        partners=partners,
        bundles=bundles,
        refused=refused,
        conflicts=_conflict_entries(session, by_key, all_referrals),
        incoming=[r for r in all_referrals if r.direction == referrals.INCOMING],
    )


def _conflict_entries(
    session: Session, partners: dict[str, str], all_referrals: Sequence[ReferralRow]
) -> list[ConflictEntry]:
    """The open conflicts with who wrote each value: a person's name for this
    installation's users, else the writer's organisation. An installation that is not a
    partner here can only have edited a case referred to or from it with identity, so the
    other organisation of such referrals names it."""
    names = case_history.user_names(session)
    others: dict[str, set[str]] = defaultdict(set)
    for r in all_referrals:
        if r.shares_identity:
            other = r.from_org_name if r.direction == referrals.INCOMING else r.to_org_name
            if other:
                others[r.case_id].add(other)

    def who(user_id: str, device: str, case_id: str) -> str:
        if device == session.device_id:
            return names.get(user_id) or _("a former user of this installation")
        if device in partners:
            return partners[device]
        candidates = sorted(others.get(case_id, ()))
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            return _("one of {organisations}").format(organisations=format_list(candidates))
        return _("another installation")

    return [
        ConflictEntry(
            c,
            who(c.local_user, c.local_device, c.case_id),
            who(c.remote_user, c.remote_device, c.case_id),
        )
        for c in exchange.conflicts(session)
    ]


@dataclass(frozen=True)
class Exported:
    partner: str
    path: Path
    summary: ExportSummary


def export_to_file(
    session: Session, key_id: str, path: Path, progress: exchange.Progress | None = None
) -> Exported:
    """Make the bundle for a partner and write it to ``path`` (complete, or not at all, and
    logged only once written). Worker only."""
    partner = next((p for p in exchange.list_partners(session) if p.key_id == key_id), None)
    result = exchange.export_bundle(session, key_id, path, progress=progress)
    return Exported(partner.organisation if partner else "", path, result.summary)


def import_from_file(
    session: Session, path: Path, progress: exchange.Progress | None = None
) -> ImportResult:
    """Import a bundle file (read in chunks). Worker only."""
    session.require(Permission.IMPORT)
    return exchange.import_bundle(session, path, progress=progress)


# =========================================================================================
# Summaries in words (numbers only)
# =========================================================================================


def export_summary_text(done: Exported) -> str:
    s = done.summary
    lines = [
        _("Bundle {seq} for {partner} was written to {path}.").format(
            seq=s.seq, partner=isolate(done.partner), path=isolate(str(done.path))
        ),
        _("Changes: {count}").format(count=s.transactions),
        _("Cases concerned: {count}").format(count=s.cases),
        _("Referral changes: {count}").format(count=s.referrals),
        _("Acknowledgements of bundles received: {count}").format(count=s.acknowledgements),
        _(
            "Sharing levels: {identified} identified, {pseudonymised} pseudonymised,"
            " {statistics} for statistics only"
        ).format(identified=s.identified, pseudonymised=s.pseudonymised, statistics=s.statistics),
        _("Size: {size}").format(size=size_text(s.size)),
    ]
    return "\n".join(lines)


def import_summary_text(result: ImportResult) -> str:
    lines = [result.message]
    if result.already_applied:
        return "\n".join(lines)
    counts = result.counts
    lines += [
        _("Changes received: {count}").format(count=counts.get("transactions", 0)),
        _("New here: {count}").format(count=counts.get("new", 0)),
        _("Cases concerned: {count}").format(count=counts.get("cases", 0)),
    ]
    acknowledged = counts.get("acknowledged", 0)
    if acknowledged:
        lines.append(
            _("Our bundles the partner confirmed receiving: {count}").format(count=acknowledged)
        )
    if result.gap_before:
        lines.append(
            ngettext(
                "Warning: {count} earlier bundle from this partner has not arrived yet.",
                "Warning: {count} earlier bundles from this partner have not arrived yet.",
                result.gap_before,
            ).format(count=result.gap_before)
        )
    if result.chain_broken:
        lines.append(
            _(
                "Warning: this bundle does not follow the previous bundle received from this"
                " partner. Ask the partner whether they restored a backup."
            )
        )
    if result.future_clock_flags:
        count = len(result.future_clock_flags)
        lines.append(
            ngettext(
                "Warning: {count} change is dated in the future; the partner's computer clock"
                " may be wrong.",
                "Warning: {count} changes are dated in the future; the partner's computer"
                " clock may be wrong.",
                count,
            ).format(count=count)
        )
    if result.conflicts:
        lines.append(
            ngettext(
                "{count} conflict needs a supervisor's decision.",
                "{count} conflicts need a supervisor's decision.",
                len(result.conflicts),
            ).format(count=len(result.conflicts))
        )
    return "\n".join(lines)


def _bundle_notes(b: BundleEntry) -> str:
    notes = []
    if b.gap_before:
        notes.append(
            ngettext(
                "{count} earlier bundle missing", "{count} earlier bundles missing", b.gap_before
            ).format(count=b.gap_before)
        )
    if b.chain_broken:
        notes.append(_("does not follow the previous bundle"))
    if b.future_clocks:
        notes.append(
            ngettext(
                "{count} change dated in the future",
                "{count} changes dated in the future",
                b.future_clocks,
            ).format(count=b.future_clocks)
        )
    if b.conflicts:
        notes.append(
            ngettext("{count} conflict", "{count} conflicts", b.conflicts).format(count=b.conflicts)
        )
    return format_list(notes) if notes else ""


# =========================================================================================
# The page
# =========================================================================================


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().hide()
    return table


def _fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    selected = table.currentRow()
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))
    if 0 <= selected < len(rows):
        table.selectRow(selected)


def _buttons(*buttons: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class SyncView(View):
    HEADING = N_("Sync")
    REFRESH_WHEN_SHOWN = True

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        session = context.session
        self.can_export = session.can(Permission.EXPORT)
        self.can_import = session.can(Permission.IMPORT)
        self.can_manage = session.can(Permission.MANAGE_PARTNERS)
        self.can_answer = session.can(Permission.EDIT_CASES)
        self.overview = SyncOverview([], [], [], [], [])
        self.dialog: QDialog | None = None
        self.question: QMessageBox | None = None

        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.open_export)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.choose_import_file)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.setEnabled(self.can_export)
        self.import_button.setEnabled(self.can_import)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        top = _buttons(self.export_button, self.import_button)
        top.addWidget(self.refresh_button)
        self.body.addLayout(top)
        self.body.addWidget(self.summary)

        self.tabs = QTabWidget()
        self.body.addWidget(self.tabs, 1)
        self.partners_tab = self._partners_tab()
        self.bundles_tab = self._bundles_tab()
        self.conflicts = ConflictPanel(
            context.runner, session, session.can(Permission.RESOLVE_CONFLICTS)
        )
        self.conflicts.resolved.connect(self._conflict_resolved)
        self.referrals_tab = self._referrals_tab()
        for tab in (self.partners_tab, self.bundles_tab, self.conflicts, self.referrals_tab):
            self.tabs.addTab(tab, "")
        self.retranslate()
        self._update_buttons()
        self.refresh()

    # -- layout --------------------------------------------------------------------
    def _partners_tab(self) -> QWidget:
        self.partners_table = _table(len(PARTNER_COLUMNS))
        self.partners_table.itemSelectionChanged.connect(self._update_buttons)
        self.show_digits = QCheckBox()
        self.show_digits.toggled.connect(lambda _on: self._fill_partners())
        self.my_card_button = QPushButton()
        self.my_card_button.clicked.connect(self.open_my_card)
        self.add_partner_button = QPushButton()
        self.add_partner_button.clicked.connect(self.choose_card_file)
        self.add_partner_button.setEnabled(self.can_manage)
        self.revoke_button = QPushButton()
        self.revoke_button.clicked.connect(self.ask_revoke)
        self.partners_empty = QLabel()
        self.partners_empty.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.partners_empty)
        layout.addWidget(self.partners_table, 1)
        layout.addWidget(self.show_digits)
        layout.addLayout(_buttons(self.my_card_button, self.add_partner_button, self.revoke_button))
        return tab

    def _bundles_tab(self) -> QWidget:
        self.bundles_heading = QLabel()
        self.bundles_table = _table(len(BUNDLE_COLUMNS))
        self.refused_heading = QLabel()
        self.refused_table = _table(len(REFUSED_COLUMNS))
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.bundles_heading)
        layout.addWidget(self.bundles_table, 2)
        layout.addWidget(self.refused_heading)
        layout.addWidget(self.refused_table, 1)
        self.refused_heading.setVisible(self.can_import)
        self.refused_table.setVisible(self.can_import)
        return tab

    def _referrals_tab(self) -> QWidget:
        self.referrals_explanation = QLabel()
        self.referrals_explanation.setWordWrap(True)
        self.referrals_table = _table(len(REFERRAL_COLUMNS))
        self.referrals_table.itemSelectionChanged.connect(self._update_buttons)
        self.accept_button = QPushButton()
        self.accept_button.clicked.connect(lambda: self.answer_referral("Accepted"))
        self.decline_button = QPushButton()
        self.decline_button.clicked.connect(lambda: self.answer_referral("Declined"))
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.referrals_explanation)
        layout.addWidget(self.referrals_table, 1)
        layout.addLayout(_buttons(self.accept_button, self.decline_button))
        return tab

    def retranslate(self) -> None:
        super().retranslate()
        self.export_button.setText(_("&Export bundle…"))
        self.import_button.setText(_("&Import bundle…"))
        self.refresh_button.setText(_("Re&fresh"))
        if not self.can_export:
            self.export_button.setToolTip(_("Your role may not export bundles."))
        if not self.can_import:
            self.import_button.setToolTip(_("Your role may not import bundles."))
        self.summary.setAccessibleName(_("Result of the last exchange"))
        self.partners_table.setHorizontalHeaderLabels([_(c) for c in PARTNER_COLUMNS])
        self.partners_table.setAccessibleName(_("Sync partners"))
        self.partners_empty.setText(
            _(
                "No sync partners yet. Exchange partner cards with the national coordinator (or a"
                " partner shelter), check the fingerprints by phone, then add their card here."
            )
        )
        self.show_digits.setText(_("Show fingerprints as &digits"))
        self.my_card_button.setText(_("&My partner card…"))
        self.add_partner_button.setText(_("&Add a sync partner…"))
        self.revoke_button.setText(_("Re&voke…"))
        if not self.can_manage:
            self.add_partner_button.setToolTip(_("Your role may not add or revoke sync partners."))
        self.bundles_heading.setText(_("Bundles sent and received"))
        self.bundles_table.setHorizontalHeaderLabels([_(c) for c in BUNDLE_COLUMNS])
        self.bundles_table.setAccessibleName(_("Bundles sent and received"))
        self.refused_heading.setText(_("Refused bundles (nothing from them was imported)"))
        self.refused_table.setHorizontalHeaderLabels([_(c) for c in REFUSED_COLUMNS])
        self.refused_table.setAccessibleName(_("Refused bundles"))
        self.referrals_explanation.setText(
            _(
                "Referrals other organisations sent to us. The answer travels back with the"
                " next bundle."
            )
        )
        self.referrals_table.setHorizontalHeaderLabels([_(c) for c in REFERRAL_COLUMNS])
        self.referrals_table.setAccessibleName(_("Referrals to us"))
        self.accept_button.setText(_("A&ccept"))
        self.decline_button.setText(_("&Decline"))
        self.conflicts.retranslate()
        self._fill()

    def _retitle_tabs(self) -> None:
        o = self.overview
        open_incoming = sum(1 for r in o.incoming if r.status == "Sent")
        titles = (
            (self.partners_tab, _("Sync &partners ({count})").format(count=len(o.partners))),
            (self.bundles_tab, _("&History")),
            (self.conflicts, _("Co&nflicts ({count})").format(count=len(o.conflicts))),
            (
                self.referrals_tab,
                _("&Referrals to us ({count} waiting)").format(count=open_incoming),
            ),
        )
        for tab, title in titles:
            self.tabs.setTabText(self.tabs.indexOf(tab), title)

    # -- reading -------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.context.session
        run_op(self, self.context.runner, lambda: read_overview(session), self._show)

    def _show(self, overview: SyncOverview) -> None:
        self.overview = overview
        self._fill()

    def _fill(self) -> None:
        self._fill_partners()
        o = self.overview
        _fill_table(
            self.bundles_table,
            [
                [
                    _(DIRECTION_WORDS.get(b.direction, b.direction)),
                    isolate(b.partner) if b.partner else _("(unknown partner)"),
                    str(b.seq),
                    when_text(b.at),
                    str(b.transactions),
                    str(b.new_transactions) if b.direction == "received" else "",
                    str(b.cases),
                    str(b.acknowledgements),
                    size_text(b.size),
                    _bundle_notes(b),
                ]
                for b in o.bundles
            ],
        )
        _fill_table(
            self.refused_table,
            [
                [
                    when_text(q.at),
                    isolate(q.sender) if q.sender else _("(unknown sender)"),
                    _(REFUSAL_REASONS[q.reason]) if q.reason in REFUSAL_REASONS else _("Refused."),
                    size_text(q.size),
                ]
                for q in o.refused
            ],
        )
        _fill_table(
            self.referrals_table,
            [
                [
                    format_date(r.referred_on) if r.referred_on else "",
                    isolate(r.from_org_name),
                    r.case_number,
                    _(codes.REFERRAL_REASON.label(r.reason)) if r.reason else "",
                    format_list([_(codes.SERVICE_TYPE.label(s)) for s in r.services_requested]),
                    _(codes.REFERRAL_STATUS.label(r.status)),
                ]
                for r in o.incoming
            ],
        )
        self.conflicts.show_entries(o.conflicts)
        self._retitle_tabs()
        self._update_buttons()

    def _fill_partners(self) -> None:
        digits = self.show_digits.isChecked()
        rows = []
        for p in self.overview.partners:
            trust = (
                _("Revoked on {date}").format(date=when_text(p.revoked_at))
                if p.revoked
                else _("Trusted")
            )
            rows.append(
                [
                    isolate(p.organisation),
                    role_text(p.role),
                    country_name(p.country),
                    p.fingerprint_digits if digits else p.fingerprint,
                    when_text(p.last_sent_at) or _("never"),
                    when_text(p.last_received_at) or _("never"),
                    trust,
                ]
            )
        _fill_table(self.partners_table, rows)
        self.partners_empty.setVisible(not rows)

    def selected_partner(self) -> PartnerInfo | None:
        rows = self.partners_table.selectionModel().selectedRows()
        partners = self.overview.partners
        if not rows or rows[0].row() >= len(partners):
            return None
        return partners[rows[0].row()]

    def selected_referral(self) -> ReferralRow | None:
        rows = self.referrals_table.selectionModel().selectedRows()
        incoming = self.overview.incoming
        if not rows or rows[0].row() >= len(incoming):
            return None
        return incoming[rows[0].row()]

    def _update_buttons(self) -> None:
        partner = self.selected_partner()
        self.revoke_button.setEnabled(
            self.can_manage and partner is not None and not partner.revoked
        )
        referral = self.selected_referral()
        can_answer = self.can_answer and referral is not None and referral.status == "Sent"
        self.accept_button.setEnabled(can_answer)
        self.decline_button.setEnabled(can_answer)

    def _say(self, text: str) -> None:
        self.summary.setText(text)

    # -- partners ------------------------------------------------------------------
    def open_my_card(self) -> None:
        session = self.context.session
        run_op(self, self.context.runner, lambda: my_card_facts(session), self._show_my_card)

    def _show_my_card(self, facts: CardFacts) -> None:
        dialog = MyCardDialog(self.context.runner, facts, self)
        dialog.saved.connect(
            lambda path: self._say(_("The partner card was saved to {path}.").format(path=path))
        )
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def choose_card_file(self) -> None:
        chooser = choose_file(self, _("Choose the partner's card"), save=False, suffix=".card")
        chooser.fileSelected.connect(lambda name: self.add_partner_from(Path(name)))

    def add_partner_from(self, path: Path) -> None:
        """Read a partner's card file on the worker, then show it for confirmation."""
        if not self.can_manage:
            return
        run_op(self, self.context.runner, lambda: card_facts_from_file(path), self._confirm_card)

    def _confirm_card(self, facts: CardFacts) -> None:
        dialog = AddPartnerDialog(self.context.runner, self.context.session, facts, self)
        dialog.added.connect(self._partner_added)
        self._open(dialog)

    def _partner_added(self, organisation: str) -> None:
        self._say(
            _("{organisation} is now a trusted sync partner.").format(organisation=organisation)
        )
        self.refresh()

    def ask_revoke(self) -> None:
        partner = self.selected_partner()
        if partner is None or not self.can_manage:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Revoke a sync partner"),
            _(
                "Withdraw trust in {organisation}? Their bundles will be refused and nothing"
                " will be sent to them. To work with them again you need a new card from them."
            ).format(organisation=isolate(partner.organisation)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(_("Re&voke"))
        box.button(QMessageBox.StandardButton.No).setText(_("&Keep"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        key_id, organisation = partner.key_id, partner.organisation
        box.buttonClicked.connect(
            lambda button: self.revoke(key_id, organisation) if button == yes else None
        )
        self.question = box
        box.open()

    def revoke(self, key_id: str, organisation: str) -> None:
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: exchange.revoke_partner(session, key_id),
            lambda _none: self._revoked(organisation),
        )

    def _revoked(self, organisation: str) -> None:
        self._say(_("{organisation} is no longer trusted.").format(organisation=organisation))
        self.refresh()

    # -- export and import ---------------------------------------------------------
    def open_export(self) -> None:
        if not self.can_export:
            return
        trusted = [p for p in self.overview.partners if not p.revoked]
        if not trusted:
            self._say(_("Add a sync partner first: a bundle is always made for one sync partner."))
            return
        dialog = ExportDialog(trusted, self)
        chosen = self.selected_partner()
        if chosen is not None and not chosen.revoked:
            dialog.select_partner(chosen.key_id)
        dialog.chosen.connect(lambda key_id, path: self.export_to(key_id, Path(path)))
        self._open(dialog)

    def export_to(self, key_id: str, path: Path) -> None:
        """Make the bundle for ``key_id`` and write it to ``path`` on the worker."""
        session = self.context.session
        feed = ProgressFeed()
        run_op(
            self,
            self.context.runner,
            lambda: export_to_file(session, key_id, path, feed),
            self._exported,
            progress_title=_("Making the bundle…"),
            feed=feed,
        )

    def _exported(self, done: Exported) -> None:
        self._say(export_summary_text(done))
        self.refresh()

    def choose_import_file(self) -> None:
        chooser = choose_file(
            self, _("Choose a bundle to import"), save=False, suffix=BUNDLE_SUFFIX
        )
        chooser.fileSelected.connect(lambda name: self.import_from(Path(name)))

    def import_from(self, path: Path) -> None:
        """Import the bundle in ``path`` on the worker."""
        if not self.can_import:
            return
        session = self.context.session
        feed = ProgressFeed()
        run_op(
            self,
            self.context.runner,
            lambda: import_from_file(session, path, feed),
            self._imported,
            self._import_refused,
            progress_title=_("Checking and importing the bundle…"),
            feed=feed,
        )

    def _imported(self, result: ImportResult) -> None:
        self._say(import_summary_text(result))
        self.refresh()
        if result.conflicts:
            self._offer_review(len(result.conflicts))

    def _import_refused(self, error: ShelterDeskError) -> None:
        self._say(_("Nothing was imported. {reason}").format(reason=error.message))
        self.refresh()

    def _offer_review(self, count: int) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Conflicts to review"),
            ngettext(
                "The partner and this installation changed the same safety-critical detail."
                " {count} conflict waits for a supervisor's decision.",
                "The partner and this installation changed the same safety-critical details."
                " {count} conflicts wait for a supervisor's decision.",
                count,
            ).format(count=count),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        review = box.button(QMessageBox.StandardButton.Yes)
        review.setText(_("&Review now"))
        box.button(QMessageBox.StandardButton.No).setText(_("&Later"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self.show_conflicts() if button == review else None
        )
        self.question = box
        box.open()

    def show_conflicts(self) -> None:
        self.tabs.setCurrentWidget(self.conflicts)
        self.conflicts.list.setFocus()

    # -- conflicts and referrals ---------------------------------------------------
    def _conflict_resolved(self, what: str) -> None:
        self._say(_("Resolved: {what}.").format(what=what))
        self.refresh()

    def answer_referral(self, status: str) -> None:
        referral = self.selected_referral()
        if referral is None or not self.can_answer:
            return
        session, referral_id = self.context.session, referral.referral_id
        run_op(
            self,
            self.context.runner,
            lambda: exchange.respond_to_referral(session, referral_id, status),
            lambda _r: self._answered(referral, status),
        )

    def _answered(self, referral: ReferralRow, status: str) -> None:
        self._say(
            _("Referral of case {number} from {organisation}: {status}.").format(
                number=referral.case_number,
                organisation=isolate(referral.from_org_name),
                status=_(codes.REFERRAL_STATUS.label(status)),
            )
        )
        self.refresh()
