"""Erstgespräch zur Gruppengründung: a note of the first talk with a person who wants to
found a group, plus a draft call for members built from the keywords.

The founder's name and contact data are deliberately not asked for: together with the
topic they would be health data (GDPR Art. 9), and the note does not need them.
"""

from __future__ import annotations

import re

from toolbox.instruments.base import Field, Instrument

UNTERSTUETZUNG = (
    ("mitglieder", "Mitgliedergewinnung"),
    ("raum", "Raum"),
    ("moderation", "Moderation des Gründungstreffens"),
    ("anleitung", "Anleitung in der Anfangsphase"),
)
ZUSAMMENSETZUNG = (
    ("betroffene", "Betroffene"),
    ("angehoerige", "Angehörige"),
    ("beide", "Betroffene und Angehörige"),
)
HAEUFIGKEIT = (
    ("woechentlich", "wöchentlich"),
    ("vierzehntaegig", "14-täglich"),
    ("monatlich", "monatlich"),
    ("vierteljaehrlich", "vierteljährlich"),
)
WOCHENTAGE = (
    ("montag", "Montag"),
    ("dienstag", "Dienstag"),
    ("mittwoch", "Mittwoch"),
    ("donnerstag", "Donnerstag"),
    ("freitag", "Freitag"),
    ("samstag", "Samstag"),
    ("sonntag", "Sonntag"),
)

FIELDS = (
    Field(
        "thema",
        "Thema der Gruppe, was soll erreicht werden",
        "textarea",
        required=True,
        help="Worum soll es in der Gruppe gehen, und was möchten die Mitglieder gemeinsam "
        "erreichen?",
    ),
    Field(
        "stichworte",
        "Stichworte für den Ausschreibungstext",
        "textarea",
        required=True,
        help="Was soll Interessierte ansprechen? Stichworte mit Komma oder je Zeile trennen, "
        "z. B. Austausch auf Augenhöhe, vertraulich.",
    ),
    Field(
        "unterstuetzung",
        "Gewünschte Unterstützung durch die Kontaktstelle",
        "multichoice",
        choices=UNTERSTUETZUNG,
    ),
    Field(
        "zusammensetzung",
        "Zusammensetzung der Gruppe",
        "choice",
        choices=ZUSAMMENSETZUNG,
    ),
    Field(
        "kriterien",
        "Weitere Kriterien (Alter, Geschlecht)",
        "text",
        help="z. B. Frauen ab 25",
    ),
    Field("treffpunkt", "Treffpunkt", "text", help="Wo soll sich die Gruppe treffen?"),
    Field("haeufigkeit", "Häufigkeit der Treffen", "choice", choices=HAEUFIGKEIT),
    Field("wochentag", "Wochentag", "choice", choices=WOCHENTAGE),
    Field("uhrzeit", "Uhrzeit", "time"),
    Field(
        "einschaetzung",
        "Motivation und Belastbarkeit der gründenden Person (Einschätzung)",
        "textarea",
        help="Ihre fachliche Einschätzung, ohne Namen und ohne Diagnosen.",
    ),
    Field("naechster_schritt", "Nächster Schritt", "text"),
    Field("termin", "Termin für den nächsten Schritt", "date"),
)


def keywords(text: str) -> list[str]:
    """Keywords separated by commas, semicolons or line breaks."""
    return [k.strip(" .-•") for k in re.split(r"[,;\n]", text or "") if k.strip(" .-•")]


def meeting_time(payload: dict, ctx: dict) -> str:
    """When the group meets, as a phrase, e.g. "14-täglich donnerstags um 19:00 Uhr"."""
    parts = [
        ctx["haeufigkeit"],
        # "donnerstags" reads better in a call for members than "Donnerstag".
        f"{payload['wochentag']}s" if payload.get("wochentag") else "",
        f"um {ctx['uhrzeit']}" if ctx["uhrzeit"] else "",
    ]
    return " ".join(p for p in parts if p)


def short_name(payload: dict) -> str:
    """The topic's first phrase names the note (never a person)."""
    first = re.split(r"[,;.\n]", payload.get("thema") or "", maxsplit=1)[0].strip()
    if len(first) > 40:
        first = first[:40].rsplit(" ", 1)[0]
    return first


def extend_context(ctx: dict, payload: dict) -> dict:
    audience, kriterien = ctx["zusammensetzung"], ctx["kriterien"]
    if audience and kriterien:
        audience = f"{audience} ({kriterien})"
    return {
        "stichworte_liste": keywords(payload.get("stichworte") or ""),
        "zusammensetzung_ausschreibung": audience or kriterien,
        "haeufigkeit_ausschreibung": meeting_time(payload, ctx),
    }


INSTRUMENT = Instrument(
    slug="erstgespraech",
    title="Gesprächsleitfaden Erstgespräch zur Gruppengründung",
    description="Notiz zum Erstgespräch mit einer Person, die eine Selbsthilfegruppe gründen "
    "möchte, mit einem Entwurf für den Ausschreibungstext.",
    document_title="Gesprächsnotiz",
    fields=FIELDS,
    extend_context=extend_context,
    short_name=short_name,
)
