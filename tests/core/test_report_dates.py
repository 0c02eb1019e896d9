"""The daily report's day arithmetic: every representable day works in every time zone, and a day at
the calendar's very ends is refused with a typed error instead of overflowing (issue 12, item 2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.core import reports
from pos.core.errors import InvalidInput
from pos.core.platform.clock import US
from pos.core.reports.daily import FIRST_DAY, LAST_DAY, day_bounds

from .worlds import ramen_shop

# The zones furthest ahead of and behind UTC, one with half hours, and UTC itself.
ZONES = ["UTC", "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Kolkata", "Asia/Tokyo", "America/St_Johns"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_day_at_the_end_of_the_calendar_is_refused_with_a_typed_error(core, day):
    shop = ramen_shop(core)
    with pytest.raises(InvalidInput) as refused:
        reports.daily_report(core, merchant_id=shop["merchant_id"], day=day, tz="Pacific/Kiritimati")
    assert refused.value.code == "DATE_OUT_OF_RANGE"


@pytest.mark.parametrize("tz", ZONES)
def test_the_first_and_last_reportable_days_have_bounds_in_every_zone(tz):
    for day in (FIRST_DAY, LAST_DAY):
        start, end = day_bounds(day.isoformat(), tz)
        assert 23 * 3600 * US <= end - start <= 25 * 3600 * US


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=date.min, max_value=date.max), tz=st.sampled_from(ZONES))
def test_any_date_gives_bounds_or_a_typed_refusal_never_an_overflow(day, tz):
    try:
        start, end = day_bounds(day.isoformat(), tz)
    except InvalidInput as refused:
        assert refused.code == "DATE_OUT_OF_RANGE"
        assert not FIRST_DAY <= day <= LAST_DAY
        return
    assert start < end
    following = day + timedelta(days=1)
    if following <= LAST_DAY:
        assert day_bounds(following.isoformat(), tz)[0] == end  # days tile the timeline
