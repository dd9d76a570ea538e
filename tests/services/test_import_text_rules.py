"""An HTCDS import meets the same text rules as the GUI: a name with a NUL or other control
character, or far too long, is a row error, and nothing of the file is written."""

from __future__ import annotations

import pytest

from shelter_desk.domain.errors import ValidationError
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_import as imports
from tests.services.case_helpers import TODAY
from tests.services.test_imports import GOOD, _csv, second_session

__all__ = ["second_session"]  # the fixture, used by name


@pytest.mark.parametrize(
    "name", ["Ни\x00но", "Нино\x1b[31m", "\u202eонин", "Н" * 201], ids=["nul", "esc", "rlo", "long"]
)
def test_an_imported_name_with_control_characters_or_too_long_is_refused(
    second_session: Session, name: str
) -> None:
    data = _csv([GOOD, dict(GOOD, prs_FirstName=name)])
    preview = imports.preview_htcds(second_session, data, today=TODAY)
    assert (preview.ok, preview.bad) == (1, 1)
    assert {(p.row, p.field) for p in preview.problems} == {(3, "prs_FirstName")}
    with pytest.raises(ValidationError):
        imports.commit_htcds(second_session, data, today=TODAY)
    assert second_session.records.count_by_entity() == {}
