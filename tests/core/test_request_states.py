"""The request state machine: every legal move is allowed, every other one raises a typed error."""

import itertools

import pytest

from pos.core import requests as rq
from pos.core.errors import IllegalTransition, RequestAlreadyPaid, RequestCancelled, RequestExpired, StateConflict

STATES = [rq.AWAITING, rq.CONFIRMING, rq.PAID, rq.EXPIRED, rq.CANCELLED, rq.PARTIALLY_REFUNDED, rq.REFUNDED]
LEGAL = {
    (rq.AWAITING, rq.CONFIRMING), (rq.AWAITING, rq.PAID), (rq.AWAITING, rq.EXPIRED), (rq.AWAITING, rq.CANCELLED),
    (rq.CONFIRMING, rq.CONFIRMING), (rq.CONFIRMING, rq.PAID), (rq.CONFIRMING, rq.EXPIRED),
    (rq.CONFIRMING, rq.CANCELLED), (rq.PAID, rq.PARTIALLY_REFUNDED), (rq.PAID, rq.REFUNDED),
    (rq.PARTIALLY_REFUNDED, rq.PARTIALLY_REFUNDED), (rq.PARTIALLY_REFUNDED, rq.REFUNDED),
}


@pytest.mark.parametrize("current,new", sorted(itertools.product(STATES, STATES)))
def test_only_the_drawn_transitions_are_legal(current, new):
    if (current, new) in LEGAL:
        rq.check_transition("pr_X", current, new)
    else:
        with pytest.raises(StateConflict):
            rq.check_transition("pr_X", current, new)


@pytest.mark.parametrize(
    "current,error",
    [(rq.PAID, RequestAlreadyPaid), (rq.REFUNDED, RequestAlreadyPaid), (rq.EXPIRED, RequestExpired),
     (rq.CANCELLED, RequestCancelled)],
)
def test_paying_a_closed_request_says_why(current, error):
    with pytest.raises(error):
        rq.check_transition("pr_X", current, rq.PAID)


def test_a_final_state_is_final():
    for final in rq.FINAL:
        assert rq.TRANSITIONS[final] == set()
    with pytest.raises(IllegalTransition):
        rq.check_transition("pr_X", rq.AWAITING, rq.REFUNDED)
