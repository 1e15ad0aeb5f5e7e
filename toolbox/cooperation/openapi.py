"""The cooperation part of the OpenAPI description of API v1 (toolbox.cooperation.api),
merged into the generated document by toolbox.submissions.openapi. Pure data."""

from __future__ import annotations

TIMESTAMP = {"type": "string", "format": "date-time", "description": "UTC"}
INVITATION_STATES = ["invited", "opened", "agreed", "change_requested"]


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def cooperation_schemas() -> dict:
    party = {
        "type": "object",
        "required": ["position", "party", "state", "version", "invited_at"],
        "properties": {
            "position": {"type": "integer", "minimum": 0},
            "party": {
                "type": "string",
                "description": "Die Partei, wie die Vereinbarung sie nennt",
            },
            "email": {"type": "string", "description": "Nur in der Sicht der Verfasserin"},
            "state": {"enum": INVITATION_STATES},
            "version": {"type": "integer", "minimum": 1},
            "invited_at": TIMESTAMP,
            "opened_at": TIMESTAMP,
            "answered_at": TIMESTAMP,
            "reminded_at": TIMESTAMP,
        },
    }
    return {
        "circulation": {
            "type": "object",
            "required": ["state", "version", "versions", "parties", "history", "documents"],
            "properties": {
                "state": {"enum": ["open", "completing", "completed"]},
                "version": {"type": "integer", "minimum": 1, "description": "Aktuelle Version"},
                "versions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["number", "created_at", "changes"],
                        "properties": {
                            "number": {"type": "integer", "minimum": 1},
                            "created_at": TIMESTAMP,
                            "changes": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
                "parties": {"type": "array", "items": party},
                "history": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["kind", "version", "at"],
                        "properties": {
                            "kind": {"type": "string"},
                            "version": {"type": "integer"},
                            "party": {"type": ["string", "null"]},
                            "at": TIMESTAMP,
                        },
                    },
                },
                "documents": {
                    "type": "array",
                    "description": "Die Endfassung, sobald abgeschlossen",
                    "items": {
                        "type": "object",
                        "required": ["format", "filename", "size", "sha256"],
                        "properties": {
                            "format": {"enum": ["docx", "pdf", "ics"]},
                            "filename": {"type": "string"},
                            "size": {"type": "integer", "minimum": 0},
                            "sha256": {"type": "string"},
                        },
                    },
                },
                "you": party,
            },
        },
        "circulation_start": {
            "type": "object",
            "required": ["emails"],
            "additionalProperties": False,
            "properties": {
                "emails": {
                    "type": "array",
                    "description": "Je Partei der Vereinbarung (in ihrer Reihenfolge) die "
                    "Adresse der Person, die unterschreibt.",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "maxItems": 10,
                }
            },
        },
        "circulation_answer": {
            "type": "object",
            "required": ["answer", "version"],
            "additionalProperties": False,
            "properties": {
                "answer": {"enum": ["agree", "change"]},
                "version": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "Die Version, auf die sich die Antwort bezieht",
                },
                "name": {"type": "string", "description": "agree: vollständiger Name"},
                "function": {"type": "string", "description": "agree: Funktion"},
                "authorised": {
                    "type": "boolean",
                    "description": "agree: berechtigt, für die Partei zu unterzeichnen",
                },
                "text": {"type": "string", "description": "change: der Änderungsvorschlag"},
            },
        },
    }


def cooperation_paths(ref: dict) -> dict:
    """`ref`: {"errors": …, "message": …} references of the document it goes into."""
    token = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
    state = {"$ref": "#/components/schemas/circulation"}
    not_found = _json(ref["message"], "Unbekannter Link")
    refused = _json(ref["message"], "Nicht möglich (Meldung in `error`)")
    bad = _json(ref["errors"], "Ungültige Angaben (Meldungen je Feld)")
    return {
        "/api/v1/submissions/{token}/circulation": {
            "get": {
                "summary": "Stand und Verlauf der Abstimmung einer Vereinbarung",
                "parameters": [token],
                "responses": {"200": _json(state, "Stand"), "404": not_found},
            },
            "post": {
                "summary": "Eine unterschriebene Vereinbarung zur Abstimmung senden",
                "description": "Jede Partei erhält per E-Mail ihren persönlichen Link.",
                "parameters": [token],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/circulation_start"}
                        }
                    },
                },
                "responses": {
                    "202": _json(state, "Gestartet; die Einladungen werden gesendet"),
                    "400": bad,
                    "404": not_found,
                    "409": refused,
                    "429": _json(ref["message"], "Zu viele Anfragen"),
                },
            },
        },
        "/api/v1/invitations/{token}": {
            "get": {
                "summary": "Die Abstimmung aus der Sicht einer Partei (ihr Link)",
                "parameters": [token],
                "responses": {"200": _json(state, "Stand"), "404": not_found},
            }
        },
        "/api/v1/invitations/{token}/answer": {
            "post": {
                "summary": "Antwort einer Partei: zustimmen oder Änderung vorschlagen",
                "parameters": [token],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/circulation_answer"}
                        }
                    },
                },
                "responses": {
                    "200": _json(state, "Gespeichert"),
                    "400": bad,
                    "404": not_found,
                    "409": refused,
                },
            }
        },
    }
