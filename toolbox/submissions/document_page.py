"""The finished document as a web page ("Als Webseite lesen" on the private page): the
same template and context as the PDF, as accessible HTML that prints with the PDF's page
layout (its stylesheet, templates/html/assets/document.css, is served here too)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template
from markupsafe import Markup

from toolbox.documents.html_view import get_html_view
from toolbox.documents.render import document_context
from toolbox.instruments.registry import get_instrument
from toolbox.submissions.views import submission_or_404

bp = Blueprint("document_page", __name__)


@bp.get("/s/<token>/webseite")
def page(token: str):
    submission = submission_or_404(token)
    instrument = get_instrument(submission.instrument)
    if instrument is None:
        abort(404)
    job = submission.job
    # The date the PDF was made on (its footer), before that the day it was submitted.
    made = job.finished_at if job is not None and job.finished_at else submission.created_at
    ctx = document_context(instrument, submission.payload, made.date())
    ctx["ersetzt"] = submission.replaces_label
    view = get_html_view(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    return render_template(  # private (a token route): core/security.py sends no-store
        "document_page.html",
        submission=submission,
        title=f"{instrument.document_title} – {ctx['short_name']}".rstrip(" –"),
        document=Markup(view.render(instrument, ctx)),  # noqa: S704 (escaped by Jinja)
        has_pdf=any(d.format == "pdf" for d in submission.documents),
    )


@bp.get("/dokument.css")
def stylesheet():
    """The PDF's stylesheet, so the printed web page has the PDF's page layout."""
    view = get_html_view(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    response = Response(view.stylesheet.read_bytes(), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
