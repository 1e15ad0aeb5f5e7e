"""Make user text safe to put into XML (DOCX) and HTML (PDF) without losing anything legal.

XML 1.0 forbids most C0 control characters; docxtpl would also turn \\a and \\f into new
paragraphs or page breaks. We drop exactly the illegal ones, normalise line ends and keep
everything else, tabs and line breaks included.
"""

from __future__ import annotations

import re

# Characters not allowed in XML 1.0 documents (plus the non-characters U+FFFE/U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def sanitize_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", value)


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
