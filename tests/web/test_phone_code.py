"""The wallet's "show code" through Flask's test client: a one-time code as a QR and digits, its event
stream turning to paid when a till charges it, and home, history and receipts (page and PDF)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from pos import qrimage
from pos.core import payments
from tests.web.conftest import create_request
from tests.web.test_phone_sign_in import csrf, tourist  # noqa: F401  (a fixture)


def show_code(client) -> dict:
    response = client.post("/wallet/code", headers=csrf(client))
    assert response.status_code == 201
    return response.get_json()


@pytest.mark.parametrize("lang, words", [("en", "Show this code at the till"), ("ja", "レジで見せてください"),
                                         ("zh_Hans", "请在收银台出示此付款码")])
def test_the_show_code_page_is_served_in_each_language(tourist, lang, words):  # noqa: F811
    page = tourist.get(f"/wallet/code?lang={lang}")
    assert page.status_code == 200 and words in page.text and "<script>" not in page.text


def test_a_code_is_twenty_digits_and_a_qr_of_them_renewed_before_it_lapses(tourist):  # noqa: F811
    code = show_code(tourist)
    digits = code["digits"].replace(" ", "")
    assert len(digits) == 20 and digits.startswith("99") and code["refresh_in"] == 50 and code["lifetime"] == 60
    assert code["qr_svg"].startswith("<svg") and digits not in code["ref"]
    assert qrimage.decode(qrimage.render_png(digits)) == [digits]


def test_the_code_stream_turns_to_paid_when_a_till_charges_the_code(tourist, world, core):  # noqa: F811
    code = show_code(tourist)
    digits = code["digits"].replace(" ", "")
    payments.charge(core, merchant_id=world.shop["merchant_id"], terminal_id=world.shop["terminal_id"], code=digits,
                    amount=1280, currency="JPY")
    stream = tourist.get(f"/wallet/code/{code['ref']}/events")
    text = stream.get_data(as_text=True)
    assert stream.mimetype == "text/event-stream"
    assert "event: payment_code.paid" in text and "CN¥" in text and "/wallet/payments/pay_" in text
    replay = tourist.get(f"/wallet/code/{code['ref']}/events", headers={"Last-Event-ID": "1"})
    assert "payment_code.paid" not in replay.get_data(as_text=True)  # already seen: the stream just ends


def test_the_code_stream_says_expired_once_the_code_lapses(tourist, clock):  # noqa: F811
    code = show_code(tourist)
    clock.advance(61)
    text = tourist.get(f"/wallet/code/{code['ref']}/events").get_data(as_text=True)
    assert "event: payment_code.expired" in text


def test_another_wallets_code_or_a_made_up_one_has_no_stream(tourist, world):  # noqa: F811
    other = world.wallet.post("/api/v1/payment-codes").get_json()["code"]
    from pos.web.phone.code import code_ref

    for ref in (code_ref(other), "0" * 24):
        response = tourist.get(f"/wallet/code/{ref}/events", headers={"Accept": "application/json"})
        assert response.status_code == 404


@pytest.mark.parametrize("lang, balance, words", [("en", "CN¥1,000.00", "No payments yet"),
                                                  ("ja", "元1,000.00", "まだ支払いはありません"),
                                                  ("zh_Hans", "¥1,000.00", "还没有付款记录")])
def test_home_shows_the_balance_in_the_wallets_currency_and_miles(tourist, lang, balance, words):  # noqa: F811
    page = tourist.get(f"/wallet/?lang={lang}")
    assert page.status_code == 200 and f'<p class="big-number" id="balance">{balance}</p>' in page.text
    assert '<span id="miles">0</span>' in page.text and words in page.text


def _pay(world, amount=1280):
    req = create_request(world.merchant, amount=amount)
    return world.tourist.post("/api/v1/payments", json={"payload": req["payload"]}).get_json()


def test_recent_payments_and_history_link_to_receipts_in_the_readers_script(tourist, world):  # noqa: F811
    paid = [_pay(world, 100 * (i + 1)) for i in range(7)]
    home = tourist.get("/wallet/?lang=ja")
    assert home.text.count('class="payment"') == 5 and "渋谷ラーメン" in home.text
    assert f'/wallet/payments/{paid[-1]["id"]}' in home.text and "/wallet/history" in home.text
    history = tourist.get("/wallet/history?lang=en")
    assert history.text.count('class="payment"') == 7 and "Shibuya Ramen" in history.text
    assert tourist.get("/wallet/history?after=pay_nonsense").headers["Location"] == "/wallet/history"


@pytest.mark.parametrize("lang, words", [("en", "Charged to the wallet"), ("ja", "ウォレットへのご請求"),
                                         ("zh_Hans", "钱包扣款")])
def test_a_receipt_is_a_page_and_a_pdf_in_each_language(tourist, world, lang, words):  # noqa: F811
    paid = _pay(world)
    page = tourist.get(f"/wallet/payments/{paid['id']}?lang={lang}")
    assert page.status_code == 200 and words in page.text
    pdf = tourist.get(f"/wallet/payments/{paid['id']}/receipt.pdf?lang={lang}")
    assert pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "62.63" in text and ("渋谷ラーメン" in text or lang == "en")


def test_another_wallets_receipt_is_not_found(tourist, world):  # noqa: F811
    req = create_request(world.merchant, amount=500)
    theirs = world.wallet.post("/api/v1/payments", json={"payload": req["payload"]}).get_json()
    assert tourist.get(f"/wallet/payments/{theirs['id']}").status_code == 404
    assert tourist.get(f"/wallet/payments/{theirs['id']}/receipt.pdf").status_code == 404
    assert tourist.get("/wallet/payments/nope!").status_code == 404


def test_a_refunded_payment_says_so_in_the_list(tourist, world):  # noqa: F811
    paid = _pay(world)
    assert "badge" not in tourist.get("/wallet/history").text
    world.merchant.post(f"/api/v1/payments/{paid['id']}/refunds", json={"amount": 100})
    assert "Partly refunded" in tourist.get("/wallet/history").text
