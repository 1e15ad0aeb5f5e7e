"""The benchmark (`make bench`) with tiny counts, so it cannot rot: it must start every
process, measure every section and stop again. No timing is asserted here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def test_bench_smoke_prints_every_section(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
    out = tmp_path / "PERFORMANCE.md"
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    sections = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert {"bare", "preview", "pipeline", "web", "memory", "libreoffice"} <= sections
    for measurement in ("idle latency p50", "throughput", "GET form page", "POST submission"):
        assert measurement in result.stdout
    assert "pool RSS" in result.stdout
    assert "soffice" in result.stdout  # measured, or "übersprungen: soffice nicht installiert"
    assert "| section |" in out.read_text(encoding="utf-8")
