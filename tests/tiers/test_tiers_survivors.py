"""Tests written for the tiers mutants that survived the sample of 2026-12-06 (docs/testing.md)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from custpool import Policy, ValidationError, classify


def test_an_as_of_before_the_year_1_in_utc_is_refused_with_the_rule() -> None:
    # 0001-01-01 00:00 at UTC+01:00 is 31 December of the year 0 in UTC: out of range.
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    with pytest.raises(ValidationError) as caught:
        classify([], Policy(), early)
    error = caught.value
    assert (error.field, error.value) == ("as_of", early)
    assert error.rule == "must fall within the years 1-9999 once moved to UTC"
