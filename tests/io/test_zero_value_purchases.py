"""Free orders (a purchase of 0.00: a gift, a 0元 trial) load; negative purchases and refunds of
0 or less are rejected, row by row, with the rule for their kind."""

import io

import pytest

from custpool import Interaction, read_csv, read_events, read_jsonl

HEADER = (
    b"id,customer_id,at,kind,direction,channel,source,churn_reason,event_id,content_id,"
    b"order_id,amount,currency,referred_id,score,complaint_reason\n"
)


def csv_row(iid, kind, direction, order, amount):
    return (
        f"{iid},c-1,2026-03-0{iid[-1]}T12:00:00Z,{kind},{direction},store,,,,,"
        f"{order},{amount},CNY,,,\n"
    ).encode()


def jsonl_row(iid, kind, direction, order, amount):
    return (
        f'{{"id":"{iid}","customer_id":"c-1","at":"2026-03-0{iid[-1]}T12:00:00Z",'
        f'"kind":"{kind}","direction":"{direction}","channel":"store","order_id":"{order}",'
        f'"amount":{{"amount":"{amount}","currency":"CNY"}}}}\n'
    ).encode()


ROWS = [
    ("i-1", "purchase", "inbound", "o-1", "0"),  # a free order: accepted
    ("i-2", "purchase", "inbound", "o-2", "-1.00"),  # a negative purchase: rejected
    ("i-3", "refund", "outbound", "o-3", "0.00"),  # a refund of nothing: rejected
    ("i-4", "purchase", "inbound", "o-4", "19.90"),  # a paid order: accepted
]


def file_of(fmt):
    if fmt == "csv":
        return HEADER + b"".join(csv_row(*row) for row in ROWS)
    return b"".join(jsonl_row(*row) for row in ROWS)


@pytest.mark.parametrize(("fmt", "read"), [("jsonl", read_jsonl), ("csv", read_csv)])
def test_loaders_accept_a_free_order_and_reject_negative_purchases_and_empty_refunds(fmt, read):
    load = read(io.BytesIO(file_of(fmt)), Interaction)
    assert [(i.id, str(i.amount)) for i in load.records] == [
        ("i-1", "0.00 CNY"),
        ("i-4", "19.90 CNY"),
    ]
    assert load.rows_read == 4
    assert load.rows_rejected == 2
    first = 1 if fmt == "jsonl" else 2  # the CSV header is line 1
    [negative, empty] = load.rejections
    assert negative.line == first + 1
    assert "must not be negative on a purchase (0 is a free order)" in str(negative)
    assert empty.line == first + 2
    assert "must be positive on a refund" in str(empty)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_read_events_puts_a_free_order_in_the_table(fmt):
    load = read_events(io.BytesIO(file_of(fmt)), format=fmt)
    assert load.table is not None
    assert load.rows_accepted == 2
    assert load.rows_rejected == 2
    # i-1 (0.00) and i-4 (19.90), both purchases, in fen: [0, 1990]
    assert load.table.amount.tolist() == [0, 1_990]
    assert load.table.currency == "CNY"
    assert int(load.table.kind_is("purchase").sum()) == 2


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_file_of_free_orders_only_still_has_its_currency(fmt):
    gift = ("i-1", "purchase", "inbound", "o-1", "0.00")
    data = HEADER + csv_row(*gift) if fmt == "csv" else jsonl_row(*gift)
    load = read_events(io.BytesIO(data), format=fmt, strict=True)
    assert load.table is not None
    assert load.table.amount.tolist() == [0]
    assert load.table.currency == "CNY"
