"""Web-layer fixtures: the app on the test's core (shared clock, seeded ids), a client, a small world."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pos import create_app
from tests.core.worlds import jpy_cny_rate, ramen_shop, yen_wallet, yuan_wallet

TEST_CONFIG = dict(TESTING=True, RATELIMIT_ENABLED=False, SSE_POLL_SECONDS=0.05, SSE_MAX_SECONDS=5.0)


@pytest.fixture
def app(core):
    app = create_app({**TEST_CONFIG, "CORE": core})
    yield app
    app.extensions["qrpos.notifier"].close()  # stops the live-status listener if a stream started it


@pytest.fixture
def client(app):
    return app.test_client()


class Api:
    """The client with credentials: ``api.merchant.post(...)``, ``api.wallet.get(...)``."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, path, headers=None, **kw):
        return self.client.get(path, headers=self._headers(headers), **kw)

    def post(self, path, json=None, headers=None, **kw):
        return self.client.post(path, json=json, headers=self._headers(headers), **kw)

    def delete(self, path, headers=None, **kw):
        return self.client.delete(path, headers=self._headers(headers), **kw)


def sign_in(client, wallet_id, pin):
    response = client.post("/api/v1/sessions", json={"wallet": wallet_id, "pin": pin})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


@pytest.fixture
def world(core, client):
    """A ramen shop in Tokyo, a Japanese wallet (10,000 JPY) and a Chinese one (1,000.00 CNY)."""
    shop = ramen_shop(core)
    other_shop = ramen_shop(core, name="Other Noodles")
    hanako = yen_wallet(core)
    li = yuan_wallet(core)
    jpy_cny_rate(core)
    return SimpleNamespace(
        shop=shop,
        merchant=Api(client, shop["api_key"]),
        other_merchant=Api(client, other_shop["api_key"]),
        hanako=hanako,
        wallet=Api(client, sign_in(client, hanako["wallet_id"], "1234")),
        li=li,
        tourist=Api(client, sign_in(client, li["wallet_id"], "8888")),
    )


def create_request(merchant, amount=1200, **extra):
    response = merchant.post("/api/v1/payment-requests", json={"amount": amount, "currency": "JPY", **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def error_code(response):
    body = response.get_json()
    assert set(body) == {"error"}, body
    return body["error"]["code"]


def till_staff(core, shop) -> dict:
    """The shop's cashier (the one create_merchant made) gets PIN 1111; a manager Ken, PIN 9999."""
    from pos.core import parties
    from pos.core.parties import staff

    staff.set_pin(core, staff_id=shop["staff_id"], pin="1111")
    with core.db.write() as conn:
        from sqlalchemy import update

        from pos.core.store.schema import staff as staff_table

        conn.execute(update(staff_table).where(staff_table.c.id == shop["staff_id"]).values(name="Yuki"))
    ken = parties.add_staff(core, merchant_id=shop["merchant_id"], name="Ken", role="manager")
    staff.set_pin(core, staff_id=ken["staff_id"], pin="9999")
    return {"cashier": shop["staff_id"], "manager": ken["staff_id"]}
