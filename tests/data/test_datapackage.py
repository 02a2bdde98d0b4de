"""The Frictionless data packages: generated from the schemas, current, complete, and valid for the
independent ``frictionless`` validator, which also catches what they declare being broken."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from ots_analysis.build import render_outputs
from ots_analysis.checks import MONTH_PERIOD_PATTERN
from ots_analysis.cli import main
from ots_analysis.datapackage import (
    LICENSES,
    QUOTATIONS_NOTICE,
    REGENERATE,
    UnmappedCheckError,
    processed_keys,
    raw_package,
    raw_package_problems,
)
from ots_analysis.integrity import integrity_failures
from ots_analysis.load import RawData
from ots_analysis.paths import DATAPACKAGE_NAME, ProjectPaths
from ots_analysis.references import REFERENCES, Reference
from ots_analysis.schemas import TABLES, Sources
from ots_analysis.vocab import SOURCE_KINDS


def frictionless(descriptor: Path) -> subprocess.CompletedProcess[str]:
    """``frictionless validate <descriptor>`` with the frictionless installed next to this Python."""
    program = Path(sys.executable).with_name("frictionless")
    assert program.is_file(), "frictionless is missing: install the test extra (pip install -e '.[test]')"
    return subprocess.run(
        [str(program), "validate", str(descriptor)], capture_output=True, text=True, check=False, timeout=300
    )


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def dirs(paths: ProjectPaths) -> list[str]:
    return ["--raw-dir", str(paths.raw), "--processed-dir", str(paths.processed)]


def resources(descriptor: Path) -> dict[str, dict]:
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    return {resource["path"]: resource for resource in package["resources"]}


# --- the committed descriptors -------------------------------------------------------------------------


def test_committed_raw_package_is_what_the_schemas_generate(real_paths: ProjectPaths) -> None:
    assert raw_package_problems(real_paths) == []


@pytest.mark.parametrize("folder", ["raw", "processed"])
def test_frictionless_validates_the_committed_package(real_paths: ProjectPaths, folder: str) -> None:
    result = frictionless(getattr(real_paths, folder) / DATAPACKAGE_NAME)
    assert result.returncode == 0, result.stdout + result.stderr


def test_raw_package_lists_every_table_with_its_keys(real_paths: ProjectPaths) -> None:
    listed = resources(real_paths.raw_datapackage)
    assert set(listed) == {f"{name}.csv" for name in TABLES}
    for name, spec in TABLES.items():
        schema = listed[f"{name}.csv"]["schema"]
        assert [field["name"] for field in schema["fields"]] == list(spec.model.to_schema().columns), name
        assert schema["primaryKey"], f"{name} has no primary key"
    assert listed["trade.csv"]["schema"]["primaryKey"] == list(TABLES["trade"].model.to_schema().unique)
    assert listed["events.csv"]["schema"]["primaryKey"] == ["event_id"]


@pytest.mark.parametrize("ref", REFERENCES, ids=lambda ref: f"{ref.table}.{'+'.join(ref.columns)}")
def test_every_reference_is_a_foreign_key_or_described(real_paths: ProjectPaths, ref: Reference) -> None:
    schema = resources(real_paths.raw_datapackage)[f"{ref.table}.csv"]["schema"]
    foreign_key = {
        "fields": list(ref.columns),
        "reference": {"resource": ref.target, "fields": list(ref.target_columns)},
    }
    if ref.is_foreign_key:
        assert foreign_key in schema.get("foreignKeys", [])
    else:
        assert foreign_key not in schema.get("foreignKeys", [])
        (field,) = [field for field in schema["fields"] if field["name"] == ref.columns[0]]
        assert f"{ref.target}.csv" in field["description"]
        assert "not a Frictionless foreign key" in field["description"]


def test_descriptions_and_constraints_come_from_the_schemas(real_paths: ProjectPaths) -> None:
    fields = {
        field["name"]: field
        for field in resources(real_paths.raw_datapackage)["trade.csv"]["schema"]["fields"]
    }
    columns = TABLES["trade"].model.to_schema().columns
    assert fields["value_usd"]["description"] == columns["value_usd"].description
    assert fields["value_usd"] == {
        "name": "value_usd",
        "type": "number",
        "description": "Value in current US dollars.",
        "constraints": {"required": True, "minimum": 0},
    }
    assert fields["flow"]["constraints"]["enum"] == ["exports", "imports", "turnover"]
    assert fields["period"]["constraints"]["pattern"] == MONTH_PERIOD_PATTERN
    # the upper bound is this year, which moves every 1 January: left to pandera
    assert fields["year"]["constraints"] == {"required": True, "minimum": 1991}
    sources = {
        field["name"]: field
        for field in resources(real_paths.raw_datapackage)["sources.csv"]["schema"]["fields"]
    }
    assert sources["published"]["type"] == "date"
    assert sources["source_id"]["constraints"] == {
        "required": True,
        "unique": True,
        "pattern": sources["source_id"]["constraints"]["pattern"],
    }


def test_data_licence_is_stated_in_both_packages_readme_and_citation(real_paths: ProjectPaths) -> None:
    (licence,) = LICENSES
    assert licence["name"] == "CC-BY-4.0"
    processed = json.loads((real_paths.processed / DATAPACKAGE_NAME).read_text(encoding="utf-8"))
    for package in (raw_package(), processed):
        assert package["licenses"] == LICENSES
        assert QUOTATIONS_NOTICE in package["description"]
    evidence = [
        field["description"]
        for resource in raw_package()["resources"]
        for field in resource["schema"]["fields"]
        if field["name"] == "evidence"
    ]
    assert evidence and all("copyright stays with the source's publisher" in text for text in evidence)
    readme = (real_paths.root / "README.md").read_text(encoding="utf-8")
    licence_section = " ".join(readme.split("\n## Licence\n", 1)[1].split("\n## ", 1)[0].split())
    assert "CC BY 4.0" in licence_section and "MIT" in licence_section
    assert "copyright stays with their publishers" in licence_section
    citation = " ".join((real_paths.root / "CITATION.cff").read_text(encoding="utf-8").split())
    assert "CC-BY-4.0" in citation and "copyright stays with their publishers" in citation


def test_code_licence_is_the_one_in_pyproject_and_citation(real_paths: ProjectPaths) -> None:
    pyproject = tomllib.loads((real_paths.root / "pyproject.toml").read_text(encoding="utf-8"))
    citation = (real_paths.root / "CITATION.cff").read_text(encoding="utf-8")
    assert pyproject["project"]["license"]["text"] == "MIT"
    assert re.search(r"^license: MIT$", citation, flags=re.MULTILINE)


# --- a schema change must reach the raw package -------------------------------------------------------


class SourcesWithPodcasts(Sources):
    """A vocabulary change: one more kind of source."""

    kind: Series[str] = pa.Field(
        isin=(*SOURCE_KINDS, "podcast"), description="official, news, statistics, ..."
    )


def test_schema_change_not_in_the_package_fails_validate_and_build_check(
    scratch: ProjectPaths,
    real_paths: ProjectPaths,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shutil.copytree(real_paths.processed, scratch.processed, dirs_exist_ok=True)
    assert run_cli([*dirs(scratch), "build", "--check"], capsys)[0] == 0
    monkeypatch.setitem(TABLES, "sources", dataclasses.replace(TABLES["sources"], model=SourcesWithPodcasts))

    for command in (["validate"], ["build", "--check"]):
        code, _, err = run_cli([*dirs(scratch), *command], capsys)
        assert code == 1, command
        assert "datapackage.json differs from what the schemas generate" in err
        assert f"run `{REGENERATE}`" in err

    assert run_cli([*dirs(scratch), "datapackage"], capsys)[0] == 0
    enum = resources(scratch.raw_datapackage)["sources.csv"]["schema"]["fields"][-1]["constraints"]["enum"]
    assert enum[-1] == "podcast"
    assert run_cli([*dirs(scratch), "validate"], capsys)[0] == 0


def test_missing_raw_package_fails_validate(
    scratch: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.raw_datapackage.unlink()
    code, out, err = run_cli([*dirs(scratch), "validate"], capsys)
    assert code == 1
    assert out.startswith("raw is valid")  # the scratch tables are; their descriptor is not there
    assert "datapackage.json is missing: run `ots-analysis datapackage`" in err


def test_a_check_without_a_table_schema_equivalent_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class SourcesWithShortTitles(Sources):
        title: Series[str] = pa.Field(str_length={"max_value": 200}, description="Title.")

    monkeypatch.setitem(
        TABLES, "sources", dataclasses.replace(TABLES["sources"], model=SourcesWithShortTitles)
    )
    with pytest.raises(UnmappedCheckError, match=r"sources\.title: pandera check 'str_length'"):
        raw_package()


# --- every declared reference is enforced by validation too ---------------------------------------------


def _with_unknown_key(frame: pd.DataFrame, ref: Reference) -> pd.DataFrame:
    """A copy of ``frame`` whose first filled cell of the reference's last column names no existing key."""
    column = ref.columns[-1]
    row = frame.index[frame[column].notna()][0]
    unknown = {"countries": "ZZZ", "claims": "C999"}.get(ref.target, "no-such-key")
    broken = frame.copy()
    broken.loc[row, column] = f"{frame.loc[row, column]};{unknown}" if ref.listed else unknown
    return broken


@pytest.mark.parametrize("ref", REFERENCES, ids=lambda ref: f"{ref.table}.{'+'.join(ref.columns)}")
def test_every_reference_is_checked_by_validation(raw: RawData, ref: Reference) -> None:
    tables = raw.tables()
    tables[ref.table] = _with_unknown_key(tables[ref.table], ref)
    failures = integrity_failures(tables, {name: f"{name}.csv" for name in tables})
    assert any(
        failure.file == f"{ref.table}.csv" and failure.column == ref.columns[-1] for failure in failures
    ), [failure.describe() for failure in failures]


# --- frictionless catches what the packages declare ----------------------------------------------------


def test_frictionless_rejects_a_broken_foreign_key(scratch: ProjectPaths) -> None:
    (ref,) = [ref for ref in REFERENCES if ref.table == "trade" and ref.columns == ("partner_iso3",)]
    path = scratch.raw_table("trade")
    trade = pd.read_csv(path, dtype=str, keep_default_na=False)
    _with_unknown_key(trade, ref).to_csv(path, index=False, lineterminator="\n")
    result = frictionless(scratch.raw_datapackage)
    assert result.returncode != 0
    assert "foreign-key" in result.stdout


def test_frictionless_rejects_a_processed_file_that_is_not_the_one_built(
    scratch: ProjectPaths, real_paths: ProjectPaths
) -> None:
    shutil.copytree(real_paths.processed, scratch.processed, dirs_exist_ok=True)
    path = scratch.processed / "turnover_cagr.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8")
    result = frictionless(scratch.processed_datapackage)
    assert result.returncode != 0
    assert "hash-count" in result.stdout


# --- processed tables ---------------------------------------------------------------------------------


def test_processed_package_lists_every_built_file_but_the_manifest(
    raw: RawData, real_paths: ProjectPaths
) -> None:
    built = render_outputs(raw, real_paths).files
    listed = resources(real_paths.processed_datapackage)
    assert set(listed) == set(built) - {"manifest.json", DATAPACKAGE_NAME}
    for name, resource in listed.items():
        if name.endswith(".csv"):
            assert resource["schema"]["primaryKey"], name


def test_processed_table_without_declared_keys_stops_the_build() -> None:
    with pytest.raises(KeyError, match=r"new_indicator\.csv has no entry"):
        processed_keys("new_indicator.csv", pd.DataFrame({"a": [1]}))


def test_processed_key_that_is_not_unique_stops_the_build() -> None:
    frame = pd.DataFrame({"year": [2020, 2020], "bilateral_sum_usd": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"\(year\) is declared its primary key but is not unique"):
        processed_keys("intra_ots_bilateral_sums.csv", frame)
