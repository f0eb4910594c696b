"""Pool growth as a tidy frame: period × KPI, value, and the change from the period before."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from custpool import EventTable, ValidationError, pool_growth
from custpool._frames import BACKENDS
from frames_helpers import rows

ENDS = [dt.datetime(2026, m, 1, tzinfo=dt.UTC) for m in (1, 2, 3)]


@pytest.fixture(scope="module")
def growth():
    """a connects Jan 5 and buys 10.00 (Jan 10), 20.00 (Jan 20), then 5.00 (Feb 10)."""
    days = ("2026-01-05", "2026-01-10", "2026-01-20", "2026-02-10")
    table = EventTable.from_arrays(
        customer=[0, 0, 0, 0],
        time=[np.datetime64(d, "us") for d in days],
        kind=[0, 8, 8, 8],
        direction=[0] * 4,
        source=[0, -1, -1, -1],
        amount=[0, 1000, 2000, 500],
        item=[-1, 0, 1, 2],
        customer_ids=["a"],
        currency="CNY",
    )
    return pool_growth(table, ENDS)


# (period, kpi): value, value_minor, numerator, denominator, delta, delta_minor, improving
EXPECTED = [
    ((0, "user_scale"), (1.0, None, None, None, None, None, None)),
    ((0, "repurchase_rate"), (1.0, None, 1, 1, None, None, None)),  # a bought twice in Jan
    ((0, "average_order_value"), (None, 1500, 3000, 2, None, None, None)),  # 3000 / 2
    ((1, "user_scale"), (1.0, None, None, None, 0.0, None, False)),  # 1 - 1: level
    ((1, "repurchase_rate"), (0.0, None, 0, 1, -1.0, None, False)),  # 0 - 1
    ((1, "average_order_value"), (None, 500, 500, 1, None, -1000, False)),  # 500 - 1500
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_growth_is_hand_checked_in_every_backend(growth, backend):
    got = rows(growth.to_frame(backend))
    names = (
        "value",
        "value_minor",
        "numerator",
        "denominator",
        "delta",
        "delta_minor",
        "improving",
    )
    assert [((r["period"], r["kpi"]), tuple(r[n] for n in names)) for r in got] == EXPECTED
    assert [(r["window_start"], r["window_end"]) for r in got[::3]] == [
        (ENDS[0], ENDS[1]),
        (ENDS[1], ENDS[2]),
    ]
    assert [r["kpi_zh"] for r in got[:3]] == ["规模用户", "复购率", "客单价"]


def test_a_zone_shows_the_same_instants(growth):
    first = rows(growth.to_frame("pyarrow", tz="Asia/Shanghai"))[0]
    assert first["window_start"] == ENDS[0]
    assert first["window_start"].utcoffset() == dt.timedelta(hours=8)


def test_money_changes_are_integers(growth):
    schema = growth.to_frame("pyarrow").schema
    assert str(schema.field("delta_minor").type) == "int64"
    assert str(schema.field("value_minor").type) == "int64"


def test_an_unknown_backend_is_a_validation_error(growth):
    with pytest.raises(ValidationError, match="backend"):
        growth.to_frame("spark")
