"""The public, searchable contact directory and its downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request

from toolbox.contacts.service import TYP_LABELS, directory_payload, search
from toolbox.documents.render import get_renderer
from toolbox.instruments.ansprechpersonen import INSTRUMENT

bp = Blueprint("contacts", __name__)


def search_query() -> str:
    """The directory search of this request (`?q=`), as the search box sends it."""
    return request.args.get("q", "").strip()[:200]


@bp.get("/ansprechpersonen")
def directory():
    query = search_query()
    return render_template(
        "contacts.html", contacts=search(query), query=query, typ_labels=TYP_LABELS
    )


@bp.get("/ansprechpersonen/verzeichnis.<fmt>")
def download(fmt: str):
    if fmt not in ("pdf", "docx"):
        abort(404)
    renderer = get_renderer(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    documents = renderer.render(INSTRUMENT, directory_payload(search()))
    document = next(d for d in documents if d.format == fmt)
    response = Response(document.content, mimetype=document.media_type)
    response.headers.set("Content-Disposition", "attachment", filename=document.filename)
    response.headers["Cache-Control"] = "no-store"
    return response
