"""The hybrid logical clock: ordering, monotonicity, receive, far-future clocks, encoding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelter_desk.sync.hlc import (
    ENCODED_LENGTH,
    HLC,
    MAX_COUNTER,
    MAX_WALL_MS,
    ONE_DAY_MS,
    Timestamp,
    is_future,
)

HERE = "a1b2c3d4e5f60718"
THERE = "0f0e0d0c0b0a0908"
NOON = 1_750_000_000_000  # June 2025, in ms


class FakeClock:
    """A computer clock the test sets by hand (it may jump backwards)."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_tick_follows_the_computer_clock() -> None:
    clock = FakeClock(NOON)
    hlc = HLC(HERE, clock)
    assert hlc.tick() == Timestamp(NOON, 0, HERE)
    clock.ms += 5
    assert hlc.tick() == Timestamp(NOON + 5, 0, HERE)


def test_tick_in_the_same_millisecond_counts_up() -> None:
    hlc = HLC(HERE, FakeClock(NOON))
    stamps = [hlc.tick() for _ in range(3)]
    assert [s.counter for s in stamps] == [0, 1, 2]
    assert stamps == sorted(stamps)


def test_clock_set_back_does_not_move_time_backwards() -> None:
    clock = FakeClock(NOON)
    hlc = HLC(HERE, clock)
    first = hlc.tick()
    clock.ms = NOON - 3_600_000
    second = hlc.tick()
    assert second > first
    assert second == Timestamp(NOON, 1, HERE)


def test_counter_overflow_moves_to_next_millisecond() -> None:
    hlc = HLC(HERE, FakeClock(NOON), last=Timestamp(NOON, MAX_COUNTER, HERE))
    assert hlc.tick() == Timestamp(NOON + 1, 0, HERE)


def test_restart_continues_after_the_stored_time() -> None:
    stored = Timestamp(NOON + 10_000, 7, HERE)
    hlc = HLC(HERE, FakeClock(NOON), last=stored)
    assert hlc.last == stored
    assert hlc.tick() == Timestamp(NOON + 10_000, 8, HERE)


def test_receive_from_a_clock_slightly_ahead_jumps_past_it() -> None:
    hlc = HLC(HERE, FakeClock(NOON))
    remote = Timestamp(NOON + 60_000, 4, THERE)
    received = hlc.receive(remote)
    assert received == Timestamp(NOON + 60_000, 5, HERE)
    assert received > remote
    assert hlc.tick() > received


def test_receive_from_a_clock_behind_keeps_local_time() -> None:
    hlc = HLC(HERE, FakeClock(NOON))
    local = hlc.tick()
    received = hlc.receive(Timestamp(NOON - 60_000, 9, THERE))
    assert received == Timestamp(NOON, 1, HERE)
    assert received > local


def test_receive_with_equal_wall_times_takes_the_larger_counter() -> None:
    hlc = HLC(HERE, FakeClock(NOON - 5), last=Timestamp(NOON, 3, HERE))
    assert hlc.receive(Timestamp(NOON, 8, THERE)) == Timestamp(NOON, 9, HERE)
    assert hlc.receive(Timestamp(NOON, 2, THERE)) == Timestamp(NOON, 10, HERE)


def test_physical_time_ahead_of_both_resets_counter() -> None:
    hlc = HLC(HERE, FakeClock(NOON), last=Timestamp(NOON - 10, 5, HERE))
    assert hlc.receive(Timestamp(NOON - 20, 9, THERE)) == Timestamp(NOON, 0, HERE)


def test_far_future_remote_time_is_flagged_and_capped() -> None:
    clock = FakeClock(NOON)
    hlc = HLC(HERE, clock)
    ten_years = Timestamp(NOON + 3650 * ONE_DAY_MS, 0, THERE)
    assert is_future(ten_years, clock.ms)
    received = hlc.receive(ten_years)
    assert received.wall_ms == NOON + ONE_DAY_MS
    assert received < ten_years
    # Repeated far-future bundles do not push the clock further while real time stands.
    for _ in range(5):
        hlc.receive(ten_years)
    assert hlc.last.wall_ms == NOON + ONE_DAY_MS
    # As real time moves on the cap moves with it, never more than a day ahead.
    clock.ms += 1000
    assert hlc.receive(ten_years).wall_ms == NOON + 1000 + ONE_DAY_MS


def test_custom_drift_bound() -> None:
    hlc = HLC(HERE, FakeClock(NOON), max_drift_ms=60_000)
    assert hlc.receive(Timestamp(NOON + 3_600_000, 0, THERE)).wall_ms == NOON + 60_000


def test_is_future_tolerance() -> None:
    assert not is_future(Timestamp(NOON + ONE_DAY_MS, 0, THERE), NOON)
    assert is_future(Timestamp(NOON + ONE_DAY_MS + 1, 0, THERE), NOON)
    assert is_future(Timestamp(NOON + 61_000, 0, THERE), NOON, tolerance_ms=60_000)
    assert not is_future(Timestamp(NOON - ONE_DAY_MS, 0, THERE), NOON)


def test_order_is_wall_then_counter_then_device() -> None:
    stamps = [
        Timestamp(NOON, 1, HERE),
        Timestamp(NOON, 0, HERE),
        Timestamp(NOON, 1, THERE),
        Timestamp(NOON - 1, 9, HERE),
    ]
    assert sorted(stamps) == [
        Timestamp(NOON - 1, 9, HERE),
        Timestamp(NOON, 0, HERE),
        Timestamp(NOON, 1, THERE),
        Timestamp(NOON, 1, HERE),
    ]


def test_encode_is_fixed_width_and_round_trips() -> None:
    stamp = Timestamp(NOON, 42, HERE)
    text = stamp.encode()
    assert text == "01977420dc00-002a-a1b2c3d4e5f60718"
    assert len(text) == ENCODED_LENGTH
    assert Timestamp.decode(text) == stamp
    assert len(Timestamp(0, 0, HERE).encode()) == ENCODED_LENGTH
    assert len(Timestamp(MAX_WALL_MS, MAX_COUNTER, HERE).encode()) == ENCODED_LENGTH


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0197766e2580-002a-A1B2C3D4E5F60718",
        "197766e2580-002a-a1b2c3d4e5f60718",
        "0197766e2580-002a-a1b2c3d4e5f6071",
        "0197766e2580_002a_a1b2c3d4e5f60718",
        "0197766e2580-002a-a1b2c3d4e5f60718\n",
    ],
)
def test_decode_rejects_other_text(text: str) -> None:
    with pytest.raises(ValueError):
        Timestamp.decode(text)


@pytest.mark.parametrize(
    ("wall", "counter", "device"),
    [(-1, 0, HERE), (MAX_WALL_MS + 1, 0, HERE), (0, MAX_COUNTER + 1, HERE), (0, 0, "short")],
)
def test_out_of_range_timestamp_is_a_bug(wall: int, counter: int, device: str) -> None:
    with pytest.raises(ValueError):
        Timestamp(wall, counter, device)


def test_bad_device_id_is_a_bug() -> None:
    with pytest.raises(ValueError):
        HLC("Laptop-1")


def test_default_clock_is_the_system_clock() -> None:
    import time

    before = time.time_ns() // 1_000_000
    stamp = HLC(HERE).tick()
    after = time.time_ns() // 1_000_000
    assert before <= stamp.wall_ms <= after


timestamps = st.builds(
    Timestamp,
    st.integers(min_value=0, max_value=MAX_WALL_MS),
    st.integers(min_value=0, max_value=MAX_COUNTER),
    st.text(alphabet="0123456789abcdef", min_size=16, max_size=16),
)


@settings(max_examples=500)
@given(st.lists(timestamps, min_size=2, max_size=30))
def test_encoded_text_sorts_like_timestamps(stamps: list[Timestamp]) -> None:
    by_time = sorted(stamps)
    by_text = sorted(stamps, key=Timestamp.encode)
    assert by_time == by_text
    assert all(Timestamp.decode(s.encode()) == s for s in stamps)


events = st.lists(
    st.one_of(
        st.tuples(st.just("tick"), st.integers(-10_000, 10_000)),
        st.tuples(
            st.just("receive"),
            st.integers(-10_000, 10_000),
            st.integers(-ONE_DAY_MS * 3, ONE_DAY_MS * 3),
            st.integers(0, MAX_COUNTER),
        ),
    ),
    max_size=60,
)


@settings(max_examples=300)
@given(events)
def test_clock_only_moves_forward_and_stays_near_real_time(
    script: list[tuple[str, int] | tuple[str, int, int, int]],
) -> None:
    clock = FakeClock(NOON)
    hlc = HLC(HERE, clock)
    previous = hlc.tick()
    for event in script:
        clock.ms = NOON + event[1]  # the computer clock wanders back and forth
        if event[0] == "tick":
            stamp = hlc.tick()
        else:
            _name, _jump, offset, counter = event  # type: ignore[misc]
            remote = Timestamp(NOON + offset, counter, THERE)
            stamp = hlc.receive(remote)
            if not is_future(remote, clock.ms):
                assert stamp > remote
        assert stamp > previous
        assert stamp.device == HERE
        # Never ahead of the furthest real time seen by more than the drift (plus overflow).
        assert stamp.wall_ms <= NOON + 10_000 + ONE_DAY_MS + 1 + len(script)
        previous = stamp
