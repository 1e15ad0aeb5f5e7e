"""WTForms fields and validators with German messages, used by the field types
(instruments/types.py)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.validators import ValidationError

from toolbox.documents.sanitize import has_lone_surrogate, sanitize_text

MSG_REQUIRED = _l("Bitte ausfüllen.")
FORMULA_CHARACTERS = "=+-@"
MSG_CHOOSE = _l("Bitte auswählen.")
MSG_CONFIRM = _l("Bitte bestätigen.")


# --- fields with German messages -------------------------------------------------------


class _GermanParse:
    """Blank input is simply "no value" (required-ness is the validators' job); anything
    unparseable gets a German message with an example."""

    parse_message = ""

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(self.parse_message) from exc


class GermanDateField(_GermanParse, DateField):
    parse_message = _l("Bitte ein gültiges Datum angeben, z. B. 22.11.2026.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, format=["%Y-%m-%d", "%d.%m.%Y"], **kwargs)


class GermanTimeField(_GermanParse, TimeField):
    parse_message = _l("Bitte eine gültige Uhrzeit angeben, z. B. 18:00.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, format=["%H:%M", "%H:%M:%S"], **kwargs)


class GermanIntegerField(_GermanParse, IntegerField):
    parse_message = _l("Bitte eine ganze Zahl angeben.")


class GermanDecimalField(_GermanParse, DecimalField):
    parse_message = _l("Bitte einen Betrag angeben, z. B. 15,50.")

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].replace(",", ".")]  # "15,50" is how Germans write it
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():  # "NaN", "Infinity", "sNaN"
            self.data = None
            raise ValueError(self.parse_message)


class ChoiceField(SelectField):
    """A single choice; rendered as radio buttons or a select box by the template."""

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        if self.data not in {c.value for c in self.choices}:
            raise ValidationError(_("Bitte eine der angebotenen Möglichkeiten wählen."))


class MultiChoiceField(SelectMultipleField):
    """Checkboxes; every submitted value must be one of the choices."""

    def pre_validate(self, form):
        allowed = {c.value for c in self.choices}
        if any(v not in allowed for v in self.data or ()):
            raise ValidationError(_("Bitte nur die angebotenen Möglichkeiten wählen."))


# --- validators ---------------------------------------------------------------------------


def no_lone_surrogates(form, field):
    if isinstance(field.data, str) and has_lone_surrogate(field.data):
        raise ValidationError(_("Der Text enthält ein ungültiges Zeichen."))


def max_lines(limit: int):
    def check(form, field):
        if isinstance(field.data, str) and field.data.count("\n") >= limit:
            raise ValidationError(_("Bitte höchstens %(limit)s Zeilen eingeben.", limit=limit))

    return check


def single_address(form, field):
    if field.data and any(c in field.data for c in ",;\r\n "):
        raise ValidationError(_("Bitte genau eine E-Mail-Adresse angeben."))
    # RFC 5322 allows these at the start, spreadsheets read them as a formula (CSV export).
    if field.data and field.data[0] in FORMULA_CHARACTERS:
        raise ValidationError(_("Eine E-Mail-Adresse darf nicht mit =, +, - oder @ beginnen."))


def clean_text(value):
    return sanitize_text(value) if isinstance(value, str) else value


def strip_spaces(value):
    return value.strip() if isinstance(value, str) else value
