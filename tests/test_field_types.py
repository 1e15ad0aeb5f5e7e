"""Field types are dispatched in one place (issue 17): instruments/types.py has one type
object per Field.type, and no other module of toolbox/ decides by the type's name."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema_rs

from toolbox.instruments.base import FIELD_TYPES
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.instruments.types import TYPES, FieldType

ROOT = Path(__file__).resolve().parent.parent / "toolbox"
# A comparison with a type's name: `f.type == "list"`, `spec.type in (...)`, `type != 'x'`.
DISPATCH = re.compile(r"\.type\s*(==|!=|\bin\b|\bnot in\b)")


def test_every_type_has_one_object():
    assert set(FIELD_TYPES) == set(TYPES)
    assert all(isinstance(t, FieldType) and t.name == name for name, t in TYPES.items())


def test_no_module_dispatches_on_type_names():
    sources = [*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        if path.name != "types.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if DISPATCH.search(line) and "self.type not in FIELD_TYPES" not in line
    ]
    assert found == []


def test_every_declared_field_gets_everything_from_its_type():
    """Form field, JSON Schema, display value, blank line: for every field in the
    catalogue, and the sample value the type offers is valid against its own schema."""
    fields = [f for i in INSTRUMENTS.values() for top in i.fields for f in (top, *top.fields)]
    assert {f.type for f in fields} == set(FIELD_TYPES)
    for f in fields:
        kind = f.kind
        assert kind.form_field(f) is not None
        schema = kind.json_schema(f)
        assert jsonschema_rs.is_valid(schema, kind.sample(f)), (f.name, schema)
        kind.display(f, kind.sample(f))
        item = kind.blank_item(f, {"kind": "line"})
        assert item["kind"] in {"line", "lines", "boxes", "check", "table", "date", "short"}
