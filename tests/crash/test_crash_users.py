"""A crash at any write of `user add`, `passwd` or `user disable` leaves the key slots and
the accounts table agreeing, and the audit log recording every change that took effect.

Each test runs the real command once under strace to list its crash points (every write,
sync, rename, truncation and unlink, SQLite's included), then once per point on a fresh
copy of the same installation, killed with SIGKILL as that system call starts. After each
kill the installation must open, pass `verify`, and hold no live key for an account that
cannot sign in; the change either took effect (and is audited) or did not (and is not).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shelter_desk.domain.errors import AuthError
from shelter_desk.security.audit import Action
from shelter_desk.security.keyslots import RECOVERY_SLOT, KdfParams, unwrap_key
from shelter_desk.security.permissions import Role
from shelter_desk.services import users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ORG
from tests.crashpoints import (
    cli_args,
    crash_points,
    fresh_copy,
    needs_strace,
    run_killed,
    was_killed,
)

pytestmark = [pytest.mark.slow, needs_strace]

# The prepared installation's slots use a cheap KDF so that each of the many runs unlocks
# quickly; the command under test wraps new keys with the normal cost.
CHEAP = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
BOB = "bob"
BOB_PASS = "granite meadow violin ninety"
NEW_PASS = "copper kettle winter orchard"
DAVE = "dave"
DAVE_PASS = "plum harbour cactus forty"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("template") / "data"
    inst = Installation(root, kdf=CHEAP)
    session, _recovery = inst.create(org_name=ORG, admin=ADMIN, passphrase=ADMIN_PASSPHRASE)
    users.add_user(session, BOB, Role.CASEWORKER, BOB_PASS)
    session.lock()
    inst.release()
    yield root


def _open(root: Path, username: str, passphrase: str) -> Session:
    inst = Installation(root, kdf=CHEAP)
    try:
        return inst.unlock(username, passphrase)
    except BaseException:
        inst.release()
        raise


def _close(session: Session) -> None:
    session.lock()
    session.installation.release()


def _signs_in(root: Path, username: str, passphrase: str) -> bool:
    try:
        session = _open(root, username, passphrase)
    except AuthError:
        return False
    _close(session)
    return True


def _audited(session: Session, action: Action, user_id: str) -> int:
    return sum(1 for e in session.audit_log.for_object("user", user_id) if e.action == action)


def _assert_agree(session: Session) -> None:
    """verify passes; every slot in the file belongs to an account and holds a key exactly
    when the account is active; nothing is left pending."""
    report = verify(session)
    assert report.ok, report.problems
    accounts = {u.id: u for u in session.users.all()}
    raw = json.loads(session.installation.slots_path.read_text())["slots"]
    slots = {item["slot_id"]: item for item in raw if item["slot_id"] != RECOVERY_SLOT}
    for slot_id, slot in slots.items():
        assert slot.get("pending") is None, slot_id
        assert slot_id in accounts, f"a key slot for an unknown account ({slot['username']})"
        assert slot["username"] == accounts[slot_id].username
        live = bool(slot["wrapped_key"]) and not slot["disabled"]
        assert live == (not accounts[slot_id].disabled), slot["username"]
    for account in accounts.values():
        if not account.disabled:
            assert account.id in slots, account.username


def _run_every_point(
    template: Path,
    work: Path,
    args: list[str],
    stdin: str,
    check: Callable[[Path], str],
) -> None:
    """Kill the command at each crash point, then ``check`` the copy (it says the outcome)."""
    counted = fresh_copy(template, work / "count")
    points = crash_points(cli_args(counted, *args), stdin=stdin)
    assert len(points) > 20, points
    outcomes: dict[str, int] = {}
    killed = 0
    for point in points:
        copy = fresh_copy(template, work / "point")
        result = run_killed(cli_args(copy, *args), point, stdin=stdin)
        killed += was_killed(result)
        assert was_killed(result) or result.returncode == 0, (point, result.stderr)
        try:
            outcome = check(copy)
        except AssertionError as exc:
            raise AssertionError(f"after a crash at {point}: {exc}") from exc
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert killed >= len(points) - 2, (killed, len(points))
    # Both sides of the commit were reached: some crashes undo the change, later ones keep it.
    assert set(outcomes) == {"changed", "unchanged"}, outcomes


def test_crash_anywhere_in_user_add(template: Path, tmp_path: Path) -> None:
    args = ["user", "add", DAVE, "--role", "caseworker", "--user", ADMIN]

    def check(copy: Path) -> str:
        session = _open(copy, ADMIN, ADMIN_PASSPHRASE)
        try:
            _assert_agree(session)
            dave = session.users.by_name(DAVE)
            if dave is not None:
                assert _audited(session, Action.USER_ADD, dave.id) == 1
                outcome = "changed"
            else:
                assert DAVE not in session.installation.usernames()
                assert [e.action for e in session.audit_log.events()].count("user_add") == 1
                # The name can be added again and used.
                users.add_user(session, DAVE, Role.CASEWORKER, DAVE_PASS)
                outcome = "unchanged"
        finally:
            _close(session)
        assert _signs_in(copy, DAVE, DAVE_PASS)
        return outcome

    _run_every_point(template, tmp_path, args, f"{ADMIN_PASSPHRASE}\n{DAVE_PASS}\n", check)


def test_crash_anywhere_in_own_passphrase_change(template: Path, tmp_path: Path) -> None:
    def check(copy: Path) -> str:
        changed = _signs_in(copy, ADMIN, NEW_PASS)
        current = NEW_PASS if changed else ADMIN_PASSPHRASE
        assert _signs_in(copy, ADMIN, ADMIN_PASSPHRASE) == (not changed)
        session = _open(copy, ADMIN, current)
        try:
            _assert_agree(session)
            audited = _audited(session, Action.PASSPHRASE_CHANGE, session.user.id)
            assert audited == int(changed)
        finally:
            _close(session)
        return "changed" if changed else "unchanged"

    stdin = f"{ADMIN_PASSPHRASE}\n{NEW_PASS}\n"
    _run_every_point(template, tmp_path, ["passwd", "--user", ADMIN], stdin, check)


def test_crash_anywhere_in_admin_reset_of_another_user(template: Path, tmp_path: Path) -> None:
    def check(copy: Path) -> str:
        changed = _signs_in(copy, BOB, NEW_PASS)
        assert _signs_in(copy, BOB, BOB_PASS) == (not changed)
        session = _open(copy, ADMIN, ADMIN_PASSPHRASE)
        try:
            _assert_agree(session)
            bob = session.users.by_name(BOB)
            assert bob is not None
            assert _audited(session, Action.PASSPHRASE_RESET, bob.id) == int(changed)
        finally:
            _close(session)
        return "changed" if changed else "unchanged"

    stdin = f"{ADMIN_PASSPHRASE}\n{NEW_PASS}\n"
    _run_every_point(template, tmp_path, ["passwd", BOB, "--user", ADMIN], stdin, check)


def test_crash_anywhere_in_user_disable(template: Path, tmp_path: Path) -> None:
    def check(copy: Path) -> str:
        session = _open(copy, ADMIN, ADMIN_PASSPHRASE)
        try:
            _assert_agree(session)
            bob = session.users.by_name(BOB)
            assert bob is not None
            assert _audited(session, Action.USER_DISABLE, bob.id) == int(bob.disabled)
            slots = list(session.installation.slots().slots.values())
        finally:
            _close(session)
        if not bob.disabled:
            assert _signs_in(copy, BOB, BOB_PASS)
            return "unchanged"
        assert not _signs_in(copy, BOB, BOB_PASS)
        # No slot in the file opens the database with the disabled user's passphrase.
        for slot in slots:
            if slot.wrapped_key:
                with pytest.raises(AuthError):
                    unwrap_key(slot, BOB_PASS)
        return "changed"

    args = ["user", "disable", BOB, "--user", ADMIN]
    _run_every_point(template, tmp_path, args, f"{ADMIN_PASSPHRASE}\n", check)
