"""Strategies for tags and money: :func:`tags` and :func:`money`.

Tag names are one or two Latin, Chinese or mixed words, already normalised; amounts are whole
numbers of the currency's minor unit between the bounds.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from custpool._model import Tag, TagGroup
from custpool.strategies._blocks import (
    DEFAULT_MAX_AMOUNT,
    TAG_ASCII,
    money_in,
    unit_bounds,
    words,
)
from custpool.strategies._checks import (
    as_items,
    as_text,
    check_amount,
    check_currencies,
    fail,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from decimal import Decimal

    from custpool._model import Money

__all__ = ["money", "tags"]


def tags(
    *, groups: Iterable[TagGroup | str | None] | TagGroup | str | None = None
) -> st.SearchStrategy[Tag]:
    """Generate valid :class:`~custpool.Tag` objects.

    Names are one or two words, each Latin (lower-case ASCII letters, digits, ``-_.``),
    Chinese, or a mix of both with a few accented letters and emoji. They are already
    normalised (``Tag(name=n).name == n``) and shrink toward short ASCII names such as ``'0'``.

    Parameters
    ----------
    groups
        Groups to draw from: :class:`~custpool.TagGroup` members or their values, and ``None``
        for ungrouped tags; a single group may be given on its own. Default: any group or none.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Tag]

    Raises
    ------
    InvalidStrategyArgument
        If ``groups`` is empty or names an unknown group.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import Tag, TagGroup, normalize_tag_name
    >>> @settings(max_examples=20)
    ... @given(tags(groups=["interest"]))
    ... def check(tag):
    ...     assert tag.group is TagGroup.INTEREST
    ...     assert normalize_tag_name(tag.name) == tag.name
    >>> check()
    """
    chosen: list[TagGroup | None]
    if groups is None:
        chosen = [None, *TagGroup]
    else:
        chosen = []
        for item in as_items("groups", groups):
            try:
                group = None if item is None else TagGroup(as_text(item))
            except ValueError:
                known = ", ".join(g.value for g in TagGroup)
                raise fail("groups", item, f"is not a tag group (known: {known}, None)") from None
            if group not in chosen:
                chosen.append(group)
    return _tag_strategy(tuple(chosen))


@cache
def _tag_strategy(groups: tuple[TagGroup | None, ...]) -> st.SearchStrategy[Tag]:
    return st.builds(Tag, name=words(TAG_ASCII, 2, 10), group=st.sampled_from(groups))


def money(
    *,
    currencies: Iterable[str] | str = ("CNY",),
    min_amount: Decimal | int | str = 0,
    max_amount: Decimal | int | str = DEFAULT_MAX_AMOUNT,
) -> st.SearchStrategy[Money]:
    """Generate valid :class:`~custpool.Money` amounts.

    Amounts are whole numbers of the currency's minor unit (fen, cents; whole yen for JPY)
    between the bounds, so they always fit the currency's scale. They shrink toward zero, or
    toward the bound nearest zero.

    Parameters
    ----------
    currencies
        ISO 4217 codes to draw from (a single code may be given on its own); default CNY.
    min_amount, max_amount
        Inclusive bounds, as ``Decimal``, ``int`` or decimal strings (floats are refused, as
        by :class:`~custpool.Money`); absolute values below 10**15. Default 0 to 100 000.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Money]

    Raises
    ------
    InvalidStrategyArgument
        For an empty or unknown currency, a bad bound, ``min_amount > max_amount``, or bounds
        with no amount of some currency's scale between them (``0.1`` to ``0.9`` JPY).

    Examples
    --------
    >>> from decimal import Decimal
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(money(currencies=["CNY", "JPY"], min_amount="0.01", max_amount=500))
    ... def check(m):
    ...     assert m.currency in {"CNY", "JPY"}
    ...     assert Decimal("0.01") <= m.amount <= 500
    >>> check()
    >>> money(currencies=[])
    Traceback (most recent call last):
    ...
    custpool.strategies.InvalidStrategyArgument: currencies=[]: must not be empty
    """
    codes = check_currencies(currencies)
    low = check_amount("min_amount", min_amount)
    high = check_amount("max_amount", max_amount)
    if low > high:
        raise fail("min_amount", min_amount, f"must not exceed max_amount ({max_amount})")
    options = []
    for code in codes:
        low_units, high_units = unit_bounds(code, low, high)
        if low_units > high_units:
            rule = f"leaves no {code} amount up to max_amount ({max_amount}) at {code}'s scale"
            raise fail("min_amount", min_amount, rule)
        options.append(money_in(code, low_units, high_units))
    return st.one_of(options)
