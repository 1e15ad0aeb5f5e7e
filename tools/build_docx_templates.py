"""Regenerate toolbox/documents/templates/docx/<slug>.docx from tools/docx_templates/<slug>.py.

Run: python -m tools.build_docx_templates [SLUG ...]
Only needed when the layout changes; the .docx files are the source people edit.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from tools import docx_templates

OUT = Path(__file__).resolve().parent.parent / "toolbox" / "documents" / "templates" / "docx"


def main(slugs: list[str]) -> None:
    available = [m.name for m in pkgutil.iter_modules(docx_templates.__path__)]
    for slug in slugs or available:
        module = importlib.import_module(f"tools.docx_templates.{slug}")
        module.build().save(OUT / f"{slug}.docx")
        print(f"{OUT / slug}.docx")


if __name__ == "__main__":
    main(sys.argv[1:])
