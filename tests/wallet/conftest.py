"""Wallet fixtures: real signed payment requests, the API app in-process, a wallet client on it."""

from __future__ import annotations

import httpx
import pytest

from pos import create_app
from pos.core import payments
from pos.core.bootstrap import open_core
from pos.core.platform.clock import FixedClock
from pos.core.platform.ids import IdGenerator
from tests.conftest import TEST_SETTINGS
from tests.core.worlds import jpy_cny_rate, ramen_shop, yen_wallet, yuan_wallet
from tests.web.conftest import TEST_CONFIG


def new_request(core, shop, amount=1280, currency="JPY") -> dict:
    """A signed dynamic payment request of the shop, as its till would make it."""
    return payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                   amount=amount, currency=currency)


@pytest.fixture(scope="session")
def signed_payload(tmp_path_factory):
    """One real signed request payload (Shibuya Ramen / 渋谷ラーメン), for tests that need no API."""
    path = tmp_path_factory.mktemp("scanner") / "qrpos.db"
    core = open_core(f"sqlite:///{path}", clock=FixedClock(), ids=IdGenerator(seed=3), settings=TEST_SETTINGS)
    try:
        return new_request(core, ramen_shop(core))["payload"]
    finally:
        core.db.dispose()


@pytest.fixture
def world(core):
    """Shibuya Ramen, Hanako's JPY wallet (PIN 1234), Li Wei's CNY wallet (PIN 8888), a JPY/CNY rate."""
    shop = ramen_shop(core)
    hanako, li = yen_wallet(core), yuan_wallet(core)
    jpy_cny_rate(core)
    return {"shop": shop, "hanako": hanako, "li": li}


@pytest.fixture
def app(core):
    return create_app({**TEST_CONFIG, "CORE": core})


@pytest.fixture
def transport(app):
    return httpx.WSGITransport(app=app)
