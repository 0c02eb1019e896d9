"""schemathesis against /api/v1/openapi.json: no 500s, and every response matches the document.

Every operation is exercised with real credentials for its security scheme. Bounded for CI: a few
derandomized examples per operation, no shrinking, no example database; QRPOS_LONG=1 runs 60 per
operation (over 1,000 in all) and prints the figures reported in docs/reliability.md. ``positive_data_acceptance``
is left out: a schema cannot say "the currency must be this merchant's", so schema-valid bodies can
still be refused with a documented 4xx by the core's rules.
"""

from collections import Counter

import hypothesis
import schemathesis
from schemathesis.checks import positive_data_acceptance

from pos import create_app
from tests.core.worlds import ramen_shop, yen_wallet
from tests.long_mode import LONG, scaled
from tests.web.conftest import TEST_CONFIG, sign_in

SETTINGS = hypothesis.settings(
    max_examples=scaled(25, 60), deadline=None, database=None, derandomize=True,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate], suppress_health_check=list(hypothesis.HealthCheck),
)


def test_the_api_keeps_its_documented_contract(core):
    app = create_app({**TEST_CONFIG, "CORE": core})
    credentials = {"MerchantKey": ramen_shop(core)["api_key"],
                   "WalletSession": sign_in(app.test_client(), yen_wallet(core)["wallet_id"], "1234")}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    statuses: Counter[int] = Counter()
    undocumented: list[tuple[str, str, int]] = []

    for operation in operations:
        headers = {}
        for requirement in operation.definition.raw.get("security", []):
            for name in requirement:
                headers["Authorization"] = f"Bearer {credentials[name]}"

        documented = set(operation.definition.raw["responses"])

        @SETTINGS
        @hypothesis.given(case=operation.as_strategy())
        def check(case):
            # B023 is silenced below: check() runs at once, within this iteration of the loop
            response = case.call_and_validate(headers=headers,  # noqa: B023
                                              excluded_checks=[positive_data_acceptance])
            statuses[response.status_code] += 1
            if str(response.status_code) not in documented and "default" not in documented:  # noqa: B023
                undocumented.append((case.method, case.path, response.status_code))

        check()

    tried = sum(statuses.values())
    print(f"\nschemathesis: {tried} requests over {len(operations)} operations, "
          f"statuses {dict(sorted(statuses.items()))}")
    assert statuses[500] == 0 and not [s for s in statuses if s >= 500 and s != 503]
    assert undocumented == []
    assert tried >= (1000 if LONG else len(operations))


ISSUE_ENDPOINTS = {
    ("post", "/api/v1/payment-requests"), ("get", "/api/v1/payment-requests/{request_id}"),
    ("post", "/api/v1/payment-requests/{request_id}/cancel"), ("get", "/api/v1/payment-requests/{request_id}/events"),
    ("post", "/api/v1/charges"), ("post", "/api/v1/payments/{payment_id}/refunds"), ("get", "/api/v1/payments"),
    ("get", "/api/v1/reports/daily"), ("post", "/api/v1/sessions"), ("post", "/api/v1/scans"),
    ("post", "/api/v1/payments"), ("get", "/api/v1/wallet"), ("get", "/api/v1/wallet/payments"),
    ("post", "/api/v1/payment-codes"), ("post", "/api/v1/webhook-endpoints"),
}
IDEMPOTENT = {("post", "/api/v1/payment-requests"), ("post", "/api/v1/payment-requests/{request_id}/cancel"),
              ("post", "/api/v1/charges"), ("post", "/api/v1/payments/{payment_id}/refunds"),
              ("post", "/api/v1/payments")}


def test_the_document_describes_every_endpoint_its_errors_and_headers(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = {(method, path): op for path, item in spec["paths"].items() for method, op in item.items()}
    assert set(operations) >= ISSUE_ENDPOINTS
    for key, op in operations.items():
        assert op["summary"] and {"422", "429"} <= set(op["responses"]), key
        assert "Retry-After" in op["responses"]["429"]["headers"], key
        if op.get("security"):
            assert "401" in op["responses"], key
        has_key = any(p["name"] == "Idempotency-Key" for p in op.get("parameters", []))
        assert has_key == (key in IDEMPOTENT), key
    assert set(spec["components"]["securitySchemes"]) == {"MerchantKey", "WalletSession"}


def test_the_docs_page_loads_its_assets_from_the_app(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "cdn." not in html and "/static/swagger-ui/swagger-ui-bundle.js" in html
    asset = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()
