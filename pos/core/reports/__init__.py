"""What a shop reads back: payments with filters, a day's totals, a request's event history, and a
terminal's event feed for screens."""

from pos.core.reports.daily import daily_report, day_bounds, list_payments, request_events
from pos.core.reports.feeds import terminal_events, terminal_state

__all__ = ["daily_report", "day_bounds", "list_payments", "request_events", "terminal_events", "terminal_state"]
