"""Read data dictionaries (`datasets/<name>.yaml`) and their reference samples."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.errors import InputError, MonitoringInputError, Problem
from govkit.formatting import display_path
from govkit.model import DatasetRecord, YamlDoc
from govkit.schemas.config import Config, Limits
from govkit.schemas.dictionary import Dictionary
from govkit.sources.files import max_bytes
from govkit.sources.sample_size import over_limits, over_limits_before_reading
from govkit.sources.validation import validate_doc
from govkit.sources.yamlio import read_doc

if TYPE_CHECKING:
    import pyarrow as pa

SAMPLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq")


def dictionary_path(root: Path, config: Config, index: int) -> Path:
    entry = config.datasets[index]
    return root / (entry.path or f"{config.datasets_dir}/{entry.name}.yaml")


def load_datasets(
    root: Path, config: Config, config_doc: YamlDoc, models: set[str], problems: list[Problem]
) -> list[DatasetRecord]:
    """Every declared dictionary, validated; unknown model names and missing samples are
    problems naming the dictionary's file and line."""
    records: list[DatasetRecord] = []
    for index, entry in enumerate(config.datasets):
        line = config_doc.line_of(("datasets", index))
        if any(r.name == entry.name for r in records):
            problems.append(Problem(config_doc.path, line, f"datasets[{index}].name",
                                    f"dataset '{entry.name}' is declared twice", "keep one"))
            continue
        path = dictionary_path(root, config, index).resolve()
        if not path.is_file():
            problems.append(Problem(config_doc.path, line, f"datasets[{index}]",
                                    f"dataset '{entry.name}' has no dictionary "
                                    f"{display_path(path)}",
                                    "create it (see `govkit schema`, dictionary.schema.json) "
                                    "or set its path"))
            continue
        doc = read_doc(path, problems, max_bytes(config.limits.max_file_mb))
        if doc is None:
            continue
        dictionary = validate_doc(Dictionary, doc, problems)
        if dictionary is None:
            continue
        _unique_features(dictionary, doc, problems)
        _known_models(dictionary, doc, models, problems)
        reference = _reference(dictionary, doc, path, problems)
        records.append(DatasetRecord(entry.name, dictionary, doc, _relative(path, root),
                                     reference))
    return records


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _unique_features(dictionary: Dictionary, doc: YamlDoc, problems: list[Problem]) -> None:
    first: dict[str, int | None] = {}
    for i, feature in enumerate(dictionary.features):
        line = doc.line_of(("features", i, "name"))
        if feature.name in first:
            problems.append(Problem(doc.path, line, f"features[{i}].name",
                                    f"feature '{feature.name}' is documented twice (first on "
                                    f"line {first[feature.name]})", "keep one"))
        else:
            first[feature.name] = line


def _known_models(
    dictionary: Dictionary, doc: YamlDoc, models: set[str], problems: list[Problem]
) -> None:
    hint = f"declared models: {', '.join(sorted(models)) or 'none'}"
    for i, name in enumerate(dictionary.models):
        if name not in models:
            problems.append(Problem(doc.path, doc.line_of(("models", i)), f"models[{i}]",
                                    f"unknown model '{name}'", hint))
    for f, feature in enumerate(dictionary.features):
        for i, name in enumerate(feature.used_by):
            if name not in models:
                loc = ("features", f, "used_by", i)
                problems.append(Problem(doc.path, doc.line_of(loc),
                                        f"features[{f}].used_by[{i}]",
                                        f"unknown model '{name}'", hint))


def _reference(
    dictionary: Dictionary, doc: YamlDoc, path: Path, problems: list[Problem]
) -> Path | None:
    if dictionary.reference_data is None:
        return None
    sample = (path.parent / dictionary.reference_data).resolve()
    line = doc.line_of(("reference_data",))
    if not sample.is_file():
        problems.append(Problem(doc.path, line, "reference_data",
                                f"{display_path(sample)} does not exist or is not a file",
                                "write a path relative to this file, e.g. ../data/sample.csv"))
        return None
    if sample.suffix.lower() not in SAMPLE_SUFFIXES:
        problems.append(Problem(doc.path, line, "reference_data",
                                f"{sample.name} is not a Parquet or CSV file",
                                "use a .parquet, .csv or .tsv sample"))
        return None
    return sample


def read_sample(record: DatasetRecord, limits: Limits, shown: str) -> tuple[pa.Table, str]:
    """The reference sample as a table and the sha256 of its bytes; a sample that cannot be
    read, or is over `limits`, is an input error at the dictionary's `reference_data` line."""
    import pyarrow as pa  # lazy: only a dictionary with a sample needs it (issue 26)

    from govkit.sources.datasets import read_sample_file
    from govkit.sources.parquet_bounded import DecodesTooLarge

    assert record.reference is not None
    line = record.doc.line_of(("reference_data",))
    try:
        too_big = over_limits_before_reading(record.reference, shown, limits)
        if too_big is None:
            data = record.reference.read_bytes()
            try:
                table = read_sample_file(record.reference,
                                         int(limits.max_sample_mb * 1_000_000))
            except DecodesTooLarge as exc:
                too_big = (f"{shown} {exc.why}" if exc.why else
                           f"{shown} decodes to {exc.decoded / 1_000_000:.1f} MB, more than "
                           f"limits.max_sample_mb ({limits.max_sample_mb:g})", "max_sample_mb")
            else:
                too_big = over_limits(shown, table.num_columns, table.num_rows, limits)
        if too_big is not None:
            why, limit = too_big
            raise InputError([Problem(record.doc.path, line, "reference_data", why,
                                      f"profile a smaller sample, or raise limits.{limit} in "
                                      "govkit.yaml")])
    except MonitoringInputError as exc:
        raise InputError([Problem(record.doc.path, line, "reference_data",
                                  f"cannot read {display_path(record.reference)}: "
                                  f"{exc.message.removeprefix('cannot read window: ')}",
                                  exc.hint or "write the sample as Parquet or CSV")]) from None
    except pa.ArrowInvalid as exc:
        raise InputError([Problem(record.doc.path, line, "reference_data",
                                  f"cannot read {display_path(record.reference)}: {exc}",
                                  "fix the sample or write it as Parquet")]) from None
    except OSError as exc:
        raise InputError([Problem(record.doc.path, line, "reference_data",
                                  f"cannot read {display_path(record.reference)}: "
                                  f"{exc.strerror}", "check the file")]) from None
    return table, hashlib.sha256(data).hexdigest()
