"""Sharing a table's width between its columns when not everything fits."""

from __future__ import annotations

from collections.abc import Sequence


def share_widths(desired: Sequence[int], floors: Sequence[int], available: int) -> list[int]:
    """Widths for columns that would like ``desired`` and can live with ``floors`` (their
    content without the title, say), in ``available`` pixels altogether.

    Everything fits: the desired widths. Only the floors fit: each column gets its floor
    and the same share of what is left of its wish. Not even those: the floors, shrunk
    alike (the texts elide, their tooltips tell them in full)."""
    floors = [min(f, d) for f, d in zip(floors, desired, strict=True)]
    want, need = sum(desired), sum(floors)
    if want <= available:
        return list(desired)
    if need <= available:
        ratio = (available - need) / (want - need)
        return [f + int((d - f) * ratio) for f, d in zip(floors, desired, strict=True)]
    ratio = max(available, 0) / need if need else 0.0
    return [int(f * ratio) for f in floors]
