"""Make user text safe to put into XML (DOCX) and HTML (PDF) without losing anything legal.

XML 1.0 forbids most C0 control characters; docxtpl would also turn \\a and \\f into new
paragraphs or page breaks. We drop exactly the illegal ones, normalise line ends and keep
everything else, tabs and line breaks included.

Every Unicode line end (\\r\\n, \\r, NEL U+0085, LINE/PARAGRAPH SEPARATOR U+2028/U+2029)
becomes \\n: it is the same line break, it counts against the line limit like one, and
WeasyPrint crashes on U+2029 in pre-wrapped text.
"""

from __future__ import annotations

import re

# Characters not allowed in XML 1.0 documents (plus the non-characters U+FFFE/U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_END = re.compile("\r\n|[\r\x85\u2028\u2029]")


def sanitize_text(value: str) -> str:
    return _XML_ILLEGAL.sub("", _LINE_END.sub("\n", value))


def has_lone_surrogate(value: str) -> bool:
    return bool(_SURROGATE.search(value))


def sanitize_value(value):
    """Sanitise every string inside a JSON-like value."""
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, list):
        return [sanitize_value(v) for v in value]
    if isinstance(value, dict):
        return {k: sanitize_value(v) for k, v in value.items()}
    return value
