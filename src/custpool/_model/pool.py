"""The pool: a charter with its customers, their interactions and the brand's activities."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Self

from pydantic import ConfigDict, ModelWrapValidatorHandler, model_validator

from custpool._base import FrozenModel
from custpool._errors import UnknownIdError, WrongTypeError
from custpool._model.activity import PoolActivity
from custpool._model.charter import PoolCharter
from custpool._model.customer import Customer, conceal, conceal_customer
from custpool._model.interaction import Interaction, InteractionKind
from custpool._model.rules import AllOf, AnyOf, NoneOf
from custpool._model.tags import Tag

if TYPE_CHECKING:
    from custpool._model.rules import TagRule

__all__ = ["FilterResult", "Pool", "ReferenceIssue", "RuleFailure"]

CustomerPredicate = Callable[[Customer], bool]


class RuleFailure(FrozenModel):
    """A member who fails a rule, and why."""

    customer_id: str
    """The member."""
    reason: str
    """One line, e.g. ``lacks interest:咖啡``."""


class ReferenceIssue(FrozenModel):
    """An interaction that points at something the pool does not hold."""

    interaction_id: str
    """The interaction."""
    problem: str
    """What it points at, and why that is a problem."""


class FilterResult(FrozenModel):
    """The outcome of filtering a pool (筛选): nothing is dropped silently.

    ``pool`` keeps the members who pass; ``removed`` and ``removed_interactions`` hold the rest,
    and ``reasons`` says why each removed member failed.
    """

    pool: Pool
    """The pool of members who pass."""
    removed: tuple[Customer, ...]
    """Members who failed, in pool order."""
    removed_interactions: tuple[Interaction, ...]
    """Those members' interactions, in pool order."""
    reasons: tuple[RuleFailure, ...]
    """Why each removed member failed."""

    @model_validator(mode="before")
    @classmethod
    def _conceal_input(cls, data: Any) -> Any:  # noqa: ANN401 - pydantic hands over raw input
        nested = {"pool": _conceal_pool, "removed": _conceal_customers}
        return _conceal_input(cls, data, nested)


def _duplicates(ids: Iterable[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


def _conceal_customers(value: object) -> object:
    """Conceal the handles of each customer in a raw sequence of customers."""
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        return conceal(value)
    return [conceal_customer(item) for item in value]


def _conceal_input(model: type[FrozenModel], data: object, nested: Mapping[str, Any]) -> object:
    """Conceal contact handles in a model's raw input before pydantic can show it in an error.

    ``nested`` maps the fields that hold customers to the function concealing them; values of
    unknown keys are concealed too, as :class:`~custpool.Customer` does.
    """
    if isinstance(data, model):
        return data
    if not isinstance(data, Mapping):
        return conceal(data)
    fields = model.model_fields
    return {
        key: (
            nested[key](value)
            if key in nested
            else value
            if isinstance(key, str) and key in fields
            else conceal(value)
        )
        for key, value in data.items()
    }


def _conceal_pool(data: object) -> object:
    return _conceal_input(Pool, data, {"customers": _conceal_customers})


class Pool(FrozenModel):
    """A customer pool: its charter, its members, what they did and what the brand did.

    Customer ids, interaction ids and activity ids are each unique, and every interaction belongs
    to a member. Operations never mutate: tagging and filtering return new pools, and filtering
    returns the removed members beside the pool.

    Examples
    --------
    >>> from custpool import AllOf, PoolCharter
    >>> charter = PoolCharter(
    ...     name="Coffee", interests=["咖啡"], joining_rule=AllOf.of("interest:咖啡")
    ... )
    >>> pool = Pool(
    ...     charter=charter,
    ...     customers=[
    ...         Customer(id="c-1", tags=["interest:咖啡"]),
    ...         Customer(id="c-2", tags=["interest:tea"]),
    ...     ],
    ... )
    >>> [(f.customer_id, f.reason) for f in pool.joining_failures()]
    [('c-2', 'lacks interest:咖啡')]
    >>> result = pool.filter_members()
    >>> [c.id for c in result.pool.customers], [c.id for c in result.removed]
    (['c-1'], ['c-2'])
    >>> tagged = pool.tag_where("lifecycle:coffee-curious", AllOf.of("interest:tea"))
    >>> tagged.customer("c-2").has_tag("lifecycle:coffee-curious")
    True
    """

    model_config = FrozenModel.model_config | ConfigDict(hide_input_in_errors=True)

    charter: PoolCharter
    """The pool's declared shape."""
    customers: tuple[Customer, ...] = ()
    """Members, ids unique."""
    interactions: tuple[Interaction, ...] = ()
    """Members' interactions, ids unique, each for a member."""
    activities: tuple[PoolActivity, ...] = ()
    """The brand's pool activities, ids unique."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for field, ids in (
            ("customers", [c.id for c in self.customers]),
            ("interactions", [i.id for i in self.interactions]),
            ("activities", [a.id for a in self.activities]),
        ):
            if dup := _duplicates(ids):
                msg = f"{field} ids must be unique; repeated: {', '.join(map(repr, dup[:5]))}"
                raise ValueError(msg)
        members = {c.id for c in self.customers}
        strangers = sorted({i.customer_id for i in self.interactions} - members)
        if strangers:
            msg = (
                f"every interaction must belong to a member; unknown customer ids: "
                f"{', '.join(map(repr, strangers[:5]))} — add those customers or drop the rows"
            )
            raise ValueError(msg)
        return self

    # Declared after ``_consistent`` on purpose: pydantic wraps a model in its after and wrap
    # validators in the order they are declared, so this one is outermost, and even the errors
    # of ``_consistent`` show the concealed input. (hide_input_in_errors counts only when the
    # pool is the outermost model; see customer.py.)
    @model_validator(mode="wrap")
    @classmethod
    def _conceal_input(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:  # noqa: ANN401
        return handler(_conceal_pool(data))

    @cached_property
    def _by_id(self) -> dict[str, Customer]:
        return {c.id: c for c in self.customers}

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.customers)

    def customer(self, customer_id: str) -> Customer:
        """Return the member with this id.

        Raises
        ------
        custpool.UnknownIdError
            If there is none (also a ``KeyError``).
        custpool.WrongTypeError
            If ``customer_id`` is not a string.
        """
        if not isinstance(customer_id, str):
            raise WrongTypeError("customer_id", customer_id, "must be a string id")
        try:
            return self._by_id[customer_id]
        except KeyError:
            raise UnknownIdError("customer", customer_id) from None

    @cached_property
    def _histories(self) -> dict[str, tuple[Interaction, ...]]:
        grouped: dict[str, list[Interaction]] = {c.id: [] for c in self.customers}
        for i in sorted(self.interactions, key=lambda i: (i.at, i.id)):
            grouped[i.customer_id].append(i)
        return {cid: tuple(items) for cid, items in grouped.items()}

    def history(self, customer_id: str) -> tuple[Interaction, ...]:
        """Return one member's interactions, ordered by time (then id, so ties are stable).

        The first call indexes every member's history at once; later calls are lookups.

        Examples
        --------
        >>> from custpool import example_pool
        >>> [i.kind.value for i in example_pool().history("c-004")]
        ['purchase', 'connect', 'message', 'churn']
        """
        self.customer(customer_id)
        return self._histories[customer_id]

    def check_references(self) -> tuple[ReferenceIssue, ...]:
        """List interactions that point at what the pool does not hold.

        Reported: referrals to customers who are not members; purchases that reuse another
        purchase's order id; refunds of orders with no purchase in the pool, of another
        customer's order, dated before the purchase, in another currency than the order, or
        beyond the order's amount. Real exports often start mid-history, so these are
        reported, not refused.
        """
        purchases: dict[str, Interaction] = {}
        refunded: Counter[str] = Counter()
        issues: list[ReferenceIssue] = []
        for i in self.interactions:
            if i.kind is InteractionKind.PURCHASE and i.order_id is not None:
                if i.order_id in purchases:
                    first = purchases[i.order_id].id
                    problem = f"reuses order id {i.order_id!r} of purchase {first!r}"
                    issues.append(ReferenceIssue(interaction_id=i.id, problem=problem))
                    continue
                purchases[i.order_id] = i
        for i in self.interactions:
            if i.kind is InteractionKind.REFERRAL and i.referred_id not in self._by_id:
                problem = f"refers {i.referred_id!r}, who is not a member"
                issues.append(ReferenceIssue(interaction_id=i.id, problem=problem))
            if i.kind is InteractionKind.REFUND:
                why = _refund_problem(i, purchases, refunded)
                if why is not None:
                    issues.append(ReferenceIssue(interaction_id=i.id, problem=why))
        return tuple(issues)

    def _evolve(self, **changes: object) -> Pool:
        # Callers keep the invariants (same ids, or a consistent subset), so no revalidation;
        # model_construct starts a fresh instance, so cached lookups are never carried over.
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self).model_construct(**(fields | changes))

    def _replace_customers(self, customers: Iterable[Customer]) -> Pool:
        return self._evolve(customers=tuple(customers))

    def tag_where(self, tag: Tag | str, where: TagRule | CustomerPredicate) -> Pool:
        """Return a pool where members matching ``where`` also carry ``tag``.

        ``where`` is a tag rule or any function of a customer.

        Examples
        --------
        >>> from custpool import AnyOf, example_pool
        >>> pool = example_pool().tag_where("custom:coffee-geek", AnyOf.of("interest:latte art",
        ...                                                       "interest:single origin"))
        >>> [c.id for c in pool.customers if c.has_tag("custom:coffee-geek")]
        ['c-001', 'c-003']
        >>> pool = pool.tag_where("custom:named", lambda c: c.display_name is not None)
        >>> sum(c.has_tag("custom:named") for c in pool.customers)
        6
        """
        test = _as_predicate(where)
        new = Tag.model_validate(tag)
        return self._replace_customers(c.with_tags(new) if test(c) else c for c in self.customers)

    def tag_customers(self, tag: Tag | str, customer_ids: Iterable[str]) -> Pool:
        """Return a pool where the listed members also carry ``tag``.

        Raises
        ------
        custpool.UnknownIdError
            If an id is not a member (nothing is tagged then).
        custpool.WrongTypeError
            If ``customer_ids`` is one string, or not an iterable of string ids.
        """
        if isinstance(customer_ids, str | bytes | bytearray | Mapping) or not isinstance(
            customer_ids, Iterable
        ):
            rule = "must be an iterable of string ids (a list, not one string)"
            raise WrongTypeError("customer_ids", customer_ids, rule)
        wanted = set(customer_ids)
        for cid in wanted:
            self.customer(cid)
        return self.tag_where(tag, lambda c: c.id in wanted)

    def untag(self, tag: Tag | str, where: TagRule | CustomerPredicate | None = None) -> Pool:
        """Return a pool where ``tag`` is removed from every member, or from those matching."""
        test = _as_predicate(where) if where is not None else (lambda _: True)
        old = Tag.model_validate(tag)
        return self._replace_customers(
            c.without_tags(old) if test(c) and old in c.tags else c for c in self.customers
        )

    def joining_failures(self, rule: TagRule | None = None) -> tuple[RuleFailure, ...]:
        """List members who fail ``rule`` (default: the charter's joining rule), with reasons.

        Raises
        ------
        custpool.WrongTypeError
            If ``rule`` is neither None nor a tag rule (:class:`~custpool.AllOf`,
            :class:`~custpool.AnyOf`, :class:`~custpool.NoneOf`).
        """
        _check_rule(rule)
        active = rule if rule is not None else self.charter.joining_rule
        if active is None:
            return ()
        failures = []
        for c in self.customers:
            why = active.failure(c.tags)
            if why is not None:
                failures.append(RuleFailure(customer_id=c.id, reason=why))
        return tuple(failures)

    def filter_members(self, rule: TagRule | None = None) -> FilterResult:
        """Keep the members who satisfy ``rule`` (default: the charter's joining rule).

        Returns
        -------
        FilterResult
            The filtered pool, and the removed members and interactions with reasons. With no
            rule at all, everyone stays.

        Raises
        ------
        custpool.WrongTypeError
            If ``rule`` is neither None nor a tag rule.
        """
        failures = self.joining_failures(rule)
        gone = {f.customer_id for f in failures}
        kept_interactions = tuple(i for i in self.interactions if i.customer_id not in gone)
        pool = self._evolve(
            customers=tuple(c for c in self.customers if c.id not in gone),
            interactions=kept_interactions,
        )
        return FilterResult(
            pool=pool,
            removed=tuple(c for c in self.customers if c.id in gone),
            removed_interactions=tuple(i for i in self.interactions if i.customer_id in gone),
            reasons=failures,
        )


def _refund_problem(  # noqa: PLR0911 - one early return per check reads best
    refund: Interaction, purchases: dict[str, Interaction], refunded: Counter[str]
) -> str | None:
    """Say what is wrong with a refund, counting it against its order when it is fine."""
    order_id, amount = refund.order_id, refund.amount
    if order_id is None or amount is None:  # pragma: no cover - the model requires both
        return None
    order = purchases.get(order_id)
    if order is None or order.amount is None:
        return f"refunds order {order_id!r}, which has no purchase in the pool"
    if order.customer_id != refund.customer_id:
        return f"refunds order {order_id!r} of another customer ({order.customer_id!r})"
    if refund.at < order.at:
        return f"refunds order {order_id!r} before it was bought ({order.at.isoformat()})"
    if order.amount.currency != amount.currency:
        return (
            f"refunds order {order_id!r} in {amount.currency}, "
            f"but it was paid in {order.amount.currency}"
        )
    refunded[order_id] += amount.minor_units
    if refunded[order_id] > order.amount.minor_units:
        return f"refunds more than order {order_id!r} cost ({order.amount})"
    return None


def _check_rule(rule: object) -> None:
    if rule is not None and not isinstance(rule, AllOf | AnyOf | NoneOf):
        raise WrongTypeError("rule", rule, "must be a tag rule (AllOf/AnyOf/NoneOf) or None")


def _as_predicate(where: TagRule | CustomerPredicate) -> CustomerPredicate:
    if isinstance(where, AllOf | AnyOf | NoneOf):
        rule = where
        return lambda c: rule.matches(c.tags)
    function: object = where
    if callable(function) and not isinstance(function, FrozenModel):
        return where
    raise WrongTypeError("where", where, "must be a tag rule (AllOf/AnyOf/NoneOf) or a function")


FilterResult.model_rebuild()
