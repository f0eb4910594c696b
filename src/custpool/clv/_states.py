"""Each summary customer's rule-based state, read from a TierTable of the same table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._engine import TierTable
from custpool._errors import ValidationError, wrong_argument
from custpool._tiers import State

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

__all__ = ["STATES", "states_of"]

STATES: Final = tuple(State)
"""The states in the engine's code order (PROSPECT = 0 … CHURNED = 6)."""


def states_of(tiers: object, customer_ids: Sequence[str]) -> NDArray[np.int8]:
    """Return the state code of each of ``customer_ids`` in ``tiers``.

    Raises
    ------
    custpool.ValidationError
        If a customer is not in ``tiers`` (classify the table the summary was built from).
    """
    if not isinstance(tiers, TierTable):
        raise wrong_argument("tiers", tiers, "must be a custpool.TierTable (classify_table())")
    row_of = {cid: k for k, cid in enumerate(tiers.customer_ids)}  # one pass, not one per id
    index = np.empty(len(customer_ids), dtype=np.intp)
    for k, cid in enumerate(customer_ids):
        found = row_of.get(cid)
        if found is None:
            rule = "is not in tiers: classify the table the summary was built from"
            raise ValidationError("customer_id", cid, rule)
        index[k] = found
    return np.asarray(tiers.state[index], dtype=np.int8)
