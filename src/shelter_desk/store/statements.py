"""What the modules below ``store.db`` need of a database: running statements in a
transaction. ``store.db.Database`` provides it; the migrations (and what they call, such as
the search index rebuild) are typed against this protocol, so that they do not import the
module that imports them."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol


class Statements(Protocol):
    def execute(self, sql: str, params: Any = ()) -> Any: ...

    def scalar(self, sql: str, params: Any = ()) -> Any: ...

    def transaction(self) -> AbstractContextManager[Any]: ...
