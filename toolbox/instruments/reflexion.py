"""Reflexion: the yearly joint evaluation of a cooperation, goal by goal, signed by all."""

from __future__ import annotations

from collections import Counter

from toolbox.instruments.base import (
    LIST_MAX_ROWS,
    NON_BLANK,
    Field,
    Instrument,
    parse_date,
    required_if,
)
from toolbox.instruments.shared import goal_lines

ZIELERREICHUNG = (
    ("nicht", "nicht erreicht"),
    ("teilweise", "teilweise erreicht"),
    ("ueberwiegend", "überwiegend erreicht"),
    ("vollstaendig", "vollständig erreicht"),
)
# Ratings that count as success in the report's summary.
ERREICHT = ("ueberwiegend", "vollstaendig")
JA_NEIN = (("ja", "ja"), ("nein", "nein"))

FIELDS = (
    Field(
        "zeitraum_von",
        "Zeitraum von",
        "date",
        help="Beginn des Zeitraums, auf den Sie zurückblicken, z. B. der Beginn der Vereinbarung.",
        shares="beginn",
    ),
    Field(
        "zeitraum_bis",
        "Zeitraum bis",
        "date",
        required=True,
        help="Ende des Zeitraums, meist ein Jahr nach dem Beginn.",
    ),
    Field(
        "ziele",
        "Ziele und ihre Bewertung",
        "list",
        required=True,
        min_entries=1,
        row_label="Ziel",
        help="Je Ziel der Vereinbarung eine Zeile. Die Bewertung treffen alle Beteiligten "
        "gemeinsam.",
        fields=(
            Field(
                "ziel",
                "Ziel",
                "text",
                required=True,
                help="Wie in der Kooperationsvereinbarung, z. B. „Patient*innen erfahren "
                "regelhaft von der Gruppe.“",
            ),
            Field("umsetzung", "Was wurde umgesetzt?", "textarea"),
            Field(
                "zielerreichung",
                "Zielerreichung",
                "choice",
                required=True,
                choices=ZIELERREICHUNG,
            ),
            Field(
                "begruendung",
                "Begründung",
                "textarea",
                help="Woran machen Sie die Bewertung fest? Was hat geholfen, was hat gefehlt?",
            ),
            Field(
                "verbesserung",
                "Verbesserung",
                "textarea",
                help="Was wollen Sie im nächsten Jahr anders machen?",
            ),
        ),
    ),
    Field(
        "gesamteinschaetzung",
        "Gesamteinschätzung",
        "textarea",
        help="Wie bewerten die Beteiligten die Zusammenarbeit insgesamt?",
    ),
    Field(
        "anpassung",
        "Muss die Kooperationsvereinbarung angepasst werden?",
        "choice",
        choices=JA_NEIN,
    ),
    Field(
        "anpassung_welche",
        "Welche Anpassung ist nötig?",
        "textarea",
        help="Nur wenn eine Anpassung nötig ist, z. B. neue Termine, andere Ansprechpersonen.",
    ),
    Field(
        "beteiligte",
        "Beteiligte",
        "list",
        required=True,
        min_entries=2,
        row_label="Beteiligte*r",
        help="Alle, die an der Reflexion teilgenommen haben und den Bericht unterschreiben: "
        "mindestens zwei.",
        fields=(
            Field(
                "name",
                "Name/Organisation",
                "text",
                required=True,
                help="z. B. Max Mustermann, Klinikum am Westpark (Sozialdienst).",
            ),
            Field("datum", "Datum", "date", required=True, help="Datum der Unterschrift."),
        ),
    ),
)


def check_period(payload: dict) -> dict[str, list[str]]:
    von, bis = parse_date(payload.get("zeitraum_von")), parse_date(payload.get("zeitraum_bis"))
    if von and bis and bis <= von:
        return {"zeitraum_bis": ["Das Ende des Zeitraums muss nach dem Beginn liegen."]}
    return {}


def check_adjustment(payload: dict) -> dict[str, list[str]]:
    if payload.get("anpassung") == "ja" and not payload.get("anpassung_welche"):
        return {"anpassung_welche": ["Bitte beschreiben, welche Anpassung nötig ist."]}
    return {}


def short_name(payload: dict) -> str:
    """The years under review name the report, e.g. "2027/2028"."""
    von, bis = parse_date(payload.get("zeitraum_von")), parse_date(payload.get("zeitraum_bis"))
    if not bis:
        return ""
    if von and von.year != bis.year:
        return f"{von.year}/{bis.year}"
    return str(bis.year)


def extend_context(ctx: dict, payload: dict) -> dict:
    """The summary of the ratings: how many goals were at least "überwiegend erreicht"."""
    ratings = Counter(row.get("zielerreichung") for row in payload.get("ziele") or [])
    total = sum(ratings.values())
    reached = sum(ratings[code] for code in ERREICHT)
    return {
        "ziele_bewertung": {
            "gesamt": total,
            "erreicht": reached,
            "satz": f"Mindestens überwiegend erreicht: {reached} von {total} "
            f"{'Ziel' if total == 1 else 'Zielen'}.",
            "stufen": [
                {"stufe": label, "anzahl": ratings[code]}
                for code, label in reversed(ZIELERREICHUNG)
            ],
        }
    }


def imports(values: dict[str, str]) -> dict[str, str]:
    """The agreement's goals, one row each, ready to be rated (Als Vorlage verwenden)."""
    goals = goal_lines(values.get("ziele") or "")[:LIST_MAX_ROWS]
    return {f"ziele-{index}-ziel": goal for index, goal in enumerate(goals)}


def exports(payload: dict) -> dict[str, str]:
    """The goals reviewed, one line each, e.g. for the next agreement."""
    goals = [row.get("ziel") for row in payload.get("ziele") or [] if row.get("ziel")]
    return {"ziele": "\n".join(goals)} if goals else {}


INSTRUMENT = Instrument(
    slug="reflexion",
    title="Gemeinsame Reflexion und Bewertung der Kooperation",
    description="Der jährliche Rückblick aller Beteiligten: Was wurde aus den Zielen der "
    "Vereinbarung, was soll sich ändern? Ergebnis ist ein gemeinsam unterschriebener "
    "Bewertungsbericht.",
    document_title="Bewertungsbericht zur Kooperation",
    fields=FIELDS,
    rules=(check_period, check_adjustment),
    order=(("zeitraum_von", "zeitraum_bis", True),),
    rule_schemas=(required_if("anpassung", "ja", "anpassung_welche", NON_BLANK),),
    extend_context=extend_context,
    short_name=short_name,
    signed=True,
    exports=exports,
    imports=imports,
)
