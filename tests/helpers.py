"""Read generated documents back as text, the way a person would see them."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import docx


def squash(text: str) -> str:
    """Whitespace-insensitive text."""
    return re.sub(r"\s+", " ", text).strip()


def loose(text: str) -> str:
    """For PDF text: pdftotext drops a hyphen where a line broke at one
    ("klinikum-westpark" → "klinikumwestpark"), so compare without hyphens."""
    return squash(text).replace("-", "")


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def docx_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("word/document.xml").decode()


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    # Words hyphenated at a line end (a soft hyphen, U+00AD, in the text layer) are read
    # as one word, the way a Tagged PDF reader does.
    return re.sub("\u00ad\n", "", result.stdout.decode())


def values_of(data) -> list[str]:
    """Every string a person typed, at any depth."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [v for item in data.values() for v in values_of(item)]
    if isinstance(data, list):
        return [v for item in data for v in values_of(item)]
    return []
