"""A paid sale's receipt at the till (page and PDF in three languages) and from `qrpos receipt`."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from pypdf import PdfReader

from pos.core import payments
from tests.web.test_checkout import charge, till  # noqa: F401  (the signed-in till fixture)


def paid_sale(till, world):  # noqa: F811
    data = charge(till, {"lines": [{"item_id": "shoyu-ramen", "quantity": 2}, {"item_id": "gyoza", "quantity": 1}]})
    req = data["request"]
    scan = world.tourist.post("/api/v1/scans", json={"payload": req["payload"]}).get_json()
    paid = world.tourist.post("/api/v1/payments", json={"payload": req["payload"], "quote_id": scan["quote"]["id"]})
    assert paid.status_code == 201, paid.get_json()
    return paid.get_json()


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_receipt_page_shows_lines_total_and_what_the_tourist_was_charged(till, world):  # noqa: F811
    payment = paid_sale(till, world)
    page = till.get(f"/terminal/payments/{payment['id']}?lang=zh_Hans").text
    assert "酱油拉面" in page and "JP¥2,410" in page and "¥" in page and payment["id"] in page
    assert payment["charged"]["currency"] == "CNY"


@pytest.mark.parametrize("lang, words", [("ja", ["渋谷ラーメン", "醤油ラーメン", "領収書"]),
                                         ("zh", ["渋谷ラーメン", "酱油拉面", "收据"]),
                                         ("en", ["Shibuya Ramen", "Shoyu ramen"])])
def test_the_receipt_pdf_prints_cjk_text_that_reads_back(till, world, lang, words):  # noqa: F811
    payment = paid_sale(till, world)
    response = till.get(f"/terminal/payments/{payment['id']}/receipt.pdf?lang={lang}")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for word in words:
        assert word in text


def test_a_refund_shows_on_the_receipt(till, world, core):  # noqa: F811
    payment = paid_sale(till, world)
    payments.refund(core, merchant_id=world.shop["merchant_id"], payment_id=payment["id"], amount=450)
    assert "-JP¥450" in pdf_text(till.get(f"/terminal/payments/{payment['id']}/receipt.pdf?lang=zh").data)


def test_another_merchants_receipt_is_not_found(till, world, core):  # noqa: F811
    response = till.get("/terminal/payments/pay_NOSUCHPAYMENT0000?lang=ja")
    assert response.status_code == 404 and "ページが見つかりません" in response.text


def test_qrpos_receipt_writes_the_same_pdf(tmp_path, till, world, db_url):  # noqa: F811
    payment = paid_sale(till, world)
    out = tmp_path / "r.pdf"
    done = subprocess.run([sys.executable, "-c", "from pos.cli import main; main()", "--db", db_url, "receipt",
                           payment["id"], "--lang", "ja", "--pdf", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "醤油ラーメン" in pdf_text(out.read_bytes())
    missing = subprocess.run([sys.executable, "-c", "from pos.cli import main; main()", "--db", db_url, "receipt",
                              "pay_NOPE", "--pdf", str(out)], capture_output=True, text=True)
    assert missing.returncode == 1 and missing.stderr.startswith("qrpos: PAYMENT_NOT_FOUND")
