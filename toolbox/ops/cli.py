"""The `toolbox` command: Flask's own commands (run, routes, shell, db …) plus ours.

Each of our commands lives in a module that is imported only when the command runs:
`toolbox render` (toolbox/ops/render_command.py) needs the renderer and the instruments,
not the web app with every view, the database and the broker client; the commands that
work on the app's data are in toolbox/ops/commands.py (issue 20: start-up time).
"""

from __future__ import annotations

import importlib

import click
from flask.cli import FlaskGroup

# command name → (module, attribute): what `toolbox <name>` imports to run.
COMMANDS = {
    "render": ("toolbox.ops.render_command", "render_command"),
    "purge": ("toolbox.ops.commands", "purge_command"),
    "sweep": ("toolbox.ops.commands", "sweep_command"),
    "contacts": ("toolbox.ops.commands", "contacts_group"),
    "doctor": ("toolbox.ops.commands", "doctor_command"),
    "check-templates": ("toolbox.ops.commands", "check_templates_command"),
    "create-user": ("toolbox.ops.commands", "create_user_command"),
    "kit": ("toolbox.ops.commands", "kit_command"),
}


def _attribute(module: str, name: str):
    return getattr(importlib.import_module(module), name)


def _create_app():
    """The app, for Flask's commands and ours that use it (built by toolbox/ops/commands.py)."""
    return _attribute("toolbox.ops.commands", "create_cli_app")()


class ToolboxGroup(FlaskGroup):
    """A FlaskGroup whose own commands are loaded by name when they are asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str):
        if name in COMMANDS:
            return _attribute(*COMMANDS[name])
        return super().get_command(ctx, name)


@click.group(cls=ToolboxGroup, create_app=_create_app)
def cli():
    """Werkzeugkasten für Kooperationen zwischen Fachkräften und Selbsthilfe."""
