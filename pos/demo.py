"""The demo: a world of shops and wallets from assets/, and a narrated tourist walkthrough that
goes through the real core (signed QR, scan, FX quote, pay, miles, refund, ledger proof)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pos import qrimage
from pos.core import codec, parties, payments
from pos.core.ledger.verify import audit
from pos.core.money import Money
from pos.core.parties import staff as staff_rules

ASSETS = Path(__file__).resolve().parent.parent / "assets"
WORLD = ASSETS / "demo-world.json"


def seed(core, world_path: Path = WORLD) -> dict:
    """Create the demo world; returns the ids and credentials it made, by key."""
    world = json.loads(world_path.read_text(encoding="utf-8"))
    made: dict = {"merchants": {}, "wallets": {}}
    for rate in world["fx_rates"]:
        payments.set_rate(core, **rate)
    for spec in world["merchants"]:
        spec = dict(spec)
        key = spec.pop("key")
        people = spec.pop("staff", [])
        if people:
            spec["staff_name"] = people[0]["name"]
        made["merchants"][key] = shop = parties.create_merchant(core, **spec)
        shop["staff"] = _add_people(core, shop, people)
    for spec in world["wallets"]:
        spec = dict(spec)
        key = spec.pop("key")
        made["wallets"][key] = {**parties.create_wallet(core, **spec), "pin": spec["pin"]}
    return made


def _add_people(core, shop: dict, people: list[dict]) -> list[dict]:
    """The demo's staff with their PINs: the first is the one create_merchant made."""
    made = []
    for n, person in enumerate(people):
        staff_id = shop["staff_id"] if n == 0 else parties.add_staff(
            core, merchant_id=shop["merchant_id"], name=person["name"], role=person["role"])["staff_id"]
        if n == 0 and person["role"] != "cashier":
            raise ValueError("the demo's first member of staff of a shop is its cashier")
        staff_rules.set_pin(core, staff_id=staff_id, pin=person["pin"])
        made.append({**person, "staff_id": staff_id})
    return made


def save_qr(payload: str, path: Path) -> Path:
    """The request as a real QR image (error correction M, as EMVCo recommends for phones)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(qrimage.render_png(payload, scale=8, border=4, error="M"))
    return path


def walkthrough(core, world: dict, out: Callable[[str], None], image_dir: Path, read_image=None) -> dict:
    """A visitor from China pays shops in Japan from a CNY wallet and earns miles; one refund."""
    ramen, tea = world["merchants"]["ramen"], world["merchants"]["tea"]
    tourist = world["wallets"]["tourist"]["wallet_id"]

    def money(m: dict, locale="en_US") -> str:  # en_US tells ¥ (JPY) from CN¥ (CNY)
        return Money(m["amount"], m["currency"]).format(locale)

    def balance() -> str:
        w = parties.wallet_summary(core, tourist)
        return f"{money(w['balance'], 'en_US')} and {w['miles']} miles"

    out(f"1. Li Wei, visiting from Shanghai, has {balance()} in a CNY wallet.")
    req = payments.create_request(core, merchant_id=ramen["merchant_id"], terminal_id=ramen["terminal_id"],
                                  amount=1280, currency="JPY", reference="TABLE-7")
    png = save_qr(req["payload"], image_dir / "demo-request.png")
    out(f"2. Shibuya Ramen rings up {Money(req['amount'], req['currency']).format('en_US')}: "
        f"a signed EMVCo dynamic QR, single use, expires {req['expires_at']} ({png}).")
    out(f"   payload: {req['payload']}")
    scanned_payload = read_image(str(png)) if read_image else req["payload"]
    fields = codec.inspect_payload(scanned_payload)["fields"]
    local = fields["merchant_info_language"] or {}
    out(f"3. The wallet reads the QR image back: EMVCo payload for {fields['merchant_name']} / {local.get('01')} "
        f"({fields['merchant_city']} / {local.get('02')}), amount {fields['amount']}, currency {fields['currency']}.")
    scan = payments.scan(core, wallet_id=tourist, payload=scanned_payload)
    q = scan["quote"]
    out(f"   It shows {scan['payee']['name_local']} ({scan['payee']['city_local']}), "
        f"{Money(scan['amount'], scan['currency']).format('en_US')} ≈ {money(q['pay'], 'en_US')} "
        f"at {q['rate']} CNY/JPY incl. {q['spread_bp'] / 100:.2f}% spread, quote valid until {q['expires_at']}.")
    paid = payments.pay(core, wallet_id=tourist, payload=scanned_payload, quote_id=q["id"],
                        idempotency_key="demo-ramen")
    out(f"4. Paid: {money(paid['charged'], 'en_US')} charged, shop credited "
        f"{Money(paid['amount'], 'JPY').format('en_US')} (fee {money(paid['fee'])}), "
        f"{paid['miles_earned']} miles earned. Now {balance()}.")
    retry = payments.pay(core, wallet_id=tourist, payload=scanned_payload, quote_id=q["id"],
                         idempotency_key="demo-ramen")
    out(f"   A network retry with the same idempotency key returns the same payment {retry['id']}; "
        f"nothing is charged twice. Now {balance()}.")
    tea_req = payments.create_request(core, merchant_id=tea["merchant_id"], terminal_id=tea["terminal_id"],
                                      amount=3000, currency="JPY")
    split = payments.pay(core, wallet_id=tourist, payload=tea_req["payload"], miles=1000)
    out(f"5. At Uji Tea House (宇治茶房) a ¥3,000 matcha set: 1,000 miles + {money(split['charged'], 'en_US')}, "
        f"{split['miles_earned']} miles earned on the cash part. Now {balance()}.")
    back = payments.refund(core, merchant_id=ramen["merchant_id"], payment_id=paid["id"], amount=500,
                          idempotency_key="demo-refund")
    out(f"6. Shibuya Ramen refunds ¥500 of the ramen: {money(back['cash_back'], 'en_US')} back at the "
        f"original rate, {back['miles_clawed']} miles clawed back. Now {balance()}.")
    report = audit(core)
    out(f"7. {report['summary']}.")
    return {"request": req, "payment": paid, "split": split, "refund": back, "audit": report}
