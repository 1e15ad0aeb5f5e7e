"""`toolbox check-templates`: every template parses, uses only values its instrument
provides, and shows every declared field.

A field counts as shown when a template uses it directly, as `raw.<field>`, or through a
value the instrument derives from it and names `<field>_<something>` (e.g. `ziele_liste`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta, nodes

from toolbox.documents.templating import document_environment
from toolbox.instruments.base import Field, Instrument
from toolbox.instruments.values import display_context

# Values every template may use besides the instrument's own (see values.display_context).
COMMON = {
    "raw",
    "document_title",
    "generated",
    "short_name",
    "fill_in",
    "ersetzt",
    "fassung",
    "zustimmungsnachweis",
}
# Names docxtpl itself puts into the template context.
DOCXTPL_NAMES = {"range", "loop"}


def sample_value(f: Field):
    return f.kind.sample(f)


def provided_names(instrument: Instrument) -> set[str]:
    payload = {f.name: sample_value(f) for f in instrument.fields}
    return set(display_context(instrument, payload, dt.date(2027, 1, 1)))


def _used_names(source: str) -> tuple[set[str], set[str]]:
    """(top-level variables, attributes read from `raw`) of a Jinja source."""
    env = document_environment()
    ast = env.parse(source)
    variables = meta.find_undeclared_variables(ast)
    raw_attrs = {
        node.attr
        for node in ast.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name == "raw"
    }
    return variables, raw_attrs


def docx_source(path: Path) -> str:
    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    parts = [tpl.patch_xml(tpl.get_xml())]
    for _, part in tpl.get_headers_footers(tpl.FOOTER_URI):
        parts.append(tpl.patch_xml(tpl.get_part_xml(part)))
    return "\n".join(parts)


def check_instrument(instrument: Instrument, templates_dir: Path) -> list[str]:
    problems: list[str] = []
    provided = provided_names(instrument)
    fields = {f.name for f in instrument.fields}
    html_dir = templates_dir / "html"
    sources = {}
    html_path = html_dir / f"{instrument.slug}.html"
    docx_path = templates_dir / "docx" / f"{instrument.slug}.docx"
    for label, path, read in (
        ("HTML", html_path, lambda p: p.read_text(encoding="utf-8")),
        ("DOCX", docx_path, docx_source),
    ):
        if not path.exists():
            problems.append(f"{instrument.slug}: {label}-Vorlage fehlt ({path})")
            continue
        try:
            sources[label] = _used_names(read(path))
        except TemplateSyntaxError as exc:
            problems.append(f"{path}: Zeile {exc.lineno}: {exc.message}")
    for label, (variables, raw_attrs) in sources.items():
        unknown = variables - provided - COMMON - DOCXTPL_NAMES
        for name in sorted(unknown):
            problems.append(f"{instrument.slug} ({label}): unbekannte Variable {name!r}")
        for name in sorted(raw_attrs - fields):
            problems.append(f"{instrument.slug} ({label}): unbekanntes Feld raw.{name}")
        used = variables | raw_attrs
        for name in sorted(fields):
            if name not in used and not any(v.startswith(name + "_") for v in used - fields):
                problems.append(f"{instrument.slug} ({label}): Feld {name!r} kommt nicht vor")
    return problems
