"""Kooperationsvereinbarung: the core document, negotiated and signed by all parties."""

from __future__ import annotations

from toolbox.instruments.base import Field, Instrument, parse_date, required_if

ROLLEN = (
    ("einrichtung", "Gesundheits-/Sozialeinrichtung"),
    ("selbsthilfe", "Selbsthilfegruppe/-organisation"),
    ("kontaktstelle", "Selbsthilfekontaktstelle"),
)
RECHTSFORMEN = (
    ("ev", "eingetragener Verein"),
    ("gruppe", "nicht eingetragene Gruppe"),
    ("oeffentlich", "öffentliche Einrichtung"),
    ("sonstige", "sonstige"),
)
LEISTUNGEN_EINRICHTUNG = (
    ("raeume", "Räume/Präsentationsfläche"),
    ("hinweis", "regelmäßiger Hinweis an Patient*innen/Klient*innen auf Selbsthilfe"),
    ("oeffentlichkeit", "Unterstützung der Öffentlichkeitsarbeit"),
    ("beauftragte", "benannte*r Selbsthilfebeauftragte*r"),
    ("austausch", "regelmäßiger Austausch"),
    ("fortbildung", "Fortbildung der Mitarbeitenden unter Einbezug der Selbsthilfe"),
    ("gremien", "Mitwirkung in Gremien (Qualitätszirkel, Ethikkommission)"),
)
LEISTUNGEN_SELBSTHILFE = (
    ("sprechstunde", "Sprechstunde in der Einrichtung"),
    ("besuchsdienst", "Besuchsdienst"),
    ("infostand", "Infostand"),
    ("erfahrungswissen", "Erfahrungswissen in Fortbildungen"),
)
LEISTUNGEN_KONTAKTSTELLE = (
    ("moderation", "Moderation"),
    ("beratung", "Beratung"),
    ("vermittlung", "Vermittlung"),
)
AUSTAUSCH = (
    ("vierteljaehrlich", "vierteljährlich"),
    ("halbjaehrlich", "halbjährlich"),
    ("jaehrlich", "jährlich"),
)
OEFFENTLICHKEIT = (
    ("nennung", "Die Parteien dürfen einander mit Namen und Logo nennen."),
    ("veroeffentlichung", "Diese Vereinbarung darf veröffentlicht werden."),
)
LAUFZEIT = (("unbefristet", "unbefristet"), ("befristet", "befristet bis"))

FIELDS = (
    Field(
        "parteien",
        "Parteien der Vereinbarung",
        "list",
        required=True,
        min_entries=2,
        max_entries=10,
        row_label="Partei",
        help="Alle, die die Vereinbarung unterschreiben: mindestens zwei, oft drei "
        "(Einrichtung, Selbsthilfegruppe, Kontaktstelle).",
        fields=(
            Field("rolle", "Rolle", "choice", required=True, choices=ROLLEN),
            Field("name", "Name", "text", required=True, help="z. B. Klinikum am Westpark"),
            Field("rechtsform", "Rechtsform", "choice", choices=RECHTSFORMEN),
            Field("anschrift", "Anschrift", "textarea", help="Dienstliche Anschrift."),
            Field(
                "vertreten_durch",
                "vertreten durch",
                "text",
                required=True,
                help="Wer unterschreibt, mit Funktion, z. B. Dr. Erika Mustermann (Chefärztin).",
            ),
        ),
    ),
    Field(
        "praeambel",
        "Präambel, Anlass",
        "textarea",
        help="Warum wollen Sie zusammenarbeiten? Ein paar Sätze genügen.",
    ),
    Field(
        "ziele",
        "Ziele der Zusammenarbeit",
        "textarea",
        required=True,
        help="Was soll die Zusammenarbeit erreichen? Gern als Liste, eine Zeile je Ziel.",
        shares="ziele",
    ),
    Field(
        "leistungen_einrichtung",
        "Leistungen der Einrichtung",
        "multichoice",
        required=True,
        choices=LEISTUNGEN_EINRICHTUNG,
        help="Mindestens eine Leistung auswählen.",
    ),
    Field(
        "leistungen_einrichtung_text",
        "Erläuterung zu den Leistungen der Einrichtung",
        "textarea",
        help="z. B. welcher Raum, wann, wo die Flyer ausliegen.",
    ),
    Field(
        "leistungen_selbsthilfe",
        "Leistungen der Selbsthilfe",
        "multichoice",
        choices=LEISTUNGEN_SELBSTHILFE,
    ),
    Field(
        "leistungen_selbsthilfe_text", "Erläuterung zu den Leistungen der Selbsthilfe", "textarea"
    ),
    Field(
        "leistungen_kontaktstelle",
        "Leistungen der Kontaktstelle",
        "multichoice",
        choices=LEISTUNGEN_KONTAKTSTELLE,
    ),
    Field(
        "leistungen_kontaktstelle_text",
        "Erläuterung zu den Leistungen der Kontaktstelle",
        "textarea",
    ),
    Field(
        "ansprechpersonen",
        "Ansprechpersonen je Partei",
        "list",
        row_label="Ansprechperson",
        help="Dienstliche Kontakte (Funktion, dienstliche E-Mail oder Telefon), keine privaten.",
        fields=(
            Field("partei", "Partei", "text", required=True),
            Field(
                "person",
                "Ansprechperson",
                "text",
                help="Name, Funktion, dienstliche E-Mail oder Telefon.",
            ),
            Field("vertretung", "Vertretung", "text", help="Wer springt bei Abwesenheit ein?"),
        ),
    ),
    Field("austausch", "Regelmäßiger Austausch", "choice", required=True, choices=AUSTAUSCH),
    Field(
        "oeffentlichkeitsarbeit",
        "Öffentlichkeitsarbeit",
        "multichoice",
        choices=OEFFENTLICHKEIT,
    ),
    Field(
        "unabhaengigkeit",
        "Die Selbsthilfe bleibt unabhängig: Die Einrichtung nimmt keinen Einfluss auf die "
        "Inhalte, die Gruppe entscheidet selbst über ihre Arbeit.",
        "boolean",
        required=True,
        default=True,
    ),
    Field(
        "datenschutz",
        "Es werden keine personenbezogenen Daten ohne Einwilligung der Betroffenen weitergegeben.",
        "boolean",
        required=True,
    ),
    Field(
        "datenschutz_text",
        "Weitere Vereinbarungen zu Datenschutz und Vertraulichkeit",
        "textarea",
    ),
    Field(
        "kosten",
        "Kosten",
        "textarea",
        help="Ist der Raum kostenfrei? Wer trägt Material- und Druckkosten?",
    ),
    Field("beginn", "Beginn der Zusammenarbeit", "date", required=True, shares="beginn"),
    Field("laufzeit", "Laufzeit", "choice", choices=LAUFZEIT, default="unbefristet"),
    Field("befristet_bis", "befristet bis", "date", help="Nur bei befristeter Laufzeit."),
    Field(
        "kuendigungsfrist_wochen",
        "Kündigungsfrist in Wochen",
        "integer",
        min_value=0,
        max_value=104,
    ),
    Field(
        "naechste_ueberpruefung",
        "Nächste Überprüfung",
        "date",
        required=True,
        help="Wann setzen Sie sich zusammen und prüfen die Vereinbarung? Nach dem Beginn.",
    ),
    Field("ort", "Ort", "text", required=True, shares="ort"),
    Field("datum", "Datum", "date", required=True),
)


def check_dates(payload: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    beginn = parse_date(payload.get("beginn"))
    review = parse_date(payload.get("naechste_ueberpruefung"))
    if beginn and review and review <= beginn:
        errors["naechste_ueberpruefung"] = [
            "Die nächste Überprüfung muss nach dem Beginn der Zusammenarbeit liegen."
        ]
    if payload.get("laufzeit") == "befristet":
        until = parse_date(payload.get("befristet_bis"))
        if not until:
            errors["befristet_bis"] = ["Bitte das Ende der befristeten Laufzeit angeben."]
        elif beginn and until <= beginn:
            errors["befristet_bis"] = ["Das Ende der Laufzeit muss nach dem Beginn liegen."]
    return errors


def short_name(payload: dict) -> str:
    """The self-help party names the agreement best; otherwise the first party."""
    parties = payload.get("parteien") or []
    for party in parties:
        if party.get("rolle") == "selbsthilfe" and party.get("name"):
            return party["name"]
    return parties[0].get("name", "") if parties else ""


def extend_context(ctx: dict, payload: dict) -> dict:
    # One goal per line reads best as a numbered list in the agreement.
    return {"ziele_liste": [line.strip() for line in ctx["ziele"].split("\n") if line.strip()]}


ROLE_CONCEPTS = {
    "einrichtung": "einrichtung",
    "selbsthilfe": "gruppe",
    "kontaktstelle": "kontaktstelle",
}


def imports(values: dict[str, str]) -> dict[str, str]:
    """Known organisations become the first rows of the list of parties."""
    data = {}
    index = 0
    for role, concept in ROLE_CONCEPTS.items():
        if values.get(concept):
            data[f"parteien-{index}-rolle"] = role
            data[f"parteien-{index}-name"] = values[concept]
            index += 1
    return data


def exports(payload: dict) -> dict[str, str]:
    """The parties' names, by role, for other instruments (Als Vorlage verwenden)."""
    out: dict[str, str] = {}
    for party in payload.get("parteien") or []:
        concept = ROLE_CONCEPTS.get(party.get("rolle"))
        if concept and party.get("name") and concept not in out:
            out[concept] = party["name"]
    return out


INSTRUMENT = Instrument(
    slug="kooperationsvereinbarung",
    title="Kooperationsvereinbarung",
    description="Die gemeinsame Vereinbarung von Einrichtung, Selbsthilfe und Kontaktstelle: "
    "Ziele, Leistungen jeder Seite, Austausch, Datenschutz und Laufzeit.",
    document_title="Kooperationsvereinbarung",
    fields=FIELDS,
    rules=(check_dates,),
    order=(("beginn", "naechste_ueberpruefung", True), ("beginn", "befristet_bis", True)),
    rule_schemas=(required_if("laufzeit", "befristet", "befristet_bis"),),
    extend_context=extend_context,
    short_name=short_name,
    signed=True,
    blank_document=True,
    exports=exports,
    imports=imports,
)
