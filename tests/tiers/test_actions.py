import pytest

from conftest import at
from custpool import ActionKind, Policy, Stage, ValidationError, classify, next_action
from tiers_helpers import ev

POLICY = Policy()


def action_for(history, day):
    return next_action(classify(history, POLICY, at(day)), POLICY)


@pytest.mark.parametrize(
    ("history", "day", "kind", "goal"),
    [
        ([], 0, ActionKind.GET_CONTACT, Stage.CONNECTED),
        ([ev(0, "connect", direction="outbound")], 1, ActionKind.ENGAGE, Stage.ENGAGED),
        # joining is not taking part: connect + 2 messages weigh 0 + 1 + 1 = 2 < 3, not engaged
        (
            [ev(0, "connect"), ev(1, "message"), ev(2, "message")],
            3,
            ActionKind.ENGAGE,
            Stage.ENGAGED,
        ),
        # a third message: 1 + 1 + 1 = 3, engaged, so the next move is the offer
        (
            [ev(0, "connect"), ev(1, "message"), ev(2, "message"), ev(2.5, "message")],
            3,
            ActionKind.MAKE_OFFER,
            Stage.CONVERTED,
        ),
        (
            [ev(0, "connect"), ev(1, "message"), ev(2, "message"), ev(3, "purchase")],
            4,
            ActionKind.INVITE_REFERRAL,
            Stage.ADVOCATE,
        ),
        (
            [ev(0, "connect"), ev(1, "message"), ev(2, "purchase"), ev(3, "referral")],
            4,
            ActionKind.KEEP_ADVOCATE,
            None,
        ),
        ([ev(0, "connect")], 200, ActionKind.REACTIVATE, Stage.CONNECTED),
        ([ev(0, "connect"), ev(5, "churn")], 6, ActionKind.WIN_BACK, Stage.CONNECTED),
    ],
)
def test_the_playbook(history, day, kind, goal):
    action = action_for(history, day)
    assert (action.kind, action.goal) == (kind, goal)
    assert action.text_en
    assert action.text_zh


def test_a_converted_customer_who_complained_is_recovered_first():
    history = [ev(0, "connect"), ev(1, "message"), ev(2, "message"), ev(3, "purchase")]
    complained = [*history, ev(10, "complaint")]
    action = action_for(complained, 12)
    assert action.kind is ActionKind.RECOVER
    assert "2026-03-11" in action.reason  # T0 (2026-03-01) + 10 days
    # 30 days after the complaint the playbook moves on.
    assert action_for(complained, 40).kind is not ActionKind.RECOVER
    # A customer who never bought is not "valuable" yet: no recovery step.
    assert action_for([ev(0, "connect"), ev(1, "complaint")], 2).kind is ActionKind.ENGAGE


def test_bad_argument_named():
    with pytest.raises(ValidationError) as info:
        next_action("engaged", POLICY)
    assert info.value.field == "tier_state"
