"""Strategies for customers: :func:`contacts` and :func:`customers`.

Contacts carry realistic, valid handles (Chinese mobile numbers, WeChat ids, WeCom external ids);
customers have an id and maybe a display name, a ``connected_at`` time, a source, tags and
contacts.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Final

from hypothesis import strategies as st
from pydantic import SecretStr

from custpool._model import Contacts, Customer, SourceChannel
from custpool.strategies._blocks import DEFAULT_MAX_TIME, DEFAULT_MIN_TIME, aware_times, texts
from custpool.strategies._checks import (
    check_bool,
    check_int,
    check_strategy,
    check_window,
    fail,
    id_source,
)
from custpool.strategies._tags import tags

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from custpool._model import Tag

__all__ = ["contacts", "customers"]


def _phones() -> st.SearchStrategy[str]:
    # Chinese mobile numbers (1[3-9] + 9 digits), plain or grouped, with or without +86.
    def phone(prefix: str, second: str, rest: str, style: int) -> str:
        digits = f"1{second}{rest}"
        if style == 1:
            digits = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        elif style == 2:
            digits = f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        return prefix + digits

    return st.builds(
        phone,
        st.sampled_from(["", "+86 ", "+86"]),
        st.sampled_from("3456789"),
        st.text("0123456789", min_size=9, max_size=9),
        st.integers(0, 2),
    )


_HANDLE_CHARS: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"


@cache
def _handles() -> dict[str, st.SearchStrategy[str]]:
    letters = _HANDLE_CHARS[:52]
    return {
        "phone": _phones(),
        # WeChat ids: a letter, then 5-19 letters, digits, _ or -.
        "wechat_id": st.builds(
            str.__add__,
            st.sampled_from(letters),
            st.text(_HANDLE_CHARS, min_size=5, max_size=19),
        ),
        # WeCom external_userid: "wm" and 8-30 more characters, as WeCom issues them.
        "wecom_external_id": st.text(_HANDLE_CHARS, min_size=8, max_size=30).map("wm".__add__),
    }


def contacts(*, min_handles: int = 0) -> st.SearchStrategy[Contacts]:
    """Generate :class:`~custpool.Contacts` with realistic, valid handles.

    Phones are Chinese mobile numbers (``13800138000``, ``+86 138 0013 8000``), WeChat ids
    follow WeChat's pattern, WeCom external ids look like ``wm…``. Every handle has at least
    six characters, so it is unlikely to turn up elsewhere in a serialised customer by chance.
    Draws shrink toward no handles at all (or the fewest allowed).

    Parameters
    ----------
    min_handles
        How many of the three handles must at least be set (0-3).

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Contacts]

    Raises
    ------
    InvalidStrategyArgument
        If ``min_handles`` is not an integer from 0 to 3.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(contacts(min_handles=1))
    ... def check(c):
    ...     assert c  # at least one handle
    ...     assert all(h not in repr(c) for h in c.reveal().values())
    >>> check()
    """
    needed = check_int("min_handles", min_handles)
    if needed > 3:
        raise fail("min_handles", min_handles, "must be at most 3 (there are three handles)")
    return _contacts(needed)


@cache
def _contacts(needed: int) -> st.SearchStrategy[Contacts]:
    handles = _handles()
    which = st.lists(st.sampled_from(list(handles)), min_size=needed, unique=True)

    @st.composite
    def build(draw: st.DrawFn) -> Contacts:
        chosen = draw(which)
        values = {name: SecretStr(draw(handles[name])) for name in handles if name in chosen}
        return Contacts(**values)

    return build()


def _customer_strategy(
    ids: st.SearchStrategy[str],
    tag_strategy: st.SearchStrategy[Tag],
    *,
    with_contacts: bool,
    max_tags: int,
    times: st.SearchStrategy[datetime],
) -> st.SearchStrategy[Customer]:
    contact_strategy = contacts() if with_contacts else st.just(Contacts())
    return st.builds(
        Customer,
        id=ids,
        display_name=st.none() | texts(3),
        connected_at=st.none() | times,
        source=st.none() | st.sampled_from(SourceChannel),
        tags=st.lists(tag_strategy, max_size=max_tags, unique=True).map(tuple),
        contacts=contact_strategy,
    )


def customers(  # noqa: PLR0913 - keyword-only options, each documented
    *,
    ids: Sequence[str] | st.SearchStrategy[str] | None = None,
    with_contacts: bool = True,
    max_tags: int = 5,
    min_time: datetime = DEFAULT_MIN_TIME,
    max_time: datetime = DEFAULT_MAX_TIME,
    tag_strategy: st.SearchStrategy[Tag] | None = None,
) -> st.SearchStrategy[Customer]:
    """Generate valid :class:`~custpool.Customer` objects.

    Each has an id, and maybe a display name (Latin or Chinese), a ``connected_at`` time, a
    source, up to ``max_tags`` tags and contact handles (from :func:`contacts`).

    Parameters
    ----------
    ids
        Ids to use: a strategy, or a sequence of ids to sample from (a single id may be given
        on its own). Default: generated ids such as ``'c-0'`` or ``'c-x7Q_'``.
    with_contacts
        Whether customers may have contact handles; ``False`` gives empty contacts.
    max_tags
        Most tags per customer (0 for none).
    min_time, max_time
        Aware bounds of ``connected_at`` (inclusive).
    tag_strategy
        Strategy for the tags; default :func:`tags`.

    Returns
    -------
    hypothesis.strategies.SearchStrategy[Customer]

    Raises
    ------
    InvalidStrategyArgument
        For an invalid id, a negative ``max_tags``, naive or reversed times, or a
        ``tag_strategy`` that is not a strategy.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from custpool import Customer
    >>> @settings(max_examples=20)
    ... @given(customers(ids=["c-1", "c-2"], max_tags=2))
    ... def check(c):
    ...     assert c.id in {"c-1", "c-2"} and len(c.tags) <= 2
    ...     assert Customer.from_json(c.to_json(reveal_secrets=True)) == c
    >>> check()
    """
    id_strategy = id_source("ids", ids, "c-")
    check_bool("with_contacts", with_contacts)
    most = check_int("max_tags", max_tags)
    low, high = check_window(min_time, max_time)
    leaves = tags() if tag_strategy is None else check_strategy("tag_strategy", tag_strategy)
    return _customer_strategy(
        id_strategy,
        leaves,
        with_contacts=with_contacts,
        max_tags=most,
        times=aware_times(low, high),
    )
