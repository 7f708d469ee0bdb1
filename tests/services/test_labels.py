"""How values read to a person: enum values as English writes them (one home, label_of);
a value quoted in a sentence with typographic quotes, not Python's."""

from __future__ import annotations

import pytest

from app.models import enums
from app.models.enums import Segment
from app.services.cadence import CadenceError, CadenceSpec, validate_cadence
from app.services.labels import in_sentence, label_of, quoted


def test_a_value_is_quoted_as_a_sentence_quotes_it() -> None:
    assert quoted("Morgan") == "“Morgan”"
    assert quoted("O'Brien") == "“O'Brien”"  # not "\"O'Brien\"", as repr would
    assert quoted("") == "“”"


def test_segments_read_as_english_writes_them() -> None:
    assert [label_of(s) for s in Segment] == ["Strategic", "Enterprise", "Mid-market", "SMB"]
    assert in_sentence(label_of(Segment.MID_MARKET)) == "mid-market"


def test_a_repeated_review_names_its_segment_as_the_window_does() -> None:
    rows = [CadenceSpec(Segment.SMB, enums.ActivityKind.QBR, "QBR", 91)] * 2
    with pytest.raises(CadenceError, match="repeats the QBR for SMB accounts"):  # not "smb"
        validate_cadence(rows)
