"""The route most peers take: render a DOCX, then convert it with LibreOffice headless
(one `soffice --convert-to pdf` per document, a warm user profile)."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from bench.procs import ROOT, free_port

SYSTEM_PYTHON = "/usr/bin/python3"  # has LibreOffice's `uno` module (python3-uno)

SKIPPED = "übersprungen: soffice nicht installiert"
NO_UNO = "übersprungen: kein LibreOffice-UNO für Python (apt-get install python3-uno)"


def has_uno() -> bool:
    """The warm comparison drives soffice over UNO from the system Python."""
    if not Path(SYSTEM_PYTHON).is_file():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=60)
    return probe.returncode == 0


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def version(binary: str) -> str:
    result = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60)
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else "?"


def write_docx(docx: dict[str, bytes], workdir: Path, prefix: str) -> dict[str, Path]:
    """The DOCX of each instrument as a file soffice can open: {slug: path}."""
    files = {}
    for slug, content in docx.items():
        files[slug] = workdir / f"{prefix}{slug}.docx"
        files[slug].write_bytes(content)
    return files


def convert_times(binary: str, docx: dict[str, bytes], workdir: Path, rounds: int) -> dict:
    """Median seconds per instrument to turn its DOCX into a PDF. The first conversion
    (which creates the profile) is not counted."""
    profile = workdir / "lo-profile"
    out = workdir / "lo-out"
    out.mkdir(parents=True, exist_ok=True)
    files = write_docx(docx, workdir, "")
    args = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]

    def convert(path: Path) -> float:
        start = time.perf_counter()
        subprocess.run(
            [*args, "--convert-to", "pdf", "--outdir", str(out), str(path)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        elapsed = time.perf_counter() - start
        if not (out / f"{path.stem}.pdf").is_file():
            raise RuntimeError(f"soffice wrote no PDF for {path.name}")
        return elapsed

    convert(next(iter(files.values())))
    times: dict[str, list[float]] = {slug: [] for slug in files}
    for _ in range(rounds):
        for slug, path in files.items():
            times[slug].append(convert(path))
    return {slug: statistics.median(t) for slug, t in times.items()}


def warm_convert_times(binary: str, docx: dict[str, bytes], workdir: Path, rounds: int) -> dict:
    """Median seconds per instrument with one soffice kept running (as Gotenberg or
    unoserver keep it): it listens on a loopback port and converts every DOCX in turn
    (bench/lo_warm.py, over UNO). Its first conversion is not counted."""
    profile = workdir / "lo-warm-profile"
    out = workdir / "lo-warm-out"
    out.mkdir(parents=True, exist_ok=True)
    files = write_docx(docx, workdir, "warm-")
    port = free_port()
    server = subprocess.Popen(
        [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        result = subprocess.run(
            [SYSTEM_PYTHON, str(ROOT / "bench" / "lo_warm.py"), str(port), str(rounds), str(out)]
            + [str(p) for p in files.values()],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    times = json.loads(result.stdout.strip().splitlines()[-1])
    return {slug: statistics.median(times[str(path)]) for slug, path in files.items()}
