"""What the custpool.dask tests share: a LocalCluster, a small synthetic pool and its splits.

The fixtures live here, not in a second ``conftest.py`` (tests/test_layout.py: pytest imports
test modules by basename); each test module imports the ``*_fixture`` functions it uses (and
those they depend on), and asks for them by their names (``client``, ``pool`` …). They are
module-scoped, so each module starts one cluster of two worker processes and shares it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import dask.dataframe as dd
import numpy as np
import pytest
from distributed import Client, LocalCluster

from custpool import EventTable
from custpool.dask import DaskPool, from_dask, table_frame
from custpool.synth import SynthConfig, SyntheticPool, generate

if TYPE_CHECKING:
    from collections.abc import Iterator

PARTITIONS = (1, 3, 7)
"""The partition counts every result is checked at."""


def split(frame, n: int, *, chunks: int = 2) -> DaskPool:
    """The frame in ``chunks`` Dask partitions, split by customer into ``n``."""
    return from_dask(dd.from_pandas(frame, npartitions=chunks), npartitions=n, amounts="minor")


_FISSION_ARRAYS = (
    "advocate",
    "advocate_referrals",
    "customer_referrals",
    "customer_referred",
    "customer_connected_at_start",
    "customer_new",
    "customer_new_by_referral",
)


def assert_same_fission(report, expected) -> None:
    """Every figure, array and the referral forest of two FissionReports are equal."""
    for name in (
        "window",
        "advocates",
        "referrals",
        "referrals_by_advocates",
        "referrals_per_advocate",
        "referred_customers",
        "connected_at_start",
        "new_customers",
        "new_by_referral",
        "k_factor",
        "connections",
        "referral_connections",
        "referral_share",
        "max_depth",
        "generation_counts",
    ):
        assert getattr(report, name) == getattr(expected, name), name
    for name in _FISSION_ARRAYS:
        np.testing.assert_array_equal(getattr(report, name), getattr(expected, name), name)
    assert tuple(report.customer_ids) == tuple(expected.customer_ids)
    np.testing.assert_array_equal(report.tree.referrer, expected.tree.referrer)
    np.testing.assert_array_equal(report.tree.generation, expected.tree.generation)


@pytest.fixture(scope="module", name="client")
def client_fixture() -> Iterator[Client]:
    """Two worker processes, one thread each; the dashboard on any free port."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: 8787 may be taken
            memory_limit="1GiB",
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module", name="synthetic")
def synthetic_fixture() -> SyntheticPool:
    """400 customers, about 4,000 events: referrals, refunds, NPS answers and store visits."""
    return generate(SynthConfig(n_customers=400), seed=11)


@pytest.fixture(scope="module", name="frame")
def frame_fixture(synthetic: SyntheticPool):  # -> pandas.DataFrame
    """The synthetic pool's events as custpool's columns (amounts in minor units)."""
    return table_frame(synthetic.table)


@pytest.fixture(scope="module", name="table")
def table_fixture(frame) -> EventTable:
    """The single-machine table of the same frame: what every Dask result must equal."""
    return EventTable.from_frame(frame, amounts="minor")


@pytest.fixture(scope="module", name="pool", params=PARTITIONS, ids=lambda n: f"{n}-partitions")
def pool_fixture(request: pytest.FixtureRequest, client: Client, frame) -> DaskPool:  # noqa: ARG001 - on it
    """The same events split by customer into 1, 3 and 7 partitions, built in the workers."""
    return split(frame, request.param).persist()
