"""Message extraction for the instruments' form texts (babel.cfg, `make messages`).

The declarations stay plain German strings, because documents print them (always German).
This extractor finds in an instrument module the texts the form shows: the title and
description of `Instrument(...)`, the label, help, row label and range message of every
`Field(...)`, every choice label (the second item of a ``(value, label)`` pair in a tuple
of pairs), and the messages of cross-field rules (lists of literal strings inside a
function, and the first argument of every `Message(...)`, a rule message with
run-time values), and the strings of a module-level ``FORM_TEXTS`` tuple (parts of
labels built at import time, joined with " – "). The UI translates them where they are
shown (core/i18n.ui, instruments/forms).
"""

from __future__ import annotations

import ast
import re

FIELD_TEXTS = ("label", "help", "row_label", "range_message")
INSTRUMENT_TEXTS = ("title", "description")
_VALUE = re.compile(r"^[a-z0-9_]+$")


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_pair(node) -> bool:
    return (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and _VALUE.match(_literal(node.elts[0]) or "") is not None
        and bool(_literal(node.elts[1]))
    )


def instrument_messages(source: str):
    """(line, text) of every form text in an instrument module's source."""
    tree = ast.parse(source)
    # Module-level constants, for declarations that name one (help=HELP_CONDITION) or
    # put one into an f-string (f"Höchstens {MAX_SITZUNGEN}: …").
    constants: dict[str, object] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            continue
        target = node.targets[0]
        if isinstance(target, ast.Name):
            constants[target.id] = value
        elif isinstance(target, ast.Tuple) and isinstance(value, tuple):
            names = [t.id for t in target.elts if isinstance(t, ast.Name)]
            constants.update(zip(names, value, strict=False))

    def _text(node) -> str | None:
        if isinstance(node, ast.Name) and isinstance(constants.get(node.id), str):
            return constants[node.id]
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                if _literal(part) is not None:
                    parts.append(_literal(part))
                elif (
                    isinstance(part, ast.FormattedValue)
                    and isinstance(part.value, ast.Name)
                    and isinstance(constants.get(part.value.id), (int, str))
                    and part.conversion == -1
                    and part.format_spec is None
                ):
                    parts.append(str(constants[part.value.id]))
                else:
                    return None  # depends on run-time values: see base.Message
            return "".join(parts)
        return _literal(node)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "Field":
                if len(node.args) > 1 and _text(node.args[1]):
                    yield node.lineno, _text(node.args[1])
                names = FIELD_TEXTS
            elif node.func.id == "Instrument":
                names = INSTRUMENT_TEXTS
            elif node.func.id == "Message":
                if node.args and _literal(node.args[0]):
                    yield node.lineno, _literal(node.args[0])
                continue
            else:
                continue
            for kw in node.keywords:
                if kw.arg in names and _text(kw.value):
                    yield node.lineno, _text(kw.value)
        elif isinstance(node, ast.Tuple) and node.elts and all(map(_is_pair, node.elts)):
            for pair in node.elts:
                if "[]" in _literal(pair.elts[1]):  # a field path of a rule, not a text
                    continue
                yield pair.elts[1].lineno, _literal(pair.elts[1])
        elif (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "FORM_TEXTS" for t in node.targets)
            and isinstance(node.value, ast.Tuple)
        ):
            for e in node.value.elts:
                if _literal(e):
                    yield e.lineno, _literal(e)
        elif isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.List)
                    and inner.elts
                    and all(_literal(e) for e in inner.elts)
                ):
                    for e in inner.elts:
                        yield e.lineno, _literal(e)


def extract(fileobj, keywords, comment_tags, options):
    """Babel extraction method: (lineno, funcname, message, comments)."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for lineno, text in instrument_messages(source):
        yield lineno, "", text, []
