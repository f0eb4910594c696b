"""Tests that kill the analytics room's surviving mutants (tools/mutate.py analytics).

Each test pins a behaviour a one-token change went through unnoticed (docs/testing.md,
"Mutation testing"): the field, value and rule of the room's errors, the figures too large for
a frame's int64 column, the types of a frame's columns, and the readable one-line summaries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError as PydanticValidationError

from custpool import (
    ChannelAttribution,
    CodedLTV,
    EventTable,
    GrowthStep,
    Interaction,
    KpiChange,
    Money,
    State,
    TierLTV,
    TierSnapshots,
    UnknownIdError,
    ValidationError,
    Window,
    WrongTypeError,
    activity_rate,
    average_order_value,
    channel_attribution,
    coded_ltv,
    conversion_rate,
    example_pool,
    net_promoter_score,
    paradigm_fit,
    pool_funnel,
    referral_tree,
    repurchase_rate,
    rfm_summary,
    silent_groups,
    tier_ltv,
)
from custpool._analytics.frames import rounded_minor
from custpool._analytics.kpis import KpiScan
from custpool._analytics.sums import _reason, to_money
from custpool._time import to_micros

START = datetime(2026, 1, 1, tzinfo=UTC)
MONTH = [START, START + timedelta(days=31)]
FILS = 10**18 - 1  # 999 999 999 999 999.999 KWD, the most one Money holds, in fils


def parts(error: Exception) -> tuple[object, object, object]:
    """An error's field, value and rule: what every custpool error must name."""
    return error.field, error.value, error.rule  # type: ignore[attr-defined]


def purchase(n: int, amount: str, customer: str = "c-1", currency: str = "KWD") -> Interaction:
    return Interaction(
        id=f"{customer}-p{n}",
        customer_id=customer,
        at=START + timedelta(days=n + 1),
        kind="purchase",
        channel="store",
        order_id=f"{customer}-o{n}",
        amount={"amount": amount, "currency": currency},
    )


def connect(customer: str = "c-1") -> Interaction:
    return Interaction(
        id=f"{customer}-connect",
        customer_id=customer,
        at=START,
        kind="connect",
        direction="inbound",
        channel="wecom_chat",
        source="store",
    )


# -- Money refused: Money's own words ------------------------------------------------------------


def test_a_figure_money_cannot_hold_gives_moneys_own_reason():
    # 10**17 fen = 10**15 CNY: one fen more than Money holds (amounts below 10**15).
    with pytest.raises(ValidationError) as info:
        to_money(10**17, "CNY", "revenue")
    rule = "is more than Money holds: is out of range: the amount must be below 10**15 CNY, in"
    assert parts(info.value) == ("revenue", "1000000000000000.00 CNY", f"{rule} absolute value")


def test_the_reason_of_a_pydantic_refusal_is_its_message_without_the_prefix():
    with pytest.raises(PydanticValidationError) as info:
        Money(amount=Decimal("1e15"), currency="CNY")
    message = info.value.errors()[0]["msg"]
    assert message.startswith("Value error, ")
    reason = _reason(info.value)
    assert reason == "amount 1E+15 is out of range (absolute value must be below 10**15)"
    assert reason == message.removeprefix("Value error, ")


def test_the_reason_of_a_custpool_refusal_is_its_rule():
    error = ValidationError("units", 5, "is out of range")
    assert _reason(error) == "is out of range"
    assert _reason(ValueError("plain words")) == "plain words"  # no rule: the message


# -- a float figure too large for a frame's int64 column ------------------------------------------


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), 1e19, -1e19])
def test_a_figure_beyond_int64_is_refused_by_name(value):
    with pytest.raises(ValidationError) as info:
        rounded_minor(value, "value[converted]")
    rule = "is more than an int64 column of minor units holds"
    assert parts(info.value) == ("value[converted]", value, rule)


def test_the_largest_float_below_int64s_bound_is_kept():
    # Floats near 2**63 are 1024 apart: 2**63 - 1024 is the largest below 2**63 - 1.
    assert rounded_minor(float(2**63 - 1024), "x") == 2**63 - 1024
    assert rounded_minor(float("nan"), "x") is None


# -- tier LTV: no currency, and its frame ---------------------------------------------------------


def no_amounts_ltv() -> TierLTV:
    """One customer converted through one period, on a table with no amounts."""
    snapshots = TierSnapshots(MONTH, [[3], [3]])
    return tier_ltv(EventTable.from_interactions([connect()]), snapshots, discount_rate=0.1)


def test_the_money_of_a_table_without_amounts_names_the_missing_currency():
    ltv = tier_ltv(
        EventTable.from_interactions([connect()]),
        TierSnapshots(MONTH, [[3], [3]]),
        discount_rate=0.1,
    )
    assert ltv.value[State.CONVERTED.code] == 0.0  # known (the customer stayed), worth nothing
    with pytest.raises(ValidationError) as info:
        ltv.money(State.CONVERTED)
    assert parts(info.value) == ("currency", None, "the table holds no amounts, so no currency")


def test_a_tier_ltv_frame_defaults_to_pandas_and_types_columns_of_nulls():
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    ltv = tier_ltv(
        EventTable.from_interactions([connect()]),
        TierSnapshots(MONTH, [[3], [3]]),
        discount_rate=0.1,
    )
    assert isinstance(ltv.to_frame(), pd.DataFrame)
    schema = ltv.to_frame("pyarrow").schema
    # No amounts: the currency is null on every row, and still a string column; six of seven
    # LTVs are unknown (null), still an int64 column.
    assert schema.field("currency").type == pa.string()
    assert schema.field("ltv_minor").type == pa.int64()
    assert schema.field("mean_revenue_minor").type == pa.int64()


def test_a_tier_ltv_frame_refuses_an_unknown_zone():
    ltv = tier_ltv(
        EventTable.from_interactions([connect()]),
        TierSnapshots(MONTH, [[3], [3]]),
        discount_rate=0.1,
    )
    with pytest.raises(ValidationError) as info:
        ltv.to_frame(tz="Mars/Olympus")
    assert info.value.field == "tz"


def test_a_tier_ltv_beyond_int64_names_the_state():
    # Four max purchases in one period by one converted customer: a mean of 4 * FILS ~ 4e18
    # fils per period; undiscounted over 3 periods, 1.2e19 > 2**63 - 1 ~ 9.22e18.
    table = EventTable.from_interactions([purchase(n, "999999999999999.999") for n in range(4)])
    ltv = tier_ltv(table, TierSnapshots(MONTH, [[3], [3]]), discount_rate=0.0, horizon=3)
    assert ltv.value[State.CONVERTED.code] == pytest.approx(3 * 4 * FILS)
    with pytest.raises(ValidationError) as info:
        ltv.to_frame()
    assert info.value.field == "value[converted]"


# -- looking up one row: the errors name the field, the value and the rule -----------------------


def test_an_rfm_row_names_its_customer_and_refuses_others_by_name():
    table = EventTable.from_interactions([connect(), purchase(0, "1.000")])
    summary = rfm_summary(table, START + timedelta(days=30))
    assert summary.row("c-1").customer_id == "c-1"
    with pytest.raises(WrongTypeError) as wrong:
        summary.row(1)  # type: ignore[arg-type]
    assert parts(wrong.value) == ("customer_id", 1, "must be a customer id (a str)")
    with pytest.raises(ValidationError) as unknown:
        summary.row("c-404")
    rule = "is not in the summary: no purchase up to the observation end's period"
    assert parts(unknown.value) == ("customer_id", "c-404", rule)


def test_a_channel_row_refuses_what_is_not_a_source_channel_by_name():
    report = channel_attribution(EventTable.from_interactions([connect()]), START, MONTH[1])
    assert isinstance(report, ChannelAttribution)
    assert report.row("store").customers == 1
    with pytest.raises(WrongTypeError) as wrong:
        report.row(7)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as unknown:
        report.row("moon")
    field, value, rule = parts(wrong.value)
    assert (field, value) == ("source", 7)
    assert parts(unknown.value) == ("source", "moon", rule)
    assert "source channel" in rule


def referral_chain(length: int) -> EventTable:
    """c0 refers c1, c1 refers c2, …: customer k is generation k."""
    chain = np.arange(length - 1)
    return EventTable.from_arrays(
        customer=chain,
        time=to_micros(START) + chain,
        kind=np.full(length - 1, 10),  # REFERRAL
        referred=chain + 1,
        customer_ids=[f"c{i}" for i in range(length)],
    )


def test_a_referral_tree_refuses_unknown_customers_by_name():
    tree = referral_tree(referral_chain(3), MONTH[1])
    assert tree.generation_of("c2") == 2
    with pytest.raises(WrongTypeError) as wrong:
        tree.referrer_of(2)  # type: ignore[arg-type]
    assert parts(wrong.value) == ("customer_id", 2, "must be a customer id (a str)")
    with pytest.raises(UnknownIdError) as unknown:
        tree.generation_of("c9")
    assert (unknown.value.kind, unknown.value.id) == ("customer", "c9")


def test_a_referral_trees_repr_shows_ten_generations_and_cuts_longer_ones_to_eight():
    ten = repr(referral_tree(referral_chain(10), MONTH[1]))
    assert ten.endswith("counts=(1, 1, 1, 1, 1, 1, 1, 1, 1, 1))")
    eleven = repr(referral_tree(referral_chain(11), MONTH[1]))
    assert eleven.endswith("counts=(1, 1, 1, 1, 1, 1, 1, 1, …))")


# -- the readable summaries -----------------------------------------------------------------------


def test_silent_groups_read_as_a_head_and_one_line_per_group():
    day = 86_400_000_000
    table = EventTable.from_arrays(
        customer=[0, 0, 0],
        time=[to_micros(START), to_micros(START), to_micros(START) + day],
        kind=[0, 3, 2],  # CONNECT; the brand's GROUP_POST in g-a; a MESSAGE in g-b on day 1
        direction=[0, 1, 0],
        source=[0, -1, -1],
        group=[-1, 0, 1],
        group_ids=["g-a", "g-b"],
    )
    found = silent_groups(table, START + timedelta(days=10))
    # Both groups are 10 days old and silent for 3 days; nobody answered in g-a; the brand's
    # rows in the last 3 days (days 7-10): none in either.
    assert str(found).splitlines() == [
        "2 of 2 groups silent for 3+ days at 2026-01-11T00:00:00+00:00",
        "  g-a: customers last active never; brand rows since: 0",
        "  g-b: customers last active 2026-01-02T00:00:00+00:00; brand rows since: 0",
    ]


def test_a_paradigm_that_fits_better_is_named():
    table = EventTable.from_interactions(example_pool().interactions)
    fit = paradigm_fit(table, datetime(2026, 1, 15, tzinfo=UTC))
    assert fit.held_back == {"nurture_first": 2, "convert_first": 1}
    assert str(fit).splitlines()[0] == (
        "Paradigm fit at 2026-01-15T00:00:00+00:00: convert_first fits"
    )


def test_a_money_change_is_signed_and_level_at_zero():
    one = Money(amount="1.00", currency="CNY")
    zero, half = Money(amount="0.00", currency="CNY"), Money(amount="0.50", currency="CNY")
    assert str(KpiChange(one, one, zero, improving=False)) == "1.00 CNY (+0.00 CNY =)"
    more, less = Money(amount="1.50", currency="CNY"), Money(amount="-0.50", currency="CNY")
    assert str(KpiChange(one, more, half, improving=True)) == "1.50 CNY (+0.50 CNY ↑)"
    assert str(KpiChange(more, one, less, improving=False)) == "1.00 CNY (-0.50 CNY ↓)"


def test_a_growth_step_writes_the_repurchase_change_in_points():
    window = Window(MONTH[0], MONTH[1])
    step = GrowthStep(
        previous=window,
        window=Window(MONTH[1], MONTH[1] + timedelta(days=28)),
        user_scale=KpiChange(4, 4, 0, improving=False),
        repurchase_rate=KpiChange(0.25, 0.375, 0.125, improving=True),  # +12.5 points
        average_order_value=KpiChange(None, None, None, None),
    )
    assert "repurchase rate 37.5% (+12.5 pp ↑)" in str(step)
    assert "repurchase 37.5% (+12.5 pp ↑)" in repr(step)


def three_purchases() -> EventTable:
    """c-1 buys twice (10 and 20 CNY), c-2 once (5 CNY), both connected at START."""
    rows = [connect("c-1"), connect("c-2")]
    rows += [purchase(0, "10.00", "c-1", "CNY"), purchase(1, "20.00", "c-1", "CNY")]
    return EventTable.from_interactions([*rows, purchase(2, "5.00", "c-2", "CNY")])


def test_the_rates_read_with_their_numerator_and_denominator():
    table, end = three_purchases(), START + timedelta(days=30)
    # Buyers: c-1 (twice) and c-2 (once): 1 repeat buyer of 2 = 50.0%; both bought: 2 of 2.
    assert str(repurchase_rate(table, START, end)) == "50.0% (1 of 2 buyers)"
    assert str(conversion_rate(table, START, end)) == "100.0% (2 of 2 connected)"
    nobody = "n/a (0 respondents: 0 promoters, 0 passives, 0 detractors)"
    assert str(net_promoter_score(table, START, end)) == nobody


def test_an_order_value_reads_n_a_for_no_purchases_in_a_window_with_amounts():
    table, end = three_purchases(), START + timedelta(days=30)
    # 35.00 CNY / 3 purchases = 11.666… → 11.67 CNY; no refunds, so the net average is the same.
    text = "11.67 CNY (3 purchases, 35.00 CNY); refunds 0, 0.00 CNY; net 11.67 CNY per purchase"
    assert str(average_order_value(table, START, end)) == text
    later = average_order_value(table, end, end + timedelta(days=30))
    text = "n/a (0 purchases, 0.00 CNY); refunds 0, 0.00 CNY; net n/a per purchase"
    assert str(later) == text


def test_rises_with_tier_refuses_an_unknown_paradigm_by_name():
    with pytest.raises(ValidationError) as info:
        no_amounts_ltv().rises_with_tier("bogus")
    rule = "must be a Paradigm or a built-in paradigm's name (nurture_first, …)"
    assert parts(info.value) == ("paradigm", "bogus", rule)


def test_a_state_is_asked_for_by_member_or_name_and_refused_by_name():
    ltv = no_amounts_ltv()
    assert ltv.value_of("converted") == ltv.value_of(State.CONVERTED) == 0.0
    with pytest.raises(WrongTypeError) as wrong:
        ltv.value_of(3)  # type: ignore[arg-type]
    rule = "must be a State or its name, e.g. 'converted'"
    assert parts(wrong.value) == ("state", 3, rule)
    with pytest.raises(ValidationError) as unknown:
        ltv.value_of("asleep")
    known = "prospect, connected, engaged, converted, advocate, dormant, churned"
    assert parts(unknown.value) == ("state", "asleep", f"must be one of {known}")


# -- frames no other test reads ------------------------------------------------------------------


def test_a_silent_groups_frame_has_one_row_per_silent_group():
    pytest.importorskip("pyarrow")
    day = 86_400_000_000
    table = EventTable.from_arrays(
        customer=[0, 0],
        time=[to_micros(START), to_micros(START) + day],
        kind=[3, 3],  # a GROUP_POST by the brand in g-a, one by the customer in g-b on day 1
        direction=[1, 0],
        group=[0, 1],
        group_ids=["g-a", "g-b"],
    )
    frame = silent_groups(table, START + timedelta(days=5)).to_frame("pyarrow", tz="Asia/Shanghai")
    assert frame.column_names == ["group_id", "last_active", "days_silent", "brand_rows"]
    assert frame.column("group_id").to_pylist() == ["g-a", "g-b"]  # never active comes first
    # g-b's customer posted on day 1: silent for 5 - 1 = 4 days at day 5.
    assert frame.column("days_silent").to_pylist() == [None, 4.0]
    last = frame.column("last_active").to_pylist()
    assert last[0] is None
    assert last[1] == START + timedelta(days=1)
    assert last[1].utcoffset() == timedelta(hours=8)  # shown in Shanghai time
    # The brand's post in g-a was on day 0, out of the last 3 days (days 2-5).
    assert frame.column("brand_rows").to_pylist() == [0, 0]


def test_a_paradigm_fit_frame_has_one_row_per_paradigm_and_state():
    pytest.importorskip("pyarrow")
    table = EventTable.from_interactions(example_pool().interactions)
    fit = paradigm_fit(table, datetime(2026, 1, 15, tzinfo=UTC))
    frame = fit.to_frame("pyarrow")
    columns = ["paradigm", "state", "state_zh", "customers", "held_back"]
    assert frame.column_names == columns
    states = [s.value for s in State]
    assert frame.column("paradigm").to_pylist() == ["nurture_first"] * 7 + ["convert_first"] * 7
    assert frame.column("state").to_pylist() == states * 2
    assert frame.column("state_zh").to_pylist() == [s.label_zh for s in State] * 2
    customers = list(fit.states["nurture_first"]) + list(fit.states["convert_first"])
    assert frame.column("customers").to_pylist() == customers
    assert frame.column("held_back").to_pylist() == [2] * 7 + [1] * 7  # fit.held_back, above
    with pytest.raises(ValidationError):
        fit.to_frame("pyarrow", tz="Mars/Olympus")


def test_the_kpi_scan_gives_what_the_public_functions_give():
    table = three_purchases()
    window = Window(START, START + timedelta(days=30))
    scan = KpiScan(table, window)
    assert scan.activity_rate() == activity_rate(table, window)
    assert scan.conversion_rate() == conversion_rate(table, window)
    assert scan.net_promoter_score() == net_promoter_score(table, window)
    assert scan.pool_funnel() == pool_funnel(table, window)
    assert scan.conversion_rate().converted == 2  # both bought (c-1 twice, c-2 once)


# -- the LTV of any coding (coded_ltv) -------------------------------------------------------------

JAN = [datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)]


def buyer_and_idle(*labels: str, horizon: int | None = None) -> CodedLTV:
    """Customer a (code 1) buys for 50.00 CNY in January; b (code 0) does nothing."""
    table = EventTable.from_arrays(
        [0], [np.datetime64("2026-01-15")], [8], amount=[5000], item=[0],
        customer_ids=["a", "b"], currency="CNY",
    )  # fmt: skip
    codes = [[1, 0], [1, 0]]
    return coded_ltv(table, JAN, codes, labels, discount_rate=0.25, horizon=horizon)


def test_a_coded_ltv_reads_one_line_per_code():
    # buyer: 5000 / (1 - 1/1.25) = 25000 fen = 250.00 CNY; idle stays idle and earns nothing;
    # nobody started as lost: unknown.
    assert str(buyer_and_idle("idle", "buyer", "lost")).splitlines() == [
        (
            "lifetime value by starting state, 1 periods measured (discount 0.25 a period, "
            "horizon none)"
        ),
        "  idle: LTV 0.00 CNY; 0.00 CNY per customer-period (1 customer-periods)",
        "  buyer: LTV 250.00 CNY; 50.00 CNY per customer-period (1 customer-periods)",
        "  lost: LTV unknown; unknown per customer-period (0 customer-periods)",
    ]
    # Three periods: 50.00 + 0.8 * 50.00 + 0.64 * 50.00 = 50 + 40 + 32 = 122.00 CNY.
    assert str(buyer_and_idle("idle", "buyer", horizon=3)).splitlines()[::2] == [
        "lifetime value by starting state, 1 periods measured (discount 0.25 a period, horizon 3)",
        "  buyer: LTV 122.00 CNY; 50.00 CNY per customer-period (1 customer-periods)",
    ]


def test_a_coded_ltv_without_amounts_reads_in_minor_units():
    table = EventTable.from_arrays(
        [0], [np.datetime64("2026-01-15")], [2], direction=[0], customer_ids=["a", "b"]
    )  # one inbound message, no amounts
    ltv = coded_ltv(table, JAN, [[1, 0], [1, 0]], ("idle", "buyer"), discount_rate=0.25)
    assert str(ltv).splitlines()[1] == (
        "  idle: LTV 0 minor units; 0 minor units per customer-period (1 customer-periods)"
    )
    with pytest.raises(ValidationError) as info:
        ltv.money("idle")
    assert info.value.field == "currency"


def test_a_long_coded_ltv_repr_is_cut_after_the_last_whole_entry():
    labels = [f"level-{i:02d}" for i in range(30)]
    # Entries "level-00=0" (10 characters), "level-01=25000" (14), then "level-NN=?" (10), two
    # apart: entry k >= 2 starts at 28 + 12 (k - 2). The first 178 characters end inside entry
    # 14 (172-182), which is dropped with its ", ": entries 0-13 remain.
    head = ", ".join(["level-00=0", "level-01=25000", *(f"{x}=?" for x in labels[2:14])])
    assert repr(buyer_and_idle(*labels)) == f"CodedLTV({head}, …)"
    assert repr(buyer_and_idle("idle", "buyer")) == "CodedLTV(idle=0, buyer=25000)"


def test_a_coded_ltv_names_its_labels_when_asked_for_another():
    ltv = buyer_and_idle("idle", "buyer")
    assert ltv.money("buyer") == Money(amount="250.00", currency="CNY")
    with pytest.raises(WrongTypeError) as wrong:
        ltv.value_of(1)  # type: ignore[arg-type]
    assert parts(wrong.value) == ("label", 1, "must be one of idle, buyer")
    with pytest.raises(ValidationError) as unknown:
        ltv.money("vip")
    assert parts(unknown.value) == ("label", "vip", "must be one of idle, buyer")


def test_a_coded_ltv_rises_only_strictly():
    # b (idle) and c (quiet) do nothing and stay where they are: both are worth 0, so LTV does
    # not rise from one to the other; a (buyer) is worth 250.00 CNY.
    table = EventTable.from_arrays(
        [0], [np.datetime64("2026-01-15")], [8], amount=[5000], item=[0],
        customer_ids=["a", "b", "c"], currency="CNY",
    )  # fmt: skip
    codes = [[1, 0, 2], [1, 0, 2]]
    ltv = coded_ltv(table, JAN, codes, ("idle", "buyer", "quiet"), discount_rate=0.25)
    assert ltv.value_of("idle") == ltv.value_of("quiet") == 0.0
    assert ltv.rises(["idle", "buyer"]) is True
    assert ltv.rises(["idle", "quiet"]) is False


def test_a_coded_ltv_beyond_money_names_the_label():
    # Four max purchases (4 * (10**18 - 1) fils) in one period, undiscounted over 3: 1.2e19.
    table = EventTable.from_interactions([purchase(n, "999999999999999.999") for n in range(4)])
    ltv = coded_ltv(table, MONTH, [[0], [0]], ("buyer",), discount_rate=0.0, horizon=3)
    with pytest.raises(ValidationError) as info:
        ltv.money("buyer")
    assert info.value.field == "value[buyer]"
    with pytest.raises(ValidationError) as info:
        ltv.to_frame()
    assert info.value.field == "value[buyer]"


def test_a_coded_ltv_frame_has_one_row_per_code():
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    ltv = buyer_and_idle("idle", "buyer", "lost")
    assert isinstance(ltv.to_frame(), pd.DataFrame)
    frame = ltv.to_frame("pyarrow")
    assert frame.column("state").to_pylist() == ["idle", "buyer", "lost"]
    assert frame.column("customer_periods").to_pylist() == [1, 1, 0]  # b, a, nobody
    assert frame.column("ltv_minor").to_pylist() == [0, 25000, None]
    assert frame.column("mean_revenue_minor").to_pylist() == [0, 5000, None]
    assert frame.schema.field("currency").type == pa.string()
    with pytest.raises(ValidationError):
        ltv.to_frame(tz="Mars/Olympus")


def test_coded_ltv_refuses_its_arguments_by_name():
    with pytest.raises(WrongTypeError) as info:
        coded_ltv(5, JAN, [[0]], ("x",), discount_rate=0.1)  # type: ignore[arg-type]
    assert parts(info.value) == ("table", 5, "must be a custpool.EventTable")
    events = EventTable.from_arrays([0], [np.datetime64("2026-01-15")], [2], direction=[0])
    labels = ("idle", "buyer")
    with pytest.raises(WrongTypeError) as info:
        coded_ltv(events, JAN, [[0.0], [1.0]], labels, discount_rate=0.1)
    assert parts(info.value) == ("codes", "array of dtype float64", "must hold integer codes")
    with pytest.raises(ValidationError) as info:
        coded_ltv(events, JAN, [[0, 1]], labels, discount_rate=0.1)
    rule = "must be (n_period_ends, n_customers) = (2, 1)"
    assert parts(info.value) == ("codes", "array of shape (1, 2)", rule)
    with pytest.raises(ValidationError) as info:
        coded_ltv(events, JAN, [[0], [2]], labels, discount_rate=0.1)
    assert parts(info.value) == ("codes[1, 0]", 2, "must be a code from 0 to 1 (one per label)")
    with pytest.raises(ValidationError) as info:
        coded_ltv(events, JAN, [[0], [-1]], labels, discount_rate=0.1)
    assert info.value.field == "codes[1, 0]"
