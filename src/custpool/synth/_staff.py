"""Who served each row and where it happened: the operator and group columns of a synthetic pool.

Drawn after every other step, from a generator of its own, so adding them changed no other
column of a seeded pool.

- **Operators.** Each customer is looked after by one of the pool's ``operators`` (uniform),
  drawn when they connect, and by a fresh draw (possibly the same person) when they come back
  after churning. The operator is on the rows a staff member takes part in: CONNECT and CHURN
  (who owns the relationship) and 1:1 MESSAGE rows either way (who sent or received them).
- **Groups.** Customers are added to the open customer group as they join (the customer index
  is the order of joining): group ``k`` holds customers ``k * group_size`` to
  ``(k + 1) * group_size - 1`` — a group fills up, then the next one opens, as WeCom groups do.
  The group is on their CONNECT rows, on their group posts, on their reactions in the group
  channel, and on a churn by leaving the group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from custpool._engine import CHANNELS, KIND_CODE
from custpool._model import Channel, InteractionKind

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["group_ids", "operator_ids", "staff_columns"]

_CONNECT: Final = KIND_CODE[InteractionKind.CONNECT]
_CHURN: Final = KIND_CODE[InteractionKind.CHURN]
_MESSAGE: Final = KIND_CODE[InteractionKind.MESSAGE]
_GROUP_POST: Final = KIND_CODE[InteractionKind.GROUP_POST]
_GROUP_CHANNEL: Final = CHANNELS.index(Channel.CUSTOMER_GROUP)


def operator_ids(operators: int) -> tuple[str, ...]:
    """Return the operators' ids, ``op-1`` … (the names the pool's activities carry)."""
    return tuple(f"op-{k + 1}" for k in range(operators))


def group_ids(n_customers: int, group_size: int) -> tuple[str, ...]:
    """Return the groups' ids, ``g-1`` … (none when ``group_size`` is 0)."""
    if not group_size:
        return ()
    count = -(-n_customers // group_size)
    width = len(str(count))
    return tuple(f"g-{k + 1:0{width}d}" for k in range(count))


def staff_columns(  # noqa: PLR0913 - the sorted columns the draw reads, and its settings
    rng: np.random.Generator,
    columns: dict[str, NDArray[np.integer]],
    back_at: NDArray[np.int64],
    *,
    n_customers: int,
    operators: int,
    group_size: int,
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Return the ``operator`` and ``group`` columns of the sorted rows (codes, -1 for none).

    ``back_at[c]`` is the instant of customer ``c``'s reconnection (their second operator is
    on rows from then on), or later than every row if they never come back.
    """
    customer = columns["customer"].astype(np.intp)
    time = columns["time"]
    kind = columns["kind"]
    first = rng.integers(0, operators, size=n_customers, dtype=np.int32)
    second = rng.integers(0, operators, size=n_customers, dtype=np.int32)
    served = (kind == _CONNECT) | (kind == _CHURN) | (kind == _MESSAGE)
    after = time >= back_at[customer]
    operator = np.where(after, second[customer], first[customer]).astype(np.int32)
    operator[~served] = -1
    if not group_size:
        return operator, np.full(customer.shape[0], -1, dtype=np.int32)
    in_group = (kind == _CONNECT) | (kind == _GROUP_POST) | (columns["channel"] == _GROUP_CHANNEL)
    group = (customer // group_size).astype(np.int32)
    group[~in_group] = -1
    return operator, group
