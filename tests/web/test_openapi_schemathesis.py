"""schemathesis against /api/v1/openapi.json: no 500s, and every response matches the document.

Every operation is exercised with real credentials for its security scheme. Bounded for CI: a few
derandomized examples per operation, no shrinking, no example database. ``positive_data_acceptance``
is left out: a schema cannot say "the currency must be this merchant's", so schema-valid bodies can
still be refused with a documented 4xx by the core's rules.
"""

import hypothesis
import schemathesis
from schemathesis.checks import positive_data_acceptance

from pos import create_app
from tests.core.worlds import ramen_shop, yen_wallet
from tests.web.conftest import TEST_CONFIG, sign_in

SETTINGS = hypothesis.settings(
    max_examples=25, deadline=None, database=None, derandomize=True,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate], suppress_health_check=list(hypothesis.HealthCheck),
)


def test_the_api_keeps_its_documented_contract(core):
    app = create_app({**TEST_CONFIG, "CORE": core})
    credentials = {"MerchantKey": ramen_shop(core)["api_key"],
                   "WalletSession": sign_in(app.test_client(), yen_wallet(core)["wallet_id"], "1234")}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25

    for operation in operations:
        headers = {}
        for requirement in operation.definition.raw.get("security", []):
            for name in requirement:
                headers["Authorization"] = f"Bearer {credentials[name]}"

        @SETTINGS
        @hypothesis.given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()
