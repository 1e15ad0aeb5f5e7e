"""Security headers on every response, error pages and downloads included; and the limit
on form fields for the bodies browsers send."""

from flask import Flask, abort, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)


def register_security_headers(app: Flask) -> None:
    @app.before_request
    def _form_parts():
        # Werkzeug leaves url-encoded bodies (what browsers send) out of MAX_FORM_PARTS:
        # 1 MiB could hold 100 000 fields, and row handling grows with their square.
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            limit = app.config.get("MAX_FORM_PARTS")
            parts = sum(len(v) for _, v in request.form.lists()) + len(request.files)
            if limit and parts > limit:
                abort(413)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
