"""Work around PySide6 6.12 on CPython 3.10/3.11: keep None, True and False alive.

PySide6 6.12.0's binaries return ``None`` from every void method without taking a reference
(measured: ``QWidget.setEnabled``, ``QLabel.setText``, ``QFont.setBold``... each lowers
``sys.getrefcount(None)`` by one). On Python 3.12 and later ``None``, ``True`` and ``False``
are immortal (PEP 683) and this is harmless; on 3.11 the count falls with every call until
Python aborts with "none_dealloc: deallocating None" (or "bool_dealloc") — after a few
thousand calls, i.e. minutes into a session.

On those versions only, this module gives the three singletons a reference count so large
that it cannot reach zero, which is what 3.12 does for every interpreter. It does nothing on
3.12+, on other interpreters and on debug builds (whose object header is laid out
differently).
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 60
"""References added to each singleton: far beyond anything a program can drop."""


def needs_immortal_singletons() -> bool:
    return (
        sys.implementation.name == "cpython"
        and sys.version_info < (3, 12)
        and not hasattr(sys, "gettotalrefcount")  # debug builds put other fields first
    )


def keep_singletons_alive() -> bool:
    """Raise the reference counts of None, True and False once; return whether it did."""
    if not needs_immortal_singletons():
        return False
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < RESERVE:
            count.value += RESERVE
    return True
