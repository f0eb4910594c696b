"""Marketplace and own-store channels and sources (issue 12).

Every new value round-trips through JSON, CSV and the columnar engine; the members that were
there before keep their positions, which are the codes the engine stores.
"""

import io
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from custpool import (
    Channel,
    Customer,
    Direction,
    EventTable,
    Interaction,
    InteractionKind,
    SourceChannel,
    channel_attribution,
    read_csv,
    write_csv,
)

# The orders before issue 12, written out by hand: a stored code k meant the k-th of these.
OLD_CHANNELS = [
    "wecom_chat",
    "customer_group",
    "moments",
    "live_stream",
    "mini_program",
    "store",
    "phone",
    "other",
]
OLD_SOURCES = [
    "store",
    "ecommerce",
    "live_stream",
    "mini_program",
    "content",
    "advertising",
    "event",
    "referral",
    "phone",
    "other",
]
MARKETPLACES = [
    "tmall",
    "taobao",
    "jd",
    "pinduoduo",
    "douyin",
    "kuaishou",
    "xiaohongshu",
    "wechat_channels",
    "official_mall",
]
NEW_CHANNELS = ["ecommerce", *MARKETPLACES]
NEW_SOURCES = MARKETPLACES  # ecommerce was a source already
LABELS = {
    "ecommerce": "电商",
    "tmall": "天猫",
    "taobao": "淘宝",
    "jd": "京东",
    "pinduoduo": "拼多多",
    "douyin": "抖音",
    "kuaishou": "快手",
    "xiaohongshu": "小红书",
    "wechat_channels": "视频号",
    "official_mall": "官方商城",
}

AT = datetime(2026, 3, 1, 12, tzinfo=UTC)
AT_MICROS = 1_772_366_400_000_000  # AT as engine time: 1_772_366_400 s since the epoch × 10**6
CONNECT = list(InteractionKind).index(InteractionKind.CONNECT)  # engine codes are positions
INBOUND = list(Direction).index(Direction.INBOUND)


def message(k: int, channel: str) -> Interaction:
    return Interaction(
        id=f"m-{k:02d}",
        customer_id=f"c-{k:02d}",
        at=AT,
        kind="message",
        direction="inbound",
        channel=channel,
    )


def connect(k: int, source: str) -> Interaction:
    return Interaction(
        id=f"j-{k:02d}",
        customer_id=f"c-{k:02d}",
        at=AT,
        kind="connect",
        direction="inbound",
        channel="wecom_chat",
        source=source,
    )


def new_records() -> list[Interaction]:
    """One message per new channel, one connect per new source (distinct customers)."""
    messages = [message(k, c) for k, c in enumerate(NEW_CHANNELS)]
    connects = [connect(k, s) for k, s in enumerate(NEW_SOURCES, start=len(NEW_CHANNELS))]
    return messages + connects


def fields(i: Interaction) -> tuple[object, ...]:
    return (i.customer_id, i.at, i.kind, i.direction, i.channel, i.source)


# --- the lists -------------------------------------------------------------------------------


def test_old_members_keep_their_positions_and_new_ones_come_after():
    assert [c.value for c in Channel] == OLD_CHANNELS + NEW_CHANNELS
    assert [s.value for s in SourceChannel] == OLD_SOURCES + NEW_SOURCES
    assert list(Channel).index(Channel.OTHER) == 7  # OTHER did not move to the end
    assert list(SourceChannel).index(SourceChannel.OTHER) == 9


def test_every_old_value_is_still_valid():
    assert [Channel(v).value for v in OLD_CHANNELS] == OLD_CHANNELS
    assert [SourceChannel(v).value for v in OLD_SOURCES] == OLD_SOURCES


@pytest.mark.parametrize("value", NEW_CHANNELS)
def test_each_new_channel_has_its_chinese_label(value):
    assert Channel(value).label_zh == LABELS[value]


@pytest.mark.parametrize("value", NEW_SOURCES)
def test_each_new_source_has_its_chinese_label_shared_with_the_channel(value):
    assert SourceChannel(value).label_zh == LABELS[value] == Channel(value).label_zh


def test_chinese_labels_are_unique_within_each_enum():
    channel_labels = [c.label_zh for c in Channel]
    source_labels = [s.label_zh for s in SourceChannel]
    assert len(set(channel_labels)) == len(channel_labels) == 18  # 8 old + 10 new
    assert len(set(source_labels)) == len(source_labels) == 19  # 10 old + 9 new


def test_unknown_values_are_still_refused():
    with pytest.raises(ValueError, match="'tianmao'"):
        Channel("tianmao")
    with pytest.raises(ValueError, match="'Tmall'"):
        SourceChannel("Tmall")  # values are lower case, as before


# --- the codes the engine stores -------------------------------------------------------------


def test_table_codes_of_old_channels_and_sources_are_unchanged():
    # Customers c-00 … c-07 sort in input order, so row k is the k-th old member.
    messages = [message(k, c) for k, c in enumerate(OLD_CHANNELS)]
    table = EventTable.from_interactions(messages)
    assert table.channel.tolist() == list(range(8))
    connects = [connect(k, s) for k, s in enumerate(OLD_SOURCES)]
    table = EventTable.from_interactions(connects)
    assert table.source.tolist() == list(range(10))


def test_stored_old_codes_decode_to_the_old_members():
    # A table built from codes alone, as a stored or pickled table holds them.
    n = len(OLD_SOURCES)
    table = EventTable.from_arrays(
        customer=np.arange(n),
        time=np.full(n, AT_MICROS),
        kind=np.full(n, CONNECT),
        direction=np.full(n, INBOUND),
        channel=np.arange(n) % len(OLD_CHANNELS),  # 0 … 7, then 0, 1
        source=np.arange(n),
    )
    rows = list(table.interactions())
    assert {(r.kind, r.direction) for r in rows} == {(InteractionKind.CONNECT, Direction.INBOUND)}
    assert [r.at for r in rows] == [AT] * n
    assert [r.channel.value for r in rows] == [*OLD_CHANNELS, *OLD_CHANNELS[:2]]
    assert [r.source.value for r in rows] == OLD_SOURCES


def test_a_table_left_without_channel_or_source_still_fills_in_other():
    # OTHER is no longer the last member: the engine's defaults must follow it, not the end.
    table = EventTable.from_arrays(
        customer=[0], time=[AT_MICROS], kind=[CONNECT], direction=[INBOUND]
    )
    row = next(table.interactions())
    assert (row.channel, row.source) == (Channel.OTHER, SourceChannel.OTHER)
    assert (int(table.channel[0]), int(table.source[0])) == (7, 9)


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("record", new_records(), ids=lambda r: str(r.source or r.channel))
def test_a_new_value_round_trips_through_json(record):
    text = record.to_json()
    value = (record.source or record.channel).value
    assert f'"{value}"' in text  # stored as its plain value
    assert Interaction.from_json(text) == record


@pytest.mark.parametrize("source", NEW_SOURCES)
def test_a_customer_from_a_marketplace_round_trips_through_json_and_csv(source):
    customer = Customer(id="c-1", connected_at=AT, source=source)
    assert Customer.from_json(customer.to_json()) == customer
    out = io.StringIO(newline="")
    write_csv(out, [customer])
    assert f",{source}," in out.getvalue()
    result = read_csv(io.BytesIO(out.getvalue().encode()), Customer)
    assert result.records == (customer,)


def test_new_values_round_trip_through_csv():
    records = new_records()
    out = io.StringIO(newline="")
    assert write_csv(out, records) == len(records) == 19  # 10 messages + 9 connects
    text = out.getvalue()
    for value in NEW_CHANNELS + NEW_SOURCES:
        assert f",{value}," in text
    result = read_csv(io.BytesIO(text.encode()), Interaction)
    assert not result.rejections
    assert result.records == tuple(records)


def test_new_values_round_trip_through_an_event_table():
    records = new_records()
    table = EventTable.from_interactions(records)
    # Customers c-00 … c-18 sort in input order: messages first, then connects.
    assert table.channel.tolist()[:10] == list(range(8, 18))  # the new channels' codes
    assert table.source.tolist()[10:] == list(range(10, 19))  # the new sources' codes
    back = list(table.interactions())
    assert [fields(i) for i in back] == [fields(i) for i in records]
    again = EventTable.from_interactions(back)
    assert all(np.array_equal(again.column(n), table.column(n)) for n in table.COLUMNS)


# --- what depends on the number of sources ------------------------------------------------------


def test_attribution_has_a_row_per_source_and_credits_a_marketplace():
    start = AT - timedelta(days=1)
    tmall = connect(0, "tmall")
    order = Interaction(
        id="o-1",
        customer_id="c-00",
        at=AT + timedelta(hours=1),
        kind="purchase",
        channel="tmall",
        order_id="tm-1",
        amount={"amount": "99.00", "currency": "CNY"},
    )
    report = channel_attribution(
        EventTable.from_interactions([tmall, order]), start, AT + timedelta(days=1)
    )
    assert [r.source for r in report.rows] == list(SourceChannel)  # 19 rows, in enum order
    row = report.row("tmall")
    assert (row.customers, row.new_customers, row.converted, row.purchases) == (1, 1, 1, 1)
    assert str(row.revenue) == "99.00 CNY"
    assert sum(r.customers for r in report.rows) == 1  # nobody credited anywhere else
