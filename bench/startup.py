"""`toolbox render` from a cold process (issue 20): how long until its first document is
written, and how much of that is start-up (imports, fonts, CSS) rather than rendering."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from bench.procs import ROOT

TOOLBOX = ROOT / ".venv" / "bin" / "toolbox"


def first_document_seconds(slug: str, data_file: Path, out_dir: Path, rounds: int = 3) -> float:
    """Median time from starting `toolbox render` until it reports its first file."""
    times = []
    for _ in range(rounds):
        begin = time.perf_counter()
        process = subprocess.Popen(
            [str(TOOLBOX), "render", slug, str(data_file), "--out", str(out_dir)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},  # the path as soon as it is echoed
        )
        process.stdout.readline()  # the first document's path: it is written
        times.append(time.perf_counter() - begin)
        process.wait(60)
    return sorted(times)[len(times) // 2]
