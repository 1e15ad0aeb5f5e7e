"""Raumnutzungsvereinbarung: a room provider lets a self-help group use a room.

Besides the signed agreement, the group gets its meetings as a recurring calendar series.
"""

from __future__ import annotations

import datetime as dt

from toolbox.core.time import BERLIN
from toolbox.instruments.base import (
    NON_BLANK,
    CalendarEvent,
    Field,
    Instrument,
    parse_date,
    parse_time,
    required_if,
)

AUSSTATTUNG = (
    ("beamer", "Beamer"),
    ("induktion", "Induktions-/FM-Anlage"),
    ("barrierefrei", "barrierefrei"),
    ("kueche", "Küche"),
)
# Codes are the iCalendar weekday names, so the calendar needs no second table.
WOCHENTAGE = (
    ("MO", "Montag"),
    ("TU", "Dienstag"),
    ("WE", "Mittwoch"),
    ("TH", "Donnerstag"),
    ("FR", "Freitag"),
    ("SA", "Samstag"),
    ("SU", "Sonntag"),
)
WEEKDAY_CODES = [code for code, _ in WOCHENTAGE]  # Monday first, like date.weekday()
TURNUS = (
    ("woechentlich", "wöchentlich"),
    ("vierzehntaeglich", "14-täglich"),
    ("monatlich_1", "monatlich, jeweils der erste im Monat"),
    ("monatlich_2", "monatlich, jeweils der zweite im Monat"),
    ("monatlich_3", "monatlich, jeweils der dritte im Monat"),
    ("monatlich_4", "monatlich, jeweils der vierte im Monat"),
    ("monatlich_letzter", "monatlich, jeweils der letzte im Monat"),
)
# Turnus → (FREQ, INTERVAL, position of the weekday in the month or None)
TURNUS_RRULE = {
    "woechentlich": ("WEEKLY", 1, None),
    "vierzehntaeglich": ("WEEKLY", 2, None),
    "monatlich_1": ("MONTHLY", 1, 1),
    "monatlich_2": ("MONTHLY", 1, 2),
    "monatlich_3": ("MONTHLY", 1, 3),
    "monatlich_4": ("MONTHLY", 1, 4),
    "monatlich_letzter": ("MONTHLY", 1, -1),
}
SCHLUESSEL = (
    ("ja", "Die Gruppe erhält einen Schlüssel."),
    ("nein", "Die Gruppe erhält keinen Schlüssel; der Raum wird für sie geöffnet."),
)
ENTGELT = (
    ("kostenfrei", "kostenfrei"),
    ("pro_person", "pro Person und Treffen"),
    ("pauschal", "pauschal pro Treffen"),
)

FIELDS = (
    Field(
        "raumgeber",
        "Raumgeber",
        "text",
        required=True,
        help="Die Einrichtung oder Kontaktstelle, die den Raum zur Verfügung stellt.",
        shares="einrichtung",
    ),
    Field(
        "raum",
        "Raum",
        "text",
        required=True,
        help="Bezeichnung und Lage, z. B. Seminarraum E.04, Erdgeschoss.",
        shares="raum",
    ),
    Field("ausstattung", "Ausstattung des Raums", "multichoice", choices=AUSSTATTUNG),
    Field(
        "gruppe",
        "Gruppe",
        "text",
        required=True,
        help="Name der Selbsthilfegruppe.",
        shares="gruppe",
    ),
    Field(
        "kontaktperson",
        "Kontaktperson der Gruppe",
        "text",
        required=True,
        help="Wer ist für den Raumgeber Ansprechpartner*in der Gruppe?",
    ),
    Field(
        "kontakt",
        "Telefon oder E-Mail der Kontaktperson",
        "text",
        help="Nur mit Einverständnis der Kontaktperson (siehe unten).",
    ),
    Field(
        "kontakt_einwilligung",
        "Die Kontaktperson ist einverstanden, dass ihre Telefonnummer oder E-Mail-Adresse "
        "in dieser Vereinbarung steht.",
        "boolean",
    ),
    Field("wochentag", "Wochentag", "choice", required=True, choices=WOCHENTAGE),
    Field("beginn", "Beginn", "time", required=True, help="z. B. 17:00"),
    Field("ende", "Ende", "time", required=True, help="z. B. 19:00; nach dem Beginn."),
    Field(
        "turnus",
        "Turnus",
        "choice",
        required=True,
        choices=TURNUS,
        help="Bei „monatlich“: der wievielte dieses Wochentags im Monat, z. B. der erste Dienstag.",
    ),
    Field("gueltig_ab", "gültig ab", "date", required=True, help="Datum des ersten Treffens."),
    Field(
        "gueltig_bis",
        "gültig bis",
        "date",
        help="Leer lassen, wenn die Vereinbarung unbefristet gilt.",
    ),
    Field("schluessel", "Schlüssel", "choice", choices=SCHLUESSEL),
    Field(
        "pfand",
        "Pfand für den Schlüssel",
        "decimal",
        unit="€",
        min_value=0,
        max_value=1000,
        range_message="Bitte ein Pfand von 0 bis 1.000 € angeben.",
        help="In Euro, z. B. 20,00. Nur wenn die Gruppe einen Schlüssel erhält.",
    ),
    Field("entgelt", "Entgelt", "choice", required=True, choices=ENTGELT),
    Field(
        "betrag",
        "Betrag",
        "decimal",
        unit="€",
        min_value=0.01,
        max_value=10000,
        range_message="Bitte einen Betrag von 0,01 bis 10.000 € angeben.",
        help="In Euro, z. B. 15,00. Nicht nötig, wenn die Nutzung kostenfrei ist.",
    ),
    Field(
        "hausordnung",
        "Die Gruppe erkennt die Hausordnung an: Rauchverbot, Ende der Nutzungszeit einhalten, "
        "Schäden sofort melden, Haftung der Gruppe für Schäden, die sie verursacht.",
        "boolean",
        required=True,
    ),
    Field("ort", "Ort", "text", required=True, shares="ort"),
    Field("datum", "Datum", "date", required=True),
)


def check_times_and_dates(payload: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    start, end = parse_time(payload.get("beginn")), parse_time(payload.get("ende"))
    if start and end and end <= start:
        errors["ende"] = ["Das Ende muss nach dem Beginn liegen."]
    valid_from, valid_until = (
        parse_date(payload.get("gueltig_ab")),
        parse_date(payload.get("gueltig_bis")),
    )
    if not (valid_from and valid_until):
        return errors
    if valid_until <= valid_from:
        errors["gueltig_bis"] = ["„gültig bis“ muss nach „gültig ab“ liegen."]
    elif (
        _series_known(payload)
        and first_meeting(valid_from, payload["wochentag"], payload["turnus"]) > valid_until
    ):
        errors["gueltig_bis"] = ["Zwischen „gültig ab“ und „gültig bis“ liegt kein Treffen."]
    return errors


def check_money(payload: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    fee = payload.get("entgelt")
    if fee and fee != "kostenfrei" and payload.get("betrag") is None:
        errors["betrag"] = ["Bitte den Betrag angeben (oder „kostenfrei“ wählen)."]
    if fee == "kostenfrei" and payload.get("betrag") is not None:
        errors["betrag"] = ["Bei kostenfreier Nutzung bitte keinen Betrag angeben."]
    if payload.get("pfand") is not None and payload.get("schluessel") != "ja":
        errors["pfand"] = ["Ein Pfand gibt es nur, wenn die Gruppe einen Schlüssel erhält."]
    return errors


def check_consent(payload: dict) -> dict[str, list[str]]:
    if payload.get("kontakt") and not payload.get("kontakt_einwilligung"):
        return {
            "kontakt_einwilligung": [
                "Telefon oder E-Mail nur mit Einverständnis der Kontaktperson: bitte "
                "bestätigen oder das Feld leer lassen."
            ]
        }
    return {}


def _series_known(payload: dict) -> bool:
    """Weekday and Turnus are valid choices (rules also run when they are not)."""
    return payload.get("wochentag") in WEEKDAY_CODES and payload.get("turnus") in TURNUS_RRULE


def first_meeting(valid_from: dt.date, weekday: str, turnus: str) -> dt.date:
    """The first meeting on or after `valid_from`. It becomes DTSTART, which iCalendar
    always counts as a meeting, so it must itself follow the series rule."""
    target = WEEKDAY_CODES.index(weekday)
    day = valid_from + dt.timedelta(days=(target - valid_from.weekday()) % 7)
    position = TURNUS_RRULE[turnus][2]
    while position is not None and not _is_nth_weekday(day, position):
        day += dt.timedelta(days=7)
    return day


def _is_nth_weekday(day: dt.date, position: int) -> bool:
    if position == -1:
        return (day + dt.timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == position


def calendar(payload: dict) -> list[CalendarEvent]:
    freq, interval, position = TURNUS_RRULE[payload["turnus"]]
    weekday = payload["wochentag"]
    day = first_meeting(dt.date.fromisoformat(payload["gueltig_ab"]), weekday, payload["turnus"])
    start = dt.datetime.combine(day, dt.time.fromisoformat(payload["beginn"]))
    end = dt.datetime.combine(day, dt.time.fromisoformat(payload["ende"]))
    rrule: dict = {"FREQ": freq}
    if interval > 1:
        rrule["INTERVAL"] = interval
    rrule["BYDAY"] = f"{position}{weekday}" if position else weekday
    if payload.get("gueltig_bis"):
        # With a timed DTSTART, UNTIL must be a UTC date-time (RFC 5545): the end of the
        # last permitted meeting day, in Berlin time.
        last = dt.datetime.combine(dt.date.fromisoformat(payload["gueltig_bis"]), dt.time(23, 59))
        rrule["UNTIL"] = last.replace(tzinfo=BERLIN).astimezone(dt.UTC)
    return [
        CalendarEvent(
            summary=f"Gruppentreffen {payload['gruppe']}",
            start=start,
            end=end,
            location=f"{payload['raum']}, {payload['raumgeber']}",
            description=f"Raumnutzung laut Vereinbarung mit {payload['raumgeber']}.",
            rrule=rrule,
        )
    ]


def short_name(payload: dict) -> str:
    return payload.get("gruppe") or ""


INSTRUMENT = Instrument(
    slug="raumnutzung",
    title="Raumnutzungsvereinbarung",
    description="Vereinbarung zwischen Raumgeber und Selbsthilfegruppe über die Nutzung eines "
    "Raums: Zeiten, Schlüssel, Haftung, Hausordnung und Entgelt, dazu die Treffen als "
    "Kalenderserie.",
    document_title="Raumnutzungsvereinbarung",
    fields=FIELDS,
    rules=(check_times_and_dates, check_money, check_consent),
    # Every Turnus meets at least once in 5 weeks (the last weekday of a month: 35 days).
    order=(("beginn", "ende", True), ("gueltig_ab", "gueltig_bis", True, 35)),
    rule_schemas=(
        required_if("entgelt", ["pro_person", "pauschal"], "betrag"),
        {
            "if": {"required": ["entgelt"], "properties": {"entgelt": {"const": "kostenfrei"}}},
            "then": {"not": {"required": ["betrag"]}},
        },
        {
            "if": {"required": ["pfand"]},
            "then": {"required": ["schluessel"], "properties": {"schluessel": {"const": "ja"}}},
        },
        required_if("kontakt", NON_BLANK, "kontakt_einwilligung", {"const": True}),
    ),
    rule_notes=("Zwischen `gueltig_ab` und `gueltig_bis` liegt mindestens ein Treffen.",),
    short_name=short_name,
    calendar=calendar,
    signed=True,
    blank_document=True,
)
