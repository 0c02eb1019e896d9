"""End of day at the till through Flask's test client: the X report with its charts, closing a Z report
with a manager's PIN, the stored Z, the day's report, CSV downloads, and `qrpos report daily`, which
prints the same figures. Refusals and bad input in three languages."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pos.core.reports import closing, export
from tests.web.test_checkout import till  # noqa: F401  (the signed-in till fixture)
from tests.web.test_receipts import paid_sale
from tests.web.test_refunds_page import post_refund

FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def close_z(client, scope="terminal", manager="Ken", pin="9999", since=None, lang="en"):
    page = client.get(f"/terminal/reports?scope={scope}&lang={lang}").text
    since = since if since is not None else re.search(r'name="since_z" value="(\d+)"', page).group(1)
    return client.post("/terminal/reports/z", data={"csrf_token": FORM_TOKEN.search(page).group(1), "scope": scope,
                                                    "since_z": since, "manager": manager, "manager_pin": pin})


@pytest.fixture
def day(till, world):  # noqa: F811
    """Two sales to a tourist paying in yuan, one refunded in part with Ken's PIN."""
    first, second = paid_sale(till, world), paid_sale(till, world)
    assert post_refund(till, first["id"], "450").status_code == 303
    return first, second


@pytest.mark.parametrize("lang, words", [("en", ["X report", "Takings per hour", "¥4,820", "−¥450", "CNY"]),
                                         ("ja", ["X レポート", "時間帯別の売上", "￥4,820", "Z レポートで締める"]),
                                         ("zh_Hans", ["X 报表", "每小时销售额", "JP¥4,820", "本收银台日结"])])
def test_the_x_report_shows_the_takings_with_charts_in_each_language(till, day, lang, words):  # noqa: F811
    page = till.get(f"/terminal/reports?lang={lang}")
    assert page.status_code == 200 and "<script>" not in page.text
    for word in words:
        assert word in page.text
    assert page.text.count('<svg class="chart') == 2 and page.text.count('class="hour-bar"') == 1  # one busy hour


def test_a_manager_closes_the_till_with_a_numbered_z_report_and_the_next_x_starts_empty(till, day, world):  # noqa: F811
    done = close_z(till)
    assert done.status_code == 303 and done.headers["Location"] == "/terminal/reports/z/1"
    z = till.get("/terminal/reports/z/1?lang=en").text
    assert "Z report 1 closed, approved by Ken." in z and "by Ken" in z and "¥4,820" in z and "−¥450" in z
    x = till.get("/terminal/reports?lang=en").text
    assert "Open since Z report 1" in x and 'id="report-count">0<' in x
    store = close_z(till, scope="store")
    assert store.headers["Location"] == "/terminal/reports/z/2"  # its own chain: it covers the same sales
    assert 'id="report-gross">¥4,820<' in till.get("/terminal/reports/z/2").text
    listed = till.get("/terminal/reports").text
    assert 'href="/terminal/reports/z/1"' in listed and 'href="/terminal/reports/z/2"' in listed


def test_a_z_closed_twice_from_the_same_page_closes_once(till, day, world, core):  # noqa: F811
    assert close_z(till, since="0").headers["Location"] == "/terminal/reports/z/1"
    again = close_z(till, since="0")
    assert again.status_code == 303 and again.headers["Location"] == "/terminal/reports/z/1"
    assert "already closed by another Z report" in till.get("/terminal/reports/z/1").text
    assert len(closing.list_z_reports(core, merchant_id=world.shop["merchant_id"])) == 1


@pytest.mark.parametrize("lang, texts", [("en", ["name or PIN is wrong", "Only a manager can approve this."]),
                                         ("ja", ["店長の名前または PIN が違います。",
                                                 "これを承認できるのは店長だけです。"]),
                                         ("zh_Hans", ["店长姓名或 PIN 不正确。", "只有店长可以批准此操作。"])])
def test_a_z_report_needs_a_managers_pin(till, day, world, core, lang, texts):  # noqa: F811
    wrong = close_z(till, pin="0000", lang=lang)
    cashier = close_z(till, manager="Yuki", pin="1111", lang=lang)
    assert (wrong.status_code, cashier.status_code) == (403, 403)
    assert texts[0] in wrong.text and texts[1] in cashier.text and 'id="z-error"' in wrong.text
    assert closing.list_z_reports(core, merchant_id=world.shop["merchant_id"]) == []


@pytest.mark.parametrize("lang, text", [("en", "Page not found"), ("ja", "ページが見つかりません"),
                                        ("zh_Hans", "找不到页面")])
def test_a_missing_z_report_is_a_friendly_404(till, lang, text):  # noqa: F811
    response = till.get(f"/terminal/reports/z/99?lang={lang}")
    assert response.status_code == 404 and text in response.text and "Z_REPORT_NOT_FOUND" in response.text


def test_the_csv_downloads_are_the_reports_figures(till, day, world, core):  # noqa: F811
    close_z(till)
    z_csv = till.get("/terminal/reports/z/1.csv")
    assert z_csv.mimetype == "text/csv" and "attachment" in z_csv.headers["Content-Disposition"]
    z = closing.get_z_report(core, merchant_id=world.shop["merchant_id"], number=1)
    assert z_csv.text == export.to_csv(z)
    lines = z_csv.text.splitlines()
    assert lines[0] == "section,figure,currency,count,amount" and "totals,gross,JPY,2,4820" in lines
    assert "totals,refunds,JPY,1,450" in lines
    assert any(line.startswith("payer_currency,charged,CNY,2,") for line in lines)
    day_csv = till.get("/terminal/reports/day.csv?date=2026-01-01").text
    assert "totals,gross,JPY,2,4820" in day_csv
    assert "totals,gross,JPY,0,0" in till.get("/terminal/reports/x.csv").text  # closed: nothing open


@pytest.mark.parametrize("lang, words", [("en", ["Day report", "Asia/Tokyo", "¥4,820"]),
                                         ("ja", ["日次レポート", "￥4,820"]), ("zh_Hans", ["日报表", "JP¥4,820"])])
def test_the_day_report_page_in_each_language(till, day, lang, words):  # noqa: F811
    page = till.get(f"/terminal/reports/day?date=2026-01-01&lang={lang}")
    assert page.status_code == 200
    for word in words:
        assert word in page.text


@pytest.mark.parametrize("lang, text", [("en", "Choose a date as YYYY-MM-DD."),
                                        ("ja", "日付を YYYY-MM-DD の形で選んでください。"),
                                        ("zh_Hans", "请按 YYYY-MM-DD 格式选择日期。")])
def test_a_bad_date_redraws_the_day_report_with_a_message(till, lang, text):  # noqa: F811
    response = till.get(f"/terminal/reports/day?date=2026-13-45&lang={lang}")
    assert response.status_code == 422 and text in response.text and 'id="date"' in response.text
    bad_csv = till.get(f"/terminal/reports/day.csv?date=nope&lang={lang}")
    assert bad_csv.status_code == 422 and "<html" in bad_csv.text and "INVALID_DATE" in bad_csv.text


def qrpos(db_url, *args):
    return subprocess.run([sys.executable, "-c", "from pos.cli import main; main()", "--db", db_url, *args],
                          capture_output=True, text=True)


def test_qrpos_report_daily_prints_the_same_figures_as_the_till(till, day, world, db_url):  # noqa: F811
    merchant = world.shop["merchant_id"]
    text = qrpos(db_url, "report", "daily", "--merchant", merchant, "--date", "2026-01-01")
    assert text.returncode == 0, text.stderr
    assert "payments 2  gross 4820 JPY  refunds 1 450 JPY" in text.stdout and "Asia/Tokyo" in text.stdout
    as_csv = qrpos(db_url, "report", "daily", "--merchant", merchant, "--date", "2026-01-01", "--csv")
    assert as_csv.stdout == till.get("/terminal/reports/day.csv?date=2026-01-01").text


@pytest.mark.parametrize("args, code", [(["--date", "2026-02-30"], "INVALID_DATE"),
                                        (["--date", "yesterday"], "INVALID_DATE"),
                                        (["--date", "0001-01-01"], "DATE_OUT_OF_RANGE")])
def test_qrpos_report_daily_refuses_bad_input_in_one_line(world, db_url, args, code):
    done = qrpos(db_url, "report", "daily", "--merchant", world.shop["merchant_id"], *args)
    assert done.returncode == 1 and done.stderr.startswith(f"qrpos: {code}") and done.stderr.count("\n") == 1
    missing = qrpos(db_url, "report", "daily", "--merchant", "m_NOPE", "--date", "2026-01-01")
    assert missing.returncode == 1 and missing.stderr.startswith("qrpos: MERCHANT_NOT_FOUND")
