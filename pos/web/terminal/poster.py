"""The counter poster: the till's static QR (the payer types the amount) as a printable PDF."""

from __future__ import annotations

from flask import Response, g, request, session

from pos.core import payments
from pos.printing import Poster, Shop, render_poster
from pos.web.auth import core
from pos.web.terminal.shop_day import shop_tz
from pos.web.terminal.views import bp


@bp.get("/poster.pdf")
def poster_pdf():
    m, till = g.merchant_row, g.terminal_row
    code = payments.static_code(core(), merchant_id=session["merchant_id"], terminal_id=session["terminal_id"])
    shop = Shop(name=m.name, name_local=m.name_local or m.name, language=m.language or "ja", time_zone=shop_tz(),
                terminal_label=till.label)
    paper = "A5" if request.args.get("paper") == "A5" else "A4"
    pdf = render_poster(Poster(shop=shop, payload=code["payload"], caption=till.label), paper)
    headers = {"Content-Disposition": f'inline; filename="poster-{till.id}.pdf"'}
    return Response(pdf, mimetype="application/pdf", headers=headers)
