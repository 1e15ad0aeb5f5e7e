"""WTForms classes built from an instrument's field declarations.

One form class serves the browser (form data with CSRF) and the JSON API (the JSON body is
flattened into the same form data names, e.g. ``parteien-0-name``), so both validate alike.
"""

from __future__ import annotations

import datetime as dt
import decimal
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from toolbox.documents.sanitize import has_lone_surrogate, sanitize_text
from toolbox.instruments.base import (
    TEXT_MAX_CHARS,
    TEXTAREA_MAX_CHARS,
    TEXTAREA_MAX_LINES,
    Field,
    Instrument,
)
from toolbox.instruments.formdata import drop_empty_rows, json_to_formdata, row_indices

MSG_REQUIRED = _l("Bitte ausfüllen.")
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


def _clean(value):
    return sanitize_text(value) if isinstance(value, str) else value


def _strip(value):
    return value.strip() if isinstance(value, str) else value


# --- building ----------------------------------------------------------------------------


def _presence(f: Field) -> list:
    if not f.required:
        return [Optional()]
    if f.type in ("text", "textarea", "email"):
        # Judged after the filters: only spaces or line breaks are no answer either.
        return [DataRequired(message=MSG_REQUIRED)]
    message = MSG_CHOOSE if f.type in ("choice", "multichoice") else MSG_REQUIRED
    return [InputRequired(message=message)]


def _number_range(f: Field) -> list:
    if f.min_value is None and f.max_value is None:
        return []
    if f.range_message:
        message = f.range_message
    elif f.min_value is not None and f.max_value is not None:
        message = _l(
            "Bitte einen Wert von %(min)s bis %(max)s angeben.",
            min=f"{f.min_value:g}",
            max=f"{f.max_value:g}",
        )
    elif f.min_value is not None:
        message = _l("Bitte mindestens %(min)s angeben.", min=f"{f.min_value:g}")
    else:
        message = _l("Bitte höchstens %(max)s angeben.", max=f"{f.max_value:g}")
    return [NumberRange(min=f.min_value, max=f.max_value, message=message)]


def _choices(f: Field) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in f.choices]


def make_field(f: Field):
    """The WTForms field for one declaration."""
    kw = {"label": f.label, "description": f.help}
    text_filters = [_clean, _strip]
    if f.type == "text":
        return StringField(
            validators=[
                *_presence(f),
                no_lone_surrogates,
                Length(
                    max=TEXT_MAX_CHARS,
                    message=_l("Höchstens %(count)s Zeichen.", count=TEXT_MAX_CHARS),
                ),
            ],
            filters=text_filters,
            **kw,
        )
    if f.type == "textarea":
        return TextAreaField(
            validators=[
                *_presence(f),
                no_lone_surrogates,
                Length(
                    max=TEXTAREA_MAX_CHARS,
                    message=_l("Höchstens %(count)s Zeichen.", count=TEXTAREA_MAX_CHARS),
                ),
                max_lines(TEXTAREA_MAX_LINES),
            ],
            filters=[_clean, lambda v: v.strip("\n ") if isinstance(v, str) else v],
            **kw,
        )
    if f.type == "email":
        return StringField(
            validators=[
                *_presence(f),
                single_address,
                Email(message=_l("Bitte eine gültige E-Mail-Adresse angeben.")),
            ],
            filters=[_strip],
            **kw,
        )
    if f.type == "date":
        return GermanDateField(validators=_presence(f), **kw)
    if f.type == "time":
        return GermanTimeField(validators=_presence(f), **kw)
    if f.type == "integer":
        return GermanIntegerField(validators=[*_presence(f), *_number_range(f)], **kw)
    if f.type == "decimal":
        return GermanDecimalField(places=2, validators=[*_presence(f), *_number_range(f)], **kw)
    if f.type == "choice":
        return ChoiceField(choices=_choices(f), validators=_presence(f), default=f.default, **kw)
    if f.type == "multichoice":
        return MultiChoiceField(
            choices=_choices(f), validators=_presence(f), default=f.default or [], **kw
        )
    if f.type == "boolean":
        validators = [InputRequired(message=MSG_CONFIRM)] if f.required else []
        return BooleanField(validators=validators, default=bool(f.default), **kw)
    if f.type == "list":
        row_form = type(f"{f.name.title()}Row", (Form,), {s.name: make_field(s) for s in f.fields})
        return FieldList(
            FormField(row_form, label=f.row_label or f.label),
            min_entries=f.min_entries,
            max_entries=f.max_entries,
            **kw,
        )
    raise ValueError(f"Feld {f.name}: unbekannter Typ {f.type}")


# How an email address is checked, wherever one is given (the form, the API, added later).
EMAIL_CHECKS = (
    single_address,
    Length(max=254, message=_l("Die Adresse ist zu lang.")),
    Email(message=_l("Bitte eine gültige E-Mail-Adresse angeben.")),
)


class InstrumentForm(FlaskForm):
    """Base of every instrument form: list-level and cross-field errors live here, and the
    optional address the documents are emailed to (not part of the document)."""

    instrument: Instrument
    email_spec = Field(
        "email",
        _l("Dokumente per E-Mail an"),
        "email",
        help=_l("Freiwillig. Wir schicken Ihnen die fertigen Dokumente an diese Adresse."),
    )
    email = StringField(
        email_spec.label,
        description=email_spec.help,
        validators=[Optional(), *EMAIL_CHECKS],
        filters=[_strip],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_errors: dict[str, list[str]] = {}
        # WTForms silently drops rows beyond max_entries; count them to say so instead.
        formdata = kwargs.get("formdata")
        self._too_many_rows = [
            f
            for f in self.instrument.fields
            if f.type == "list"
            and formdata is not None
            and len(row_indices(formdata, f.name)) > f.max_entries
        ]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        payload = to_payload(self)
        for f in self._too_many_rows:
            self.add_error(f.name, _("Höchstens %(max)s Zeilen sind möglich.", max=f.max_entries))
        for f in self.instrument.fields:
            if f.type == "list":
                rows = sum(
                    1
                    for row in payload[f.name]
                    if any(v not in (None, "", [], False) for v in row.values())
                )
                if rows < f.min_entries:
                    self.add_error(f.name, _at_least_rows(f.min_entries))
        # Rules run even when single fields failed, so every problem shows at once;
        # a rule skips the values that are missing (None).
        for rule in self.instrument.rules:
            for name, messages in rule(payload).items():
                for message in messages:
                    self.add_error(name, message)
        return ok and not self.has_errors()

    def add_error(self, name: str, message: str) -> None:
        """Attach a message to a field by its form data name, rows included
        (``termine-2-datum``); list-level messages are kept in `extra_errors`."""
        field = self._find(name)
        if field is None or isinstance(field, FieldList):
            self.extra_errors.setdefault(name, []).append(message)
        else:
            field.errors = [*field.errors, message]

    def _find(self, name: str):
        if name in self._fields:
            return self._fields[name]
        head, _, rest = name.partition("-")
        index, _, sub = rest.partition("-")
        field_list = self._fields.get(head)
        if not isinstance(field_list, FieldList):
            return None
        for entry in field_list.entries:
            if entry.name == f"{head}-{index}":
                return entry.form._fields.get(sub)
        return None

    def has_errors(self) -> bool:
        return bool(self.extra_errors) or any(flat_errors(self).values())


class AddressForm(FlaskForm):
    """An address for the documents given after the fact (private page and API), checked
    like the form's."""

    email = StringField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(message=_l("Bitte eine E-Mail-Adresse angeben.")), *EMAIL_CHECKS],
        filters=[_strip],
    )


@cache
def form_class(instrument: Instrument) -> type[InstrumentForm]:
    attrs = {f.name: make_field(f) for f in instrument.fields}
    attrs["instrument"] = instrument
    return type(f"{instrument.slug.title()}Form", (InstrumentForm,), attrs)


# --- form data in, payload out -------------------------------------------------------------


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def to_payload(form: InstrumentForm) -> dict:
    """The cleaned form data as JSON-ready values (ISO dates, "HH:MM" times)."""
    out = {}
    for f in form.instrument.fields:
        data = form[f.name].data
        if f.type == "list":
            out[f.name] = [{s.name: _plain(row.get(s.name)) for s in f.fields} for row in data]
        else:
            out[f.name] = _plain(data)
    return out


def flat_errors(form: InstrumentForm) -> dict[str, list[str]]:
    """Errors keyed by form data names (``parteien-1-name``), as the API reports them."""
    errors: dict[str, list[str]] = {}

    def walk(field):
        if isinstance(field, FieldList):
            for entry in field.entries:
                walk(entry)
        elif isinstance(field, FormField):
            for sub in field.form:
                walk(sub)
        elif field.errors:
            errors[field.name] = [str(m) for m in field.errors]  # lazy → the request's language

    for field in form:
        walk(field)
    for name, messages in getattr(form, "extra_errors", {}).items():
        errors.setdefault(name, []).extend(str(m) for m in messages)
    return errors


def validated_form(
    instrument: Instrument, data: dict, email: str | None = None
) -> tuple[InstrumentForm | None, dict]:
    """Validate API-style data (JSON values) exactly like a browser submission.

    Returns (form, {}) when valid, else (None, errors keyed by form data names)."""
    formdata, errors = json_to_formdata(instrument, data)
    if email is not None:
        if isinstance(email, str):
            formdata.add("email", email)
        else:
            errors["email"] = [_("Bitte eine E-Mail-Adresse als Text angeben.")]
    if errors:
        return None, errors
    form = form_class(instrument)(
        formdata=drop_empty_rows(instrument, formdata), meta={"csrf": False}
    )
    if not form.validate():
        return None, flat_errors(form)
    return form, {}


def _at_least_rows(count: int) -> str:
    if count == 1:
        return _("Bitte mindestens eine Zeile ausfüllen.")
    return _("Bitte mindestens %(count)s Zeilen ausfüllen.", count=count)


def with_spare_rows(form: InstrumentForm) -> InstrumentForm:
    """Show at least one row of every list, so there is something to fill in; a row left
    empty is dropped again on submit (formdata.drop_empty_rows)."""
    for f in form.instrument.fields:
        if f.type == "list" and not form[f.name].entries:
            form[f.name].append_entry()
    return form
