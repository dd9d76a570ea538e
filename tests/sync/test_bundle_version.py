"""A bundle says which release wrote it, in its encrypted manifest (``app_version``): an
optional key, ignored by readers that do not know it (0.1.0's among them), so the header and
its format version stay as they were."""

from __future__ import annotations

from collections.abc import Callable

from shelter_desk import __version__
from shelter_desk.services import exchange
from shelter_desk.sync.bundle import FORMAT_MINOR
from shelter_desk.sync.opening import inspect_bundle, read_bundle
from tests.sync.sync_parties import Party


def test_the_manifest_names_the_release(make_party: Callable[..., Party]) -> None:
    shelter = make_party("a", "Shelter A")
    coordinator = make_party("c", "National Coordinator", "coordinator")
    shelter.trust(coordinator)
    data = shelter.send(coordinator)
    header = inspect_bundle(data).header
    assert (header.format_major, header.format_minor) == (1, FORMAT_MINOR) == (1, 0)
    trusted = {shelter.key_id: exchange.my_card(shelter.session)}
    opened = read_bundle(data, coordinator.session.device_identity, trusted)
    assert opened.manifest["app_version"] == __version__
    # and the importing side takes it as before
    coordinator.receive(data)
