"""Security headers on every response, error pages and downloads included; and the limit
on form fields for the bodies browsers send.

Private responses are never stored by a browser or proxy (`Cache-Control: no-store`):
everything a logged-in person gets, every route with a private token in its path
(`/s/<token>`, `/entwurf/<token>`, `/w/<token>`, the API's status), and everything under
`/dashboard` and `/api/v1/submissions`. Only the static assets are left to the cache. The
rule is the route's shape, so a new page under a token or behind the login is covered
without doing anything.
"""

from flask import Flask, abort, request, session
from werkzeug.datastructures import ImmutableMultiDict

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)
# Nothing here needs a camera, microphone, location, sensors or payments.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# One year; only sent where the site is reached over HTTPS in production.
HSTS = "max-age=31536000"
PRIVATE_PREFIXES = ("/dashboard", "/api/v1/submissions")
# Files without anyone's data: cacheable even for a logged-in person.
PUBLIC_ASSETS = frozenset({"static", "document_page.stylesheet"})


def is_private(path: str, endpoint: str | None, rule_arguments: set[str]) -> bool:
    """Whether a response may show submitted data or what is behind the login."""
    if endpoint in PUBLIC_ASSETS:
        return False
    if "token" in rule_arguments or path.startswith(PRIVATE_PREFIXES):
        return True
    return session.get("_user_id") is not None  # logged in (Flask-Login's key)


def sends_hsts(app: Flask) -> bool:
    return (
        app.config["TOOLBOX_ENV"] == "production"
        and not app.debug
        and not app.testing
        and app.config["TOOLBOX_BASE_URL"].lower().startswith("https://")
    )


def register_security_headers(app: Flask) -> None:
    @app.before_request
    def _no_nul_in_query():
        # A NUL byte is no text (PostgreSQL refuses it in any parameter): every view sees
        # the query parameters without it (request.args is computed once per request).
        if any("\x00" in value for _, value in request.args.items(multi=True)):
            cleaned = [(k, v.replace("\x00", "")) for k, v in request.args.items(multi=True)]
            request.__dict__["args"] = ImmutableMultiDict(cleaned)

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
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if sends_hsts(app):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        rule = request.url_rule
        if is_private(request.path, request.endpoint, set(rule.arguments) if rule else set()):
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
