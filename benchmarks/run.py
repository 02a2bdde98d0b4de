"""Benchmark: the real build, the report's Python work, and the trade functions at world scale.

Run ``python benchmarks/run.py`` (``nox -s bench`` does) for the full size, or
``python benchmarks/run.py --countries 20 --years 5`` for a quick run. It prints one table with each
figure next to its target and ``ok`` or ``MISS``. It is a measurement, not a test: it exits 0 when
targets are missed, and 1 only when a measurement could not be taken (``ERROR``: an exception).

- Real build: wall time of ``render_outputs(load_raw(paths), paths)``, load included, median of 3.
- Report: every ```` ```{python} ```` cell of every page of the site (the home, data and methods
  pages, and one page per article of articles.csv, includes resolved), each page in its own namespace
  as in its own kernel, in a fresh interpreter, in an empty working folder (so every figure is drawn,
  as in a first render) with ``MPLBACKEND=Agg``; each figure a cell leaves open is saved as PNG (as the
  kernel does) and closed. Imports inside the cells count once (one interpreter; Quarto starts a
  kernel per page and format, and pays them each time), interpreter start-up does not; Quarto runs an
  article page's cells twice (HTML, PDF), the second time with its figures already drawn.
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


def site_pages(report_dir: Path) -> list[tuple[str, str]]:
    """(name, source) of every page of the site as Quarto renders it, includes resolved."""
    from ots_analysis.articles import articles_by_id
    from ots_analysis.paths import project_paths
    from ots_analysis.preview import FRONT_MATTER, article_page_source, resolve_includes
    from ots_analysis.processed import load_processed

    pages = [
        (path.name, resolve_includes(FRONT_MATTER.sub("", path.read_text(encoding="utf-8")), report_dir))
        for path in sorted(report_dir.glob("*.qmd"))
        if not path.name.startswith("_")
    ]
    articles = articles_by_id(load_processed(project_paths()).table("articles"))
    pages += [
        (f"articles/{article_id}.qmd", article_page_source(report_dir, article_id)) for article_id in articles
    ]
    return pages


def report_worker(pages_file: Path) -> dict[str, Any]:
    """Run every Python cell of each page in ``pages_file`` (JSON of :func:`site_pages`), each page in
    its own namespace; time each cell.

    Only the standard library is imported beforehand, so the cells' own imports are timed. The
    backend comes from ``MPLBACKEND=Agg`` (set by :func:`run_worker`).
    """
    import tempfile

    pages = json.loads(pages_file.read_text(encoding="utf-8"))
    cells = [(name, n, code) for name, text in pages for n, code in enumerate(python_cells(text), 1)]
    namespaces: dict[str, dict[str, Any]] = {name: {"__name__": "__main__"} for name, _ in pages}
    times: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory() as workdir, chdir(workdir):
        for name, number, code in cells:
            found = _LABEL.search(code)
            label = f"{name} cell {number}" + (f" ({found.group(1)})" if found else "")
            compiled = compile(code, label, "exec")
            start = time.perf_counter()
            try:
                exec(compiled, namespaces[name])
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
        "documents": len(pages),
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

    pages_file = paths.report / "_generated" / "benchmark-pages.json"
    pages_file.parent.mkdir(parents=True, exist_ok=True)
    pages_file.write_text(json.dumps(site_pages(paths.report)), encoding="utf-8")
    report = run_worker("report", "--report-dir", str(pages_file))
    label = "site's Python work (every page's cells, once)"
    if "error" in report:
        errors += 1
        print(row(label, "see below", "< 15 s", "ERROR") + f"\n  {report['error']}")
    elif report["cells"] == 0:
        print(row(label, "skipped: no report cells", "< 15 s", "-"))
    else:
        figure = f"{report['seconds']:.2f} s ({report['cells']} cells, {report['documents']} pages)"
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
