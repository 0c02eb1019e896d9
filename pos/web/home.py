"""The landing page: where the terminal, the wallet, the walkthroughs and the API docs are, and
which demo sign-ins to use (the demo world's PINs, for shops and wallets that came from it)."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from markupsafe import Markup
from sqlalchemy import select

from pos import qrimage
from pos.core.store.schema import merchants, staff, terminals, wallets
from pos.web.auth import core

bp = Blueprint("home", __name__)
DEMO_WORLD = Path(__file__).resolve().parents[2] / "assets" / "demo-world.json"


def _demo_pins() -> tuple[dict, dict]:
    """PINs of the demo world by (shop, staff name) and by wallet owner; empty if there is none."""
    try:
        world = json.loads(DEMO_WORLD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    staff_pins = {(m["name"], s["name"]): s["pin"] for m in world.get("merchants", []) for s in m.get("staff", [])}
    wallet_pins = {w["owner"]: w["pin"] for w in world.get("wallets", [])}
    return staff_pins, wallet_pins


def directory(limit: int = 20) -> tuple[list[dict], list[dict]]:
    staff_pins, wallet_pins = _demo_pins()
    with core().db.read() as conn:
        shops = []
        for m in conn.execute(select(merchants).order_by(merchants.c.created_at).limit(limit)):
            tills = [t.label for t in conn.execute(select(terminals.c.label).where(terminals.c.merchant_id == m.id))]
            people = [{"name": s.name, "role": s.role, "pin": staff_pins.get((m.name, s.name))}
                      for s in conn.execute(select(staff).where(staff.c.merchant_id == m.id).order_by(staff.c.role))]
            shops.append({"name": m.name, "name_local": m.name_local, "tills": tills, "staff": people})
        found = [{"id": w.id, "owner": w.owner, "currency": w.currency, "pin": wallet_pins.get(w.owner)}
                 for w in conn.execute(select(wallets).order_by(wallets.c.created_at).limit(limit))]
    return shops, [w for w in found if w["pin"]]


def phone_url() -> str:
    """Where a phone reaches the wallet: the server's LAN address if it has one, else this page's."""
    urls = current_app.extensions.get("qrpos.urls") or []
    lan = [u for u in urls if "127.0.0.1" not in u and "localhost" not in u and "[::1]" not in u]
    return (lan[-1] if lan else request.host_url.rstrip("/")) + "/wallet/"


@bp.get("/")
def index():
    shops, demo_wallets = directory()
    areas = current_app.extensions.get("qrpos.home_areas", [])
    phone = phone_url()
    return render_template("home/index.html", shops=shops, wallets=demo_wallets, extra_areas=areas,
                           phone_url=phone, phone_qr=Markup(qrimage.render_svg(phone, scale=5, border=2)))


def init_app(app) -> None:
    app.register_blueprint(bp)
