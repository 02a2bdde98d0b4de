"""Benchmark: the real build, the report's Python work, and the trade functions at world scale.

Run ``python benchmarks/run.py`` (``nox -s bench`` does) for the full size, or
``python benchmarks/run.py --countries 20 --years 5`` for a quick run. It prints one table with each
figure next to its target and ``ok`` or ``MISS``. It is a measurement, not a test: it exits 0 when
targets are missed, and 1 only when a measurement could not be taken (``ERROR``: an exception).

- Real build: wall time of ``render_outputs(load_raw(paths), paths)``, load included, median of 3.
- Report: every ```` ```{python} ```` cell of ``report/*.qmd`` run in one namespace, in a fresh
  interpreter, with the working directory in ``report/`` (as Quarto runs them) and ``MPLBACKEND=Agg``;
  each figure a cell leaves open is saved as PNG (as the kernel does) and closed. Imports inside the
  cells count (the worker imports nothing else first), interpreter start-up does not; Quarto runs
  the cells once per output format.
- Synthetic: in a fresh interpreter, the table of ``benchmarks/synthetic.py`` and three computations
  on it, each timed once. Memory is the peak resident set size of that process
  (``resource.getrusage(RUSAGE_SELF).ru_maxrss``, converted to MiB): it includes the interpreter, the
  imports and the table, and the baseline before the three computations is shown next to it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import chdir
from importlib.metadata import version
from pathlib import Path
from typing import Any

TARGET_BUILD_S = 2.0
TARGET_REPORT_S = 15.0
TARGET_SYNTHETIC_S = 3.0
TARGET_PEAK_MIB = 1.5e9 / 2**20
"""1.5 GB (decimal, 1.5e9 bytes) in MiB: 1430.5."""
BUILD_RUNS = 3
REPORT_DPI = 150
"""The ``fig-dpi`` of report/_quarto.yml: figures are saved as PNG at it, as Quarto's kernel does."""
_CELL = re.compile(r"^```\{python[^}\n]*\}[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_NO_EVAL = re.compile(r"^#\|\s*eval:\s*false\s*$", re.MULTILINE)
_LABEL = re.compile(r"^#\|\s*label:\s*(\S+)", re.MULTILINE)
_MAXRSS_BYTES = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux


def peak_rss_mib() -> float:
    """The peak resident set size of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _MAXRSS_BYTES / 2**20


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Call ``function``; return its wall time in seconds and its result."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def python_cells(text: str) -> list[str]:
    """The code of every ```` ```{python} ```` cell of a Quarto document that Quarto runs, in order."""
    return [code for code in _CELL.findall(text) if not _NO_EVAL.search(code)]


def report_worker(report_dir: Path) -> dict[str, Any]:
    """Run every Python cell of ``report_dir/*.qmd`` in one namespace; time each cell.

    Only the standard library is imported beforehand, so the cells' own imports are timed. The
    backend comes from ``MPLBACKEND=Agg`` (set by :func:`run_worker`).
    """
    documents = sorted(report_dir.glob("*.qmd"))
    cells = [
        (doc.name, n, code) for doc in documents for n, code in enumerate(python_cells(doc.read_text()), 1)
    ]
    namespace: dict[str, Any] = {"__name__": "__main__"}
    times: list[tuple[float, str]] = []
    with chdir(report_dir):
        for name, number, code in cells:
            found = _LABEL.search(code)
            label = f"{name} cell {number}" + (f" ({found.group(1)})" if found else "")
            compiled = compile(code, label, "exec")
            start = time.perf_counter()
            try:
                exec(compiled, namespace)
            except Exception as error:
                raise RuntimeError(f"{label}: {type(error).__name__}: {error}") from error
            plt = sys.modules.get("matplotlib.pyplot")
            if plt is not None:  # draw each open figure as the kernel does for Quarto, then close it
                for figure_number in plt.get_fignums():
                    plt.figure(figure_number).savefig(io.BytesIO(), format="png", dpi=REPORT_DPI)
                plt.close("all")
            times.append((time.perf_counter() - start, label))
    slowest = max(times, default=(0.0, ""))
    return {
        "documents": len(documents),
        "cells": len(cells),
        "seconds": sum(s for s, _ in times),
        "slowest": slowest[1],
        "slowest_s": slowest[0],
    }


def synthetic_worker(n_countries: int, n_years: int) -> dict[str, Any]:
    """Generate the synthetic table and time the three trade computations on it."""
    from synthetic import synthetic_trade  # benchmarks/ is sys.path[0] here

    from ots_analysis.indicators import trade

    generate_s, table = timed(lambda: synthetic_trade(n_countries, n_years))
    importer = str(table["reporter_iso3"].iloc[0])
    baseline = peak_rss_mib()
    steps = {
        "turnover_by_dyad(t)": lambda: trade.turnover_by_dyad(table),
        "mirror_discrepancy(preferred_figures(t))": lambda: trade.mirror_discrepancy(
            trade.preferred_figures(table)
        ),
        f"supplier_shares(import_figures(t, {importer!r}))": lambda: trade.supplier_shares(
            trade.import_figures(table, importer)
        ),
    }
    results = {}
    for label, step in steps.items():
        seconds, output = timed(step)
        results[label] = {"seconds": seconds, "output_rows": len(output)}
        del output
    return {
        "rows": len(table),
        "generate_s": generate_s,
        "steps": results,
        "baseline_mib": baseline,
        "peak_mib": peak_rss_mib(),
    }


def run_worker(kind: str, *extra: str) -> dict[str, Any]:
    """Run this script as a worker in a fresh interpreter; return its JSON answer (or the error)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, *extra]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip() or f"exit {done.returncode}").splitlines()
        return {"error": lines[-1]}
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def status(value: float, target: float) -> str:
    """``ok`` when ``value`` is below ``target``, else ``MISS``."""
    return "ok" if value < target else "MISS"


def row(label: str, figure: str, target: str = "", verdict: str = "") -> str:
    """One line of the results table."""
    return f"{label:<52} {figure:<44} {target:<12} {verdict}".rstrip()


def measure(n_countries: int, n_years: int) -> int:
    """Take every measurement and print the table; return 1 if one raised, else 0."""
    from ots_analysis.build import render_outputs
    from ots_analysis.load import clear_cache, load_raw
    from ots_analysis.paths import project_paths

    paths = project_paths()
    errors = 0
    print(
        f"ots-analysis benchmark: {os.cpu_count()} cores (os.cpu_count), {platform.machine()}, "
        f"Python {platform.python_version()}, pandas {version('pandas')}, numpy {version('numpy')}\n"
    )
    print(row("measurement", "figure", "target", "status"))
    print(row("-" * 52, "-" * 44, "-" * 12, "------"))

    label = "real build: render_outputs(load_raw(paths))"
    try:
        # Each run validates from cold: load memoises validation on the files' bytes.
        runs = [
            timed(lambda: (clear_cache(), render_outputs(load_raw(paths), paths)))[0]
            for _ in range(BUILD_RUNS)
        ]
    except Exception as error:  # a measurement that raised is reported, and the others still run
        errors += 1
        print(row(label, f"{type(error).__name__}: {error}", "< 2 s", "ERROR"))
    else:
        build_s = statistics.median(runs)
        detail = f"{build_s:.2f} s (median; runs {', '.join(f'{r:.2f}' for r in runs)})"
        print(row(label, detail, "< 2 s", status(build_s, TARGET_BUILD_S)))

    report = run_worker("report", "--report-dir", str(paths.report))
    label = "report Python work (report/*.qmd cells)"
    if "error" in report:
        errors += 1
        print(row(label, "see below", "< 15 s", "ERROR") + f"\n  {report['error']}")
    elif report["cells"] == 0:
        print(row(label, "skipped: no report cells", "< 15 s", "-"))
    else:
        figure = f"{report['seconds']:.2f} s ({report['cells']} cells, {report['documents']} .qmd)"
        print(row(label, figure, "< 15 s", status(report["seconds"], TARGET_REPORT_S)))
        print(row("  slowest cell", f"{report['slowest_s']:.2f} s: {report['slowest']}"))

    synthetic = run_worker("synthetic", "--countries", str(n_countries), "--years", str(n_years))
    if "error" in synthetic:
        errors += 1
        print(
            row("synthetic trade computations", "see below", "< 3 s", "ERROR") + f"\n  {synthetic['error']}"
        )
        return 1
    rows = synthetic["rows"]
    print(
        f"synthetic table: {rows:,} rows ({n_countries} countries x {n_years} years x 2 flows, "
        f"no self-trade), generated in {synthetic['generate_s']:.2f} s"
    )
    total = 0.0
    for step, figures in synthetic["steps"].items():
        seconds = figures["seconds"]
        total += seconds
        rate = f"{seconds:.2f} s  {rows / seconds / 1e6:.2f} M rows/s  -> {figures['output_rows']:,} rows"
        print(row(f"  {step}", rate))
    together = f"{total:.2f} s  {rows / total / 1e6:.2f} M input rows/s"
    print(row("  the three together", together, "< 3 s", status(total, TARGET_SYNTHETIC_S)))
    peak = synthetic["peak_mib"]
    memory = f"{peak:,.0f} MiB (before the three {synthetic['baseline_mib']:,.0f} MiB)"
    print(row("  peak RSS of that process (ru_maxrss)", memory, "< 1,430 MiB", status(peak, TARGET_PEAK_MIB)))
    print("\n1.5 GB = 1.5e9 bytes = 1,430 MiB; the peak RSS includes interpreter, imports and the table.")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments; measure (or, internally, run one worker and print its JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=200, help="synthetic countries (default 200)")
    parser.add_argument("--years", type=int, default=30, help="synthetic years (default 30)")
    parser.add_argument("--worker", choices=["report", "synthetic"], help=argparse.SUPPRESS)
    parser.add_argument("--report-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "report":
        print(json.dumps(report_worker(args.report_dir)))
        return 0
    if args.worker == "synthetic":
        print(json.dumps(synthetic_worker(args.countries, args.years)))
        return 0
    return measure(args.countries, args.years)


if __name__ == "__main__":
    sys.exit(main())
