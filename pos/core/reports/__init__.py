"""What a shop reads back: payments with filters, a day's totals, a request's event history."""

from pos.core.reports.daily import daily_report, day_bounds, list_payments, request_events

__all__ = ["daily_report", "day_bounds", "list_payments", "request_events"]
