"""The one table of a run, the machine it ran on, and docs/PERFORMANCE.md."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

BEGIN = "<!-- bench:begin: written by `make bench`; edit outside these markers -->"
END = "<!-- bench:end -->"
HEADER = ("section", "measurement", "value", "ratio", "target", "met")


@dataclass(frozen=True)
class Row:
    section: str
    measurement: str
    value: str
    ratio: str = ""
    target: str = ""
    met: bool | None = None  # None: informational, no target

    def cells(self) -> tuple[str, ...]:
        met = {True: "met", False: "not met", None: ""}[self.met]
        return (self.section, self.measurement, self.value, self.ratio, self.target, met)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: p99 of 1000 samples is the 990th smallest."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def text_table(rows: list[Row]) -> str:
    lines = [HEADER, *(r.cells() for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    out = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in out)


def markdown_table(rows: list[Row]) -> str:
    lines = [HEADER, ("---",) * len(HEADER), *(r.cells() for r in rows)]
    return "\n".join("| " + " | ".join(c.replace("|", "\\|") for c in ln) + " |" for ln in lines)


def machine_facts(soffice_version: str | None) -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if "model name" in ln), "?")
    meminfo = Path("/proc/meminfo").read_text().split()
    ram_gib = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True)
    return [
        ("CPU", cpu),
        ("cores", str(os.cpu_count())),
        ("RAM", f"{ram_gib:.1f} GiB"),
        ("OS", _os_name()),
        ("load average at start", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("Python", platform.python_version()),
        ("WeasyPrint", version("weasyprint")),
        ("Pango", _pango_version()),
        ("docxtpl", version("docxtpl")),
        ("Celery", version("celery")),
        ("gunicorn", version("gunicorn")),
        ("redis-server", redis.stdout.split()[2].removeprefix("v=") if redis.stdout else "?"),
        ("LibreOffice", soffice_version or "not installed"),
    ]


def _os_name() -> str:
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return platform.platform()


def _pango_version() -> str:
    from weasyprint.text.ffi import pango

    number = pango.pango_version()
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def generated_block(rows: list[Row], facts: list[tuple[str, str]], settings: str) -> str:
    missed = [f"- {r.section}: {r.measurement} ({r.target})" for r in rows if r.met is False]
    return "\n".join(
        [
            BEGIN,
            "",
            f"Run of {settings}",
            "",
            *(f"- {name}: {value}" for name, value in facts),
            "",
            markdown_table(rows),
            "",
            "Targets not met in this run:" if missed else "Every target was met in this run.",
            *missed,
            "",
            END,
        ]
    )


def write_performance(path: Path, block: str) -> None:
    """Replace the generated block and keep the hand-written text around it."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = f"# Performance\n\n{block}\n{text}"
    path.write_text(text, encoding="utf-8")
