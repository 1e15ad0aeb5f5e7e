"""`make bench`: measure the bare renderers, then the real pipeline on the same cores, and
print one table of measurements and ratios (written to docs/PERFORMANCE.md as well).

    python -m bench.run            # the full run (a few minutes)
    python -m bench.run --smoke    # tiny counts: proves the bench still works, in `make test`
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench import libreoffice
from bench.procs import ROOT
from bench.report import generated_block, machine_facts, text_table, write_performance
from bench.sections import Results, rows
from bench.stages import (
    log,
    measure_bare,
    measure_memory,
    measure_pipeline,
    measure_web,
    start_services,
)

FULL = {
    "n": 15,
    "latency": 30,
    "burst": 200,
    "documents": 1000,
    "clients": 50,
    "requests": 20,
    "think": 1.0,
    "lo_rounds": 3,
}
SMOKE = {
    "n": 2,
    "latency": 3,
    "burst": 4,
    "documents": 12,
    "clients": 5,
    "requests": 2,
    "think": 0.05,
    "lo_rounds": 1,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny counts, no timing claims")
    parser.add_argument("--n", type=int, help="bare renders per instrument and format")
    parser.add_argument("--latency", type=int, help="idle submissions, one at a time")
    parser.add_argument("--burst", type=int, help="submissions for sustained throughput")
    parser.add_argument("--documents", type=int, help="documents for the memory run")
    parser.add_argument("--clients", type=int, help="concurrent web clients")
    parser.add_argument("--requests", type=int, help="requests per web client and endpoint")
    parser.add_argument("--think", type=float, help="mean pause of a web client, seconds")
    parser.add_argument("--lo-rounds", type=int, help="soffice runs per DOCX")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--submit-path", default="/api/v1/submissions", help="JSON endpoint that takes submissions"
    )
    parser.add_argument(
        "--web-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for gunicorn (e.g. to lift a rate limit for the load test)",
    )
    parser.add_argument("--out", type=Path, help="markdown file (default: none with --smoke)")
    args = parser.parse_args(argv)
    for key, value in (SMOKE if args.smoke else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.out is None and not args.smoke:
        args.out = ROOT / "docs" / "PERFORMANCE.md"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # `kill` of the bench runs the same clean-up as Ctrl+C: every service is stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    results = Results(concurrency=args.concurrency)
    binary = libreoffice.soffice()
    facts = machine_facts(libreoffice.version(binary) if binary else None)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="toolbox-bench-") as tmp:
        workdir = Path(tmp)
        measure_bare(args, results, workdir)
        with contextlib.ExitStack() as stack:
            services = start_services(args, workdir, stack)
            measure_pipeline(args, results, services, stack)
            measure_memory(args, results, services, stack)
            measure_web(args, results, services, stack)
            log("stopping services")
    table = rows(results)
    print(text_table(table))
    log(f"done in {time.monotonic() - began:.0f} s")
    if args.out:
        settings = (
            f"`python -m bench.run` on {time.strftime('%Y-%m-%d')}: n={args.n}, "
            f"{args.latency} idle and {args.burst} burst submissions, {args.documents} documents "
            f"for memory, {args.clients} web clients × {args.requests} requests, "
            f"worker concurrency {args.concurrency}."
        )
        write_performance(args.out, generated_block(table, facts, settings))
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted; every process the bench started is stopped")
        sys.exit(130)
