"""The ``ots-analysis`` command: validate the raw data, build the processed outputs, write the raw data's
Frictionless descriptor, show the claims.

Exit codes: 0 success; 1 invalid data, processed outputs that differ from a fresh build, or a
data/raw/datapackage.json that differs from what the schemas generate; 2 usage errors (bad arguments,
no project found).

The folder options (``--root``, ``--raw-dir``, ``--processed-dir``) and ``--quiet`` may stand before
or after the subcommand. Progress (which table is validated, which output written) is shown on one
self-overwriting line when standard output is a terminal, and never with ``--quiet`` or when output
goes to a file or a CI log.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from ots_analysis.articles import UnknownArticleError, find_article
from ots_analysis.build import compare_outputs, package_version, render_outputs, write_outputs
from ots_analysis.claims import claims_register
from ots_analysis.datapackage import raw_package_problems, write_raw_package
from ots_analysis.errors import DataValidationError, display_path, format_failures
from ots_analysis.load import RawData, load_raw, raw_warnings, unexpected_raw_files
from ots_analysis.paths import ProjectNotFoundError, ProjectPaths, project_paths
from ots_analysis.scoreboard import scoreboard_text

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

_FORMATTER = argparse.RawDescriptionHelpFormatter
_EPILOG = "Exit codes: 0 ok; 1 invalid data or stale outputs; 2 usage error."


def _add_common_options(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """The folder options and --quiet, accepted before and after the subcommand.

    After the subcommand their defaults are suppressed, so that a value given before it is kept.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if after_command else value

    group = parser.add_argument_group("folders and output (before or after the command)")
    group.add_argument(
        "--root",
        default=default(None),
        help="repository root (default: found from a marker file, or $OTS_ANALYSIS_ROOT)",
    )
    group.add_argument(
        "--raw-dir",
        default=default(None),
        help="folder of the raw CSV tables (default: <root>/data/raw, or $OTS_ANALYSIS_RAW_DIR)",
    )
    group.add_argument(
        "--processed-dir",
        default=default(None),
        help="folder of the built outputs (default: <root>/data/processed, or $OTS_ANALYSIS_PROCESSED_DIR)",
    )
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default(False),
        help="print no progress and no success summary; failures and warnings are still printed",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ots-analysis",
        description=(
            "Check the claims of an article on the Organization of Turkic States against "
            "hand-curated, sourced data.\n\n"
            "Typical use: edit data/raw, run `ots-analysis validate` until it passes, then\n"
            "`ots-analysis build` and commit data/raw and data/processed together."
        ),
        epilog=_EPILOG,
        formatter_class=_FORMATTER,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    _add_common_options(parser, after_command=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=summary, description=description, epilog=_EPILOG, formatter_class=_FORMATTER
        )
        _add_common_options(sub, after_command=True)
        return sub

    command(
        "validate",
        "check every raw table (every failure as file:line:column) and data/raw/datapackage.json",
        "Check every table of data/raw against its schema (columns, cell text, numbers, dates,\n"
        "codes) and the rules across tables (sources cited, countries listed, figures written in\n"
        "their evidence). Each failure is printed as file:line:column with the column, the value\n"
        "and the rule; exit 1 if there is any, or if data/raw/datapackage.json is not what the\n"
        "schemas generate. Reads only data/raw and writes nothing: no processed folder is needed.\n"
        "A CSV in data/raw that is not a table is named in a warning, and so is each unsettled\n"
        "trade dispute (equally ranked figures that disagree by more than 5 %), at its rows:\n"
        "warnings do not change the exit code.",
    )
    build = command(
        "build",
        "validate, then write data/processed and its manifest",
        "Validate data/raw (as `validate`), compute every output in memory, then replace\n"
        "data/processed with the new set in one step: a build that fails, or is killed, leaves\n"
        "the previous outputs as they were. The manifest lists every output's rows and sha256\n"
        "and every input's sha256. Two builds of the same data are byte-identical.",
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if data/processed differs from a fresh build (what CI runs)",
    )
    command(
        "datapackage",
        "write data/raw/datapackage.json (the Frictionless descriptor) from the schemas",
        "Write data/raw/datapackage.json, the Frictionless Data descriptor of the raw tables,\n"
        "generated from the pandera schemas (columns, types, descriptions, keys). Run it after a\n"
        "schema change and commit the file: validate and build --check fail while it is stale.",
    )
    claims = command(
        "claims",
        "print an article's scoreboard: verdicts by section, and why",
        "Validate data/raw, compute each claim's verdict, and print one article's scoreboard: the\n"
        "number of its claims per verdict, per section of the article, and the reason for each\n"
        "claim that is not supported. Writes nothing.",
    )
    claims.add_argument(
        "--article",
        metavar="ID",
        help="article_id in data/raw/articles.csv (default: the article marked is_default)",
    )
    return parser


class _Progress:
    """One self-overwriting status line on a terminal; silent when ``enabled`` is false."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.shown = False

    def __call__(self, message: str) -> None:
        if self.enabled:
            self.stream.write(f"\r\033[K{message}")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        """Erase the status line, so that what follows starts on a clean line."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def _raw_package_is_current(paths: ProjectPaths) -> bool:
    """Print why data/raw/datapackage.json is stale, if it is; True if it is current."""
    problems = raw_package_problems(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    return not problems


def _warn_disputes(raw: RawData, paths: ProjectPaths) -> None:
    """Print each unsettled trade dispute as a warning (they never change the exit code)."""
    warnings = raw_warnings(raw, paths)
    for warning in warnings:
        print(f"warning: {warning.describe()}", file=sys.stderr)
    if warnings:
        print(
            f"warning: {len(warnings)} unsettled trade dispute(s); the indicators use the median of each "
            "and flag it until a curator settles it",
            file=sys.stderr,
        )


def _validate(paths: ProjectPaths, progress: _Progress, quiet: bool) -> int:
    package_current = _raw_package_is_current(paths)
    raw = load_raw(paths, progress)
    progress.clear()
    _warn_disputes(raw, paths)
    if not quiet:
        counts = ", ".join(f"{name} {len(frame)}" for name, frame in raw.tables().items())
        print(f"{display_path(paths.raw, paths.root)} is valid ({counts} rows)")
    return EXIT_OK if package_current else EXIT_INVALID


def _build(paths: ProjectPaths, check: bool, progress: _Progress, quiet: bool) -> int:
    raw = load_raw(paths, progress)
    progress.clear()
    _warn_disputes(raw, paths)
    progress("computing the outputs")
    result = render_outputs(raw, paths)
    processed = display_path(paths.processed, paths.root)
    if check:
        package_current = _raw_package_is_current(paths)
        problems = compare_outputs(result, paths.processed)
        progress.clear()
        if problems:
            print(f"{processed} is not what `ots-analysis build` makes from data/raw:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            print("Run `ots-analysis build` and commit data/processed.", file=sys.stderr)
            return EXIT_INVALID
        if not quiet:
            print(f"{processed} matches a fresh build ({len(result.files)} files)")
        return EXIT_OK if package_current else EXIT_INVALID
    written = write_outputs(result, paths.processed, lambda step: progress(f"{processed}: {step}"))
    progress.clear()
    if not quiet:
        print(f"wrote {len(written)} files to {processed}")
    return EXIT_OK


def _datapackage(paths: ProjectPaths, quiet: bool) -> int:
    tables = write_raw_package(paths)
    if not quiet:
        print(f"wrote {display_path(paths.raw_datapackage, paths.root)} ({tables} tables)")
    return EXIT_OK


def _claims(paths: ProjectPaths, article_id: str | None, progress: _Progress) -> int:
    raw = load_raw(paths, progress)
    article = find_article(raw.articles, article_id)
    progress("computing the verdicts")
    register = claims_register(raw)
    progress.clear()
    print(scoreboard_text(register, article))
    return EXIT_OK


def _warn(paths: ProjectPaths) -> None:
    for warning in unexpected_raw_files(paths):
        print(f"warning: {warning.file}: {warning.rule}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    progress = _Progress(sys.stdout, enabled=not args.quiet and sys.stdout.isatty())
    try:
        paths = project_paths(args.root, args.raw_dir, args.processed_dir)
        _warn(paths)
        if args.command == "validate":
            return _validate(paths, progress, args.quiet)
        if args.command == "build":
            return _build(paths, args.check, progress, args.quiet)
        if args.command == "datapackage":
            return _datapackage(paths, args.quiet)
        return _claims(paths, args.article, progress)
    except (ProjectNotFoundError, UnknownArticleError) as error:
        progress.clear()
        print(f"ots-analysis: {error}", file=sys.stderr)
        return EXIT_USAGE
    except DataValidationError as error:
        progress.clear()
        print(format_failures(error.failures), file=sys.stderr)
        if args.command == "build" and not args.check:
            print("Nothing was written.", file=sys.stderr)
        return EXIT_INVALID
    finally:
        progress.clear()


if __name__ == "__main__":
    sys.exit(main())
