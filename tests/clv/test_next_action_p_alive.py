"""next_action's optional p_alive: a valuable customer fading before dormancy gets WIN_BACK."""

from datetime import UTC, datetime, timedelta

import pytest

import custpool as cp
from custpool.clv import LOW_P_ALIVE

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _event(n, day, kind, **kw):
    return cp.Interaction(
        id=f"i-{n}",
        customer_id="c-1",
        at=T0 + timedelta(days=day),
        kind=kind,
        channel="wecom_chat",
        direction="inbound",
        **kw,
    )


def _state(with_purchase):
    history = [_event(1, 0, "connect", source="store")]
    if with_purchase:
        amount = {"amount": "99", "currency": "CNY"}
        history.append(_event(2, 3, "purchase", order_id="o-1", amount=amount))
    return cp.classify(history, cp.Policy(paradigm="convert_first"), T0 + timedelta(days=12))


def test_fading_valuable_customer_gets_win_back():
    state = _state(with_purchase=True)
    assert state.state is cp.State.CONVERTED
    before = cp.next_action(state, cp.Policy())
    action = cp.next_action(state, cp.Policy(), p_alive=0.05)
    assert before.kind is not cp.ActionKind.WIN_BACK
    assert action.kind is cp.ActionKind.WIN_BACK
    assert action.goal is state.tier
    assert action.reason == "p_alive 0.05 < 0.2: likely gone before turning dormant"
    assert "沉睡前" in action.text_zh


def test_p_alive_at_the_threshold_or_none_changes_nothing():
    state = _state(with_purchase=True)
    plain = cp.next_action(state, cp.Policy())
    assert cp.next_action(state, cp.Policy(), p_alive=None) == plain
    assert cp.next_action(state, cp.Policy(), p_alive=LOW_P_ALIVE) == plain
    # clv's LOW_P_ALIVE is next_action's threshold: just below it, the advice changes
    below = cp.next_action(state, cp.Policy(), p_alive=LOW_P_ALIVE - 1e-9)
    assert below.kind is cp.ActionKind.WIN_BACK
    assert cp.next_action(state, cp.Policy(), p_alive=1.0) == plain


def test_a_customer_who_never_bought_is_not_won_back():
    state = _state(with_purchase=False)
    assert state.state is cp.State.CONNECTED
    plain = cp.next_action(state, cp.Policy())
    assert cp.next_action(state, cp.Policy(), p_alive=0.0) == plain


def test_p_alive_is_checked():
    state = _state(with_purchase=True)
    with pytest.raises(cp.WrongTypeError, match="p_alive"):
        cp.next_action(state, cp.Policy(), p_alive="low")
    with pytest.raises(cp.ValidationError, match="p_alive"):
        cp.next_action(state, cp.Policy(), p_alive=1.5)
