"""The Jinja environment every document template is rendered in.

Templates are trusted repository files, but we still render them sandboxed and with
autoescape on: user values are data, never markup and never template code.
"""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import BaseLoader, StrictUndefined, Undefined
from jinja2.sandbox import SandboxedEnvironment

from toolbox.documents.formatting import euro, german_date, german_time


def document_environment(
    loader: BaseLoader | None = None,
    strict: bool = True,
    finalize: Callable | None = None,
) -> SandboxedEnvironment:
    """`strict` makes a misspelt variable an error; docxtpl needs it off for its own helpers.
    `finalize` prepares every printed value for one format (before it is escaped)."""
    env = SandboxedEnvironment(
        loader=loader,
        autoescape=True,
        finalize=finalize,
        undefined=StrictUndefined if strict else Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(datum=german_date, uhrzeit=german_time, euro=euro)
    return env
