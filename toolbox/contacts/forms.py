"""The forms of the directory pages: one entry (the instrument's row fields, so the
dashboard accepts exactly what a CSV import or a suggestion accepts) and the CSV upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField

from toolbox.instruments.ansprechpersonen import ENTRY_FIELDS
from toolbox.instruments.forms import make_field

ContactForm = type("ContactForm", (FlaskForm,), {f.name: make_field(f) for f in ENTRY_FIELDS})


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV-Datei"),
        description=_l(
            "Spalten: Organisation; Art; Funktion; E-Mail; Telefon; Anschrift; Zuständigkeit "
            "(Organisation und Art sind Pflicht). Trennzeichen Semikolon oder Komma, "
            "UTF-8 oder Windows-1252 – so, wie Excel oder LibreOffice CSV speichern."
        ),
        validators=[
            FileRequired(_l("Bitte eine CSV-Datei auswählen.")),
            FileAllowed(
                ["csv", "txt"],
                _l("Bitte eine CSV-Datei wählen (Tabellen vorher „Speichern unter … CSV“)."),
            ),
        ],
    )
    replace = BooleanField(
        _l("Das bisherige Verzeichnis durch die Datei ersetzen"),
        description=_l(
            "Ohne Haken kommen die Einträge der Datei dazu; Einträge, die es genau so schon "
            "gibt, werden übersprungen."
        ),
    )
