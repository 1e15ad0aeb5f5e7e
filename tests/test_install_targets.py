"""`make run` installs only what runs, `make test` the test extra on top; every pip install
is pinned by constraints.txt; the Debian packages a run needs are checked and named."""

from __future__ import annotations

import configparser
import os
import re
import subprocess

from helpers import ROOT
from packaging.requirements import Requirement


def dry_run(target: str) -> list[str]:
    """The commands `make TARGET` would run for a fresh checkout (no virtualenv yet)."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", target, "VENV=.venv-never-created"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def pip_installs(commands: list[str]) -> list[str]:
    return [c for c in commands if re.search(r"/pip install\b", c)]


def test_make_run_installs_the_runtime_dependencies_only():
    installs = pip_installs(dry_run("run"))
    assert installs and any(c.endswith(" -e .") for c in installs), installs
    assert not any("[test]" in c for c in installs), installs


def test_make_test_installs_the_test_extra():
    installs = pip_installs(dry_run("test"))
    assert any(c.endswith(" -e '.[test]'") for c in installs), installs


def test_every_pip_install_is_pinned_by_the_constraints_file():
    for target in ("run", "test", "install"):
        installs = pip_installs(dry_run(target))
        assert installs
        for command in installs:
            assert " -c constraints.txt " in command, command


def declared() -> tuple[list[Requirement], list[Requirement]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    runtime = config["options"]["install_requires"].split()
    test = config["options.extras_require"]["test"].split()
    return [Requirement(r) for r in runtime if r], [Requirement(r) for r in test if r]


def pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_constraints_pin_every_declared_dependency_within_its_range():
    pins = pinned()
    runtime, test = declared()
    for requirement in [*runtime, *test]:
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} is outside {requirement.specifier}"
        )


def test_python_docx_is_a_runtime_dependency():
    # toolbox.documents.blank builds blank forms with python-docx at runtime
    runtime, _ = declared()
    assert "python-docx" in {r.name for r in runtime}


def test_the_readme_names_every_debian_package_a_run_needs():
    script = (ROOT / "tools" / "system_packages.sh").read_text()
    run_part = script.split('if [[ "$what" == test ]]')[0]
    named = r"(?:need_\w+ \S+|missing\+=\() ?([a-z0-9][a-z0-9.+-]+)\)?$"
    packages = set(re.findall(named, run_part, re.M))
    assert {"libpango-1.0-0", "fonts-liberation2", "fonts-dejavu-core", "python3-venv"} <= packages
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start")[1].split("## Architecture")[0]
    apt_line = re.search(r"apt-get install[^`]*?\n(?:.*\\\n)*.*", quick_start).group(0)
    for package in packages:
        assert re.search(rf"(?<![\w-]){re.escape(package)}(?![\w-])", apt_line), package


def test_the_package_check_says_what_to_install():
    env = {**os.environ, "PYTHON": "/nonexistent/python3"}  # as if python3-venv were missing
    result = subprocess.run(
        ["tools/system_packages.sh", "run"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Es fehlen Debian-Pakete für `make run`: python3-venv" in result.stderr
    assert "sudo apt-get install --no-install-recommends python3-venv" in result.stderr
    listed = subprocess.run(
        ["tools/system_packages.sh", "--missing", "test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "python3-venv" in listed.stdout.split()
    # on this machine (which runs the tests) nothing else is missing
    assert listed.stdout.split() == ["python3-venv"]
