"""The public, searchable contact directory and its downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request

from toolbox.contacts.directory import FORMATS, is_current, latest, request_rebuild
from toolbox.contacts.service import TYP_LABELS, search
from toolbox.core.extensions import limiter
from toolbox.documents.formatting import document_filename
from toolbox.documents.render import MEDIA_TYPES
from toolbox.instruments.ansprechpersonen import INSTRUMENT

bp = Blueprint("contacts", __name__)

# Seconds until asking again while the first render of the directory is being built.
RETRY_AFTER = 10


def search_query() -> str:
    """The directory search of this request (`?q=`), as the search box sends it."""
    return request.args.get("q", "").strip()[:200]


@bp.get("/ansprechpersonen")
def directory():
    query = search_query()
    return render_template(
        "contacts.html", contacts=search(query), query=query, typ_labels=TYP_LABELS
    )


def directory_limit() -> str:
    return current_app.config["TOOLBOX_DIRECTORY_RATE_LIMIT"]


@bp.get("/ansprechpersonen/verzeichnis.<fmt>")
@limiter.limit(directory_limit)
def download(fmt: str):
    """The pre-rendered directory (a worker renders it, never this request): the newest
    cached render, also while a newer one is being built; 503 until the first exists."""
    if fmt not in FORMATS:
        abort(404)
    row = latest(fmt)
    if not is_current(row):
        request_rebuild()
    if row is None:
        response = Response(
            render_template("directory_pending.html"), status=503, mimetype="text/html"
        )
        response.headers["Retry-After"] = str(RETRY_AFTER)
        response.headers["Cache-Control"] = "no-store"
        return response
    etag = row.cache_key
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(row.content, mimetype=MEDIA_TYPES[fmt])
        filename = document_filename(row.created_at.date(), INSTRUMENT.document_title, "", fmt)
        response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response
