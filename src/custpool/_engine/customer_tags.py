"""Every customer's tags at once: a read-only boolean matrix aligned with an :class:`EventTable`.

The event table holds interactions only. Questions about tags — who shares an interest, who
passes the pool's joining rule, how many carry each tag — need each customer's tags, and for
millions of customers one Python object per customer is too slow. :class:`CustomerTags` holds
them as one ``bool`` matrix, a row per customer (in the table's customer order) and a column per
tag of a sorted vocabulary, so that a tag is a column, a joining rule is a few column-wise
``and``/``or``/``not`` passes, and counting is a column sum. It costs one byte per customer and
tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from numbers import Integral
from typing import TYPE_CHECKING, Any, Final, Self

import numpy as np
from pydantic import ValidationError as PydanticValidationError

from custpool._display import Count, Displayed, Pct, Report, Section, Text
from custpool._engine.events import EventTable
from custpool._engine.frozen import freeze, frozen_state, restore
from custpool._engine.ids import Ids, check_ids
from custpool._engine.tag_frames import frame_tags
from custpool._errors import UnknownIdError, ValidationError, WrongTypeError, wrong_type
from custpool._frames import build_frame
from custpool._model import AllOf, AnyOf, Customer, NoneOf, Tag, TagGroup

if TYPE_CHECKING:
    from datetime import tzinfo

    from numpy.typing import ArrayLike, NDArray

    from custpool._model import TagRule

__all__ = ["CustomerTags"]

_TAG_RULE: Final = "must be a Tag or its text form, such as 'vip' or 'interest:咖啡'"
_RULE_RULE: Final = "must be a joining rule (AllOf, AnyOf or NoneOf) or None"
_UNKNOWN_HINT: Final = (
    "every customer must be one of the table's customers; to include customers without "
    "interactions, build the table with EventTable.from_interactions(..., customers=ids)"
)
_SHOWN_TAGS: Final = 3


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CustomerTags(Displayed):
    """Each customer's tags as a read-only boolean matrix over a tag vocabulary.

    Row ``c`` is customer ``customer_ids[c]`` — the order of the :class:`~custpool.EventTable`
    it was built for — and column ``j`` is tag ``vocabulary[j]``: ``held[c, j]`` is whether
    the customer carries the tag. Build one with :meth:`from_customers`, :meth:`from_matrix` or
    :meth:`custpool.synth.SyntheticPool.tag_table`, not by hand.

    Every answer equals the object API's: :meth:`matches` gives, for each customer, what
    ``rule.matches(tags)`` gives for their tags, vectorised. The matrix is truly read-only, as an
    :class:`~custpool.EventTable`'s columns are, pickled and copied ones too.

    Examples
    --------
    >>> from custpool import EventTable, example_pool
    >>> from custpool import CustomerTags
    >>> pool = example_pool()
    >>> table = EventTable.from_interactions(pool.interactions)
    >>> tags = CustomerTags.from_customers(pool.customers, table)
    >>> tags
    CustomerTags(6 customers, 7 tags: vip, interest:latte art, interest:single origin, …)
    >>> tags.matches(pool.charter.joining_rule).tolist()
    [True, True, True, False, False, True]
    >>> tags.failure("c-005", pool.charter.joining_rule)
    'has lifecycle:blocked'
    >>> [str(t) for t in tags.tags_of("c-001")]
    ['vip', 'interest:latte art', 'interest:咖啡']
    """

    customer_ids: Ids
    """Customer id of each row (the table's customer order)."""
    vocabulary: tuple[Tag, ...]
    """The tags of the columns: unique, sorted by :meth:`Tag.sort_key`."""
    held: NDArray[np.bool_]
    """``held[c, j]``: whether customer ``c`` carries ``vocabulary[j]`` (C order, read-only)."""

    def __post_init__(self) -> None:
        """Check the invariants the constructors guarantee (cheap: no pass over the matrix)."""
        ids: object = self.customer_ids
        if not isinstance(ids, Ids):
            rule = "must be an EventTable's customer_ids; build with from_customers or from_matrix"
            raise wrong_type("customer_ids", ids, rule)
        vocabulary: object = self.vocabulary
        if not isinstance(vocabulary, tuple) or not all(isinstance(t, Tag) for t in vocabulary):
            raise wrong_type("vocabulary", vocabulary, "must be a tuple of Tags")
        keys = [t.sort_key() for t in vocabulary]
        if any(a >= b for a, b in pairwise(keys)):
            rule = "must be unique tags sorted by Tag.sort_key; build with from_matrix"
            raise ValidationError("vocabulary", vocabulary, rule)
        held: object = self.held
        shape = (len(ids), len(vocabulary))
        if (
            not isinstance(held, np.ndarray)
            or held.dtype != np.bool_
            or held.shape != shape
            or not held.flags.c_contiguous
            or held.flags.writeable
        ):
            rule = (
                f"must be a read-only, C-contiguous bool array of shape {shape}; "
                "build with from_matrix"
            )
            raise ValidationError("held", _describe(held), rule)
        object.__setattr__(self, "held", freeze(held))  # adopted when frozen already

    # -- pickling and copying: the copies are read-only too ------------------------------------

    def __getstate__(self) -> dict[str, object]:
        """Return the state to pickle: the matrix's frozen buffer, the ids as a plain tuple."""
        return {
            "customer_ids": self.customer_ids.to_state(),
            "vocabulary": self.vocabulary,
            "held": frozen_state(self.held),
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        """Rebuild from :meth:`__getstate__`'s state, over the unpickled buffer (read-only)."""
        object.__setattr__(self, "customer_ids", Ids.from_state(state["customer_ids"]))
        object.__setattr__(self, "vocabulary", state["vocabulary"])
        object.__setattr__(self, "held", restore(state["held"], "held"))
        self.__post_init__()

    def __copy__(self) -> Self:
        """Return the matrix itself: it is immutable."""
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        """Return the matrix itself: it is immutable, down to its memory."""
        return self

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        """Return the number of customers."""
        return len(self.customer_ids)

    def __repr__(self) -> str:
        """Return a short summary: sizes and the first few tags, never the matrix."""
        size = len(self.vocabulary)
        shown = ", ".join(str(t) for t in self.vocabulary[:_SHOWN_TAGS])
        more = ", …" if size > _SHOWN_TAGS else ""
        tags = f"{size} tags: {shown}{more}" if size else "no tags"
        return f"CustomerTags({len(self)} customers, {tags})"

    def _report(self) -> Report:
        """Return how many customers carry each tag, and their share, in vocabulary order."""
        n, m = len(self), len(self.vocabulary)
        title = Text(
            f"customer tags: {n:,} customers, {m:,} tags", f"客户标签：{n:,} 位客户，{m:,} 个标签"
        )
        rows = tuple(
            (Text(str(tag)), Count(count), Pct(count / n if n else None))
            for tag, count in self.counts().items()
        )
        head = (Text("tag", "标签"), Text("customers", "客户数"), Text("share", "占比"))
        return Report(title, (Section(rows, columns=head),))

    @property
    def n_customers(self) -> int:
        """Number of customers (rows)."""
        return len(self.customer_ids)

    @property
    def nbytes(self) -> int:
        """Bytes held by the matrix (not the id tuple): one per customer and tag."""
        return int(self.held.nbytes)

    def column(self, tag: Tag | str) -> NDArray[np.bool_]:
        """Return who carries ``tag``: one bool per customer (a new array).

        A tag outside the vocabulary is carried by nobody (all False).

        Raises
        ------
        custpool.ValidationError
            If ``tag`` is not a :class:`~custpool.Tag` or a valid text form of one.

        Examples
        --------
        >>> from custpool import CustomerTags
        >>> tags = CustomerTags.from_matrix([[1, 0], [1, 1]], ["vip", "interest:tea"], ["a", "b"])
        >>> tags.column("VIP").tolist(), tags.column("interest:tea").tolist()
        ([True, True], [False, True])
        >>> tags.column("blocked").tolist()
        [False, False]
        """
        found = self._index().get(_tag("tag", tag))
        if found is None:
            return np.zeros(len(self), dtype=np.bool_)
        return self.held[:, found].copy()

    def has_any(self, tags: Iterable[Tag | str]) -> NDArray[np.bool_]:
        """Return who carries at least one of ``tags`` (all False when ``tags`` is empty).

        Raises
        ------
        custpool.ValidationError
            If ``tags`` is a single tag or string rather than an iterable of them, or an item
            is not a tag (the field names the item: ``tags[i]``).

        Examples
        --------
        >>> from custpool import CustomerTags
        >>> held = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        >>> tags = CustomerTags.from_matrix(held, ["a", "b", "c"], ["x", "y", "z"])
        >>> tags.has_any(["a", "c", "not in vocabulary"]).tolist()
        [True, False, True]
        >>> tags.has_any([]).tolist()
        [False, False, False]
        """
        if isinstance(tags, str | Tag):
            rule = "must be an iterable of tags, such as ['vip']; for one tag use column()"
            raise WrongTypeError("tags", tags, rule)
        given: object = tags
        if not isinstance(given, Iterable):
            raise wrong_type("tags", given, "must be an iterable of tags, such as ['vip']")
        index = self._index()
        columns = {
            found
            for position, item in enumerate(tags)
            if (found := index.get(_tag(f"tags[{position}]", item))) is not None
        }
        return self._any(sorted(columns))

    def matches(self, rule: TagRule | None) -> NDArray[np.bool_]:
        """Return who satisfies a joining rule: one bool per customer.

        Entry ``c`` equals ``rule.matches(self.tags_of(c))``: a tag holds when the customer
        carries it (a tag outside the vocabulary never holds), :class:`~custpool.AllOf` is the
        ``and`` of its items, :class:`~custpool.AnyOf` their ``or`` and
        :class:`~custpool.NoneOf` the ``not`` of their ``or``, nested freely. ``None`` (no
        rule) admits everyone.

        Raises
        ------
        custpool.WrongTypeError
            If ``rule`` is not a rule or None.

        Examples
        --------
        >>> from custpool import AllOf, AnyOf, NoneOf
        >>> from custpool import CustomerTags
        >>> held = [[1, 0, 0], [1, 0, 1], [0, 1, 0], [0, 0, 0]]
        >>> tags = CustomerTags.from_matrix(
        ...     held, ["interest:咖啡", "interest:tea", "lifecycle:blocked"], ["a", "b", "c", "d"]
        ... )
        >>> either = AnyOf.of("interest:咖啡", "interest:tea")
        >>> rule = AllOf.of(either, NoneOf.of("lifecycle:blocked"))
        >>> tags.matches(rule).tolist()
        [True, False, True, False]
        >>> tags.matches(None).tolist()
        [True, True, True, True]
        """
        if rule is None:
            return np.ones(len(self), dtype=np.bool_)
        _check_rule(rule)
        return self._evaluate(rule, self._index())

    def failure(self, customer: int | str, rule: TagRule | None) -> str | None:
        """Return why one customer fails ``rule`` (one line), or None when they satisfy it.

        The reason is ``rule.failure(self.tags_of(customer))``; no rule admits everyone.

        Raises
        ------
        custpool.UnknownIdError
            If ``customer`` is an id the table does not have.
        custpool.ValidationError
            If ``customer`` is an index out of range, or ``rule`` is not a rule or None.

        Examples
        --------
        >>> from custpool import AllOf
        >>> from custpool import CustomerTags
        >>> tags = CustomerTags.from_matrix([[True], [False]], ["vip"], ["a", "b"])
        >>> tags.failure("b", AllOf.of("vip")), tags.failure(0, AllOf.of("vip"))
        ('lacks vip', None)
        """
        held = self.tags_of(customer)
        if rule is None:
            return None
        _check_rule(rule)
        return rule.failure(held)

    def tags_of(self, customer: int | str) -> tuple[Tag, ...]:
        """Return one customer's tags, sorted like the vocabulary.

        Parameters
        ----------
        customer
            The customer's index (``0`` to ``len(self) - 1``) or id.

        Raises
        ------
        custpool.UnknownIdError
            If ``customer`` is an id the table does not have.
        custpool.ValidationError
            If ``customer`` is an index out of range (negative indexes are refused too), or
            neither an integer nor a string.

        Examples
        --------
        >>> from custpool import CustomerTags
        >>> tags = CustomerTags.from_matrix([[1, 0, 1]], ["vip", "b", "a"], ["c-1"])
        >>> [str(t) for t in tags.tags_of("c-1")], tags.tags_of(0) == tags.tags_of("c-1")
        (['a', 'vip'], True)
        """
        row = self.held[self._row(customer)]
        return tuple(self.vocabulary[j] for j in np.flatnonzero(row).tolist())

    def counts(self) -> dict[Tag, int]:
        """Return how many customers carry each tag, in vocabulary order.

        Examples
        --------
        >>> from custpool import CustomerTags
        >>> tags = CustomerTags.from_matrix([[1, 0], [1, 1], [1, 0]], ["a", "b"], ["x", "y", "z"])
        >>> {str(t): n for t, n in tags.counts().items()}
        {'a': 3, 'b': 1}
        """
        totals = self.held.sum(axis=0, dtype=np.int64).tolist()
        return dict(zip(self.vocabulary, totals, strict=True))

    def to_frame(self, backend: str = "pandas", *, tz: str | tzinfo | None = None) -> Any:  # noqa: ANN401
        """Return the tags as a long data frame: one row per tag a customer carries.

        Columns: ``customer_id``; ``tag`` (the text form, ``group:name`` or ``name``);
        ``group`` (the tag's group, null for an ungrouped tag); ``name``. Rows come in customer
        index order, then vocabulary order; a customer without tags has no row. Built from the
        matrix's true cells at once, with no loop over customers. The matrix holds no time, so
        ``tz`` is only checked, for the signature every ``to_frame`` shares.

        Parameters
        ----------
        backend
            ``"pandas"``, ``"polars"`` or ``"pyarrow"`` (installed, with narwhals: the
            ``frames`` extra).
        tz
            The zone times are shown in (an IANA name or ``datetime.UTC``; default UTC).

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Raises
        ------
        custpool.ValidationError
            If ``backend`` or ``tz`` is not one of those allowed.
        custpool.MissingDependencyError
            If narwhals or the backend is not installed.

        Examples
        --------
        >>> from custpool import CustomerTags
        >>> held = [[1, 1], [0, 0], [0, 1]]
        >>> tags = CustomerTags.from_matrix(held, ["vip", "interest:茶"], ["c-1", "c-2", "c-3"])
        >>> frame = tags.to_frame("pyarrow")
        >>> frame.column_names
        ['customer_id', 'tag', 'group', 'name']
        >>> [tuple(row.values()) for row in frame.to_pylist()]
        [('c-1', 'vip', None, 'vip'), ('c-1', 'interest:茶', 'interest', '茶'), ('c-3', 'interest:茶', 'interest', '茶')]
        """  # noqa: E501 - a doctest's output line cannot be wrapped
        rows, columns = np.nonzero(self.held)  # row-major: customer order, then vocabulary order
        texts = np.array([str(t) for t in self.vocabulary] or [""])
        groups = np.array([t.group.value if t.group else "" for t in self.vocabulary] or [""])
        ungrouped = np.array([t.group is None for t in self.vocabulary] or [False])
        names = np.array([t.name for t in self.vocabulary] or [""])
        frame = {
            "customer_id": self.customer_ids.column(rows),
            "tag": texts[columns],
            "group": np.ma.masked_array(groups[columns], mask=ungrouped[columns]),
            "name": names[columns],
        }
        return build_frame(frame, backend=backend, tz=tz, dtypes={"customer_id": "str"})

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def from_customers(
        cls, customers: Iterable[Customer], table_or_ids: EventTable | Sequence[str]
    ) -> Self:
        """Build from :class:`~custpool.Customer` objects, aligned with a table's customers.

        Each customer's tags go to the row of their id in the table (or in the ids given).
        Customers of the table without a ``Customer`` object carry no tags. The vocabulary is
        every tag some customer carries. A customer given twice with the same tags counts once.

        Parameters
        ----------
        customers
            The customers, in any order.
        table_or_ids
            An :class:`~custpool.EventTable` (its ``customer_ids``) or the customer ids by
            index (unique, non-empty strings).

        Returns
        -------
        CustomerTags

        Raises
        ------
        custpool.UnknownIdError
            If a customer's id is not one of the table's (the note says how to include
            customers without interactions).
        custpool.ValidationError
            If an item is not a ``Customer`` (``customers[i]``), an id is given twice with
            different tags (``customers[i]``), or the ids are not unique non-empty strings.

        Examples
        --------
        >>> from custpool import Customer
        >>> from custpool import CustomerTags
        >>> customers = [Customer(id="c-2", tags=["vip", "interest:tea"]), Customer(id="c-1")]
        >>> tags = CustomerTags.from_customers(customers, ["c-1", "c-2", "c-3"])
        >>> [str(t) for t in tags.vocabulary], tags.held.tolist()
        (['vip', 'interest:tea'], [[False, False], [True, True], [False, False]])
        >>> CustomerTags.from_customers([Customer(id="c-9")], ["c-1"])
        Traceback (most recent call last):
        ...
        custpool.UnknownIdError: no customer with id 'c-9' in this pool
        customers[0]: every customer must be one of the table's customers; ...
        """
        ids = _customer_ids("table_or_ids", table_or_ids)
        seen: dict[str, tuple[int, tuple[Tag, ...]]] = {}
        rows: list[int] = []
        carried: list[Tag] = []
        for position, customer in enumerate(customers):
            if not isinstance(customer, Customer):
                raise wrong_type(f"customers[{position}]", customer, "must be a Customer")
            earlier = seen.get(customer.id)
            if earlier is not None:
                if earlier[1] != customer.tags:
                    rule = (
                        f"repeats the id of customers[{earlier[0]}] with different tags; "
                        "give each customer once"
                    )
                    raise ValidationError(f"customers[{position}]", customer.id, rule)
                continue
            try:
                row = ids.index(customer.id)
            except ValueError:
                error = UnknownIdError("customer", customer.id)
                error.add_note(f"customers[{position}]: {_UNKNOWN_HINT}")
                raise error from None
            seen[customer.id] = (position, customer.tags)
            rows.extend([row] * len(customer.tags))
            carried.extend(customer.tags)
        vocabulary = tuple(sorted(set(carried), key=Tag.sort_key))
        index = {tag: j for j, tag in enumerate(vocabulary)}
        held = np.zeros((len(ids), len(vocabulary)), dtype=np.bool_)
        columns = [index[t] for t in carried]
        held[np.array(rows, dtype=np.intp), np.array(columns, dtype=np.intp)] = True
        return cls(ids, vocabulary, freeze(held))

    @classmethod
    def from_matrix(
        cls,
        held: ArrayLike,
        vocabulary: Sequence[Tag | str],
        customer_ids: Sequence[str] | Ids | EventTable,
    ) -> Self:
        """Build from a matrix: a row per customer, a column per tag of ``vocabulary``.

        The data is copied (the caller's array is never kept), and the columns are put in the
        order of the sorted vocabulary.

        Parameters
        ----------
        held
            Two-dimensional, of shape ``(number of customers, len(vocabulary))``: booleans, or
            integers that are all 0 or 1.
        vocabulary
            The tag of each column (:class:`~custpool.Tag` or text forms such as
            ``"interest:咖啡"``), each once.
        customer_ids
            The customer ids by index, or an :class:`~custpool.EventTable` (its
            ``customer_ids``).

        Returns
        -------
        CustomerTags

        Raises
        ------
        custpool.ValidationError
            If ``held`` is not two-dimensional, its shape does not fit, its dtype is neither
            bool nor integer, or a value is not 0 or 1 (``held[row, column]``, with how many
            break the rule); if a vocabulary item is not a tag or repeats an earlier one
            (``vocabulary[i]``); or if the ids are not unique non-empty strings.

        Examples
        --------
        >>> from custpool import CustomerTags
        >>> tags = CustomerTags.from_matrix([[1, 0], [0, 1]], ["vip", "interest:咖啡"], ["a", "b"])
        >>> [str(t) for t in tags.vocabulary], tags.held.tolist()
        (['vip', 'interest:咖啡'], [[True, False], [False, True]])
        >>> CustomerTags.from_matrix([[1, 2]], ["vip", "new"], ["a"])
        Traceback (most recent call last):
        ...
        custpool.ValidationError: held[0, 1]=2: must be 0 or 1 (or a bool)
        """
        ids = _customer_ids("customer_ids", customer_ids)
        tags = _vocabulary(vocabulary)
        matrix = _matrix(held, len(ids), len(tags))
        order = sorted(range(len(tags)), key=lambda j: tags[j].sort_key())
        if order != list(range(len(tags))):
            matrix = matrix[:, order]
        # one copy into frozen memory (integers 0/1 become bools); the caller's array is not kept
        out = freeze(matrix, np.bool_, adopt=False)
        return cls(ids, tuple(tags[j] for j in order), out)

    @classmethod
    def from_frame(  # noqa: PLR0913 - keyword-only options, each documented
        cls,
        frame: object,
        *,
        customer_id: str = "customer_id",
        tags: str = "tags",
        separator: str = ",",
        customers: EventTable | Sequence[str] | None = None,
        vocabulary: Sequence[Tag | str] | None = None,
    ) -> Self:
        """Build from a data frame with a customer id column and a tags column, vectorised.

        The tags column holds, per row, either a list of tag text forms (``["vip",
        "interest:咖啡"]``) or one string with them joined by ``separator``
        (``"vip,interest:咖啡"``).
        Blanks around a tag are stripped, blank pieces are skipped (``"a,,b"``), an empty string,
        an empty list, a null cell and null list items mean no tag. Tags are normalised as
        :class:`~custpool.Tag` normalises them (``"VIP"`` is ``vip``). A customer on several rows
        carries the union of their tags. A tag name may hold ``,``; such tags need a list column
        or ``separator=";"`` (no tag name holds ``;``).

        Everything runs in pyarrow's compute kernels, each distinct id and tag text checked once:
        a million customers with five tags each take one to two seconds on two cores.

        Parameters
        ----------
        frame
            A pandas, polars or pyarrow frame, or an object with ``__arrow_c_stream__``.
        customer_id
            The id column: strings, or integers (read in decimal).
        tags
            The tags column: lists of strings, or strings.
        separator
            What joins tags in a string cell (not ``:``, which separates a tag's group).
        customers
            The rows to align with: an :class:`~custpool.EventTable` (its ``customer_ids``) or
            the customer ids by index. Customers that are not in the frame carry no tags.
            Default: the frame's distinct ids, sorted as an ``EventTable`` sorts them.
        vocabulary
            The tags of the columns (every one, carried or not); a tag of the frame outside it
            is an error. Default: every tag the frame holds.

        Returns
        -------
        CustomerTags

        Raises
        ------
        custpool.ValidationError
            If ``customer_id`` or ``tags`` names no column of the frame, or ``separator`` is
            empty or holds ``:``; if a row's id is empty or invalid, or an id of the frame is not
            one of ``customers`` (the error gives the row, 0-based, and how many ids and rows;
            ids are never shown, as they may be contact handles); if a tag is not a valid text
            form or not in ``vocabulary`` (naming ``column[row]``, the text and the rule).
        custpool.WrongTypeError
            If a column holds neither of the types above.
        custpool.MissingDependencyError
            If pyarrow is not installed (the ``frames`` extra).

        Examples
        --------
        >>> import pyarrow as pa
        >>> from custpool import CustomerTags
        >>> frame = pa.table({
        ...     "customer_id": ["c-2", "c-1", "c-3", "c-2"],
        ...     "tags": ["VIP, interest:咖啡", "", None, "interest:tea"],
        ... })
        >>> tags = CustomerTags.from_frame(frame)
        >>> list(tags.customer_ids), [str(t) for t in tags.vocabulary]
        (['c-1', 'c-2', 'c-3'], ['vip', 'interest:tea', 'interest:咖啡'])
        >>> tags.held.tolist()
        [[False, False, False], [True, True, True], [False, False, False]]
        >>> listed = pa.table({"id": ["c-1"], "labels": [["new", "vip"]]})
        >>> aligned = CustomerTags.from_frame(
        ...     listed, customer_id="id", tags="labels", customers=["c-0", "c-1"]
        ... )
        >>> aligned.held.tolist(), [str(t) for t in aligned.vocabulary]
        ([[False, False], [True, True]], ['new', 'vip'])
        >>> CustomerTags.from_frame(pa.table({"customer_id": ["c-1"], "tags": ["vip,a:b"]}))
        Traceback (most recent call last):
        ...
        custpool.ValidationError: tags[0]='a:b': is not a tag: the group before ':' must be ...
        """
        given = None if customers is None else _customer_ids("customers", customers)
        allowed = None if vocabulary is None else _vocabulary(vocabulary)
        if allowed is not None:
            allowed = tuple(sorted(allowed, key=Tag.sort_key))
        ids, held_tags, held = frame_tags(
            frame,
            customer_id=customer_id,
            tags=tags,
            separator=separator,
            customers=given,
            vocabulary=allowed,
        )
        return cls(ids, held_tags, freeze(held))

    # -- helpers ------------------------------------------------------------------------------

    def _index(self) -> dict[Tag, int]:
        return {tag: j for j, tag in enumerate(self.vocabulary)}

    def _row(self, customer: object) -> int:
        if isinstance(customer, str):
            try:
                return self.customer_ids.index(customer)
            except ValueError:
                raise UnknownIdError("customer", customer) from None
        if isinstance(customer, bool) or not isinstance(customer, Integral):
            raise wrong_type("customer", customer, "must be a customer index (int) or id (str)")
        row = int(customer)
        size = len(self)
        if not 0 <= row < size:
            rule = f"must be a customer index from 0 to {size - 1}" if size else "no customers"
            raise ValidationError("customer", customer, rule)
        return row

    def _any(self, columns: list[int]) -> NDArray[np.bool_]:
        if not columns:
            return np.zeros(len(self), dtype=np.bool_)
        if len(columns) == 1:
            return self.held[:, columns[0]].copy()
        out: NDArray[np.bool_] = np.logical_or.reduce(self.held[:, columns], axis=1)
        return out

    def _all(self, columns: list[int]) -> NDArray[np.bool_]:
        if not columns:
            return np.ones(len(self), dtype=np.bool_)
        if len(columns) == 1:
            return self.held[:, columns[0]].copy()
        out: NDArray[np.bool_] = np.logical_and.reduce(self.held[:, columns], axis=1)
        return out

    def _evaluate(self, rule: AllOf | AnyOf | NoneOf, index: dict[Tag, int]) -> NDArray[np.bool_]:
        """Evaluate a rule: its tags in one pass over their columns, then each nested rule."""
        tags = [item for item in rule.items if isinstance(item, Tag)]
        nested = [item for item in rule.items if not isinstance(item, Tag)]
        columns = sorted({index[t] for t in tags if t in index})
        if isinstance(rule, AllOf):
            if any(t not in index for t in tags):  # nobody carries an unknown tag
                return np.zeros(len(self), dtype=np.bool_)
            out = self._all(columns)
            for item in nested:
                np.logical_and(out, self._evaluate(item, index), out=out)
            return out
        out = self._any(columns)
        for item in nested:
            np.logical_or(out, self._evaluate(item, index), out=out)
        if isinstance(rule, NoneOf):
            np.logical_not(out, out=out)
        return out


def _describe(value: object) -> object:
    """Show an array by its shape and dtype (never its data); anything else as it is."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}, dtype {value.dtype}"
    return value


def _check_rule(rule: object) -> None:
    if not isinstance(rule, AllOf | AnyOf | NoneOf):
        raise wrong_type("rule", rule, _RULE_RULE)


def _tag(name: str, value: object) -> Tag:
    """Return ``value`` as a Tag (text forms parsed), or raise naming ``name``."""
    if isinstance(value, Tag):
        return value
    if not isinstance(value, str):
        raise wrong_type(name, value, _TAG_RULE)
    try:
        return Tag.parse(value)
    except PydanticValidationError as error:
        detail = error.errors(include_url=False)[0]
        if detail["loc"] == ("group",):
            groups = ", ".join(g.value for g in TagGroup)
            rule = f"is not a tag: the group before ':' must be one of {groups}"
        else:
            rule = f"is not a tag: {detail['msg'].removeprefix('Value error, ')}"
        raise ValidationError(name, value, rule) from None


def _customer_ids(name: str, value: object) -> Ids:
    if isinstance(value, EventTable):
        return value.customer_ids
    if isinstance(value, Ids):
        return value
    if isinstance(value, str) or not isinstance(value, Sequence):
        rule = "must be an EventTable or a sequence of customer ids (one per row)"
        raise wrong_type(name, value, rule)
    return check_ids(name, value, 0)


def _vocabulary(vocabulary: object) -> tuple[Tag, ...]:
    if isinstance(vocabulary, str) or not isinstance(vocabulary, Sequence):
        rule = "must be a sequence of tags (or their text forms), one per column of held"
        raise wrong_type("vocabulary", vocabulary, rule)
    tags: list[Tag] = []
    first: dict[Tag, int] = {}
    for position, item in enumerate(vocabulary):
        tag = _tag(f"vocabulary[{position}]", item)
        if tag in first:
            rule = (
                f"repeats the tag {str(tag)!r} of vocabulary[{first[tag]}]; "
                "each column needs its own tag"
            )
            raise ValidationError(f"vocabulary[{position}]", item, rule)
        first[tag] = position
        tags.append(tag)
    return tuple(tags)


def _matrix(held: ArrayLike, rows: int, columns: int) -> NDArray[Any]:
    """Return ``held`` as an array of the right shape holding only 0/1 or bools (no copy)."""
    try:
        array = np.asarray(held)
    except (ValueError, TypeError):
        rule = "must be a rectangular two-dimensional array (every row as long)"
        raise ValidationError("held", _describe(held), rule) from None
    shown = f"array of shape {array.shape}"
    if array.ndim != 2:
        rule = "must be two-dimensional: one row per customer, one column per vocabulary tag"
        raise ValidationError("held", shown, rule)
    if array.shape[0] != rows:
        rule = f"must have one row per customer: {rows} customers, but {array.shape[0]} rows"
        raise ValidationError("held", shown, rule)
    if array.shape[1] != columns:
        rule = f"must have one column per tag: {columns} tags, but {array.shape[1]} columns"
        raise ValidationError("held", shown, rule)
    if array.size == 0 or array.dtype == np.bool_:
        return array
    if array.dtype.kind not in "iu":
        rule = "must hold booleans, or integers that are all 0 or 1"
        raise WrongTypeError("held", f"array of dtype {array.dtype}", rule)
    if int(array.min()) < 0 or int(array.max()) > 1:
        bad = np.flatnonzero((array != 0) & (array != 1))
        row, column = divmod(int(bad[0]), columns)
        more = f" ({bad.size} values break this rule; the first is shown)" if bad.size > 1 else ""
        rule = f"must be 0 or 1 (or a bool){more}"
        raise ValidationError(f"held[{row}, {column}]", array[row, column].item(), rule)
    return array
