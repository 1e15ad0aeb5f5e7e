"""Protokoll des Gründungstreffens: minutes of a new group's first meeting.

Health insurers fund new groups only with minutes of the founding meeting and at least six
members, so the document shows the head count prominently. Minutes count heads, they never
list names (membership plus topic is health data).
"""

from __future__ import annotations

from toolbox.instruments.base import Field, Instrument, parse_date

# GKV self-help funding of a new group asks for at least this many members.
FOERDER_MINDESTZAHL = 6

GRUPPENREGELN = (
    ("verschwiegenheit", "Verschwiegenheit: Was in der Gruppe gesagt wird, bleibt in der Gruppe."),
    ("puenktlichkeit", "Pünktlichkeit"),
    ("ich_botschaften", "Jede*r spricht von sich selbst (Ich-Botschaften)."),
    ("ausreden_lassen", "Ausreden lassen und zuhören"),
    ("freiwilligkeit", "Freiwilligkeit: Niemand muss etwas von sich erzählen."),
    ("absagen", "Wer nicht kommen kann, sagt ab."),
)
GRUPPENFORM = (
    ("offen", "offene Gruppe"),
    ("geschlossen", "geschlossene Gruppe"),
)

FIELDS = (
    Field(
        "gruppe",
        "Gruppe (Name oder Arbeitstitel)",
        "text",
        help="z. B. Frauen nach Trennung. Erscheint in der Überschrift und im Dateinamen.",
        shares="gruppe",
    ),
    Field("datum", "Datum des Gründungstreffens", "date", required=True),
    Field(
        "ort",
        "Ort",
        "text",
        required=True,
        help="Wo hat das Treffen stattgefunden? z. B. Familienberatungsstelle Nord.",
    ),
    Field(
        "moderation",
        "Moderation und Rollen",
        "text",
        required=True,
        help="Wer hat moderiert, wer hat eingeladen? Funktionen genügen, z. B. "
        "„Moderation: Kontaktstelle, Initiatorin: Fachkraft der Beratungsstelle“.",
    ),
    Field(
        "anzahl_teilnehmende",
        "Anzahl Teilnehmende",
        "integer",
        required=True,
        min_value=1,
        max_value=500,
        range_message="Bitte die Zahl der Teilnehmenden angeben: mindestens 1, höchstens 500.",
        help="Nur die Zahl, keine Namen. Für die Förderung neuer Gruppen erwarten die "
        f"Krankenkassen mindestens {FOERDER_MINDESTZAHL} Mitglieder.",
    ),
    Field(
        "anliegen",
        "Gemeinsames Anliegen, Ziele",
        "textarea",
        help="Was verbindet die Teilnehmenden, was möchte die Gruppe erreichen?",
    ),
    Field(
        "turnus",
        "Turnus",
        "text",
        help="Wie oft und an welchem Tag trifft sich die Gruppe? z. B. 14-täglich donnerstags.",
    ),
    Field("uhrzeit", "Uhrzeit", "time", help="Beginn der Treffen, z. B. 19:00."),
    Field("raum", "Raum", "text", help="z. B. Gruppenraum, 2. OG.", shares="raum"),
    Field(
        "kontaktperson",
        "Kontaktperson der Gruppe",
        "text",
        help="Wer ist Ansprechpartner*in für Interessierte? Zum Schutz der Mitglieder am "
        "besten eine Stelle statt eines Namens, z. B. „über die Beratungsstelle“.",
    ),
    Field(
        "gruppenregeln",
        "Gruppenregeln",
        "multichoice",
        choices=GRUPPENREGELN,
        help="Welche Regeln hat die Gruppe gemeinsam vereinbart?",
    ),
    Field(
        "gruppenregeln_text",
        "Weitere Gruppenregeln",
        "textarea",
        help="Eigene Regeln in den Worten der Gruppe, eine Zeile je Regel.",
    ),
    Field(
        "gruppenform",
        "Offene oder geschlossene Gruppe",
        "choice",
        choices=GRUPPENFORM,
        help="Offen: Neue können jederzeit dazukommen. Geschlossen: feste Teilnehmende, "
        "Neue nur nach Absprache.",
    ),
    Field("naechster_termin", "Nächster Termin", "date", required=True),
)


def check_dates(payload: dict) -> dict[str, list[str]]:
    meeting = parse_date(payload.get("datum"))
    following = parse_date(payload.get("naechster_termin"))
    if meeting and following and following <= meeting:
        return {"naechster_termin": ["Der nächste Termin muss nach dem Gründungstreffen liegen."]}
    return {}


def short_name(payload: dict) -> str:
    return payload.get("gruppe") or payload.get("ort") or ""


def extend_context(ctx: dict, payload: dict) -> dict:
    count = payload.get("anzahl_teilnehmende") or 0
    return {
        "anzahl_teilnehmende_mindestzahl": FOERDER_MINDESTZAHL,
        "anzahl_teilnehmende_erreicht": count >= FOERDER_MINDESTZAHL,
        "anzahl_teilnehmende_fehlen": max(FOERDER_MINDESTZAHL - count, 0),
        "gruppenregeln_text_liste": [
            line.strip() for line in ctx["gruppenregeln_text"].split("\n") if line.strip()
        ],
    }


INSTRUMENT = Instrument(
    slug="gruendungsprotokoll",
    title="Protokoll des Gründungstreffens",
    description="Das Protokoll des ersten Treffens einer neuen Gruppe: wie viele gekommen sind "
    "(ohne Namen), was die Gruppe will und was sie vereinbart hat.",
    document_title="Protokoll des Gründungstreffens",
    fields=FIELDS,
    rules=(check_dates,),
    order=(("datum", "naechster_termin", True),),
    extend_context=extend_context,
    short_name=short_name,
)
