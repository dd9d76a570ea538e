"""Exchange with partner installations: partner cards, bundle export and import, the conflict
queue, referrals across organisations and the coordinator's view.

Who receives what (``export_bundle``); a shelter only ever sends transactions written on its
own installation, a coordinator also relays what shelters sent it:

* to a **coordinator**: every case of this organisation at the level its consent allows (see
  ``services.sharing``); this organisation's referrals to other organisations with the minimum
  case data to act on them (the case and person records, identified only when the referral
  shares identity, otherwise pseudonymised); answers given here to other organisations'
  referrals (status, response date);
* to a **shelter** (from its coordinator, or directly): referrals addressed to it with the case
  and person records that go with them (identified only when the referral shares identity),
  the answers other organisations gave to its own referrals, and, from a coordinator, the
  partner directory (the coordinator's Organisation records; an entry for every shelter it
  hears from is created with the shelter's organisation id as record id);
* to everyone: acknowledgements of every bundle received from that partner.

A transaction is sent again in every bundle until the partner acknowledges a bundle that
carried it, so a lost USB stick loses nothing. Bundles to one partner are numbered 1, 2, 3...
and chained by hash.

Import (``import_bundle``) checks everything before writing anything and writes everything in
one database transaction. A refused bundle raises :class:`BundleError` with a translated
message and is recorded in quarantine (hash and reason code only) in a transaction of its own.

A receiving shelter may also update the case and person records of a case referred to it with
identity (the person moved, the risk changed); those edits travel back to the referring
organisation, and concurrent edits of a safety-critical field land in both conflict queues.

Who may write what, checked on import: a shelter partner only transactions written on its own
installation, to records of its own organisation, except answers (status, response date) to
referrals addressed to it and the case and person records of cases referred to it with
identity; a coordinator partner anything except records of this organisation, where it may only
relay other installations' answers to this organisation's referrals and their edits of the case
and person records of cases this organisation referred with identity.

Derived (reduced) transactions have UUIDv5 ids, original ones UUIDv7 (``sharing.is_derived``).

The modules: ``partners`` (cards and trust), ``outgoing`` (export), ``incoming`` (import),
``checks`` (what an incoming bundle may contain), ``applying`` (writing it), ``conflicts``
(the conflict queue) and ``overview`` (history, quarantine, coordinator views, referrals).
The bundle file itself is ``shelter_desk.sync``; the bookkeeping tables are
``store.exchange_state``.
"""

from shelter_desk.services.exchange.common import (
    MANIFEST_FORMAT,
    MANIFEST_VERSION,
    ImportProblem,
    ImportRefused,
    Progress,
)
from shelter_desk.services.exchange.conflicts import ConflictView, conflicts, resolve_conflict
from shelter_desk.services.exchange.files import check_readable
from shelter_desk.services.exchange.incoming import ImportResult, import_bundle
from shelter_desk.services.exchange.outgoing import ExportResult, ExportSummary, export_bundle
from shelter_desk.services.exchange.overview import (
    bundle_history,
    cases_by_organisation,
    incoming_referrals,
    organisation_names,
    quarantined_bundles,
    respond_to_referral,
)
from shelter_desk.services.exchange.partners import (
    PartnerInfo,
    add_partner,
    find_partner,
    fingerprint_matches,
    has_network_secret,
    inspect,
    list_partners,
    my_card,
    normalise_fingerprint,
    read_card,
    revoke_partner,
    set_network_secret,
)
from shelter_desk.sync.opening import BundleInspection

__all__ = [
    "MANIFEST_FORMAT",
    "MANIFEST_VERSION",
    "BundleInspection",
    "ConflictView",
    "ExportResult",
    "ExportSummary",
    "ImportProblem",
    "ImportRefused",
    "ImportResult",
    "PartnerInfo",
    "Progress",
    "add_partner",
    "bundle_history",
    "cases_by_organisation",
    "check_readable",
    "conflicts",
    "export_bundle",
    "find_partner",
    "fingerprint_matches",
    "has_network_secret",
    "import_bundle",
    "incoming_referrals",
    "inspect",
    "list_partners",
    "my_card",
    "normalise_fingerprint",
    "organisation_names",
    "quarantined_bundles",
    "read_card",
    "resolve_conflict",
    "respond_to_referral",
    "revoke_partner",
    "set_network_secret",
]
