"""The OpenAPI description of API v1, built from the instrument declarations."""

from __future__ import annotations

from toolbox.instruments.base import Field
from toolbox.instruments.registry import INSTRUMENTS

_SCALAR = {
    "text": {"type": "string"},
    "textarea": {"type": "string"},
    "email": {"type": "string", "format": "email"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "pattern": "^\\d{2}:\\d{2}$"},
    "integer": {"type": "integer"},
    "decimal": {"type": "string", "pattern": "^-?\\d+([.,]\\d{1,2})?$"},
    "boolean": {"type": "boolean"},
}


def field_schema(f: Field) -> dict:
    if f.type == "list":
        return {
            "type": "array",
            "minItems": f.min_entries,
            "maxItems": f.max_entries,
            "items": _object_schema(f.fields),
        }
    if f.type == "choice":
        return {"type": "string", "enum": [v for v, _ in f.choices]}
    if f.type == "multichoice":
        return {"type": "array", "items": {"type": "string", "enum": [v for v, _ in f.choices]}}
    return dict(_SCALAR[f.type])


def _object_schema(fields: tuple[Field, ...]) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: {**field_schema(f), "title": f.label} for f in fields},
    }


def openapi_document() -> dict:
    data_schemas = {slug: _object_schema(i.fields) for slug, i in INSTRUMENTS.items()}
    error = {
        "type": "object",
        "properties": {
            "errors": {
                "type": "object",
                "description": "Messages per field; rows of lists as `<list>-<index>-<field>`.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            }
        },
    }
    token = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
    message = {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string", "description": "Meldung auf Deutsch"}},
    }
    status = {
        "type": "object",
        "required": ["state", "documents", "email"],
        "properties": {
            "state": {"enum": ["queued", "running", "done", "failed"]},
            # attempts started so far (a job interrupted by a crash is retried)
            "attempts": {"type": "integer"},
            "detail": {"type": "string", "description": "what the private page says"},
            "documents": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "format": {"enum": ["docx", "pdf", "ics"]},
                        "filename": {"type": "string"},
                        "url": {"type": "string"},
                        "size": {"type": "integer"},
                    },
                },
            },
            "email": {
                "type": "object",
                "properties": {"state": {"enum": ["none", "pending", "sent", "failed"]}},
            },
            "error": {"type": "string"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "toolbox API", "version": "1"},
        "paths": {
            "/api/v1/instruments": {
                "get": {
                    "summary": "Alle Instrumente mit ihren Feldern",
                    "responses": {"200": {"description": "Liste"}},
                }
            },
            "/api/v1/submissions": {
                "post": {
                    "summary": "Ein ausgefülltes Instrument einreichen",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["instrument", "data"],
                                    "properties": {
                                        "instrument": {"enum": list(INSTRUMENTS)},
                                        "data": {"oneOf": list(data_schemas.values())},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "202": {"description": "Angenommen; Dokumente werden erstellt"},
                        "400": {
                            "description": "Ungültige Daten",
                            "content": {"application/json": {"schema": error}},
                        },
                        "404": {"description": "Unbekanntes Instrument"},
                        "413": {"description": "Zu groß"},
                        "429": {"description": "Zu viele Anfragen"},
                    },
                }
            },
            "/api/v1/submissions/{token}": {
                "get": {
                    "summary": "Stand einer Einreichung",
                    "parameters": [token],
                    "responses": {
                        "200": {
                            "description": "Stand",
                            "content": {"application/json": {"schema": status}},
                        },
                        "404": {"description": "Unbekannt"},
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
                                    "properties": {"email": _SCALAR["email"]},
                                }
                            }
                        },
                    },
                    "responses": {
                        "202": {
                            "description": "Angenommen; die E-Mail wird gesendet",
                            "content": {"application/json": {"schema": status}},
                        },
                        "400": {
                            "description": "Ungültige Adresse",
                            "content": {"application/json": {"schema": error}},
                        },
                        "404": {"description": "Unbekannt"},
                        "409": {
                            "description": (
                                "Keine Adresse, schon eine Adresse angegeben, oder die "
                                "E-Mail ist unterwegs"
                            )
                        },
                        "429": {
                            "description": "Zu oft angefordert (Meldung in `error`)",
                            "content": {"application/json": {"schema": message}},
                        },
                    },
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Datenbank und Broker erreichbar?",
                    "responses": {"200": {"description": "ok"}, "503": {"description": "gestört"}},
                }
            },
        },
        "components": {"schemas": {f"data_{slug}": s for slug, s in data_schemas.items()}},
    }
