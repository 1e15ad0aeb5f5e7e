"""The contact directory (instrument `ansprechpersonen`): search, editing, CSV import and
export, and the payload that renders the whole directory as a document.

CSV files use the German column names below, `;` as separator and UTF-8 (with BOM, so
spreadsheet programs open umlauts correctly); imports also accept `,` and Windows-1252
(what Excel writes for "CSV (Trennzeichen-getrennt)"), with any line ending (`\r\n`, `\n`,
`\r`). An entry that is already in the directory, identical in every column, is not added
twice.

Cells are written so that spreadsheet programs never run them as formulas (OWASP's rule
against CSV injection): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
gets a leading `'`. Import removes exactly that apostrophe again, so export → import gives
back every value as it was (a value that itself starts with apostrophes before such a
character gets one more on export).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sqlalchemy import or_

from toolbox.contacts.models import Contact
from toolbox.core.extensions import db
from toolbox.instruments.ansprechpersonen import INSTRUMENT, TYPEN
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.jobs.queue import BUILD_DIRECTORY, enqueue

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


# What a spreadsheet would read as the start of a formula, after any apostrophes.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def neutralise_cell(value: str) -> str:
    """The cell as written to a CSV file: never a formula in a spreadsheet."""
    return "'" + value if _FORMULA_START.match(value) else value


def restore_cell(value: str) -> str:
    """The value of a cell written by `neutralise_cell` (other cells are unchanged)."""
    return value[1:] if _NEUTRALISED.match(value) else value


class ContactImportError(ValueError):
    """The file cannot be imported; `errors` lists every problem with its line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Added:
    """What adding entries did: how many are new, how many were there already."""

    added: int
    skipped: int


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


def _values(entry: dict) -> dict[str, str]:
    """The directory's columns of a validated row (extra keys ignored), None as ""."""
    return {name: entry.get(name) or "" for name, _ in COLUMNS}


def directory_changed() -> None:
    """After a commit that changed the directory: a worker renders its documents anew
    (toolbox/contacts/directory.py); the web keeps serving the previous render."""
    enqueue(BUILD_DIRECTORY, 0)


def add_entries(entries: list[dict]) -> Added:
    """Add validated entries (payload rows of the instrument) to the session, skipping
    those identical to an entry already there or earlier in `entries`. The caller
    commits."""
    seen = {tuple(as_row(c).values()) for c in Contact.query.all()}
    added = 0
    for entry in map(_values, entries):
        key = tuple(entry.values())
        if key in seen:
            continue
        seen.add(key)
        db.session.add(Contact(**entry))
        added += 1
    return Added(added, len(entries) - added)


def save_contact(contact: Contact | None, entry: dict) -> Contact:
    """Create (contact None) or change one entry from a validated row."""
    contact = contact or Contact()
    for name, value in _values(entry).items():
        setattr(contact, name, value)
    db.session.add(contact)
    db.session.commit()
    directory_changed()
    return contact


def delete_contact(contact: Contact) -> None:
    db.session.delete(contact)
    db.session.commit()
    directory_changed()


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
        writer.writerow([neutralise_cell(row[name]) for name, _ in COLUMNS])
    return "\ufeff" + out.getvalue()


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ContactImportError(
            ["Die Datei ist weder UTF-8 noch Windows-1252. Bitte als „CSV UTF-8“ speichern."]
        ) from None


def _records(text: str, delimiter: str):
    """The cells of each record with the line it starts on. Any line ending, also a bare
    CR inside a field; a broken file is a ContactImportError, never a crash."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for values in reader:
            yield line, values
            line = reader.line_num + 1
    except csv.Error:  # e.g. a field longer than csv.field_size_limit()
        raise ContactImportError(
            [f'Zeile {line}: Die Zeile lässt sich nicht lesen (zu lang oder falsch gesetzte „"“).']
        ) from None


def parse_csv(text: str) -> list[dict]:
    """Rows as dicts keyed by field name; raises ContactImportError for a wrong header or
    a file that cannot be read as CSV."""
    text = text.lstrip("\ufeff")
    first = re.split(r"[\r\n]", text, maxsplit=1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    records = _records(text, delimiter)
    header = [h.strip() for h in next(records, (1, []))[1]]
    by_label = {label.lower(): name for name, label in COLUMNS}
    names = [by_label.get(h.lower()) for h in header]
    missing = [label for name, label in COLUMNS[:2] if name not in names]
    if missing:
        raise ContactImportError([f"Zeile 1: Spalte fehlt: {', '.join(missing)}"])
    rows = []
    for _, values in records:
        if not any(v.strip() for v in values):
            continue
        row = {
            name: restore_cell(value.strip())
            for name, value in zip(names, values, strict=False)
            if name
        }
        row["typ"] = TYP_CODES.get(row.get("typ", "").lower(), row.get("typ", ""))
        rows.append(row)
    return rows


def import_csv(text: str, replace: bool = False) -> Added:
    """Validate every row like a form submission; import all rows or none. With
    `replace`, the file becomes the whole directory."""
    rows = parse_csv(text)
    if not rows:
        raise ContactImportError(["Die Datei enthält keine Einträge."])
    form, errors = validated_form(INSTRUMENT, {"eintraege": rows, "einwilligung": True})
    if form is None:
        raise ContactImportError(sorted(_line_errors(errors), key=_line_number))
    if replace:
        Contact.query.delete()
    result = add_entries(to_payload(form)["eintraege"])
    db.session.commit()
    directory_changed()
    return result


def adopt_suggestion(payload: dict) -> Added:
    """Take the entries of a submitted suggestion (a payload of the instrument) into the
    directory; validated again, as the instrument may have changed since."""
    form, errors = validated_form(INSTRUMENT, payload)
    if form is None:
        raise ContactImportError(_line_errors(errors, row="Eintrag", first=1))
    result = add_entries(to_payload(form)["eintraege"])
    db.session.commit()
    directory_changed()
    return result


def _line_errors(errors: dict[str, list[str]], row: str = "Zeile", first: int = 2) -> list[str]:
    """Messages keyed by form data names → "Zeile 5: Art: Bitte auswählen." (row 0 of
    a CSV file is its line 2, after the header)."""
    labels = dict(COLUMNS)
    out = []
    for key, messages in errors.items():
        _, index, name = (key.split("-", 2) + ["", ""])[:3]
        if index.isdigit():
            where = f"{row} {int(index) + first}: {labels.get(name, name)}"
            out.append(f"{where}: {' '.join(messages)}")
        else:
            out.append(" ".join(messages))
    return out


def _line_number(message: str) -> int:
    head = message.split(":", 1)[0]
    return int(head.split()[-1]) if head.startswith("Zeile ") else 0
