"""The profile of a dataset's reference sample, computed once per sample and govkit code.

Profiling needs pyarrow and numpy (~0.25 s of CPU to import, most of what `govkit check`
costs on a project with a sample), so the profile is kept in the user's cache folder
(output/user_cache.py: never a folder a pull request can write), keyed by the sample's
bytes, its path, the documented features, the limits and the code that profiles. A kept
profile is plain data, validated again when read; errors are never kept.
"""

from __future__ import annotations

import hashlib
import os
from importlib.util import find_spec
from pathlib import Path

from pydantic import ValidationError

from govkit.errors import MonitoringInputError
from govkit.model import DatasetRecord, Project
from govkit.output.user_cache import cache_folder, read_entry, write_entry
from govkit.schemas.dictionary import DatasetProfile
from govkit.sources.sample_size import over_limits_before_reading

#: govkit code a profile depends on (the readers, the statistics, the profile's shape)
_CODE = ("monitoring", "sources/datasets.py", "sources/dictionaries.py",
         "schemas/dictionary.py", "schemas/profile.py")


def sample_profile(project: Project, record: DatasetRecord, shown: str) -> DatasetProfile:
    """`record`'s sample profiled (MonitoringInputError when the engine cannot)."""
    key = _key(project, record, shown)
    folder = cache_folder("profiles", _code_key(), project.root) if key else None
    if folder is not None and key is not None:
        kept = read_entry(folder, f"{key}.json")
        if kept is not None:
            try:
                return DatasetProfile.model_validate_json(kept)
            except ValidationError:
                pass  # an entry of another shape: profile again and replace it
    profile = _profile(project, record, shown)
    if folder is not None and key is not None:
        data = profile.model_dump_json().encode()
        if DatasetProfile.model_validate_json(data) == profile:  # kept only if it reads back
            write_entry(folder, f"{key}.json", data)
    return profile


def _profile(project: Project, record: DatasetRecord, shown: str) -> DatasetProfile:
    # lazy: numpy and pyarrow only when a sample is profiled (issue 26)
    from govkit.monitoring.dictionary import profile_dataset
    from govkit.sources.dictionaries import read_sample

    table, digest = read_sample(record, project.config.limits, shown)
    return profile_dataset(table, record.dictionary.features, shown, digest)


def _key(project: Project, record: DatasetRecord, shown: str) -> str | None:
    """None when the sample cannot be read or is too large (profiling reports why)."""
    assert record.reference is not None
    limits = project.config.limits
    try:
        if over_limits_before_reading(record.reference, shown, limits) is not None:
            return None
        data = record.reference.read_bytes()
    except (OSError, ValueError, MonitoringInputError):  # ValueError: pyarrow's ArrowInvalid
        return None
    digest = hashlib.sha256(data)
    # dumped through the validated parents, whose serializers are built: dumping Limits and
    # each Feature alone built their own (~2 ms of a check; issue 26)
    for part in (shown, project.config.model_dump_json(include={"limits"}),
                 record.dictionary.model_dump_json(include={"features"})):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def _code_key(cache: dict[str, str] = {}) -> str:  # noqa: B006 (once per process)
    if "key" not in cache:
        digest = hashlib.sha256()
        for library in ("numpy", "pyarrow"):  # an upgrade rewrites them: new size or time
            spec = find_spec(library)
            info = os.stat(spec.origin) if spec and spec.origin else None
            digest.update(f"{library}\0{info and (info.st_size, info.st_mtime_ns)}\0".encode())
        package = Path(__file__).resolve().parents[1]
        for name in _CODE:
            paths = sorted((package / name).rglob("*.py")) if (package / name).is_dir() \
                else [package / name]
            for path in paths:
                digest.update(path.read_bytes())
        cache["key"] = digest.hexdigest()[:32]
    return cache["key"]
