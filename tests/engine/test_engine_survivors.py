"""Tests written for the engine mutants that survived the sample of 2026-12-06 (docs/testing.md)."""

from __future__ import annotations

import pytest

from custpool import EventTable, InteractionKind, ValidationError
from custpool._engine import CHANNELS, KIND_CODE

MESSAGE = KIND_CODE[InteractionKind.MESSAGE]


def test_a_channel_code_out_of_range_is_refused_on_the_channel_column() -> None:
    with pytest.raises(ValidationError) as caught:
        EventTable.from_arrays([0], [0], [MESSAGE], direction=[0], channel=[99])
    bad = caught.value
    # 18 channels: codes 0 to 17 (-1 is "not given")
    assert len(CHANNELS) == 18
    assert (bad.field, bad.value, bad.rule) == ("channel[0]", 99, "must be a code from 0 to 17")
