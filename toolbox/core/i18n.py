"""The language of the web UI: German by default, English on request.

The language comes from `?lang=` (remembered in a cookie), else the cookie, else the
browser's Accept-Language. Message ids are the German texts, so German needs no catalogue
and anything without a request (worker, CLI) stays German. Documents and emails are always
German. The instruments' form texts (titles, descriptions, labels, help texts, choices,
rule messages) are declared in German and translated where the form shows them (`ui`,
and toolbox/instruments/forms.py); their message ids are extracted from the declarations
by `toolbox.instruments.messages`. Documents never pass through the catalogue, so they
stay German whatever the UI language.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from toolbox.core.extensions import babel

LANGUAGES = {"de": "Deutsch", "en": "English"}
DEFAULT = "de"
COOKIE = "lang"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def N_(message: str) -> str:  # noqa: N802 (the usual name of this gettext marker)
    """Marks a message id for `pybabel extract` without translating it here."""
    return message


# Messages raised outside the views (by toolbox.accounts.service and
# toolbox.workshops.service, which also serve the German CLI) and shown in the UI:
# translated where shown, with `translated`.
EXTERNAL_MESSAGES = (
    N_("Bitte eine gültige E-Mail-Adresse angeben."),
    N_("Es gibt bereits ein Konto mit dieser E-Mail-Adresse."),
    N_("Es gibt kein aktives Konto mit dieser E-Mail-Adresse. Konten legt die Administration an."),
)


def translated(message: str) -> str:
    """A German message from outside the views in the UI language (if it has one)."""
    return _(message) if message in EXTERNAL_MESSAGES else message


def select_locale() -> str:
    if not has_request_context():  # worker, CLI, emails: German
        return DEFAULT
    for candidate in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT)


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else DEFAULT


def language_links() -> list[tuple[str, str, str]]:
    """(code, name, url) for the switcher: this page again (same query), other language."""
    links = []
    for code, name in LANGUAGES.items():
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        links.append((code, name, "?" + urlencode([*args, ("lang", code)])))
    return links


PART_SEPARATOR = " – "


def ui(text):
    """A German text declared outside the templates (an instrument's title, label, help
    text or choice) in the UI language; empty stays empty (gettext("") is the header)."""
    if not text or isinstance(text, LazyString):
        return text
    translated_text = _(text)
    if translated_text == text and PART_SEPARATOR in text:  # built from parts (FORM_TEXTS)
        return PART_SEPARATOR.join(_(part) for part in text.split(PART_SEPARATOR))
    return translated_text


def _in_catalogue(text: str) -> bool:
    """Translated to the same word ("Name", "Website") is translated too."""
    return text in getattr(get_translations(), "_catalog", {})


def lang_de(text: object = None) -> Markup:
    """` lang="de"` on elements showing German text inside an English page. With `text`:
    nothing if that text is translated (a lazy message, or one the catalogue knows)."""
    if current_language() == "de" or isinstance(text, LazyString):
        return Markup("")
    if isinstance(text, str) and text and (ui(text) != text or _in_catalogue(text)):
        return Markup("")
    return Markup(' lang="de"')


def js_messages() -> dict[str, str]:
    """Every text the scripts show, in the page's language (read from <body data-messages>).
    {placeholders} are filled in by the scripts."""
    return {
        "state.queued": _("In Warteschlange"),
        "state.running": _("Wird erstellt"),
        "state.done": _("Fertig"),
        "state.failed": _("Fehlgeschlagen"),
        "detail.queued": _("Ihre Dokumente werden gleich erstellt."),
        "detail.running": _("Ihre Dokumente werden gerade erstellt."),
        "detail.done": _("Ihre Dokumente sind fertig."),
        "detail.failed": _("Beim Erstellen ist ein Fehler aufgetreten."),
        "email.pending": _("Die Dokumente werden per E-Mail geschickt."),
        "email.sent": _("Die E-Mail wurde verschickt."),
        "email.failed": _("Die E-Mail konnte nicht zugestellt werden."),
        "download": _("{format} herunterladen"),
        "rows.max": _("Höchstens {max} Zeilen sind möglich."),
        "rows.added": _("{label} {number} hinzugefügt."),
        "rows.removed": _("{label} entfernt."),
        "dashboard.email": _("E-Mail {label}"),
        "dashboard.new": _("Neue Einreichungen sind eingegangen."),
        "dashboard.changed": _("Neuer Stand: {state}, E-Mail {email}."),
        "session.expired": _("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an."),
        "kit.done": _("Das Kit ist fertig und kann heruntergeladen werden."),
        "kit.failed": _("Das Kit konnte nicht erstellt werden."),
        "kit.running": _("Das Kit wird erstellt."),
    }


def init_i18n(app: Flask) -> None:
    babel.init_app(
        app,
        default_locale=DEFAULT,
        default_translation_directories=str(TRANSLATIONS),
        locale_selector=select_locale,
    )

    # Globals, not a context processor: imported macros (_fields.html) need them too.
    app.jinja_env.globals.update(
        language_links=language_links, lang_de=lang_de, js_messages=js_messages, ui=ui
    )

    @app.context_processor
    def _language():
        return {"current_language": current_language()}

    @app.after_request
    def _remember_language(response):
        chosen = request.args.get("lang")
        if chosen in LANGUAGES and request.cookies.get(COOKIE) != chosen:
            response.set_cookie(
                COOKIE,
                chosen,
                max_age=timedelta(days=365),
                secure=app.config.get("SESSION_COOKIE_SECURE", False),
                httponly=True,
                samesite="Lax",
            )
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        return response
