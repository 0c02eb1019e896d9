"""Every API endpoint × every kind of credential, with the status each must get (issue 12).

The endpoints come from the app's URL map, so a new endpoint without a row here fails
:func:`test_every_api_endpoint_has_a_row_in_the_matrix`. Objects in paths belong to merchant A and
wallet A; every cell gets fresh objects (a new request, a new payment) so that one cell's effect
cannot change another's answer. Beyond the status, no answer to merchant B or wallet B may contain
the id of anything of A's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from pos.core import parties, payments
from pos.core.parties import sessions
from pos.core.platform import webhooks
from tests.core.worlds import ramen_shop, yen_wallet

KINDS = ("none", "wallet_a", "wallet_b", "merchant_a", "merchant_b", "rotated_key", "signed_out")
TODAY = "2026-01-01"  # the FixedClock's day


def merchant(owner: int, other: int) -> dict[str, int]:
    """A merchant endpoint: merchant A gets ``owner``, merchant B ``other``, everyone else 401."""
    return {**dict.fromkeys(KINDS, 401), "merchant_a": owner, "merchant_b": other}


def wallet(owner: int, other: int) -> dict[str, int]:
    return {**dict.fromkeys(KINDS, 401), "wallet_a": owner, "wallet_b": other}


def public(status: int) -> dict[str, int]:
    return dict.fromkeys(KINDS, status)


@dataclass
class World:
    core: object
    shop_a: dict
    shop_b: dict
    wallet_a: str
    wallet_b: str
    merchant_a_key: str
    rotated_key: str
    payment: dict  # wallet A's payment at merchant A
    endpoint_id: str
    delivery_id: str

    def request(self, amount: int = 1200) -> dict:
        return payments.create_request(self.core, merchant_id=self.shop_a["merchant_id"],
                                       terminal_id=self.shop_a["terminal_id"], amount=amount, currency="JPY")

    def paid(self) -> dict:
        return payments.pay(self.core, wallet_id=self.wallet_a, payload=self.request(500)["payload"])

    def token(self, kind: str) -> str | None:
        if kind in ("wallet_a", "wallet_b", "signed_out"):
            wallet_id = self.wallet_b if kind == "wallet_b" else self.wallet_a
            token = sessions.sign_in(self.core, wallet_id=wallet_id, pin="1234")["token"]
            if kind == "signed_out":
                sessions.sign_out(self.core, token)
            return token
        return {"none": None, "merchant_a": self.merchant_a_key, "merchant_b": self.shop_b["api_key"],
                "rotated_key": self.rotated_key}[kind]

    def private_ids(self) -> set[str]:
        """What only A may see (a wallet id is not: a merchant sees who paid it)."""
        return {self.payment["id"], self.payment["request_id"], self.endpoint_id, self.delivery_id}


Make = Callable[[World], tuple[str, dict | None]]
V1 = "/api/v1"
ROWS: dict[tuple[str, str], tuple[dict[str, int], Make]] = {
    # public
    ("GET", f"{V1}/ping"): (public(200), lambda w: (f"{V1}/ping", None)),
    ("GET", f"{V1}/openapi.json"): (public(200), lambda w: (f"{V1}/openapi.json", None)),
    ("GET", f"{V1}/docs"): (public(200), lambda w: (f"{V1}/docs", None)),
    ("POST", f"{V1}/sessions"): (public(201), lambda w: (f"{V1}/sessions", {"wallet": w.wallet_a, "pin": "1234"})),
    # merchant: its own objects, anyone's payment code, its own lists and reports
    ("POST", f"{V1}/payment-requests"): (merchant(201, 201),
                                         lambda w: (f"{V1}/payment-requests", {"amount": 100, "currency": "JPY"})),
    ("GET", f"{V1}/payment-requests/<id:request_id>"): (merchant(200, 404),
                                                        lambda w: (f"{V1}/payment-requests/{w.request()['id']}", None)),
    ("POST", f"{V1}/payment-requests/<id:request_id>/cancel"): (
        merchant(200, 404), lambda w: (f"{V1}/payment-requests/{w.request()['id']}/cancel", None)),
    ("GET", f"{V1}/payment-requests/<id:request_id>/events"): (
        merchant(200, 404), lambda w: (f"{V1}/payment-requests/{_cancelled(w)}/events", None)),
    ("POST", f"{V1}/charges"): (merchant(201, 201), lambda w: (f"{V1}/charges", {
        "code": payments.create_payment_code(w.core, wallet_id=w.wallet_a)["code"], "amount": 100,
        "currency": "JPY"})),
    ("GET", f"{V1}/static-code"): (merchant(200, 200), lambda w: (f"{V1}/static-code", None)),
    ("GET", f"{V1}/payments"): (merchant(200, 200), lambda w: (f"{V1}/payments", None)),
    ("GET", f"{V1}/payments/<id:payment_id>"): (merchant(200, 404),
                                                lambda w: (f"{V1}/payments/{w.payment['id']}", None)),
    ("POST", f"{V1}/payments/<id:payment_id>/refunds"): (
        merchant(201, 404), lambda w: (f"{V1}/payments/{w.paid()['id']}/refunds", {"amount": 100})),
    ("GET", f"{V1}/payments/<id:payment_id>/refunds"): (
        merchant(200, 404), lambda w: (f"{V1}/payments/{w.payment['id']}/refunds", None)),
    ("GET", f"{V1}/reports/daily"): (merchant(200, 200), lambda w: (f"{V1}/reports/daily?date={TODAY}", None)),
    ("POST", f"{V1}/webhook-endpoints"): (merchant(201, 201),
                                          lambda w: (f"{V1}/webhook-endpoints", {"url": "https://shop.example/h"})),
    ("GET", f"{V1}/webhook-endpoints"): (merchant(200, 200), lambda w: (f"{V1}/webhook-endpoints", None)),
    ("POST", f"{V1}/webhook-endpoints/<id:endpoint_id>/disable"): (
        merchant(200, 404), lambda w: (f"{V1}/webhook-endpoints/{w.endpoint_id}/disable", None)),
    ("GET", f"{V1}/webhook-deliveries"): (merchant(200, 200), lambda w: (f"{V1}/webhook-deliveries", None)),
    ("POST", f"{V1}/webhook-deliveries/<id:delivery_id>/resend"): (
        merchant(200, 404), lambda w: (f"{V1}/webhook-deliveries/{w.delivery_id}/resend", None)),
    # wallet: any wallet may scan and pay any request; its own wallet, payments and codes
    ("POST", f"{V1}/scans"): (wallet(200, 200), lambda w: (f"{V1}/scans", {"payload": w.request()["payload"]})),
    ("POST", f"{V1}/payments"): (wallet(201, 201), lambda w: (f"{V1}/payments", {"payload": w.request()["payload"]})),
    ("GET", f"{V1}/wallet"): (wallet(200, 200), lambda w: (f"{V1}/wallet", None)),
    ("GET", f"{V1}/wallet/payments"): (wallet(200, 200), lambda w: (f"{V1}/wallet/payments", None)),
    ("GET", f"{V1}/wallet/payments/<id:payment_id>"): (
        wallet(200, 404), lambda w: (f"{V1}/wallet/payments/{w.payment['id']}", None)),
    ("POST", f"{V1}/payment-codes"): (wallet(201, 201), lambda w: (f"{V1}/payment-codes", None)),
    ("DELETE", f"{V1}/sessions/current"): (wallet(204, 204), lambda w: (f"{V1}/sessions/current", None)),
}


def _cancelled(w: World) -> str:
    """A request that can change no more, so that its event stream ends at once."""
    request = w.request()
    payments.cancel_request(w.core, merchant_id=w.shop_a["merchant_id"], request_id=request["id"])
    return request["id"]


def api_endpoints(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
            for method in rule.methods - {"HEAD", "OPTIONS"}}


@pytest.fixture
def matrix_world(core) -> World:
    shop_a, shop_b = ramen_shop(core), ramen_shop(core, name="Other Noodles")
    wallet_a, wallet_b = yen_wallet(core, balance=1_000_000)["wallet_id"], yen_wallet(core)["wallet_id"]
    endpoint = webhooks.register_endpoint(core, merchant_id=shop_a["merchant_id"], url="https://shop.example/a")
    world = World(core, shop_a, shop_b, wallet_a, wallet_b, merchant_a_key="", rotated_key=shop_a["api_key"],
                  payment={}, endpoint_id=endpoint["id"], delivery_id="")
    world.merchant_a_key = parties.rotate_api_key(core, terminal_id=shop_a["terminal_id"])["api_key"]
    world.payment = world.paid()
    world.delivery_id = webhooks.list_deliveries(core, merchant_id=shop_a["merchant_id"], limit=1)[0]["id"]
    return world


def test_every_api_endpoint_has_a_row_in_the_matrix(app):
    endpoints = api_endpoints(app)
    assert endpoints - set(ROWS) == set(), "add a row to ROWS for each new endpoint"
    assert set(ROWS) - endpoints == set(), "a row for an endpoint that no longer exists"
    documented = {(method.upper(), "/api/v1" + path.removeprefix("/api/v1")) for path, item in
                  app.test_client().get(f"{V1}/openapi.json").get_json()["paths"].items() for method in item}
    assert len(documented) == len(endpoints) - 2  # all but the document itself and the docs page


def test_each_credential_gets_exactly_its_status_on_every_endpoint(client, matrix_world):
    wrong, cells = [], 0
    for (method, rule), (expected, make) in ROWS.items():
        for kind in KINDS:
            path, body = make(matrix_world)
            token = matrix_world.token(kind)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = client.open(path, method=method, json=body, headers=headers)
            text = response.get_data(as_text=True)
            response.close()
            cells += 1
            if response.status_code != expected[kind]:
                wrong.append(f"{method} {rule} as {kind}: {response.status_code} not {expected[kind]}: {text[:100]}")
            elif kind in ("merchant_b", "wallet_b") and not rule.endswith("/sessions"):
                leaked = {i for i in matrix_world.private_ids() if i in text and i not in path}  # 404s name it
                if leaked:
                    wrong.append(f"{method} {rule} as {kind} shows A's {sorted(leaked)}")
            if response.status_code == 401:
                assert response.headers["WWW-Authenticate"] == "Bearer" and response.is_json, (method, rule, kind)
    assert cells == len(ROWS) * len(KINDS)
    assert wrong == [], "\n".join(wrong)
