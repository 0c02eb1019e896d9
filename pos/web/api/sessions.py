"""Wallet sign-in: wallet id and PIN for a bearer token that expires."""

from apiflask import APIBlueprint
from flask import g

from pos.core.parties import sessions
from pos.web import schemas
from pos.web.api import document
from pos.web.auth import bearer_token, core, wallet_required
from pos.web.jsonio import render

bp = APIBlueprint("sessions", __name__, url_prefix="/api/v1", tag="Wallet")


@bp.post("/sessions")
@bp.input(schemas.CreateSession, arg_name="body")
@bp.output(schemas.Session, status_code=201)
@document(bp, "Sign a wallet in", errors=[400, 401],
          description="Returns a bearer token for the wallet endpoints. Sign-in is rate limited per address "
          "and per wallet against PIN guessing.")
def sign_in(body: schemas.CreateSession):
    return render(sessions.sign_in(core(), wallet_id=body.wallet, pin=body.pin), 201)


@bp.delete("/sessions/current")
@wallet_required
@document(bp, "Sign the current session out", auth="WalletSession",
          responses={204: {"description": "Signed out: the token no longer works."}})
def sign_out():
    sessions.sign_out(core(), bearer_token())
    g.pop("wallet_id", None)
    return "", 204
