"""The last complaint's reason on the tier state, and the advice that names it (seed 004).

Seed 004 calls surveying lost customers futile ("还傻傻的去做流失老客户调研"); the complaint
recorded before they left is the cause, and the advice names it and its fix.
"""

from datetime import timedelta

import pytest
from hypothesis import given, settings

from conftest import at
from custpool import (
    ActionKind,
    ComplaintReason,
    Policy,
    TierState,
    classify,
    classify_table,
    next_action,
)
from custpool._time import NO_TIME, to_micros
from engine_helpers import AS_OF_TIMES, pool_histories, table_of
from tiers_helpers import ev

POLICY = Policy()
CONVERT = Policy(paradigm="convert_first")
REASONS = tuple(ComplaintReason)
BOUGHT = [ev(0, "connect"), ev(2, "purchase")]


def state_at(history, day, policy=POLICY):
    return classify(history, policy, at(day))


def test_the_latest_complaint_reason_is_on_the_state():
    history = [*BOUGHT, ev(5, "complaint", complaint_reason="price"), ev(9, "complaint")]
    # day 7: only the day-5 price complaint is at or before it; day 10: the day-9 quality one
    assert state_at(history, 7).last_complaint_reason is ComplaintReason.PRICE
    assert state_at(history, 10).last_complaint_reason is ComplaintReason.QUALITY
    assert state_at(history, 1).last_complaint_reason is None
    assert state_at(history, 1).last_complaint_at is None


@pytest.mark.parametrize("order", [1, -1])
def test_same_instant_complaints_name_the_first_reason_in_order(order):
    # logistics (index 3) and service (index 0) at one instant: service, whatever the order
    both = [ev(5, "complaint", complaint_reason=r) for r in ("logistics", "service")][::order]
    history = [*BOUGHT, *both]
    assert state_at(history, 6).last_complaint_reason is ComplaintReason.SERVICE
    table = table_of({"c-1": history})
    tiers = classify_table(table, POLICY, at(6))
    assert REASONS[int(tiers.complaint_reason[0])] is ComplaintReason.SERVICE


@settings(max_examples=120, deadline=None)
@given(pool=pool_histories(max_customers=4, grid=timedelta(days=5)), as_of=AS_OF_TIMES)
def test_classify_table_agrees_on_the_last_complaint(pool, as_of):
    # On a 5-day grid complaints tie, within a customer and across customers.
    table = table_of(pool)
    tiers = classify_table(table, POLICY, as_of)
    for cid, history in pool.items():
        expected = classify(history, POLICY, as_of)
        row = table.customer_index(cid)
        code = int(tiers.complaint_reason[row])
        assert (None if code < 0 else REASONS[code]) is expected.last_complaint_reason, cid
        want = expected.last_complaint_at
        assert int(tiers.last_complaint[row]) == (NO_TIME if want is None else to_micros(want))


@settings(max_examples=60, deadline=None)
@given(pool=pool_histories(max_customers=3), as_of=AS_OF_TIMES)
def test_win_back_never_advises_a_survey(pool, as_of):
    for history in pool.values():
        action = next_action(classify(history, POLICY, as_of), POLICY)
        assert "survey them" not in action.text_en.replace("do not survey them", "")
        assert "了解离开原因" not in action.text_zh


@pytest.mark.parametrize(
    ("reason", "fix_en", "label_zh"),
    [
        ("service", "senior person", "服务"),
        ("quality", "replace or refund", "质量"),
        ("price", "rather than only cutting the price", "价格"),
        ("logistics", "fix the delivery", "物流"),
        ("other", "fix what they complained about", "其他"),
    ],
)
def test_win_back_names_the_recorded_cause_and_its_fix(reason, fix_en, label_zh):
    history = [*BOUGHT, ev(10, "complaint", complaint_reason=reason), ev(15, "churn")]
    action = next_action(state_at(history, 20), POLICY)
    assert action.kind is ActionKind.WIN_BACK
    # left on day 15 (T0 = 2026-03-01 12:00 UTC → 2026-03-16), complained on day 10 (03-11)
    assert action.reason == f"left on 2026-03-16 after a {reason} complaint on 2026-03-11"
    assert f"after a {reason} complaint" in action.text_en
    assert fix_en in action.text_en
    assert f"流失前曾投诉{label_zh}" in action.text_zh
    assert "survey" not in action.text_en.replace("no survey", "")


def test_win_back_ignores_a_complaint_long_before_leaving():
    # complaint on day 10, churn on day 50: 40 days > recover_window (30 days), so no cause
    history = [*BOUGHT, ev(10, "complaint", complaint_reason="price"), ev(50, "churn")]
    action = next_action(state_at(history, 60), POLICY)
    assert action.kind is ActionKind.WIN_BACK
    assert action.reason == "left after connecting"
    assert "do not survey" in action.text_en
    assert "不要做流失调研" in action.text_zh
    # exactly 30 days before leaving still counts (left - complaint <= recover_window)
    edge = [*BOUGHT, ev(20, "complaint", complaint_reason="price"), ev(50, "churn")]
    assert "price complaint" in next_action(state_at(edge, 60), POLICY).reason


def test_recover_names_the_complaint():
    history = [*BOUGHT, ev(10, "complaint", complaint_reason="service")]
    action = next_action(state_at(history, 12, CONVERT), CONVERT)
    assert action.kind is ActionKind.RECOVER
    assert action.reason == "a converted customer complained about service on 2026-03-11"
    assert "answer the service complaint personally" in action.text_en
    assert action.text_zh.startswith("挽回有价值的客户：一对一回应其服务投诉")


def test_a_state_built_without_the_reason_keeps_the_general_advice():
    # TierState.last_complaint_reason defaults to None: the general RECOVER text is kept
    history = [*BOUGHT, ev(10, "complaint")]
    state = state_at(history, 12, CONVERT)
    bare = TierState.model_validate(state.model_dump() | {"last_complaint_reason": None})
    action = next_action(bare, CONVERT)
    assert action.kind is ActionKind.RECOVER
    assert action.reason == "a converted customer complained on 2026-03-11"
    assert action.text_en.startswith("Recover this valuable customer: answer the complaint")
