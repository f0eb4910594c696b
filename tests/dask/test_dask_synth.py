"""Synthetic pools drawn block by block in the workers equal the blocks joined on one machine."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from dask_helpers import client_fixture  # noqa: F401 - the fixture, asked for as client

import custpool
import custpool.dask as cd
from custpool import EventTable, Policy, ValidationError, Window
from custpool.synth import SynthConfig

CONFIG = SynthConfig(n_customers=150)
WINDOW = Window(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, tzinfo=UTC))
AS_OF = datetime(2025, 10, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def whole() -> EventTable:
    """The four blocks of seed 5 joined on one machine."""
    return EventTable.concat(cd.block_table(CONFIG, 5, b) for b in range(4))


@pytest.mark.usefixtures("client")
def test_generated_pool_equals_its_blocks_joined(whole: EventTable):
    pool = cd.generate(CONFIG, seed=5, blocks=4)
    assert pool.npartitions == 4
    assert cd.pool_kpis(pool, WINDOW) == custpool.pool_kpis(whole, WINDOW)
    assert cd.tier_counts(pool, Policy(), AS_OF) == (
        custpool.classify_table(whole, Policy(), AS_OF).counts()
    )
    frame = cd.classify_table(pool, Policy(), AS_OF).compute()
    expected = custpool.classify_table(whole, Policy(), AS_OF).to_frame()
    pd.testing.assert_frame_equal(frame.sort_values("customer_id", ignore_index=True), expected)
    assert whole.n_customers == 4 * 150


def test_a_block_is_the_same_whenever_it_is_drawn():
    first, again = cd.block_table(CONFIG, 5, 2), cd.block_table(CONFIG, 5, 2)
    for name in EventTable.COLUMNS:
        np.testing.assert_array_equal(first.column(name), again.column(name))
    other = cd.block_table(CONFIG, 5, 3)
    assert len(other) != len(first) or not np.array_equal(other.time, first.time)
    assert first.customer_ids[0] == "b00002-c-000"
    assert all(i.startswith("b00002-") for i in first.item_ids)


def test_bad_block_arguments_are_refused():
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValidationError, match="blocks"):
            cd.generate(CONFIG, seed=1, blocks=bad)
    with pytest.raises(ValidationError, match="seed"):
        cd.generate(CONFIG, seed=-1, blocks=2)
    with pytest.raises(ValidationError, match="block"):
        cd.block_table(CONFIG, 1, -1)
