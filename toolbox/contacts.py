"""The contact directory (instrument `ansprechpersonen`): search, CSV import and export,
and the payload that renders the whole directory as a document.

CSV files use the German column names below, `;` as separator and UTF-8 (with BOM, so
spreadsheet programs open umlauts correctly); imports also accept `,`.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import or_

from toolbox.extensions import db
from toolbox.instruments.ansprechpersonen import INSTRUMENT, TYPEN
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.models import Contact

COLUMNS = (
    ("organisation", "Organisation"),
    ("typ", "Art"),
    ("funktion", "Funktion"),
    ("email", "E-Mail"),
    ("telefon", "Telefon"),
    ("anschrift", "Anschrift"),
    ("zustaendigkeit", "Zuständigkeit"),
)
TYP_LABELS = dict(TYPEN)
TYP_CODES = {label.lower(): code for code, label in TYPEN} | {code: code for code, _ in TYPEN}


class ContactImportError(ValueError):
    """The file cannot be imported; `errors` lists every problem with its line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def search(query: str = "") -> list[Contact]:
    q = Contact.query
    for word in query.split():
        like = f"%{word}%"
        typ_codes = [code for code, label in TYPEN if word.lower() in label.lower()]
        q = q.filter(
            or_(
                Contact.organisation.ilike(like),
                Contact.funktion.ilike(like),
                Contact.zustaendigkeit.ilike(like),
                Contact.typ.in_(typ_codes),
            )
        )
    return q.order_by(Contact.organisation, Contact.id).all()


def as_row(contact: Contact) -> dict:
    return {name: getattr(contact, name) for name, _ in COLUMNS}


def directory_payload(contacts: list[Contact]) -> dict:
    """The whole directory as a payload of the instrument, to render as DOCX/PDF."""
    return {"eintraege": [as_row(c) for c in contacts], "einwilligung": True}


def export_csv(contacts: list[Contact]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS])
    for contact in contacts:
        row = as_row(contact)
        row["typ"] = TYP_LABELS.get(row["typ"], row["typ"])
        writer.writerow([row[name] for name, _ in COLUMNS])
    return "\ufeff" + out.getvalue()


def parse_csv(text: str) -> list[dict]:
    """Rows as dicts keyed by field name; raises ContactImportError for a wrong header."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    by_label = {label.lower(): name for name, label in COLUMNS}
    names = [by_label.get(h.lower()) for h in header]
    missing = [label for name, label in COLUMNS[:2] if name not in names]
    if missing:
        raise ContactImportError([f"Zeile 1: Spalte fehlt: {', '.join(missing)}"])
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row = {name: value.strip() for name, value in zip(names, values, strict=False) if name}
        row["typ"] = TYP_CODES.get(row.get("typ", "").lower(), row.get("typ", ""))
        rows.append(row)
    return rows


def import_csv(text: str, replace: bool = False) -> int:
    """Validate every row like a form submission; import all rows or none."""
    rows = parse_csv(text)
    if not rows:
        raise ContactImportError(["Die Datei enthält keine Einträge."])
    form, errors = validated_form(INSTRUMENT, {"eintraege": rows, "einwilligung": True})
    if form is None:
        raise ContactImportError(sorted(_line_errors(errors), key=_line_number))
    if replace:
        Contact.query.delete()
    for entry in to_payload(form)["eintraege"]:
        db.session.add(Contact(**{k: v or "" for k, v in entry.items()}))
    db.session.commit()
    return len(rows)


def _line_errors(errors: dict[str, list[str]]) -> list[str]:
    labels = dict(COLUMNS)
    out = []
    for key, messages in errors.items():
        _, index, name = (key.split("-", 2) + ["", ""])[:3]
        if index.isdigit():
            out.append(f"Zeile {int(index) + 2}: {labels.get(name, name)}: {' '.join(messages)}")
        else:
            out.append(" ".join(messages))
    return out


def _line_number(message: str) -> int:
    head = message.split(":", 1)[0]
    return int(head.split()[-1]) if head.startswith("Zeile ") else 0
