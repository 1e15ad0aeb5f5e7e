"""GET /healthz: is the database reachable, is the broker reachable?"""

from __future__ import annotations

from flask import Blueprint, jsonify

from toolbox.ops.probes import check_broker, check_database

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    result = {"database": check_database(), "broker": check_broker()}
    healthy = all(v == "ok" for v in result.values())
    return jsonify(result), 200 if healthy else 503
