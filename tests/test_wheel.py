"""A wheel holds everything the product needs: built from this checkout and unpacked
outside it, it renders every instrument with the templates inside the package (no source
tree, no top-level templates/) and holds the workshop area's templates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from toolbox.instruments.registry import INSTRUMENTS

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

NOT_SOURCE = (".venv", ".git", "var", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")

RENDER_ALL = """
import json, sys
from pathlib import Path
import toolbox
from toolbox.app import create_app
from toolbox.core.config import DEFAULT_TEMPLATES_DIR
from toolbox.documents.render import get_renderer
from toolbox.instruments.registry import INSTRUMENTS

assert Path(toolbox.__file__).is_relative_to(Path(sys.argv[1])), toolbox.__file__
app = create_app()
assert Path(app.config["TOOLBOX_TEMPLATES_DIR"]) == DEFAULT_TEMPLATES_DIR
with app.app_context():
    renderer = get_renderer(app.config["TOOLBOX_TEMPLATES_DIR"])
    for slug, instrument in INSTRUMENTS.items():
        data = json.loads((Path(sys.argv[2]) / f"{slug}.json").read_text())
        formats = sorted(doc.format for doc in renderer.render(instrument, data))
        blank = sorted(doc.format for doc in renderer.render(instrument, {}, blank=True))
        print(slug, ",".join(formats), ",".join(blank))
"""


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools writes build/ and *.egg-info/ into the source tree.
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("toolbox-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    return site


def test_wheel_renders_every_instrument_from_its_own_templates(unpacked_wheel, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
    env.update(PYTHONPATH=str(unpacked_wheel), TOOLBOX_DATA_DIR=str(tmp_path / "var"))
    result = subprocess.run(
        [sys.executable, "-c", RENDER_ALL, str(unpacked_wheel), str(ROOT / "tests" / "data")],
        cwd=tmp_path,  # not the checkout: nothing of the source tree is on the path
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert sorted(lines) == sorted(INSTRUMENTS)
    for slug, formats in lines.items():
        rendered, blank = formats.split(" ")
        assert {"docx", "pdf"} <= set(rendered.split(",")), slug
        assert {"docx", "pdf"} <= set(blank.split(",")), slug


def test_wheel_holds_the_package_templates(unpacked_wheel):
    package = unpacked_wheel / "toolbox"
    for slug in INSTRUMENTS:
        assert (package / "documents" / "templates" / "docx" / f"{slug}.docx").is_file()
        assert (package / "documents" / "templates" / "html" / f"{slug}.html").is_file()
    assert (package / "documents" / "templates" / "html" / "assets" / "document.css").is_file()
    for name in ("kit/index.html", "mail/kit.txt", "mail/kit.html", "workshops/detail.html"):
        assert (package / "workshops" / "templates" / name).is_file(), name
    assert (package / "templates" / "mail" / "documents.txt").is_file()
    assert list((package / "migrations" / "versions").glob("*.py"))
    assert list((package / "translations").glob("*/LC_MESSAGES/messages.mo"))
