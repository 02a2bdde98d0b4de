"""The ``ots-analysis`` command: validate the raw data, build the processed outputs, write the raw data's
Frictionless descriptor, show the claims.

Exit codes: 0 success; 1 invalid data, processed outputs that differ from a fresh build, or a
data/raw/datapackage.json that differs from what the schemas generate; 2 usage errors (bad arguments,
no project found, an output folder the build may not replace); 3 a file-system error (no space, file
too large, permission denied, a name too long, standard output closed or full). Every error is one
message on standard error, never a traceback, and a build that fails leaves the previous outputs as
they were.

The folder options (``--root``, ``--raw-dir``, ``--processed-dir``) and ``--quiet`` may stand before
or after the subcommand. Progress (which table is validated, which output written) is shown on one
self-overwriting line when standard output is a terminal, and never with ``--quiet`` or when output
goes to a file or a CI log.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from ots_analysis.articles import UnknownArticleError, find_article
from ots_analysis.build import compare_outputs, package_version, render_outputs, write_outputs
from ots_analysis.claims import claims_register
from ots_analysis.conventions import verdict_disagreements
from ots_analysis.datapackage import raw_package_problems, write_raw_package
from ots_analysis.errors import DataValidationError, display_path, escaped, format_failures
from ots_analysis.load import RawData, load_raw, raw_warnings, unexpected_raw_files
from ots_analysis.ownership import UnsafeOutputFolderError
from ots_analysis.paths import ProjectNotFoundError, ProjectPaths, project_paths
from ots_analysis.publish import PublishError
from ots_analysis.scoreboard import scoreboard_text

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_SYSTEM = 3

_FORMATTER = argparse.RawDescriptionHelpFormatter
_EPILOG = (
    "Exit codes: 0 ok; 1 invalid data or stale outputs; 2 usage error (including an output folder\n"
    "the build may not replace); 3 file-system error (no space, permission, ...)."
)


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
        "codes), the rules across tables (sources cited, countries listed, figures written in\n"
        "their evidence), the conventions of a review (claims per article, rationales, a check\n"
        "for every date, interval and membership claim), and, once all of those pass, that each\n"
        "curated verdict equals its computed check (both are named if not). Each failure is\n"
        "printed as file:line:column with the column, the value and the rule; exit 1 if there\n"
        "is any, or if data/raw/datapackage.json is not what the schemas generate. Reads only\n"
        "data/raw and writes nothing: no processed folder is needed. A CSV in data/raw that is\n"
        "not a table is named in a warning, and so is each unsettled trade dispute (equally\n"
        "ranked figures that disagree by more than 5 %), at its rows: warnings do not change\n"
        "the exit code.",
    )
    build = command(
        "build",
        "validate, then write data/processed and its manifest",
        "Validate data/raw (as `validate`), compute every output in memory, then replace\n"
        "data/processed with the new set in one step: a build that fails, or is killed, leaves\n"
        "the previous outputs as they were. The manifest lists every output's rows and sha256\n"
        "and every input's sha256. Two builds of the same data are byte-identical.\n\n"
        "The build replaces only a folder it owns: absent, empty, or holding exactly the files its\n"
        "manifest.json lists. It refuses (exit 2, nothing written) a file, a folder with other\n"
        "files, and a folder that is or contains data/raw or the project folder.",
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
        "claim that is not supported. A claim whose curated verdict (claims.csv) differs from its\n"
        "computed check is marked '!' and listed with both verdicts; the scoreboard is still\n"
        "printed, then those failures as `validate` prints them, and the exit code is 1. Writes\n"
        "nothing.",
    )
    claims.add_argument(
        "--article",
        metavar="ID",
        help="article_id in data/raw/articles.csv (default: the article marked is_default)",
    )
    return parser


class StdoutError(Exception):
    """Standard output could not be written (closed pipe, full device); carries the OSError."""

    def __init__(self, error: OSError) -> None:
        self.error = error
        super().__init__(error.strerror or str(error))


def _say(text: str) -> None:
    """Print ``text`` to standard output, flushed, so that a failure is caught where it happens."""
    if sys.stdout is None:  # started with standard output closed: nothing to print to
        return
    try:
        print(text, flush=True)
    except OSError as error:
        raise StdoutError(error) from error


class _Progress:
    """One self-overwriting status line on a terminal; silent when ``enabled`` is false."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.shown = False

    def __call__(self, message: str) -> None:
        if self.enabled:
            self._write(f"\r\033[K{message}")
            self.shown = True

    def clear(self) -> None:
        """Erase the status line, so that what follows starts on a clean line."""
        if self.shown:
            self.shown = False
            with contextlib.suppress(StdoutError):  # the error that matters is reported elsewhere
                self._write("\r\033[K")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except OSError as error:
            self.enabled = False
            raise StdoutError(error) from error


def _raw_package_is_current(paths: ProjectPaths) -> bool:
    """Print why data/raw/datapackage.json is stale, if it is; True if it is current."""
    problems = raw_package_problems(paths)
    for problem in problems:
        print(escaped(problem), file=sys.stderr)
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
        _say(f"{display_path(paths.raw, paths.root)} is valid ({counts} rows)")
    return EXIT_OK if package_current else EXIT_INVALID


def _build(paths: ProjectPaths, check: bool, progress: _Progress, quiet: bool) -> int:
    raw = load_raw(paths, progress)
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
            _say(f"{processed} matches a fresh build ({len(result.files)} files)")
        return EXIT_OK if package_current else EXIT_INVALID

    def warn(message: str) -> None:
        progress.clear()
        print(f"warning: {message}", file=sys.stderr)

    written = write_outputs(
        result, paths.processed, lambda step: progress(f"{processed}: {step}"), paths, warn
    )
    progress.clear()
    if not quiet:
        _say(f"wrote {len(written)} files to {processed}")
    return EXIT_OK


def _datapackage(paths: ProjectPaths, quiet: bool) -> int:
    tables = write_raw_package(paths)
    if not quiet:
        _say(f"wrote {display_path(paths.raw_datapackage, paths.root)} ({tables} tables)")
    return EXIT_OK


def _claims(paths: ProjectPaths, article_id: str | None, progress: _Progress) -> int:
    # A curated verdict that differs from its check is a validation failure, but this is the command
    # a curator runs to see such disagreements: the data are validated without that rule, the
    # scoreboard marks them, and they are then printed as validate prints them, with exit code 1.
    raw = load_raw(paths, progress, verdicts_must_agree=False)
    article = find_article(raw.articles, article_id)
    progress("computing the verdicts")
    register = claims_register(raw)
    progress.clear()
    _say(scoreboard_text(register, article))
    disagreements = verdict_disagreements(
        raw.claims, register, display_path(paths.raw_table("claims"), paths.root)
    )
    if disagreements:
        print(format_failures(disagreements), file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _warn(paths: ProjectPaths) -> None:
    for warning in unexpected_raw_files(paths):
        print(escaped(f"warning: {warning.file}: {warning.rule}"), file=sys.stderr)


def _run(args: argparse.Namespace, progress: _Progress) -> int:
    paths = project_paths(args.root, args.raw_dir, args.processed_dir)
    _warn(paths)
    if args.command == "validate":
        return _validate(paths, progress, args.quiet)
    if args.command == "build":
        return _build(paths, args.check, progress, args.quiet)
    if args.command == "datapackage":
        return _datapackage(paths, args.quiet)
    return _claims(paths, args.article, progress)


def _error(message: str) -> None:
    print(f"ots-analysis: {message}", file=sys.stderr)


def _system_error(error: OSError) -> str:
    """One line for a file-system error: what failed, on which file."""
    reason = error.strerror or str(error)
    where = f": {error.filename}" if error.filename else ""
    return f"{reason}{where}"


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's own flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError), open(os.devnull, "w") as sink:  # noqa: PTH123
        os.dup2(sink.fileno(), sys.stdout.fileno())


def _flush_stdout(code: int) -> int:
    """Flush standard output now, so that a closed or full stdout is an exit code, not a traceback."""
    if sys.stdout is None:
        return code
    try:
        sys.stdout.flush()
    except OSError as error:
        _error(f"could not write to standard output: {error.strerror or error}")
        _silence_stdout()
        return code if code != EXIT_OK else EXIT_SYSTEM
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    interactive = sys.stdout is not None and not args.quiet and sys.stdout.isatty()
    progress = _Progress(sys.stdout, enabled=interactive)
    building = args.command == "build" and not args.check
    try:
        code = _run(args, progress)
    except (ProjectNotFoundError, UnknownArticleError, UnsafeOutputFolderError) as error:
        progress.clear()
        _error(str(error))
        code = EXIT_USAGE
    except DataValidationError as error:
        progress.clear()
        print(format_failures(error.failures), file=sys.stderr)
        if building:
            print("Nothing was written.", file=sys.stderr)
        code = EXIT_INVALID
    except PublishError as error:
        progress.clear()
        _error(str(error))
        code = EXIT_SYSTEM
    except StdoutError as error:
        _error(f"could not write to standard output: {error}")
        _silence_stdout()
        return EXIT_SYSTEM
    except OSError as error:
        progress.clear()
        _error(_system_error(error))
        if building:
            print("Nothing was written.", file=sys.stderr)
        code = EXIT_SYSTEM
    finally:
        progress.clear()
    return _flush_stdout(code)


if __name__ == "__main__":
    sys.exit(main())
