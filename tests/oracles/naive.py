"""A deliberately naive reference for tiers, KPIs and health measures (issue 21, item 2).

Written from the documentation's definitions — ``docs/tiers.md``, ``docs/kpis.md``,
``docs/health.md`` and the docstrings of ``Policy``, ``classify``, ``classify_table``,
``pool_kpis`` and ``score_health`` — and **not** from the implementation: plain Python over
:class:`~custpool.Interaction` objects, one customer at a time, ``datetime`` arithmetic, no
numpy, no ``EventTable``. Slow and obvious on purpose: an oracle that shares the code's helpers
shares its mistakes. Only the model layer (``Interaction``, ``Policy``, ``Money``, tag rules'
``matches``) is used, as inputs.

Each function cites the docs it implements. Where the docs contradict each other or leave a
choice open, a comment says which reading is taken and why (docs/testing.md, "Independent
oracles"). The last section holds the drawn pools and instants the oracle tests share.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from custpool import Interaction, Tag
from engine_helpers import END, START, on_grid, pool_histories

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from custpool import HealthPolicy, Policy, PoolActivity, PoolCharter

Histories = dict[str, list[Interaction]]

__all__ = [
    "NaiveKpis",
    "NaiveTier",
    "Histories",
    "edge_instants",
    "instants_near",
    "lively_pools",
    "naive_health",
    "naive_kpis",
    "naive_since",
    "naive_tier",
]

ONE_US = timedelta(microseconds=1)
OWN_DIRECTIONS = ("inbound", "peer")
"""docs/tiers.md: customer-initiated means direction inbound or peer; outbound never counts."""


def _v(x: object) -> str:
    """The string value of an enum member (or a plain string)."""
    return str(getattr(x, "value", x))


def _kind(i: Interaction) -> str:
    return _v(i.kind)


def _own(i: Interaction) -> bool:
    return _v(i.direction) in OWN_DIRECTIONS


def _takes_part(i: Interaction) -> bool:
    """Customer-initiated and not a CONNECT or CHURN: joining or leaving is not taking part.

    ``activity_rate``'s docstring and docs/health.md's ``operate.peer_share`` note. (docs/kpis.md's
    table and "Semantics choices", and docs/health.md's "Participation is the activity rate"
    bullet, still say an inbound CONNECT is activity: stale since "Joining is not taking part".)
    """
    return _own(i) and _kind(i) not in ("connect", "churn")


def _in_window(t: datetime, as_of: datetime, window: timedelta) -> bool:
    """``(as_of - window, as_of]``, written without computing ``as_of - window`` (no overflow)."""
    return t <= as_of and as_of - t < window


# ---------------------------------------------------------------------------------------------
# Tiers (docs/tiers.md "The criteria" and "The state is then")
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NaiveTier:
    """What the docs say one customer's classification is."""

    state: str
    tier: str | None
    met: dict[str, bool]
    skipped: tuple[str, ...]


def _latest(rows: Iterable[Interaction], kind: str, at: datetime) -> datetime | None:
    times = [i.at for i in rows if _kind(i) == kind and i.at <= at]
    return max(times) if times else None


def connected_at(history: Sequence[Interaction], at: datetime) -> bool:
    """A CONNECT at or before ``at``, and no CHURN at or after the latest CONNECT (ties: churn)."""
    last_connect = _latest(history, "connect", at)
    if last_connect is None:
        return False
    return not any(_kind(i) == "churn" and last_connect <= i.at <= at for i in history)


def _weight(policy: Policy, kind: str) -> Decimal:
    """``engage_weights[kind]``; default 1, but 0 for CONNECT and CHURN (docs/tiers.md)."""
    for k, w in policy.engage_weights.items():
        if _v(k) == kind:
            return Decimal(w)
    return Decimal(0) if kind in ("connect", "churn") else Decimal(1)


def criteria_at(history: Sequence[Interaction], policy: Policy, at: datetime) -> dict[str, bool]:
    """Whether each of the four criteria holds at ``at`` (rows after ``at`` ignored)."""
    engaged_weight = sum(
        (
            _weight(policy, _kind(i))
            for i in history
            if _own(i) and _in_window(i.at, at, policy.engage_window)
        ),
        Decimal(0),
    )
    converted = any(
        _kind(i) == "purchase" and _in_window(i.at, at, policy.convert_window) for i in history
    )
    referred = any(
        _kind(i) == "referral" and _in_window(i.at, at, policy.advocate_window) for i in history
    )
    advocate = referred
    if referred and policy.advocate_min_nps is not None:
        answers = [
            i for i in history if _kind(i) == "nps" and _in_window(i.at, at, policy.advocate_window)
        ]
        if not answers:
            advocate = False
        else:
            # the latest answer; at one instant the higher score counts as the later (kpis.md)
            latest = max(answers, key=lambda i: (i.at, i.score))
            advocate = latest.score is not None and latest.score >= policy.advocate_min_nps
    return {
        "connected": connected_at(history, at),
        "engaged": engaged_weight >= Decimal(policy.engage_min_interactions),
        "converted": converted,
        "advocate": advocate,
    }


def _ladder(stages: Sequence[str], met: Mapping[str, bool]) -> tuple[str | None, tuple[str, ...]]:
    """The furthest stage such that it and every stage before it hold; and the skipped ones."""
    reached: str | None = None
    k = 0
    while k < len(stages) and met[stages[k]]:
        reached = stages[k]
        k += 1
    skipped = tuple(s for s in stages[k:] if met[s])
    return reached, skipped


def naive_tier(history: Sequence[Interaction], policy: Policy, as_of: datetime) -> NaiveTier:
    """State, tier, criteria met and skipped criteria, following docs/tiers.md step by step.

    1. PROSPECT without a CONNECT; CHURNED if a CHURN came at or after the latest CONNECT;
    2. DORMANT if connected, connected at least ``dormant_after`` ago and no customer-initiated
       row in ``(as_of - dormant_after, as_of]``; its tier is the stage held just before
       falling silent: one microsecond before dormancy began;
    3. otherwise the furthest stage of the paradigm whose criterion and every earlier one hold.

    ``skipped`` is compared for the ladder states and PROSPECT only: the docs do not say what it
    holds for DORMANT or CHURNED.
    """
    stages = [_v(s) for s in policy.paradigm.stages]
    met = criteria_at(history, policy, as_of)
    last_connect = _latest(history, "connect", as_of)
    if last_connect is None:
        _, skipped = _ladder(stages, met)
        return NaiveTier("prospect", None, met, skipped)
    if not met["connected"]:
        return NaiveTier("churned", None, met, ())
    d = policy.dormant_after
    own_times = [i.at for i in history if _own(i) and i.at <= as_of]
    silent_recently = not any(as_of - t < d for t in own_times)
    if as_of - last_connect >= d and silent_recently:
        # dormancy began when both held: d after the latest connect and after the last own row
        began = max([last_connect, *own_times]) + d
        before = criteria_at(history, policy, began - ONE_US)
        tier, _ = _ladder(stages, before)
        return NaiveTier("dormant", tier, met, ())
    reached, skipped = _ladder(stages, met)
    assert reached is not None  # connected holds, and CONNECTED is every paradigm's first stage
    return NaiveTier(reached, reached, met, skipped)


def naive_since(history: Sequence[Interaction], policy: Policy, as_of: datetime) -> datetime | None:
    """When the current state (and tier) began, by brute force over the change points.

    docs/tiers.md: "the state is constant between *change points* — an event, or an event
    leaving a window". The candidates are every event time ``t <= as_of`` and every ``t + w``
    for the policy's four windows; the state began at the latest candidate ``c`` such that the
    state just before ``c`` differs from the state at ``as_of`` (and at every later candidate
    it equals it). None when no candidate qualifies (a PROSPECT who has always been one).
    """
    windows = (
        policy.engage_window,
        policy.convert_window,
        policy.advocate_window,
        policy.dormant_after,
    )
    candidates: set[datetime] = set()
    for i in history:
        if i.at <= as_of:
            candidates.add(i.at)
            candidates.update(i.at + w for w in windows if as_of - i.at >= w)
    now = naive_tier(history, policy, as_of)
    key = (now.state, now.tier)
    for c in sorted(candidates, reverse=True):
        before = naive_tier(history, policy, c - ONE_US)
        if (before.state, before.tier) != key:
            return c
    return None


# ---------------------------------------------------------------------------------------------
# KPIs (docs/kpis.md "Windows" and "Formulas")
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NaiveKpis:
    """Every number of ``pool_kpis`` for one window, as the docs' formulas give it."""

    connected: int
    connected_at_start: int
    connects: int
    connecting_customers: int
    new_customers: int
    churns: int
    churning_customers: int
    active: int
    converted: int
    purchases: int
    purchase_amount: Decimal | None
    average: Decimal | None
    refunds: int
    refund_amount: Decimal | None
    net_amount: Decimal | None
    net_average: Decimal | None
    buyers: int
    repeat_buyers: int
    respondents: int
    promoters: int
    passives: int
    detractors: int
    nps: float | None
    visitors: int
    deals: int
    visits: int
    walk_ins: int
    captured: int
    rates: dict[str, float | None] = field(default_factory=dict)


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def _round_minor(amount: Decimal, exponent: int) -> Decimal:
    """Round half to even to the currency's minor unit (docs/kpis.md "Money is exact")."""
    return amount.quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_EVEN)


def _walk_in(
    history: Sequence[Interaction], rows: Sequence[Interaction], end: datetime
) -> tuple[bool, bool]:
    """A walk-in (seed 003): outside the pool just before their first visit of the window; and
    captured: a CONNECT at or after that visit, up to the window's end."""
    first_visit = min((i.at for i in rows if _kind(i) == "store_visit"), default=None)
    if first_visit is None:
        return False, False
    if connected_at([i for i in history if i.at < first_visit], first_visit):
        return False, False
    return True, any(_kind(i) == "connect" and first_visit <= i.at <= end for i in history)


def _amount_of(rows: Sequence[Interaction], kind: str) -> Decimal:
    """The summed amounts of the rows of one kind (rows without an amount add nothing)."""
    return sum((i.amount.amount for i in rows if _kind(i) == kind and i.amount), Decimal(0))


def naive_kpis(
    pool: Mapping[str, Sequence[Interaction]],
    start: datetime,
    end: datetime,
    *,
    minor_unit: int = 2,
) -> NaiveKpis:
    """The KPIs of docs/kpis.md's table over ``(start, end]``, one customer at a time."""

    def inside(i: Interaction) -> bool:
        return start < i.at <= end

    connected = connected_at_start = 0
    connects = connecting = new = churns = churning = 0
    active = converted = visitors = deals = visits = 0
    walk_ins = captured = 0
    purchases = refunds = buyers = repeat = 0
    purchase_sum = refund_sum = Decimal(0)
    promoters = passives = detractors = 0
    currencies = {  # docs/kpis.md: money fields are None for a table without currency
        i.amount.currency for h in pool.values() for i in h if i.amount is not None
    }
    for history in pool.values():
        rows = [i for i in history if inside(i)]
        kinds = [_kind(i) for i in rows]
        in_pool = connected_at(history, end)
        connected += in_pool
        connected_at_start += connected_at(history, start)
        connects += kinds.count("connect")
        connecting += "connect" in kinds
        first_connect = min((i.at for i in history if _kind(i) == "connect"), default=None)
        new += first_connect is not None and start < first_connect <= end
        churns += kinds.count("churn")
        churning += "churn" in kinds
        n_purchases = kinds.count("purchase")
        if in_pool:
            active += any(_takes_part(i) for i in rows)
            converted += n_purchases > 0
            n_visits = kinds.count("store_visit")
            visits += n_visits
            visitors += n_visits > 0
            deals += n_visits > 0 and n_purchases > 0
        walked_in, was_captured = _walk_in(history, rows, end)
        walk_ins += walked_in
        captured += was_captured
        purchases += n_purchases
        buyers += n_purchases >= 1
        repeat += n_purchases >= 2
        purchase_sum += _amount_of(rows, "purchase")
        refund_sum += _amount_of(rows, "refund")
        refunds += kinds.count("refund")
        answers = [i for i in rows if _kind(i) == "nps"]
        if answers:
            score = max(answers, key=lambda i: (i.at, i.score)).score
            assert score is not None
            promoters += score >= 9
            passives += 7 <= score <= 8
            detractors += score <= 6
    respondents = promoters + passives + detractors
    has_money = bool(currencies)
    net = purchase_sum - refund_sum
    return NaiveKpis(
        connected=connected,
        connected_at_start=connected_at_start,
        connects=connects,
        connecting_customers=connecting,
        new_customers=new,
        churns=churns,
        churning_customers=churning,
        active=active,
        converted=converted,
        purchases=purchases,
        purchase_amount=purchase_sum if has_money else None,
        average=_round_minor(purchase_sum / purchases, minor_unit) if purchases else None,
        refunds=refunds,
        refund_amount=refund_sum if has_money else None,
        net_amount=net if has_money else None,
        net_average=_round_minor(net / purchases, minor_unit) if purchases else None,
        buyers=buyers,
        repeat_buyers=repeat,
        respondents=respondents,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        nps=None if respondents == 0 else 100 * (promoters - detractors) / respondents,
        visitors=visitors,
        deals=deals,
        visits=visits,
        walk_ins=walk_ins,
        captured=captured,
        rates={
            "activity": _ratio(active, connected),
            "conversion": _ratio(converted, connected),
            "repurchase": _ratio(repeat, buyers),
            "visit": _ratio(visitors, connected),
            "deal": _ratio(deals, visitors),
            "pool_to_deal": _ratio(deals, connected),
            "capture": _ratio(captured, walk_ins),
        },
    )


# ---------------------------------------------------------------------------------------------
# Health measures' raw values (docs/health.md "The measures")
# ---------------------------------------------------------------------------------------------

HOUR = timedelta(hours=1)
WEEK = timedelta(days=7)


def naive_health(  # noqa: C901, PLR0912, PLR0913, PLR0915 - one measure after another
    pool: Histories,
    *,
    tags: Mapping[str, Sequence[Tag]] | None,
    charter: PoolCharter,
    activities: Sequence[PoolActivity] | None,
    as_of: datetime,
    policy: HealthPolicy,
) -> dict[str, float | None]:
    """Each measure's raw value by docs/health.md's table and notes; None when not measured.

    Members are the customers connected at ``as_of`` (the tier rule); the window is
    ``(as_of - policy.window, as_of]``; a member's rows *taking part* are customer-initiated rows
    other than a CONNECT or CHURN (see ``_takes_part``). Kinds with no row anywhere in the pool
    are "not recorded" (``recorded_kinds`` left to its default).
    """
    window = policy.window
    kinds_recorded = {_kind(i) for h in pool.values() for i in h}
    states = {cid: naive_tier(h, policy.tiers, as_of).state for cid, h in pool.items()}
    members = [cid for cid, state in states.items() if state not in ("prospect", "churned")]
    n = len(members)
    inside = {cid: [i for i in pool[cid] if _in_window(i.at, as_of, window)] for cid in members}
    taking_part = {cid: [i for i in rows if _takes_part(i)] for cid, rows in inside.items()}
    active = [cid for cid in members if taking_part[cid]]
    all_parts = [i for rows in taking_part.values() for i in rows]
    advocates = sum(states[cid] == "advocate" for cid in members)
    out: dict[str, float | None] = {}

    def share(num: float, den: float) -> float | None:
        return None if den == 0 else num / den

    # interest.members: members with a charter interest / members; 0 without interests
    if tags is None or n == 0:
        out["interest.members"] = None
    elif not charter.interests:
        out["interest.members"] = 0.0
    else:
        out["interest.members"] = share(
            sum(any(t in charter.interests for t in tags.get(cid, ())) for cid in members), n
        )
    # structure.size: members, when the charter declares a target size
    out["structure.size"] = None if charter.target_size is None else float(n)
    # structure.depth and .advocates read the states
    deep = sum(states[cid] in ("engaged", "converted", "advocate") for cid in members)
    out["structure.depth"] = share(deep, n)
    advocates_recorded = "referral" in kinds_recorded and (
        policy.tiers.advocate_min_nps is None or "nps" in kinds_recorded
    )
    out["structure.advocates"] = share(advocates, n) if advocates_recorded else None
    # structure.spread: 100 × fewest members making half the rows / active
    if all_parts:
        counts = sorted((len(taking_part[cid]) for cid in active), reverse=True)
        total, running, k = sum(counts), 0, 0
        while 2 * running < total:
            running += counts[k]
            k += 1
        out["structure.spread"] = 100 * k / len(active)
    else:
        out["structure.spread"] = None
    # structure.platforms: charter platforms in members' own rows / declared
    if charter.platforms and n:
        used = {_v(i.channel) for i in all_parts}
        out["structure.platforms"] = share(
            sum(_v(p) in used for p in charter.platforms), len(charter.platforms)
        )
    else:
        out["structure.platforms"] = None
    # structure.joining: members satisfying the joining rule / members
    if tags is None or charter.joining_rule is None or n == 0:
        out["structure.joining"] = None
    else:
        rule = charter.joining_rule
        out["structure.joining"] = share(
            sum(rule.matches(list(tags.get(cid, ()))) for cid in members), n
        )
    out["structure.norms"] = float(len(charter.norms))
    # structure.complaints: every COMPLAINT row in the window / members
    complaints = sum(
        _kind(i) == "complaint" and _in_window(i.at, as_of, window)
        for h in pool.values()
        for i in h
    )
    out["structure.complaints"] = share(complaints, n) if "complaint" in kinds_recorded else None
    # output.* and operate.rituals/attendance: the brand's activities in the window
    weeks = window / WEEK
    items = [
        a
        for a in activities or ()
        if _v(a.kind) == "content_published" and _in_window(a.at, as_of, window)
    ]
    rituals = [
        a
        for a in activities or ()
        if _v(a.kind) == "event_held" and a.ritual and _in_window(a.at, as_of, window)
    ]
    measured = activities is not None
    out["output.cadence"] = (
        len(items) / weeks if measured and charter.content_cadence is not None else None
    )
    out["operate.rituals"] = (
        len(rituals) / weeks if measured and charter.ritual_cadence is not None else None
    )
    if len(items) >= 2:
        start = as_of - window
        edges = [start, *sorted(a.at for a in items), as_of]
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(edges)]
        out["output.regularity"] = statistics.pstdev(gaps) / statistics.mean(gaps)
    else:
        out["output.regularity"] = None
    item_ids = {a.content_id for a in items}
    views_named = any(
        _kind(i) == "content_view" and i.content_id is not None and _in_window(i.at, as_of, window)
        for h in pool.values()
        for i in h
    )
    views = sum(
        _kind(i) == "content_view" and i.content_id in item_ids
        for rows in inside.values()
        for i in rows
    )
    out["output.reach"] = share(views, len(item_ids) * n) if items and views_named and n else None
    ritual_ids = {a.event_id for a in rituals}
    pairs = {
        (cid, i.event_id)
        for cid, rows in inside.items()
        for i in rows
        if _kind(i) == "event_attend" and i.event_id in ritual_ids
    }
    out["operate.attendance"] = share(len(pairs), len(rituals) * n) if rituals and n else None
    if items and charter.interests:

        def on_interest(topic: Tag) -> bool:
            as_interest = (
                topic if topic.group is not None else Tag(group="interest", name=topic.name)
            )
            return as_interest in charter.interests

        out["interest.content"] = share(
            sum(any(on_interest(t) for t in a.topics) for a in items), len(items)
        )
    elif items:
        out["interest.content"] = 0.0
    else:
        out["interest.content"] = None
    # operate.participation, .roles, .peer_share
    out["operate.participation"] = share(len(active), n)
    out["operate.roles"] = None if n == 0 else 100 * (len(charter.operators) + advocates) / n
    out["operate.peer_share"] = (
        share(sum(_v(i.direction) == "peer" for i in all_parts), len(all_parts))
        if all_parts
        else None
    )
    # operate.reply_hours: median wait until the first later outbound message to the customer
    waits: list[float] = []
    for rows in inside.values():
        for i in rows:
            if _kind(i) == "message" and _v(i.direction) == "inbound":
                replies = [
                    r.at
                    for r in rows
                    # "first later outbound MESSAGE": the docs leave a reply stamped at the
                    # inbound's instant open; the code counts it (a wait of 0), and so does this
                    if _kind(r) == "message" and _v(r.direction) == "outbound" and r.at >= i.at
                ]
                waits.append(((min(replies) if replies else as_of) - i.at) / HOUR)
    any_outbound = any(
        _kind(i) == "message" and _v(i.direction) == "outbound" and _in_window(i.at, as_of, window)
        for h in pool.values()
        for i in h
    )
    out["operate.reply_hours"] = statistics.median(waits) if waits and any_outbound else None
    # operate.retention: of those connected a period ago, the share still members
    then = as_of - policy.retention_period
    earlier = [cid for cid, h in pool.items() if connected_at(h, then)]
    kept = sum(cid in members for cid in earlier)
    out["operate.retention"] = share(kept, len(earlier)) if "churn" in kinds_recorded else None
    # copy.capacity: members per operator
    out["copy.capacity"] = share(n, len(charter.operators)) if charter.operators else None
    return out


# ---------------------------------------------------------------------------------------------
# Drawn pools that meet the edges (shared by the oracle tests; not part of the reference)
# ---------------------------------------------------------------------------------------------

GRID = timedelta(days=5)
"""Every drawn time is ``START + k * GRID``; the windows the tests use are multiples of it."""


def lively_pools(*, max_customers: int = 4, max_size: int = 14) -> st.SearchStrategy[Histories]:
    """``pool_histories`` squeezed in time, on the grid, with most customers connected.

    ``pool_histories(grid=...)`` spreads about four rows per customer over 400 days, so most
    customers never connect and few climb a stage. Here its times are squeezed by 1, 4, 16 or 40
    toward ``START`` (order kept) and floored to the grid (ties appear, within and across
    customers), a customer without a CONNECT gets one, inbound or outbound, on most draws, and
    a connected customer up to four messages (inbound, peer or outbound) and maybe a purchase
    and a referral with an NPS answer soon after a connect;
    an NPS answer may get a twin at its instant with another score.
    """
    return st.builds(
        _liven,
        pool_histories(max_customers=max_customers, max_size=max_size),
        st.sampled_from([1, 4, 16, 40]),
        st.data(),
    )


def _liven(pool: Histories, squeeze: int, data: st.DataObject) -> Histories:
    out: Histories = {}
    for cid, history in pool.items():
        squeezed = [i.model_copy(update={"at": START + (i.at - START) / squeeze}) for i in history]
        rows = on_grid(squeezed, GRID)
        if not any(_kind(i) == "connect" for i in rows) and data.draw(st.integers(0, 4)):
            k = data.draw(st.integers(0, (END - START) // GRID // squeeze), label="connect at")
            direction = data.draw(st.sampled_from(["inbound", "outbound"]), label="direction")
            rows.append(
                Interaction(
                    id=f"{cid}-joins",
                    customer_id=cid,
                    at=START + k * GRID,
                    kind="connect",
                    source="store",
                    direction=direction,
                    channel="wecom_chat",
                )
            )
        joins = [i.at for i in rows if _kind(i) == "connect"]
        chats = data.draw(st.integers(0, 4), label="extra messages") if joins else 0
        for n in range(chats):  # customer-initiated rows soon after a connect: engagement
            k = data.draw(st.integers(0, 8), label="message after the connect")
            rows.append(
                Interaction(
                    id=f"{cid}-says-{n}",
                    customer_id=cid,
                    at=data.draw(st.sampled_from(joins)) + k * GRID,
                    kind="message",
                    direction=data.draw(st.sampled_from(["inbound", "peer", "outbound"])),
                    channel="wecom_chat",
                )
            )
        if joins and data.draw(st.booleans(), label="buys and refers"):
            # a purchase and a referral soon after a connect: the top of the ladder
            others = [c for c in pool if c != cid]  # a referral names a customer of the table
            ladder: list[tuple[str, dict[str, object]]] = [
                (
                    "purchase",
                    {"order_id": f"{cid}-o", "amount": {"amount": "10", "currency": "CNY"}},
                )
            ]
            if others:
                ladder.append(("referral", {"referred_id": data.draw(st.sampled_from(others))}))
                ladder.append(("nps", {"score": data.draw(st.integers(0, 10), label="score")}))
            for n, (kind, more) in enumerate(ladder):
                k = data.draw(st.integers(0, 8), label=f"{kind} after the connect")
                rows.append(
                    Interaction.model_validate(
                        {
                            "id": f"{cid}-ladder-{n}",
                            "customer_id": cid,
                            "at": data.draw(st.sampled_from(joins)) + k * GRID,
                            "kind": kind,
                            "direction": "inbound",
                            "channel": "wecom_chat",
                        }
                        | more
                    )
                )
        answers = [i for i in rows if _kind(i) == "nps"]
        if answers and data.draw(st.booleans(), label="tied answer"):
            # a second answer at the instant of another: the higher score counts as the later
            twin = data.draw(st.sampled_from(answers))
            score = data.draw(st.integers(0, 10), label="tied score")
            rows.append(twin.model_copy(update={"id": f"{cid}-twin", "score": score}))
        out[cid] = rows
    return out


def edge_instants(
    pool: Histories, windows: Iterable[timedelta] = (), more: Iterable[datetime] = ()
) -> list[datetime]:
    """Every instant where an edge may sit: each row's time plus 0 or a window, and 1 µs aside.

    A row enters the windows at its own time and leaves each at its time plus the window;
    dormancy begins at a connect or an own row plus ``dormant_after``. ``START`` is included,
    so a pool without rows still has instants; ``more`` adds other times (activities').
    """
    times = {START, *more, *(i.at for h in pool.values() for i in h)}
    offsets = {timedelta(0), *windows}
    return sorted({t + w + nudge for t in times for w in offsets for nudge in NUDGES})


NUDGES = (-ONE_US, timedelta(0), ONE_US)


def instants_near(
    pool: Histories, windows: Iterable[timedelta] = (), more: Iterable[datetime] = ()
) -> st.SearchStrategy[list[datetime]]:
    """Up to 25 distinct instants: a row's time plus a window exactly (where the row leaves
    it), any of :func:`edge_instants`, or a grid point."""
    beyond = st.integers(0, 40).map(lambda k: START + k * GRID)
    times = {START, *more, *(i.at for h in pool.values() for i in h)}
    exact = sorted({t + w for t in times for w in windows} or times)  # where a row leaves
    return st.lists(
        st.sampled_from(exact) | st.sampled_from(edge_instants(pool, windows, more)) | beyond,
        min_size=1,
        max_size=25,
        unique=True,
    )
