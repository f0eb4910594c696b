"""Tests written for the health mutants that survived the sample of 2026-12-06 (docs/testing.md).

Each pins one behaviour the suite had left loose: which messages count as one-to-one in the
readiness check, the default frame backend, and exact waits beyond float64's whole numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from test_health_mutants import AS_OF, CHARTER, MEMBERS, hand_rows, row

from custpool import EventTable, ReadinessCheck, pool_readiness
from custpool._health import merge_waits


def _conversations(rows: list) -> str:
    readiness = pool_readiness(
        CHARTER, EventTable.from_interactions(rows, customers=MEMBERS), AS_OF
    )
    found = [c for it in readiness.items for c in it.checks]
    (check,) = [c for c in found if c.check is ReadinessCheck.WARMTH_CONVERSATIONS]
    return check.explanation


def test_only_inbound_messages_outside_the_group_are_one_to_one_conversations() -> None:
    # The hand pool: c-1 and c-2 sent a message (inbound, WeCom chat): 2 of 10.
    assert _conversations(hand_rows()).startswith("2 of 10 members (20.0%)")
    # The brand writing to c-3 (outbound) and c-4 writing in the customer group are not a
    # one-to-one conversation: still 2 of 10.
    extra = [
        row("c-3", 43, "message", direction="outbound"),
        row("c-4", 43, "message", channel="customer_group"),
    ]
    assert _conversations([*hand_rows(), *extra]).startswith("2 of 10 members (20.0%)")
    # c-5 writing in WeCom chat is one: 3 of 10.
    assert _conversations([*hand_rows(), row("c-5", 43, "message")]).startswith(
        "3 of 10 members (30.0%)"
    )


def test_the_readiness_frame_is_pandas_by_default() -> None:
    readiness = pool_readiness(
        CHARTER, EventTable.from_interactions(hand_rows(), customers=MEMBERS), AS_OF
    )
    frame = readiness.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 17  # one row per check


def test_merged_waits_stay_exact_beyond_float64_whole_numbers() -> None:
    # 2**53 + 1 microseconds (about 285 years) is the first whole number float64 cannot hold:
    # through a float it would become 2**53.
    big = 2**53 + 1
    waits, counts = merge_waits(
        [
            (np.array([5, big], np.int64), np.array([1, 2], np.int64)),
            (np.array([big]), np.array([3])),
        ]
    )
    assert waits.dtype == np.int64
    assert waits.tolist() == [5, big]
    assert counts.tolist() == [1, 5]  # 2 + 3 of the big wait
