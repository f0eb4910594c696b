"""The radix sort of customer codes gives exactly numpy's stable argsort."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from custpool._engine.events import _stable_order


@settings(max_examples=200, deadline=None)
@given(
    size=st.sampled_from([1, 2, 300, 1 << 16, (1 << 16) + 1, 1 << 20, (1 << 31) - 1]),
    data=st.data(),
)
def test_stable_order_is_numpys_stable_argsort(size, data):
    codes = np.array(data.draw(st.lists(st.integers(0, size - 1), max_size=60)), dtype=np.int32)
    expected = np.argsort(codes, kind="stable")
    assert _stable_order(codes, size).tolist() == expected.tolist()
