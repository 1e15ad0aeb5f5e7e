"""Protokoll Austauschtreffen / Qualitätszirkel: minutes of the regular meeting of all
parties, with an action plan whose areas are the contributions of the agreement."""

from __future__ import annotations

from toolbox.instruments.base import Field, Instrument, parse_date
from toolbox.instruments.kooperationsvereinbarung import (
    LEISTUNGEN_EINRICHTUNG,
    LEISTUNGEN_KONTAKTSTELLE,
    LEISTUNGEN_SELBSTHILFE,
)

# Parts of labels built here ("Einrichtung – Beratung"): extracted for translation
# (instruments/messages.py), the form translates each part (core/i18n.ui).
FORM_TEXTS = ("Einrichtung", "Selbsthilfe", "Kontaktstelle")


def _areas() -> tuple[tuple[str, str], ...]:
    """The agreement's contribution areas, labelled with the party that contributes them.
    Codes stay the agreement's, so an action can be traced back to its clause."""
    areas = tuple(
        (code, f"{party} – {label}")
        for party, choices in zip(
            FORM_TEXTS,
            (LEISTUNGEN_EINRICHTUNG, LEISTUNGEN_SELBSTHILFE, LEISTUNGEN_KONTAKTSTELLE),
            strict=True,
        )
        for code, label in choices
    )
    if len({code for code, _ in areas}) != len(areas):
        raise ValueError("Bereiche der Kooperationsvereinbarung haben doppelte Codes")
    return areas


BEREICHE = _areas()
STATUS = (
    ("geplant", "geplant"),
    ("umgesetzt", "umgesetzt"),
    ("ueberprueft", "überprüft"),
)

FIELDS = (
    Field("datum", "Datum", "date", required=True),
    Field("ort", "Ort", "text", help="z. B. Klinikum am Westpark, Raum E.04."),
    Field(
        "moderation",
        "Moderation",
        "text",
        required=True,
        help="Wer hat moderiert? z. B. die Selbsthilfebeauftragte der Klinik oder die "
        "Kontaktstelle.",
    ),
    Field("protokoll", "Protokoll", "text", required=True, help="Wer hat das Protokoll geführt?"),
    Field(
        "teilnehmende",
        "Teilnehmende",
        "list",
        required=True,
        min_entries=1,
        row_label="Teilnehmende Stelle",
        help="Eine Zeile je Organisation oder Funktion. Namen sind freiwillig.",
        fields=(
            Field("organisation", "Organisation", "text", required=True),
            Field(
                "funktion",
                "Funktion",
                "text",
                help="z. B. Sozialdienst, zwei Vertreter*innen der Gruppe.",
            ),
        ),
    ),
    Field(
        "tagesordnung",
        "Tagesordnung",
        "list",
        required=True,
        min_entries=1,
        row_label="Tagesordnungspunkt",
        help="Die Punkte werden in dieser Reihenfolge nummeriert.",
        fields=(
            Field("thema", "Thema", "text", required=True),
            Field(
                "ergebnis",
                "Besprechung und Ergebnis",
                "textarea",
                help="Was wurde besprochen, was wurde beschlossen?",
            ),
        ),
    ),
    Field(
        "massnahmen",
        "Maßnahmenplan",
        "list",
        row_label="Maßnahme",
        help="Was wird bis wann von wem umgesetzt? Der Bereich ist eine Leistung aus der "
        "Kooperationsvereinbarung.",
        fields=(
            Field("bereich", "Bereich", "choice", required=True, choices=BEREICHE),
            Field("ziel", "Ziel", "textarea", required=True),
            Field("massnahme", "Maßnahme", "textarea", required=True),
            Field(
                "verantwortlich",
                "verantwortlich",
                "text",
                required=True,
                help="Eine Funktion genügt, z. B. Pflegeleitung.",
            ),
            Field("bis", "bis", "date", required=True),
            # No default: a pre-checked status would make every spare row look filled in.
            Field(
                "status",
                "Status",
                "choice",
                choices=STATUS,
                help="Ohne Angabe gilt die Maßnahme als geplant.",
            ),
        ),
    ),
    Field("naechstes_treffen", "Nächstes Treffen", "date"),
)


def check_dates(payload: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    meeting = parse_date(payload.get("datum"))
    if not meeting:
        return errors
    following = parse_date(payload.get("naechstes_treffen"))
    if following and following <= meeting:
        errors["naechstes_treffen"] = ["Das nächste Treffen muss nach diesem Treffen liegen."]
    for index, row in enumerate(payload.get("massnahmen") or []):
        deadline = parse_date(row.get("bis"))
        if deadline and deadline < meeting and row.get("status") in (None, "", "geplant"):
            errors[f"massnahmen-{index}-bis"] = [
                "Eine geplante Maßnahme braucht eine Frist ab dem Tag des Treffens."
            ]
    return errors


def short_name(payload: dict) -> str:
    """The meeting date names the minutes best; the place tells series apart."""
    return " ".join(v for v in (payload.get("datum"), payload.get("ort")) if v)


INSTRUMENT = Instrument(
    slug="austauschprotokoll",
    title="Protokoll Austauschtreffen / Qualitätszirkel",
    description="Das Protokoll des regelmäßigen Treffens aller Beteiligten: wer da war, was "
    "besprochen wurde und der Maßnahmenplan mit Zuständigkeiten und Fristen.",
    document_title="Protokoll des Austauschtreffens",
    fields=FIELDS,
    rules=(check_dates,),
    order=(("datum", "naechstes_treffen", True), ("datum", "massnahmen[].bis", False)),
    rule_notes=(
        "Eine geplante Maßnahme (`status` leer oder `geplant`) hat eine Frist `bis` "
        "ab dem Tag des Treffens.",
    ),
    short_name=short_name,
)
