"""Refunds at the till through Flask's test client: a manager's PIN authorises each one, who approved it
is recorded and shown; refusals are friendly in three languages and change nothing; a form posted twice
refunds once. Also the transactions list and the counter poster."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from pos.core import payments
from pos.core.store.schema import refunds
from tests.web.test_checkout import charge, till  # noqa: F401  (the signed-in till fixture)
from tests.web.test_receipts import paid_sale, pdf_text

FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def refund_form(client, payment_id, lang="en"):
    page = client.get(f"/terminal/payments/{payment_id}/refund?lang={lang}")
    assert page.status_code == 200
    return {"csrf_token": FORM_TOKEN.search(page.text).group(1), "idempotency_key": KEY.search(page.text).group(1)}


def post_refund(client, payment_id, amount, manager="Ken", pin="9999", form=None, lang="en"):
    form = form or refund_form(client, payment_id, lang)
    return client.post(f"/terminal/payments/{payment_id}/refund",
                       data={**form, "amount": amount, "manager": manager, "manager_pin": pin})


def refunded(core, world, payment_id):
    return payments.get_payment(core, payment_id, merchant_id=world.shop["merchant_id"])["refunded"]["amount"]


@pytest.mark.parametrize("lang, words", [("en", ["Manager approval", "Left to refund", "¥2,410"]),
                                         ("ja", ["店長の承認", "返金可能額", "￥2,410"]),
                                         ("zh_Hans", ["店长审批", "可退款金额", "JP¥2,410"])])
def test_the_refund_form_is_served_in_each_language(till, world, lang, words):  # noqa: F811
    payment = paid_sale(till, world)
    page = till.get(f"/terminal/payments/{payment['id']}/refund?lang={lang}")
    assert page.status_code == 200 and "<script>" not in page.text
    for word in words:
        assert word in page.text


def test_a_manager_refunds_part_of_a_sale_and_the_receipt_says_who_approved_it(till, world, core):  # noqa: F811
    payment = paid_sale(till, world)
    done = post_refund(till, payment["id"], "450")
    assert done.status_code == 303 and done.headers["Location"] == f"/terminal/payments/{payment['id']}"
    receipt = till.get(done.headers["Location"] + "?lang=en").text
    assert "Refunded ¥450, approved by Ken." in receipt and "approved by Ken" in receipt and "−¥450" in receipt
    assert "1 JPY = 0.048923 CNY" in receipt  # the quoted rate (0.0482 + 1.5 %), as a decimal
    assert refunded(core, world, payment["id"]) == 450
    with core.db.read() as conn:
        row = conn.execute(select(refunds).where(refunds.c.payment_id == payment["id"])).one()
    assert row.approved_by == payments.list_refunds(core, payment["id"])[0]["approved_by"] != world.shop["staff_id"]
    assert "-JP¥450" in pdf_text(till.get(f"/terminal/payments/{payment['id']}/receipt.pdf?lang=zh").data)


def test_several_refunds_return_exactly_what_was_paid_and_then_the_form_is_gone(till, world, core):  # noqa: F811
    payment = paid_sale(till, world)
    for amount in ("1000", "1,000", "410"):
        assert post_refund(till, payment["id"], amount).status_code == 303
    assert refunded(core, world, payment["id"]) == 2410
    page = till.get(f"/terminal/payments/{payment['id']}/refund?lang=ja").text
    assert 'id="refund-form"' not in page and "全額返金済み" in page and page.count("Kenが承認") == 3
    assert 'id="refund-link"' not in till.get(f"/terminal/payments/{payment['id']}").text


def test_the_same_form_posted_twice_refunds_once(till, world, core):  # noqa: F811
    payment = paid_sale(till, world)
    form = refund_form(till, payment["id"])
    first = post_refund(till, payment["id"], "300", form=form)
    again = post_refund(till, payment["id"], "300", form=form)  # a double tap, or a reload after posting
    assert first.status_code == again.status_code == 303
    assert refunded(core, world, payment["id"]) == 300 and len(payments.list_refunds(core, payment["id"])) == 1
    changed = post_refund(till, payment["id"], "500", form=form)  # the old form, another amount
    assert changed.status_code == 422 and "already done with different details" in changed.text
    assert refunded(core, world, payment["id"]) == 300


REFUSALS = {
    "too_much": ("9999", "Ken", "9999", 422, {"en": "more than is left to refund", "ja": "返金できる残額を超えています",
                                            "zh_Hans": "超出了此笔付款可退款的余额"}),
    "wrong_pin": ("100", "Ken", "1234", 403, {"en": "name or PIN is wrong.",
                                              "ja": "店長の名前または PIN が違います。",
                                              "zh_Hans": "店长姓名或 PIN 不正确。"}),
    "cashier": ("100", "Yuki", "1111", 403, {"en": "Only a manager can approve this.",
                                             "ja": "これを承認できるのは店長だけです。",
                                             "zh_Hans": "只有店长可以批准此操作。"}),
    "bad_amount": ("1.5", "Ken", "9999", 422, {"en": "Enter an amount above zero", "ja": "0 より大きい金額",
                                               "zh_Hans": "请输入大于零的金额"}),
}


@pytest.mark.parametrize("lang", ["en", "ja", "zh_Hans"])
@pytest.mark.parametrize("case", REFUSALS)
def test_refusals_are_friendly_in_each_language_and_change_nothing(till, world, core, lang, case):  # noqa: F811
    amount, manager, pin, status, words = REFUSALS[case]
    payment = paid_sale(till, world)
    response = post_refund(till, payment["id"], amount, manager=manager, pin=pin, lang=lang)
    assert response.status_code == status and words[lang] in response.text, response.text
    assert 'id="refund-form"' in response.text and f'value="{amount}"' in response.text  # kept for a retry
    assert refunded(core, world, payment["id"]) == 0 and payments.list_refunds(core, payment["id"]) == []


def test_a_manager_locked_out_by_wrong_pins_cannot_approve_until_the_lock_ends(till, world, core, clock):  # noqa: F811
    payment = paid_sale(till, world)
    for _ in range(4):
        assert post_refund(till, payment["id"], "100", pin="0000").status_code == 403
    locked = post_refund(till, payment["id"], "100", pin="0000", lang="ja")
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "300" and "300 秒後" in locked.text
    assert post_refund(till, payment["id"], "100").status_code == 429  # even with the right PIN
    clock.advance(301)
    assert post_refund(till, payment["id"], "100").status_code == 303
    assert refunded(core, world, payment["id"]) == 100


def test_a_refund_without_the_forms_token_is_refused_as_a_page(till, world, core):  # noqa: F811
    payment = paid_sale(till, world)
    response = till.post(f"/terminal/payments/{payment['id']}/refund?lang=zh_Hans",
                         data={"amount": "100", "manager": "Ken", "manager_pin": "9999"})
    assert response.status_code == 400 and "<html" in response.text and refunded(core, world, payment["id"]) == 0


@pytest.mark.parametrize("lang, text", [("en", "Page not found"), ("ja", "ページが見つかりません"),
                                        ("zh_Hans", "找不到页面")])
def test_another_shops_payment_cannot_be_refunded_here(till, world, lang, text):  # noqa: F811
    other = world.other_merchant.post("/api/v1/payment-requests", json={"amount": 500, "currency": "JPY"}).get_json()
    paid = world.wallet.post("/api/v1/payments", json={"payload": other["payload"]}).get_json()
    assert till.get(f"/terminal/payments/{paid['id']}/refund?lang={lang}").status_code == 404
    response = post_refund(till, paid["id"], "100", form={"csrf_token": "x", "idempotency_key": "k"})
    assert response.status_code in (400, 404)
    assert text in till.get(f"/terminal/payments/{paid['id']}/refund?lang={lang}").text


def test_the_signed_out_refund_page_asks_for_a_sign_in(client, world):
    response = client.get("/terminal/payments/pay_X/refund")
    assert response.status_code == 302 and "/terminal/login" in response.headers["Location"]


# ---- transactions list -----------------------------------------------------------------------------------------


def test_the_transactions_list_filters_by_day_status_and_till_and_links_receipts(till, world, core, clock):  # noqa: F811
    first = paid_sale(till, world)
    second = paid_sale(till, world)
    post_refund(till, first["id"], "100")
    page = till.get("/terminal/payments?lang=en").text
    assert f"/terminal/payments/{first['id']}" in page and f"/terminal/payments/{second['id']}" in page
    assert "approved by Ken" in page and "2 payments" in page
    partial = till.get("/terminal/payments?status=partially_refunded").text
    assert first["id"] in partial and second["id"] not in partial
    assert first["id"] in till.get(f"/terminal/payments?till={world.shop['terminal_id']}").text
    assert "No payments match" in till.get("/terminal/payments?date=2025-12-31").text  # the day before, in Tokyo


def test_the_transactions_list_pages(till, world, core):  # noqa: F811
    for _ in range(27):
        paid = charge(till, {"amount": 100})["request"]
        assert world.wallet.post("/api/v1/payments", json={"payload": paid["payload"]}).status_code == 201
    first = till.get("/terminal/payments?lang=ja").text
    assert "ページ 1 / 2 · 27 件" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = till.get("/terminal/payments?page=2").text
    assert second.count("/receipt") == 0 and second.count('href="/terminal/payments/pay_') == 2
    assert 'rel="prev"' in second and 'rel="next"' not in second


@pytest.mark.parametrize("lang, query, text", [
    ("en", "date=2026-02-30", "Choose a date as YYYY-MM-DD."),
    ("ja", "status=lost", "一覧にあるステータスを選んでください。"),
    ("zh_Hans", "till=t_NOTMINE", "请选择本店的收银台。"),
    ("en", "page=0", "That page does not exist."),
])
def test_bad_filters_redraw_the_list_with_a_message(till, lang, query, text):  # noqa: F811
    response = till.get(f"/terminal/payments?{query}&lang={lang}")
    assert response.status_code == 422 and text in response.text and 'id="filters"' in response.text


# ---- poster and navigation -------------------------------------------------------------------------------------


def test_the_counter_poster_is_a_pdf_of_the_tills_static_code(till, world, core):  # noqa: F811
    response = till.get("/terminal/poster.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Shibuya Ramen" in text and "渋谷ラーメン" in text
    code = payments.static_code(core, merchant_id=world.shop["merchant_id"], terminal_id=world.shop["terminal_id"])
    assert code["payload"]


@pytest.mark.parametrize("lang, links", [("en", ["Transactions", "Reports", "Counter poster"]),
                                         ("ja", ["取引一覧", "レポート", "店頭ポスター"]),
                                         ("zh_Hans", ["交易记录", "报表", "柜台海报"])])
def test_the_tills_bar_links_the_new_pages(till, lang, links):  # noqa: F811
    page = till.get(f"/terminal/checkout?lang={lang}").text
    for link in links:
        assert link in page
