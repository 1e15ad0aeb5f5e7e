"""The OpenAPI description of API v1, built from the instrument declarations.

One source: every field's schema comes from its type object (instruments/types.py), every
instrument's cross-field rules from its declaration (`rule_schemas`, `order`, `in_year`,
`rule_notes`). What JSON Schema cannot say is written into `description` and, for tools,
into `x-toolbox-rules`.
"""

from __future__ import annotations

from toolbox.cooperation.openapi import cooperation_paths, cooperation_schemas
from toolbox.instruments.base import Instrument
from toolbox.instruments.limits import SUBMISSION_MAX_CHARS, SUBMISSION_MAX_LINES
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.instruments.types import EMAIL_SCHEMA, object_schema

EMAIL = {
    **EMAIL_SCHEMA,
    "description": "Freiwillig: die fertigen Dokumente werden an diese Adresse geschickt. "
    + EMAIL_SCHEMA["description"],
}


def _label(instrument: Instrument, path: str) -> str:
    head, _, sub = path.partition("[].")
    f = instrument.field(head)
    if sub:
        return f"`{head}[].{sub}` ({f.label}: {next(s.label for s in f.fields if s.name == sub)})"
    return f"`{path}` ({f.label})"


def text_paths(instrument: Instrument, *, lines: bool = False) -> list[str]:
    """The fields the text budget counts (`feld`, `liste[].feld`); with `lines`, those
    whose lines it counts as well."""

    def counted(f) -> bool:
        return f.kind.budget_lines if lines else f.kind.in_text_budget

    paths = []
    for f in instrument.fields:
        if f.kind.is_list:
            paths += [f"{f.name}[].{s.name}" for s in f.fields if counted(s)]
        elif counted(f):
            paths.append(f.name)
    return paths


def machine_rules(instrument: Instrument) -> list[dict]:
    """The rules JSON Schema cannot state, for tools (e.g. a fuzzer that orders dates)."""
    out = []
    if text_paths(instrument):
        out.append(
            {
                "rule": "text_budget",
                "fields": text_paths(instrument),
                "max_chars": SUBMISSION_MAX_CHARS,
                "line_fields": text_paths(instrument, lines=True),
                "max_lines": SUBMISSION_MAX_LINES,
            }
        )
    for a, b, strict, *gap in instrument.order:
        rule = {"rule": "after", "earlier": a, "later": b, "strict": strict}
        if gap:
            rule["enough_days"] = gap[0]
        out.append(rule)
    out += [{"rule": "in_year", "year": y, "date": d} for y, d in instrument.in_year]
    return out


def rule_texts(instrument: Instrument) -> list[str]:
    texts = []
    if text_paths(instrument):
        texts.append(
            f"Alle Textfelder zusammen (die Zeilen der Listen eingeschlossen) haben höchstens "
            f"{SUBMISSION_MAX_CHARS} Zeichen, alle langen Texte zusammen höchstens "
            f"{SUBMISSION_MAX_LINES} Zeilen."
        )
    for a, b, strict, *gap in instrument.order:
        relation = "liegt nach" if strict else "liegt nicht vor"
        text = f"{_label(instrument, b)} {relation} {_label(instrument, a)}"
        if gap:
            text += f" (mit {gap[0]} Tagen Abstand oder mehr genügt es sicher allen Regeln)"
        texts.append(text + ".")
    for y, d in instrument.in_year:
        texts.append(f"{_label(instrument, d)} liegt im Jahr {_label(instrument, y)}.")
    return texts + list(instrument.rule_notes)


def data_schema(instrument: Instrument) -> dict:
    schema = object_schema(instrument.fields)
    if instrument.rule_schemas:
        schema["allOf"] = list(instrument.rule_schemas)
    texts = rule_texts(instrument)
    schema["description"] = instrument.description + (
        "\n\nAußerdem prüft der Server:\n" + "\n".join(f"- {t}" for t in texts) if texts else ""
    )
    rules = machine_rules(instrument)
    if rules:
        schema["x-toolbox-rules"] = rules
    return schema


def submission_schema(slug: str) -> dict:
    return {
        "type": "object",
        "title": INSTRUMENTS[slug].title,
        "additionalProperties": False,
        "required": ["instrument", "data"],
        "properties": {
            "instrument": {"type": "string", "const": slug},
            "data": {"$ref": f"#/components/schemas/data_{slug}"},
            "email": EMAIL,
        },
    }


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict:
    schemas = {f"data_{slug}": data_schema(i) for slug, i in INSTRUMENTS.items()}
    schemas |= {f"submission_{slug}": submission_schema(slug) for slug in INSTRUMENTS}
    ref = {name: {"$ref": f"#/components/schemas/{name}"} for name in ("errors", "message")}
    schemas["errors"] = {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "object",
                "description": "Meldungen je Feld; Zeilen von Listen als `<liste>-<index>-<feld>`.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            }
        },
    }
    schemas["message"] = {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string", "description": "Meldung auf Deutsch"}},
    }
    schemas["accepted"] = {
        "type": "object",
        "required": ["token", "status_url", "page_url"],
        "properties": {
            "token": {
                "type": "string",
                "description": "Geheim: wer ihn kennt, sieht die Dokumente.",
            },
            "status_url": {"type": "string", "format": "uri", "description": "Stand (GET)"},
            "page_url": {"type": "string", "format": "uri", "description": "Private Seite"},
        },
    }
    timestamp = {"type": "string", "format": "date-time", "description": "UTC"}
    schemas["status"] = {
        "type": "object",
        "required": [
            "state",
            "attempts",
            "detail",
            "instrument",
            "created_at",
            "documents",
            "email",
        ],
        "properties": {
            "state": {"enum": ["queued", "running", "done", "failed"]},
            "attempts": {
                "type": "integer",
                "minimum": 0,
                "description": "Begonnene Versuche (ein abgebrochener wird wiederholt)",
            },
            "detail": {"type": "string", "description": "Was die private Seite sagt"},
            "instrument": {"enum": list(INSTRUMENTS)},
            "created_at": timestamp,
            "documents": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["format", "filename", "url", "size"],
                    "properties": {
                        "format": {"enum": ["docx", "pdf", "ics"]},
                        "filename": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                        "size": {"type": "integer", "minimum": 0},
                    },
                },
            },
            "email": {
                "type": "object",
                "required": ["state"],
                "properties": {
                    "state": {"enum": ["none", "pending", "sent", "failed"]},
                    "attempts": {"type": "integer", "minimum": 0},
                    "transport": {"type": "string", "description": "smtp oder outbox"},
                    "error": {"type": "string"},
                    "sent_at": timestamp,
                },
            },
            "error": {"type": "string", "description": "Warum die Erstellung fehlschlug"},
        },
    }
    token = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
    not_found = _json(ref["message"], "Unbekannte Einreichung")
    too_many = _json(ref["message"], "Zu viele Anfragen (Meldung in `error`)")
    field = {
        "type": "object",
        "required": ["name", "label", "type", "required"],
        "properties": {
            "name": {"type": "string"},
            "label": {"type": "string"},
            "type": {"type": "string"},
            "required": {"type": "boolean"},
        },
    }
    instrument_list = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["slug", "title", "description", "fields"],
            "properties": {
                "slug": {"enum": list(INSTRUMENTS)},
                "title": {"type": "string"},
                "description": {"type": "string"},
                "fields": {"type": "array", "items": field},
            },
        },
    }
    request_schema = {
        "oneOf": [{"$ref": f"#/components/schemas/submission_{slug}"} for slug in INSTRUMENTS],
        "discriminator": {
            "propertyName": "instrument",
            "mapping": {slug: f"#/components/schemas/submission_{slug}" for slug in INSTRUMENTS},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "toolbox API",
            "version": "1",
            "description": "Generated from the instruments' field declarations: the contract.",
        },
        "paths": {
            "/api/v1/instruments": {
                "get": {
                    "summary": "Alle Instrumente mit ihren Feldern",
                    "responses": {"200": _json(instrument_list, "Liste")},
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "Diese Beschreibung",
                    "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")},
                }
            },
            "/api/v1/submissions": {
                "post": {
                    "summary": "Ein ausgefülltes Instrument einreichen",
                    "description": "`instrument` wählt das Schema von `data`.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": request_schema}},
                    },
                    "responses": {
                        "202": _json(
                            {"$ref": "#/components/schemas/accepted"},
                            "Angenommen; die Dokumente werden erstellt",
                        ),
                        "400": _json(ref["errors"], "Ungültige Daten (Meldungen je Feld)"),
                        "404": _json(ref["message"], "Unbekanntes Instrument"),
                        "413": _json(ref["message"], "Zu groß"),
                        "429": too_many,
                    },
                }
            },
            "/api/v1/submissions/{token}": {
                "get": {
                    "summary": "Stand einer Einreichung",
                    "parameters": [token],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/status"}, "Stand"),
                        "404": not_found,
                    },
                }
            },
            "/api/v1/submissions/{token}/email": {
                "post": {
                    "summary": "Die E-Mail mit den Dokumenten noch einmal senden",
                    "description": (
                        "Ohne Inhalt: an die angegebene Adresse noch einmal. Mit "
                        '`{"email": …}`: an diese Adresse, wenn beim Einreichen keine '
                        "angegeben wurde (geprüft wie im Formular). Höchstens 3-mal pro "
                        "Stunde und 10-mal insgesamt je Einreichung, dazu eine Grenze je "
                        "Absender-Adresse (TOOLBOX_RESEND_RATE_LIMIT)."
                    ),
                    "parameters": [token],
                    "requestBody": {
                        "required": False,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "properties": {"email": EMAIL_SCHEMA},
                                }
                            }
                        },
                    },
                    "responses": {
                        "202": _json(
                            {"$ref": "#/components/schemas/status"},
                            "Angenommen; die E-Mail wird gesendet",
                        ),
                        "400": _json(ref["errors"], "Ungültige Adresse (Meldung bei `email`)"),
                        "404": not_found,
                        "409": _json(
                            ref["message"],
                            "Keine Adresse, schon eine Adresse angegeben, oder die E-Mail ist "
                            "unterwegs",
                        ),
                        "429": too_many,
                    },
                }
            },
            **cooperation_paths(ref),
            "/healthz": {
                "get": {
                    "summary": "Datenbank und Broker erreichbar?",
                    "responses": {
                        "200": {"description": "ok"},
                        "503": {"description": "gestört"},
                    },
                }
            },
        },
        "components": {"schemas": schemas | cooperation_schemas()},
    }
