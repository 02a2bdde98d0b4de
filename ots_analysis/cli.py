"""The ``ots-analysis`` command: validate the raw data, build the processed outputs, write the raw data's
Frictionless descriptor, show the claims.

Exit codes: 0 success; 1 invalid data, processed outputs that differ from a fresh build, or a
data/raw/datapackage.json that differs from what the schemas generate; 2 usage errors (bad arguments,
no project found).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ots_analysis.articles import UnknownArticleError, find_article
from ots_analysis.build import compare_outputs, package_version, render_outputs, write_outputs
from ots_analysis.claims import claims_register
from ots_analysis.datapackage import raw_package_problems, write_raw_package
from ots_analysis.errors import DataValidationError, display_path, format_failures
from ots_analysis.load import load_raw
from ots_analysis.paths import ProjectNotFoundError, ProjectPaths, project_paths
from ots_analysis.scoreboard import scoreboard_text

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ots-analysis",
        description=(
            "Check the claims of an article on the Organization of Turkic States against "
            "hand-curated, sourced data."
        ),
        epilog="Exit codes: 0 ok; 1 invalid data or stale outputs; 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    parser.add_argument(
        "--root", help="repository root (default: found from a marker, or $OTS_ANALYSIS_ROOT)"
    )
    parser.add_argument("--raw-dir", help="folder of the raw CSV tables (default: <root>/data/raw)")
    parser.add_argument(
        "--processed-dir", help="folder of the built outputs (default: <root>/data/processed)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser(
        "validate",
        help="check every raw table (every failure as file:line:column) and data/raw/datapackage.json",
    )
    build = commands.add_parser("build", help="validate, then write data/processed and its manifest")
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if data/processed differs from a fresh build",
    )
    commands.add_parser(
        "datapackage", help="write data/raw/datapackage.json (the Frictionless descriptor) from the schemas"
    )
    claims = commands.add_parser("claims", help="print an article's scoreboard: verdicts by section, and why")
    claims.add_argument(
        "--article",
        metavar="ID",
        help="article_id in data/raw/articles.csv (default: the article marked is_default)",
    )
    return parser


def _raw_package_is_current(paths: ProjectPaths) -> bool:
    """Print why data/raw/datapackage.json is stale, if it is; True if it is current."""
    problems = raw_package_problems(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    return not problems


def _validate(paths: ProjectPaths) -> int:
    package_current = _raw_package_is_current(paths)
    raw = load_raw(paths)
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in raw.tables().items())
    print(f"data/raw is valid ({counts} rows)")
    return EXIT_OK if package_current else EXIT_INVALID


def _build(paths: ProjectPaths, check: bool) -> int:
    result = render_outputs(load_raw(paths), paths)
    if check:
        package_current = _raw_package_is_current(paths)
        problems = compare_outputs(result, paths.processed)
        if problems:
            print("data/processed is not what `ots-analysis build` makes from data/raw:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            print("Run `ots-analysis build` and commit data/processed.", file=sys.stderr)
            return EXIT_INVALID
        print(f"data/processed matches a fresh build ({len(result.files)} files)")
        return EXIT_OK if package_current else EXIT_INVALID
    written = write_outputs(result, paths.processed)
    print(f"wrote {len(written)} files to {display_path(paths.processed, paths.root)}")
    return EXIT_OK


def _datapackage(paths: ProjectPaths) -> int:
    tables = write_raw_package(paths)
    print(f"wrote {display_path(paths.raw_datapackage, paths.root)} ({tables} tables)")
    return EXIT_OK


def _claims(paths: ProjectPaths, article_id: str | None) -> int:
    raw = load_raw(paths)
    article = find_article(raw.articles, article_id)
    print(scoreboard_text(claims_register(raw), article))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        paths = project_paths(args.root, args.raw_dir, args.processed_dir)
        if args.command == "validate":
            return _validate(paths)
        if args.command == "build":
            return _build(paths, args.check)
        if args.command == "datapackage":
            return _datapackage(paths)
        return _claims(paths, args.article)
    except (ProjectNotFoundError, UnknownArticleError) as error:
        print(f"ots-analysis: {error}", file=sys.stderr)
        return EXIT_USAGE
    except DataValidationError as error:
        print(format_failures(error.failures), file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
