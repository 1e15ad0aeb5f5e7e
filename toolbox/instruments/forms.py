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
from wtforms import FieldList, FormField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from toolbox.instruments.base import Field, Instrument, Message
from toolbox.instruments.formdata import drop_empty_rows, json_to_formdata, row_indices
from toolbox.instruments.limits import (
    LARGE_CHARS,
    LARGE_LINES,
    LARGE_ROWS,
    SUBMISSION_MAX_CHARS,
    SUBMISSION_MAX_LINES,
)
from toolbox.instruments.wtf import single_address, strip_spaces


def make_field(f: Field):
    """The WTForms field for one declaration (its type object builds it)."""
    return f.kind.form_field(f)


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
        filters=[strip_spaces],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_errors: dict[str, list[str]] = {}
        # WTForms silently drops rows beyond max_entries; count them to say so instead.
        formdata = kwargs.get("formdata")
        self._too_many_rows = [
            f
            for f in self.instrument.fields
            if f.kind.is_list
            and formdata is not None
            and len(row_indices(formdata, f.name)) > f.max_entries
        ]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        payload = to_payload(self)
        for f in self._too_many_rows:
            self.add_error(f.name, _("Höchstens %(max)s Zeilen sind möglich.", max=f.max_entries))
        for f in self.instrument.fields:
            if f.kind.is_list:
                rows = sum(
                    1
                    for row in payload[f.name]
                    if any(v not in (None, "", [], False) for v in row.values())
                )
                if rows < f.min_entries:
                    self.add_error(f.name, _at_least_rows(f.min_entries))
        self._check_budget(payload)
        # Rules run even when single fields failed, so every problem shows at once;
        # a rule skips the values that are missing (None).
        for rule in self.instrument.rules:
            for name, messages in rule(payload).items():
                for message in messages:  # declared in German, shown in the UI language
                    if isinstance(message, Message):
                        self.add_error(name, _(message.msgid, **message.params))
                    else:
                        self.add_error(name, _(message))
        return ok and not self.has_errors()

    def _check_budget(self, payload: dict) -> None:
        """The text budget of the whole submission (issue 14): its message goes to the
        longest field, where shortening helps most."""
        texts = list(text_values(self.instrument, payload))
        chars, lines = text_size(texts)
        if chars > SUBMISSION_MAX_CHARS:
            name = max(texts, key=lambda t: len(t[2]))[0]
            self.add_error(
                name,
                _(
                    "Alle Textfelder zusammen dürfen höchstens %(limit)s Zeichen haben, es "
                    "sind %(count)s. Bitte kürzen Sie, am besten hier: Dies ist das "
                    "längste Feld.",
                    limit=SUBMISSION_MAX_CHARS,
                    count=chars,
                ),
            )
        if lines > SUBMISSION_MAX_LINES:
            areas = [(name, value) for name, kind, value in texts if kind.budget_lines]
            name = max(areas, key=lambda t: line_count(t[1]))[0]
            self.add_error(
                name,
                _(
                    "Alle Textfelder zusammen dürfen höchstens %(limit)s Zeilen haben, es "
                    "sind %(count)s. Bitte kürzen Sie, am besten hier: Dieses Feld hat "
                    "die meisten Zeilen.",
                    limit=SUBMISSION_MAX_LINES,
                    count=lines,
                ),
            )

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
        filters=[strip_spaces],
    )


def line_count(value: str) -> int:
    """Lines of a long text as the budget counts them: none when empty."""
    return value.count("\n") + 1 if value else 0


def text_values(instrument: Instrument, payload: dict):
    """(form data name, field type, text) of every text field of a payload, rows included:
    what the submission's text budget counts."""
    for f in instrument.fields:
        if f.kind.in_text_budget:
            value = payload.get(f.name)
            if isinstance(value, str):
                yield f.name, f.kind, value
        elif f.kind.is_list:
            for index, row in enumerate(payload.get(f.name) or []):
                for s in f.fields:
                    value = row.get(s.name)
                    if s.kind.in_text_budget and isinstance(value, str):
                        yield f"{f.name}-{index}-{s.name}", s.kind, value


def text_size(texts) -> tuple[int, int]:
    """(characters, lines) of text_values(): what the budget and `is_large` measure."""
    texts = list(texts)
    chars = sum(len(value) for _, _, value in texts)
    lines = sum(line_count(value) for _, kind, value in texts if kind.budget_lines)
    return chars, lines


def is_large(instrument: Instrument, payload: dict) -> bool:
    """Whether a valid payload takes seconds to render (its size against LARGE_*)."""
    chars, lines = text_size(text_values(instrument, payload))
    rows = sum(len(payload.get(f.name) or []) for f in instrument.fields if f.kind.is_list)
    return chars > LARGE_CHARS or lines > LARGE_LINES or rows > LARGE_ROWS


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
        if f.kind.is_list:
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
        if f.kind.is_list and not form[f.name].entries:
            form[f.name].append_entry()
    return form
