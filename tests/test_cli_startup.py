"""`toolbox render` imports what it needs and no more (issue 20: start-up before the first
document): not the web app with its views, the database layer or the broker client."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import DATA, ROOT

HEAVY = ("toolbox.app", "celery", "flask_sqlalchemy", "flask_migrate", "toolbox.submissions.views")


def modules_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_the_command_group_imports_no_command():
    loaded = modules_after("import toolbox.ops.cli")
    assert "toolbox.ops.commands" not in loaded and "toolbox.ops.render_command" not in loaded
    assert not [m for m in HEAVY if m in loaded]


def test_render_runs_without_the_web_app(tmp_path):
    code = (
        "from toolbox.ops.cli import cli\n"
        f"try:\n    cli(['render', 'beratungsauftrag', {str(DATA / 'beratungsauftrag.json')!r},"
        f" '--out', {str(tmp_path)!r}])\nexcept SystemExit as e:\n    assert not e.code, e.code"
    )
    loaded = modules_after(code)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".pdf"]
    assert "toolbox.documents.render" in loaded
    assert not [m for m in HEAVY if m in loaded]


def test_the_other_commands_still_get_the_app(tmp_path):
    loaded = modules_after(
        "from toolbox.ops.cli import cli\n"
        "try:\n    cli(['check-templates'])\nexcept SystemExit as e:\n    assert not e.code, e.code"
    )
    assert "toolbox.app" in loaded
