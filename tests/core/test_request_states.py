"""The request state machine: every legal move is allowed, every other one raises a typed error."""

import itertools

import pytest

from pos.core.errors import IllegalTransition, RequestAlreadyPaid, RequestCancelled, RequestExpired, StateConflict
from pos.core.payments import states

STATES = [states.AWAITING, states.CONFIRMING, states.PAID, states.EXPIRED, states.CANCELLED,
          states.PARTIALLY_REFUNDED, states.REFUNDED]
LEGAL = {
    (states.AWAITING, states.CONFIRMING), (states.AWAITING, states.PAID), (states.AWAITING, states.EXPIRED),
    (states.AWAITING, states.CANCELLED),
    (states.CONFIRMING, states.CONFIRMING), (states.CONFIRMING, states.PAID), (states.CONFIRMING, states.EXPIRED),
    (states.CONFIRMING, states.CANCELLED), (states.PAID, states.PARTIALLY_REFUNDED), (states.PAID, states.REFUNDED),
    (states.PARTIALLY_REFUNDED, states.PARTIALLY_REFUNDED), (states.PARTIALLY_REFUNDED, states.REFUNDED),
}


@pytest.mark.parametrize("current,new", sorted(itertools.product(STATES, STATES)))
def test_only_the_drawn_transitions_are_legal(current, new):
    if (current, new) in LEGAL:
        states.check_transition("pr_X", current, new)
    else:
        with pytest.raises(StateConflict):
            states.check_transition("pr_X", current, new)


@pytest.mark.parametrize(
    "current,error",
    [(states.PAID, RequestAlreadyPaid), (states.REFUNDED, RequestAlreadyPaid), (states.EXPIRED, RequestExpired),
     (states.CANCELLED, RequestCancelled)],
)
def test_paying_a_closed_request_says_why(current, error):
    with pytest.raises(error):
        states.check_transition("pr_X", current, states.PAID)


def test_a_final_state_is_final():
    for final in states.FINAL:
        assert states.TRANSITIONS[final] == set()
    with pytest.raises(IllegalTransition):
        states.check_transition("pr_X", states.AWAITING, states.REFUNDED)
