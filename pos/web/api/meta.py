"""A trivial endpoint: liveness for load balancers and the benchmark's baseline."""

from apiflask import APIBlueprint

from pos.web import schemas
from pos.web.api import document
from pos.web.jsonio import render

bp = APIBlueprint("meta", __name__, url_prefix="/api/v1", tag="Meta")


@bp.get("/ping")
@bp.output(schemas.Pong)
@document(bp, "Liveness: a constant JSON answer, no database")
def ping():
    return render({"status": "ok"})
