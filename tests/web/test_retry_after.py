"""Retry-After on a 429 is a whole number of seconds, rounded up, never 0 (issue 12, item 7).

The limiter's clock is time.time(); the test moves it by hand so that the window's end is a
fraction of a second away, the moment that used to give ``Retry-After: 0``. The counters are kept in
memory here: the shared storage on PostgreSQL keeps time by the database's clock, which the test cannot move.
"""

from __future__ import annotations

import time

import pytest

from pos.web.limits import retry_after_seconds
from tests.web.test_rate_limits import limited_client

MEMORY = "memory://"


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("fraction_left", [0.95, 0.5, 0.05, 0.001])
def test_a_429_a_moment_before_the_window_ends_says_retry_after_1(core, monkeypatch, fraction_left):
    clock = Clock(1_800_000_000.25)
    monkeypatch.setattr(time, "time", clock)
    client = limited_client(core, RATELIMIT_PER_ADDRESS="1/second", RATELIMIT_STORAGE_URI=MEMORY)
    assert client.get("/api/v1/ping").status_code == 200  # the window ends at .25 + 1 s
    clock.now += 1 - fraction_left
    refused = client.get("/api/v1/ping")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"


def test_a_429_with_more_than_a_second_left_rounds_up(core, monkeypatch):
    clock = Clock(1_800_000_000.0)
    monkeypatch.setattr(time, "time", clock)
    client = limited_client(core, RATELIMIT_PER_ADDRESS="1/minute", RATELIMIT_STORAGE_URI=MEMORY)
    assert client.get("/api/v1/ping").status_code == 200
    clock.now += 57.5
    assert client.get("/api/v1/ping").headers["Retry-After"] == "3"


def test_an_answer_that_is_not_refused_carries_no_retry_after(core):
    client = limited_client(core, RATELIMIT_PER_ADDRESS="5/second")
    response = client.get("/api/v1/ping")
    assert response.status_code == 200 and "Retry-After" not in response.headers
    assert response.headers["X-RateLimit-Remaining"] == "4"


@pytest.mark.parametrize(("left", "seconds"), [(0.0001, 1), (0.999, 1), (1.0, 1), (1.001, 2), (59.2, 60), (-3, 1)])
def test_retry_after_is_the_time_left_rounded_up_and_at_least_one_second(left, seconds):
    assert retry_after_seconds(reset_at=100 + left, now=100) == seconds
