"""Events partitioned by customer: each customer's whole history in one partition, as a table.

:func:`from_dask` (and :func:`read_parquet`) repartitions the events once, by a stable hash of
the customer id (:func:`home`), so that every row of a customer lands in partition
``home(id) % n``. Inside the workers each partition becomes one :class:`~custpool.EventTable`
with :meth:`EventTable.from_frame <custpool.EventTable.from_frame>`; a :class:`DaskPool` holds
those tables as Dask delayed objects, and the analytics map over them.

A customer may also be *mentioned* in another partition: a REFERRAL row names the referred
customer, whose own rows (if any) live in the referred customer's partition. The reader then
adds that customer to the referrer's table without rows, as it would on one machine. So that
every customer of the single-machine table is counted exactly once, the referred ids are also
routed to their own partition (added there with ``customers=``), and each partition *owns*
exactly the customers whose home it is (:attr:`Part.owned`): per-customer results keep the owned
rows only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import dask.dataframe as dd
import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # pandas ships no type information

import dask
from custpool import EventTable, ValidationError
from custpool._errors import bad_argument, wrong_argument

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from dask.delayed import Delayed
    from numpy.typing import NDArray

__all__ = ["EMPTY", "DaskPool", "Part", "from_dask", "home", "read_parquet"]

PART: Final = "__custpool_part__"
"""The column that holds each row's home partition while the events are shuffled."""
_DASK: Final[Any] = dask
"""dask and dask.dataframe's functions are untyped: they are called through ``Any`` here, and
what they return is given its type where it is kept."""
_DD: Final[Any] = dd
_READER_OPTIONS: Final = (
    "columns",
    "kind",
    "direction",
    "channel",
    "timezone",
    "currency",
    "amounts",
    "rounding",
)


def home(ids: Iterable[object], n: int) -> NDArray[np.int64]:
    """Return each id's home partition of ``n``: a stable hash of the id as text, modulo ``n``.

    The hash is pandas' ``hash_array`` (SipHash with a fixed key) of each distinct id, the
    same in every process and on every machine, unlike Python's ``hash`` of a string. Integer
    ids hash as the decimal text :meth:`EventTable.from_frame <custpool.EventTable.from_frame>`
    makes of them.

    Examples
    --------
    >>> home(["c-1", "c-2", 42], 7).tolist() == home(["c-1", "c-2", "42"], 7).tolist()
    True
    >>> sorted(set(home([f"c-{k}" for k in range(1000)], 3).tolist()))
    [0, 1, 2]
    """
    values = ids if isinstance(ids, pd.Series | pd.Index) else pd.Series(list(ids), dtype=object)
    codes, uniques = pd.factorize(values)
    if len(uniques) == 0:
        return np.zeros(len(codes), dtype=np.int64)
    text = np.asarray(uniques, dtype=object)
    if not _is_text(values):
        text = np.asarray([str(value) for value in text], dtype=object)
    hashed = pd.util.hash_array(text, categorize=False) % np.uint64(n)
    # a missing id (code -1; refused when the partition is read) goes to partition 0
    result: NDArray[np.int64] = np.where(codes < 0, 0, hashed.astype(np.int64)[codes])
    return result


def _is_text(values: Any) -> bool:  # noqa: ANN401 - a pandas Series or Index
    """Whether ``values`` is a column of strings (its distinct values need no conversion)."""
    dtype = values.dtype
    return (
        bool(pd.api.types.is_string_dtype(dtype))
        and not isinstance(dtype, pd.CategoricalDtype)
        and not pd.api.types.is_object_dtype(dtype)
    )


@dataclass(frozen=True, slots=True)
class Part:
    """One partition's table, and which of its customers it owns.

    What :meth:`DaskPool.map` hands a function in a worker. A customer's rows are all in their
    home partition; the table may also hold customers its REFERRAL rows name, without rows and
    not owned, so a per-customer result keeps ``owned`` rows only and every customer counts once.

    Attributes
    ----------
    number
        The partition's number, ``0 … n - 1``.
    table
        The partition's events as a table; None when the partition holds no customer.
    owned
        One flag per customer of ``table``: whether this partition is the customer's home (the
        others are referred customers whose home is another partition).
    """

    number: int
    table: EventTable | None
    owned: NDArray[np.bool_]

    @property
    def events(self) -> EventTable:
        """The table, or one of a single customer without events (owned by no partition)."""
        return _ONE_CUSTOMER if self.table is None else self.table

    @property
    def own(self) -> NDArray[np.bool_]:
        """:attr:`owned`, one flag per customer of :attr:`events`."""
        return np.zeros(1, dtype=np.bool_) if self.table is None else self.owned


_ONE_CUSTOMER: Final = EventTable.from_arrays([], [], [], customer_ids=("-",))
EMPTY: Final = Part(0, None, np.zeros(0, dtype=np.bool_))
"""A partition without customers: what the meta (empty) frames of the results are made from."""


def _build_part(
    events: Any,  # noqa: ANN401 - a pandas DataFrame
    mentions: Any,  # noqa: ANN401 - a pandas DataFrame
    number: int,
    n: int,
    options: Mapping[str, Any],
) -> Part:
    """Build partition ``number``'s table in the worker, and check the referred customers here.

    The table holds the partition's rows, the listed customers (``customers=``) whose home this
    is, and — without rows, not owned — the customers its REFERRAL rows name. A referred
    customer whose home this is must have rows here or be listed, as the reader demands of a
    referred customer on one machine.
    """
    frame = events.reset_index(drop=True)
    listed = mentions["listed"].to_numpy(dtype=np.bool_)
    ids = mentions["customer_id"].to_numpy(dtype=object)
    referred_column = (options.get("columns") or {}).get("referred_id", "referred_id")
    named: set[str] = set()
    if referred_column is not None and referred_column in frame.columns:
        named = {str(value) for value in frame[referred_column].dropna().unique().tolist()}
    own = sorted({str(value) for value in ids[listed]})
    if not len(frame) and not own:
        table = None
    else:
        table = EventTable.from_frame(frame, customers=sorted(named.union(own)), **options)
    known = set(own)
    if table is not None:
        with_rows = np.unique(table.customer).tolist()
        known.update(table.customer_ids[c] for c in with_rows)
    for value in ids[~listed]:
        if str(value) not in known:
            rule = "the referred customer must be a customer of the table (have rows, or be "
            raise ValidationError("referred_id", str(value), rule + "listed in customers=)")
    if table is None:
        return Part(number, None, np.zeros(0, dtype=np.bool_))
    owned = home(tuple(table.customer_ids), n) == number
    return Part(number, table, owned)


@dataclass(frozen=True, slots=True, repr=False)
class DaskPool:
    """A pool's events split by customer over Dask partitions, one event table per partition.

    Build one with :func:`from_dask` or :func:`read_parquet`. The tables are built in the
    workers when a result is first computed; :meth:`persist` keeps them in the workers'
    memory for the next results.

    Attributes
    ----------
    parts
        One delayed :class:`Part` per partition.
    """

    parts: tuple[Delayed, ...]

    @classmethod
    def of_calls(cls, func: Callable[..., Part], calls: Iterable[tuple[Any, ...]]) -> DaskPool:
        """Return the pool whose partition ``k`` is ``func(*calls[k])``, called in a worker."""
        build = _DASK.delayed(func, pure=True)
        return cls(tuple(build(*args) for args in calls))

    @property
    def npartitions(self) -> int:
        """The number of partitions."""
        return len(self.parts)

    def __repr__(self) -> str:
        """Return a short summary."""
        return f"DaskPool({self.npartitions} partitions by customer)"

    def persist(self) -> DaskPool:
        """Return the pool with every partition's table built and kept in the workers."""
        return DaskPool(tuple(_DASK.persist(*self.parts)))

    def map(self, func: Callable[..., Any], *args: Any) -> list[Delayed]:  # noqa: ANN401
        """Return ``func(part, *args)`` for every partition, as delayed objects."""
        call = _DASK.delayed(func, pure=True)
        return [call(part, *args) for part in self.parts]

    def compute(self, func: Callable[..., Any], *args: Any) -> list[Any]:  # noqa: ANN401
        """Return ``func(part, *args)`` of every partition, computed (in the workers)."""
        return list(_DASK.compute(*self.map(func, *args)))

    def frame(self, func: Callable[..., Any], meta: Any, *args: Any) -> dd.DataFrame:  # noqa: ANN401
        """Return the pandas frames ``func(part, *args)`` of the partitions as one Dask frame.

        ``meta`` is an empty frame of the same columns (the frame of an empty partition).
        """
        frame: dd.DataFrame = _DD.from_delayed(self.map(func, *args), meta=meta, verify_meta=False)
        return frame

    def tables(self) -> list[Delayed]:
        """Return each partition's table as a delayed object (None for an empty partition)."""
        return self.map(_table_of)


def _table_of(part: Part) -> EventTable | None:
    return part.table


def _routed(frame: dd.DataFrame, column: str, n: int, shuffle: str | None) -> dd.DataFrame:
    """Return ``frame`` repartitioned so that row ``r`` is in partition ``home(r[column])``."""
    part = frame[column].map_partitions(
        lambda ids: pd.Series(home(ids, n), index=ids.index, name=PART),
        meta=pd.Series(dtype=np.int64, name=PART),
    )
    # divisions 0, 1, …, n: partition k holds exactly the rows whose home is k
    routed: dd.DataFrame = frame.assign(**{PART: part}).set_index(
        PART, divisions=tuple(range(n + 1)), shuffle_method=shuffle
    )
    return routed


def from_dask(  # noqa: PLR0913 - the reader's keyword-only options
    events: dd.DataFrame,
    *,
    npartitions: int | None = None,
    shuffle: str | None = None,
    customers: Sequence[str] = (),
    columns: Mapping[str, str | None] | None = None,
    kind: str | None = None,
    direction: str | None = None,
    channel: str | None = None,
    timezone: str | None = None,
    currency: str | None = None,
    amounts: str = "major",
    rounding: str | None = None,
) -> DaskPool:
    """Split a Dask DataFrame of events by customer into a :class:`DaskPool`.

    The events are shuffled once: every row goes to partition ``home(customer_id)`` (a stable
    hash modulo ``npartitions``), so each customer's whole history is in one partition. Each
    partition is read with :meth:`EventTable.from_frame <custpool.EventTable.from_frame>` in
    the workers, with the same options, so the frame takes the same columns and values as
    there (mapped by ``columns``). Nothing is computed until a result is asked for.

    Parameters
    ----------
    events
        The events, one row per interaction, in any partitioning.
    npartitions
        Partitions by customer; by default as many as ``events`` has.
    shuffle
        How Dask moves the rows: ``"tasks"``, ``"p2p"`` (peer to peer, for shuffles larger
        than the workers' memory) or ``"disk"``; None lets Dask choose (``p2p`` on a
        distributed cluster; on three million events and two workers,
        ``benchmarks/bench_dask.py`` measured ``"tasks"`` at 2.6 to 2.8 times one process's
        time and ``"p2p"`` at 4.8 times).
    customers
        Customer ids to include without rows (a pool's members without events).
    columns, kind, direction, channel, timezone, currency, amounts, rounding
        As :meth:`EventTable.from_frame <custpool.EventTable.from_frame>` takes them.

    Returns
    -------
    DaskPool

    Raises
    ------
    custpool.WrongTypeError
        If ``events`` is not a Dask DataFrame.
    custpool.ValidationError
        If ``npartitions`` is not a positive integer, or the customer column is missing. A bad
        row raises when the results are computed, naming its frame column, its row within the
        partition, the value and the rule.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from custpool import EventTable, example_pool
    >>> from custpool.dask import from_dask, table_frame
    >>> frame = table_frame(EventTable.from_interactions(example_pool().interactions))
    >>> pool = from_dask(dd.from_pandas(frame, npartitions=2), npartitions=3, amounts="minor")
    >>> pool
    DaskPool(3 partitions by customer)
    """
    if not isinstance(events, dd.DataFrame):
        raise wrong_argument("events", events, "must be a dask.dataframe.DataFrame")
    n = events.npartitions if npartitions is None else npartitions
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise bad_argument("npartitions", npartitions, "must be a positive integer")
    if shuffle not in (None, "tasks", "p2p", "disk"):
        raise bad_argument("shuffle", shuffle, "must be 'tasks', 'p2p', 'disk' or None")
    names = dict(columns or {})
    customer = names.get("customer_id") or "customer_id"
    if customer not in events.columns:
        rule = "the events need a customer id column (map it with columns={'customer_id': ...})"
        raise ValidationError("customer_id", customer, rule)
    options = {
        name: value
        for name, value in zip(
            _READER_OPTIONS,
            (columns, kind, direction, channel, timezone, currency, amounts, rounding),
            strict=True,
        )
        if value is not None
    }
    routed = _routed(events, customer, n, shuffle)
    mentions = _mentions(events, names, customers)
    routed_mentions = _routed(mentions, "customer_id", n, shuffle)
    build = _DASK.delayed(_build_part, pure=True)
    pairs = zip(
        _DD.DataFrame.to_delayed(routed), _DD.DataFrame.to_delayed(routed_mentions), strict=True
    )
    return DaskPool(tuple(build(e, m, k, n, options) for k, (e, m) in enumerate(pairs)))


def _mentions(
    events: dd.DataFrame, names: Mapping[str, str | None], customers: Sequence[str]
) -> dd.DataFrame:
    """Return the customers named outside their own rows: ``customers`` and the referred ids.

    Column ``listed`` tells them apart: True for ``customers``, False for a referred id (to be
    checked in its home partition).
    """
    extra = pd.DataFrame(
        {
            "customer_id": pd.array([str(c) for c in customers], dtype="string"),
            "listed": np.ones(len(customers), dtype=np.bool_),
        }
    )
    mentions: dd.DataFrame = _DD.from_pandas(extra, npartitions=1)
    referred = names.get("referred_id", "referred_id")
    if referred is None or referred not in events.columns:
        return mentions
    ids = events[referred].dropna().astype("string")  # repeats are checked twice, harmlessly
    frame = ids.to_frame(name="customer_id").assign(listed=False)
    both: dd.DataFrame = _DD.concat([frame, mentions])
    return both


def read_parquet(
    path: str,
    *,
    npartitions: int | None = None,
    shuffle: str | None = None,
    **options: Any,  # noqa: ANN401 - from_dask's options, each typed there
) -> DaskPool:
    """Read a Parquet dataset of events (a file, a folder or a glob) into a :class:`DaskPool`.

    The dataset is read with ``dask.dataframe.read_parquet`` (local paths and the object stores
    fsspec knows: ``s3://``, ``gs://``, ``abfs://`` …), then split by customer as
    :func:`from_dask` does, with the same ``options``.

    Parameters
    ----------
    path
        The dataset: a Parquet file, a folder of them, a glob or an object-store URL.
    npartitions, shuffle
        As :func:`from_dask` takes them; ``npartitions`` defaults to the dataset's partitions.
    **options
        :func:`from_dask`'s reader options (``columns``, ``timezone``, ``currency``,
        ``amounts`` …).

    Returns
    -------
    DaskPool

    Raises
    ------
    custpool.ValidationError
        As :func:`from_dask` raises.
    """
    events = _DD.read_parquet(path)
    return from_dask(events, npartitions=npartitions, shuffle=shuffle, **options)
