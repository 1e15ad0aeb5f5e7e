"""The field types: one object per `Field.type`, the one place that knows what a type means.

Each type object knows its WTForms field, its JSON Schema (API description), how a JSON
value enters the form data, its display value for documents, its line on the blank form,
its empty value in the preview and its widget in the web form. A new type is one class
here plus its entry in TYPES.
"""

from __future__ import annotations

import decimal
import re
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, FieldList, Form, FormField, StringField, TextAreaField
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

from toolbox.documents.formatting import euro, german_date, german_number, german_time
from toolbox.instruments.limits import TEXT_MAX_CHARS, TEXTAREA_MAX_CHARS, TEXTAREA_MAX_LINES
from toolbox.instruments.wtf import (
    FORMULA_CHARACTERS,
    MSG_CHOOSE,
    MSG_CONFIRM,
    MSG_REQUIRED,
    ChoiceField,
    GermanDateField,
    GermanDecimalField,
    GermanIntegerField,
    GermanTimeField,
    MultiChoiceField,
    clean_text,
    max_lines,
    no_lone_surrogates,
    single_address,
    strip_spaces,
)

if TYPE_CHECKING:
    from toolbox.instruments.base import Field

MSG_INVALID = "Ungültiger Wert."

# Addresses the server's validator refuses although they are well-formed: special-use
# domains (RFC 6761) cannot receive mail, and a first character a spreadsheet reads as a
# formula (wtf.single_address, for the CSV export).
SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
EMAIL_SCHEMA = {
    "type": "string",
    "format": "email",
    "maxLength": 254,
    "pattern": "^(?!["
    + re.escape(FORMULA_CHARACTERS)
    + "])(?!.*\\.("
    + "|".join("".join(f"[{c}{c.upper()}]" for c in d) for d in SPECIAL_USE_DOMAINS)
    + ")$)",
    "description": "Eine Adresse, die nicht mit "
    + ", ".join(FORMULA_CHARACTERS)
    + " beginnt; keine Domain für besondere Zwecke ("
    + ", ".join(f".{d}" for d in SPECIAL_USE_DOMAINS)
    + ").",
}

# A text that is an answer: at least one character that is neither white space nor one of
# the control characters the server drops (documents/sanitize.py).
NON_BLANK = {"type": "string", "minLength": 1, "pattern": "[^\\s\\u0000-\\u001f\\ufffe\\uffff]"}


class FieldType:
    """The behaviour every field type has; subclasses change what differs."""

    name = ""
    is_list = False
    # What the display value is: "text" (a string), "items" (a list of strings), "flag"
    # (a bool), "rows" (a list of dicts, one per row).
    shape = "text"
    # A blank document's value (documents/blank.py): "line", "lines", "date", "short",
    # "amount", "boxes" (one choice), "box_items" (several), "clause" (printed), "rows".
    fill_in = "line"
    # Web form: "input", "textarea", "choices" (radios/checkboxes), "select", "check", "list".
    widget = "input"
    input_type = "text"
    presence_message = MSG_REQUIRED
    # The text budget of a submission (instruments/forms.py, issue 14): whether the value
    # counts towards its characters, and towards its lines as well (long texts).
    in_text_budget = False
    budget_lines = False

    # --- the form ---------------------------------------------------------------------

    def presence(self, f: Field) -> list:
        if not f.required:
            return [Optional()]
        return [InputRequired(message=self.presence_message)]

    def form_field(self, f: Field):
        """The (unbound) WTForms field for one declaration."""
        raise NotImplementedError

    def widget_for(self, f: Field) -> str:
        return self.widget

    def input_attrs(self, f: Field) -> dict:
        """Extra attributes of the <input> after the common ones (None leaves one out)."""
        return {}

    def prefill_default(self, f: Field, data: MultiDict) -> None:
        """Write the field's default into form data (defaults do not apply to form data)."""
        data[f.name] = str(f.default)

    # --- the API ----------------------------------------------------------------------

    def json_schema(self, f: Field) -> dict:
        raise NotImplementedError

    def add_json(self, md: MultiDict, name: str, f: Field, value, errors: dict) -> None:
        """Put one API value into form data; a value of the wrong JSON type is an error."""
        if value is None:
            return
        if isinstance(value, bool | list | dict):
            errors[name] = [MSG_INVALID]
        else:
            md.add(name, str(value))

    # --- documents --------------------------------------------------------------------

    def display(self, f: Field, value):
        """The stored value as the document prints it."""
        if value is None or value == "":
            return ""
        return self.display_given(f, value)

    def display_given(self, f: Field, value):
        return value

    def blank_item(self, f: Field, item: dict) -> dict:
        """The field on the blank form to fill in by hand (documents/blank.py)."""
        return item

    def sample(self, f: Field) -> Any:
        """A valid payload value, for checking that templates only use what exists."""
        return "x"

    def blank_row_value(self, f: Field):
        """The preview's value for a field of a list row not yet filled in; None: a line."""
        return None


class _Text(FieldType):
    def presence(self, f: Field) -> list:
        if not f.required:
            return [Optional()]
        # Judged after the filters: only spaces or line breaks are no answer either.
        return [DataRequired(message=MSG_REQUIRED)]

    max_chars = TEXT_MAX_CHARS

    def json_schema(self, f: Field) -> dict:
        schema = {**NON_BLANK} if f.required else {"type": "string"}
        return {**schema, "maxLength": self.max_chars}

    def text_validators(self, f: Field) -> list:
        """Present if required, valid Unicode, at most `max_chars` characters."""
        return [
            *self.presence(f),
            no_lone_surrogates,
            Length(
                max=self.max_chars,
                message=_l("Höchstens %(count)s Zeichen.", count=self.max_chars),
            ),
        ]


class TextType(_Text):
    in_text_budget = True
    name = "text"

    def form_field(self, f: Field):
        return StringField(
            validators=self.text_validators(f),
            filters=[clean_text, strip_spaces],
            **_kw(f),
        )


class TextareaType(_Text):
    in_text_budget = True
    budget_lines = True
    name = "textarea"
    fill_in = "lines"
    widget = "textarea"
    max_chars = TEXTAREA_MAX_CHARS

    def json_schema(self, f: Field) -> dict:
        return {
            **super().json_schema(f),
            "description": f"Höchstens {TEXTAREA_MAX_LINES} Zeilen.",
        }

    def form_field(self, f: Field):
        return TextAreaField(
            validators=[*self.text_validators(f), max_lines(TEXTAREA_MAX_LINES)],
            filters=[clean_text, lambda v: v.strip("\n ") if isinstance(v, str) else v],
            **_kw(f),
        )

    def blank_item(self, f: Field, item: dict) -> dict:
        return {**item, "kind": "lines"}


class EmailType(_Text):
    name = "email"
    input_type = "email"

    def form_field(self, f: Field):
        return StringField(
            validators=[
                *self.presence(f),
                single_address,
                Email(message=_l("Bitte eine gültige E-Mail-Adresse angeben.")),
            ],
            filters=[strip_spaces],
            **_kw(f),
        )

    def input_attrs(self, f: Field) -> dict:
        return {"autocomplete": "email"}

    def json_schema(self, f: Field) -> dict:
        return dict(EMAIL_SCHEMA)


class DateType(FieldType):
    name = "date"
    fill_in = "date"
    input_type = "date"

    def form_field(self, f: Field):
        return GermanDateField(validators=[*self.presence(f), DateRange(f)], **_kw(f))

    def input_attrs(self, f: Field) -> dict:
        return {"min": f.min_date.isoformat(), "max": f.max_date.isoformat()}

    def json_schema(self, f: Field) -> dict:
        return {
            "type": "string",
            "format": "date",
            "pattern": f"^{_year_pattern(f.min_date.year, f.max_date.year)}"
            "-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$",
            "description": f"Ein Datum vom {f.min_date:%d.%m.%Y} bis {f.max_date:%d.%m.%Y}.",
        }

    def display_given(self, f: Field, value):
        return german_date(value)

    def blank_item(self, f: Field, item: dict) -> dict:
        return {**item, "kind": "date"}

    def sample(self, f: Field):
        return "2027-01-01"


class TimeType(FieldType):
    name = "time"
    fill_in = "short"
    input_type = "time"

    def form_field(self, f: Field):
        return GermanTimeField(validators=self.presence(f), **_kw(f))

    def json_schema(self, f: Field) -> dict:
        return {"type": "string", "pattern": "^([01]\\d|2[0-3]):[0-5]\\d$"}

    def display_given(self, f: Field, value):
        return german_time(value)

    def blank_item(self, f: Field, item: dict) -> dict:
        return {**item, "kind": "short", "suffix": "Uhr"}

    def sample(self, f: Field):
        return "10:00"


class _Number(FieldType):
    def blank_item(self, f: Field, item: dict) -> dict:
        return {**item, "kind": "short", "suffix": "€" if f.unit == "€" else ""}


class IntegerType(_Number):
    name = "integer"
    fill_in = "short"
    input_type = "number"

    def form_field(self, f: Field):
        return GermanIntegerField(validators=[*self.presence(f), *_number_range(f)], **_kw(f))

    def input_attrs(self, f: Field) -> dict:
        return {
            "min": None if f.min_value is None else int(f.min_value),
            "max": None if f.max_value is None else int(f.max_value),
            "inputmode": "numeric",
        }

    def json_schema(self, f: Field) -> dict:
        schema = {"type": "integer", **_bounds(f)}
        return {**schema, "description": str(f.range_message)} if f.range_message else schema

    def add_json(self, md: MultiDict, name: str, f: Field, value, errors: dict) -> None:
        # JSON does not tell 5 from 5.0; both are the integer 5 (JSON Schema agrees).
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        super().add_json(md, name, f, value, errors)

    def display_given(self, f: Field, value):
        return str(value)

    def sample(self, f: Field):
        return int(f.min_value or 1)


class DecimalType(_Number):
    name = "decimal"
    fill_in = "amount"

    def form_field(self, f: Field):
        return GermanDecimalField(
            places=2, validators=[*self.presence(f), *_number_range(f)], **_kw(f)
        )

    def input_attrs(self, f: Field) -> dict:
        return {"inputmode": "decimal"}

    def json_schema(self, f: Field) -> dict:
        text = {"type": "string", "pattern": _decimal_pattern(f)}
        return {
            "anyOf": [{"type": "number", **_bounds(f)}, text],
            "description": " ".join(
                part
                for part in ("Eine Zahl oder ein Text wie 15,50.", str(f.range_message))
                if part
            ),
        }

    def display_given(self, f: Field, value):
        return euro(value) if f.unit == "€" else german_number(value)

    def sample(self, f: Field):
        return "1.00"


class ChoiceType(FieldType):
    name = "choice"
    fill_in = "boxes"
    presence_message = MSG_CHOOSE

    def form_field(self, f: Field):
        return ChoiceField(
            choices=_choices(f), validators=self.presence(f), default=f.default, **_kw(f)
        )

    def widget_for(self, f: Field) -> str:
        return "choices" if len(f.choices) <= 4 else "select"

    def json_schema(self, f: Field) -> dict:
        return {"type": "string", "enum": [v for v, _ in f.choices]}

    def display_given(self, f: Field, value):
        return f.choice_label(value)

    def blank_item(self, f: Field, item: dict) -> dict:
        return {**item, "kind": "boxes", "choices": [label for _, label in f.choices]}

    def sample(self, f: Field):
        return f.choices[0][0] if f.choices else None


class MultichoiceType(ChoiceType):
    name = "multichoice"
    fill_in = "box_items"
    shape = "items"

    def form_field(self, f: Field):
        return MultiChoiceField(
            choices=_choices(f), validators=self.presence(f), default=f.default or [], **_kw(f)
        )

    def widget_for(self, f: Field) -> str:
        return "choices"

    def prefill_default(self, f: Field, data: MultiDict) -> None:
        data.setlist(f.name, list(f.default))

    def json_schema(self, f: Field) -> dict:
        schema = {"type": "array", "items": {"type": "string", "enum": [v for v, _ in f.choices]}}
        return {**schema, "minItems": 1} if f.required else schema

    def add_json(self, md: MultiDict, name: str, f: Field, value, errors: dict) -> None:
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors[name] = ["Bitte eine Liste von Werten angeben."]
            return
        for v in value:
            md.add(name, v)

    def display(self, f: Field, value):
        return [f.choice_label(v) for v in value or []]

    def sample(self, f: Field):
        return [f.choices[0][0]] if f.choices else []

    def blank_row_value(self, f: Field):
        return []


class BooleanType(FieldType):
    name = "boolean"
    fill_in = "clause"
    widget = "check"
    shape = "flag"

    def form_field(self, f: Field):
        validators = [InputRequired(message=MSG_CONFIRM)] if f.required else []
        return BooleanField(validators=validators, default=bool(f.default), **_kw(f))

    def prefill_default(self, f: Field, data: MultiDict) -> None:
        data[f.name] = "y"

    def json_schema(self, f: Field) -> dict:
        # A required checkbox is a confirmation: only true is an answer.
        return {"const": True} if f.required else {"type": "boolean"}

    def add_json(self, md: MultiDict, name: str, f: Field, value, errors: dict) -> None:
        if value is None:
            return
        if not isinstance(value, bool):
            errors[name] = ["Bitte true oder false angeben."]
        elif value:
            md.add(name, "y")

    def display(self, f: Field, value):
        return bool(value)

    def blank_item(self, f: Field, item: dict) -> dict:
        return {**item, "kind": "check"}

    def sample(self, f: Field):
        return True

    def blank_row_value(self, f: Field):
        return False


class ListType(FieldType):
    """Repeating rows; each row is a form of the list's own fields."""

    name = "list"
    fill_in = "rows"
    is_list = True
    shape = "rows"
    widget = "list"

    def form_field(self, f: Field):
        row_fields = {s.name: s.kind.form_field(s) for s in f.fields}
        row_form = type(f"{f.name.title()}Row", (Form,), row_fields)
        return FieldList(
            FormField(row_form, label=_translated(f.row_label or f.label)),
            min_entries=f.min_entries,
            max_entries=f.max_entries,
            **_kw(f),
        )

    def prefill_default(self, f: Field, data: MultiDict) -> None:
        return None

    def json_schema(self, f: Field) -> dict:
        items = object_schema(f.fields)
        if f.min_entries and not any(s.required for s in f.fields):
            # A row with nothing in it is dropped, and would not count.
            items["minProperties"] = 1
        return {
            "type": "array",
            "minItems": max(f.min_entries, 1 if f.required else 0),
            "maxItems": f.max_entries,
            "items": items,
        }

    def add_json(self, md: MultiDict, name: str, f: Field, value, errors: dict) -> None:
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            errors[name] = ["Bitte eine Liste von Zeilen (Objekten) angeben."]
            return
        if len(value) > f.max_entries:
            errors[name] = [f"Höchstens {f.max_entries} Zeilen."]
            return
        sub = {s.name: s for s in f.fields}
        for i, row in enumerate(value):
            for rk, rv in row.items():
                if rk not in sub:
                    errors[f"{name}-{i}-{rk}"] = ["Unbekanntes Feld."]
                else:
                    sub[rk].kind.add_json(md, f"{name}-{i}-{rk}", sub[rk], rv, errors)

    def display(self, f: Field, value):
        return [
            {s.name: s.kind.display(s, row.get(s.name)) for s in f.fields} for row in value or []
        ]

    def blank_item(self, f: Field, item: dict) -> dict:
        return {
            **item,
            "kind": "table",
            "columns": [s.label for s in f.fields],
            "rows": max(f.min_entries, BLANK_TABLE_ROWS),
        }

    def sample(self, f: Field):
        row = {s.name: s.kind.sample(s) for s in f.fields}
        return [row] * max(f.min_entries, 1)


# Empty rows of a repeating group on the questionnaire: about what one A4 page holds below
# the table's heading (rows are 9 mm high in the PDF, 10 mm in the DOCX).
BLANK_TABLE_ROWS = 12

TYPES: dict[str, FieldType] = {
    t.name: t
    for t in (
        TextType(),
        TextareaType(),
        DateType(),
        TimeType(),
        IntegerType(),
        DecimalType(),
        ChoiceType(),
        MultichoiceType(),
        BooleanType(),
        EmailType(),
        ListType(),
    )
}


def object_schema(fields: tuple[Field, ...]) -> dict:
    """JSON Schema of an object holding these fields (a payload, or a row of a list)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: {**f.kind.json_schema(f), "title": f.label} for f in fields},
    }


# --- helpers -------------------------------------------------------------------------------


def _translated(text: str):
    """A declared German text, translated when shown (the form classes are cached, so
    lazily); empty stays empty. Documents read the declarations, never these."""
    return _l(text) if text else text


def _kw(f: Field) -> dict:
    return {"label": _translated(f.label), "description": _translated(f.help)}


def _choices(f: Field) -> list[SelectChoice]:
    return [SelectChoice(value, _translated(label)) for value, label in f.choices]


class DateRange:
    """The date lies in the field's plausible range (Field.min_date, Field.max_date)."""

    def __init__(self, f: Field):
        self.min, self.max = f.min_date, f.max_date

    def __call__(self, form, field):
        if field.data is not None and not self.min <= field.data <= self.max:
            raise ValidationError(
                _(
                    "Bitte ein Datum vom %(min)s bis %(max)s angeben.",
                    min=f"{self.min:%d.%m.%Y}",
                    max=f"{self.max:%d.%m.%Y}",
                )
            )


def _year_pattern(first: int, last: int) -> str:
    """A regular expression for the four-digit years first … last, decade by decade."""
    parts = []
    for decade in range(first // 10 * 10, last + 1, 10):
        years = [y for y in range(decade, decade + 10) if first <= y <= last]
        if len(years) == 10:
            parts.append(f"{decade // 10}\\d")
        else:
            parts += [str(y) for y in years]
    return "(" + "|".join(parts) + ")"


def _bounds(f: Field) -> dict:
    out = {}
    if f.min_value is not None:
        out["minimum"] = f.min_value
    if f.max_value is not None:
        out["maximum"] = f.max_value
    return out


def _decimal_pattern(f: Field) -> str:
    """Decimal text within the field's range where a pattern can say it: no sign when the
    minimum is not negative, at most as many digits before the point as stay under the
    maximum, not zero when the minimum is above it."""
    sign = "-?" if f.min_value is None or f.min_value < 0 else ""
    digits = "\\d+" if f.max_value is None else f"\\d{{1,{len(str(int(f.max_value) + 1)) - 1}}}"
    if f.min_value is not None and f.min_value > 0:
        width = len(str(int(f.max_value) + 1)) - 2 if f.max_value is not None else None
        rest = "\\d*" if width is None else f"\\d{{0,{width}}}"
        return f"^({sign}0*[1-9]{rest}([.,]\\d{{1,2}})?|0*[.,](0[1-9]|[1-9]\\d?))$"
    return f"^{sign}{digits}([.,]\\d{{1,2}})?$"


def _number_range(f: Field) -> list:
    if f.min_value is None and f.max_value is None:
        return []
    if f.range_message:
        message = _l(f.range_message)
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
    # Decimal fields compare Decimals: a float bound would refuse "0.01" below 0.01.
    low, high = f.min_value, f.max_value
    if f.kind is TYPES["decimal"]:
        low = None if low is None else decimal.Decimal(str(low))
        high = None if high is None else decimal.Decimal(str(high))
    return [NumberRange(min=low, max=high, message=message)]
