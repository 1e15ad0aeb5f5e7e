"""German error pages for people, JSON errors for the API."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: _l("Die Anfrage war fehlerhaft."),
    404: _l("Diese Seite gibt es nicht (mehr). Bitte prüfen Sie den Link."),
    405: _l("Diese Aktion ist hier nicht möglich."),
    413: _l("Die gesendeten Daten sind zu groß."),
    429: _l("Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es erneut."),
    500: _l(
        "Es ist ein interner Fehler aufgetreten. Ihre Eingaben sind nicht verloren; "
        "bitte versuchen Sie es später erneut."
    ),
    503: _l("Der Dienst ist gerade nicht erreichbar."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def register_error_handlers(app: Flask) -> None:
    def handle(code):
        def handler(error):
            message = str(MESSAGES[code])
            # Keep the exception's own headers (e.g. ``Allow`` on 405, RFC 9110 15.5.6).
            headers = []
            if isinstance(error, HTTPException):
                headers = [
                    (name, value)
                    for name, value in error.get_headers()
                    if name.lower() != "content-type"
                ]
            if _wants_json():
                return jsonify({"error": message}), code, headers
            return render_template("error.html", code=code, message=message), code, headers

        return handler

    for code in MESSAGES:
        app.register_error_handler(code, handle(code))

    @app.errorhandler(CSRFError)
    def _csrf(error):
        # Forms handle an expired token themselves (input kept); this covers the rest.
        return render_template(
            "error.html",
            code=400,
            message=_("Die Sitzung ist abgelaufen. Bitte laden Sie die Seite neu."),
        ), 400
