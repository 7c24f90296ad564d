"""Read architecture files (`systems/<name>.yaml`) and gather the maturity evidence govkit can
see itself: ingested training runs, pipeline descriptions, `govkit check` in CI, monitoring
windows within the cadence."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

from govkit.errors import Problem
from govkit.formatting import display_path
from govkit.model import Evidence, ModelRecord, SystemRecord, YamlDoc
from govkit.schemas.architecture import System
from govkit.schemas.config import Config
from govkit.sources.files import max_bytes
from govkit.sources.validation import validate_doc
from govkit.sources.yamlio import read_doc

_GOVKIT = re.compile(r"\bgovkit\b")
_CHECK = re.compile(r"\scheck\b")


def runs_govkit_check(line: str) -> bool:
    """`govkit ... check` on one line, in linear time (as one pattern, `govkit.*check`
    backtracked from every 'govkit' of a hostile line: 1.6 s at 56 KB, x16 per x4)."""
    first = _GOVKIT.search(line)
    return first is not None and _CHECK.search(line, first.end()) is not None


def load_systems(
    root: Path, config: Config, config_doc: YamlDoc, models: list[ModelRecord],
    problems: list[Problem],
) -> list[SystemRecord]:
    records: list[SystemRecord] = []
    by_name = {m.name: m for m in models}
    declared = {e.name for e in config.models}
    for index, entry in enumerate(config.systems):
        line = config_doc.line_of(("systems", index))
        path = (root / (entry.path or f"{config.systems_dir}/{entry.name}.yaml")).resolve()
        if any(r.name == entry.name for r in records):
            problems.append(Problem(config_doc.path, line, f"systems[{index}].name",
                                    f"system '{entry.name}' is declared twice", "keep one"))
            continue
        if not path.is_file():
            problems.append(Problem(config_doc.path, line, f"systems[{index}]",
                                    f"system '{entry.name}' has no architecture file "
                                    f"{display_path(path)}", "create it or set its path"))
            continue
        doc = read_doc(path, problems, max_bytes(config.limits.max_file_mb))
        if doc is None:
            continue
        system = validate_doc(System, doc, problems)
        if system is None or not _consistent(system, doc, declared, problems):
            continue
        ci = _ci_lines(system, doc, path.parent, problems)
        source = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        evidence = maturity_evidence(system, [by_name[m] for m in system.models if m in by_name],
                                     ci)
        records.append(SystemRecord(entry.name, system, doc, source, evidence))
    return records


def _consistent(system: System, doc: YamlDoc, models: set[str], problems: list[Problem]) -> bool:
    before = len(problems)
    names = [c.name for c in system.components]
    for i, c in enumerate(system.components):
        if c.name in names[:i]:
            problems.append(Problem(doc.path, doc.line_of(("components", i, "name")),
                                    f"components[{i}].name",
                                    f"component '{c.name}' is listed twice", "keep one"))
    for i, flow in enumerate(system.flows):
        for end, key in ((flow.source, "from"), (flow.target, "to")):
            if end not in names:
                problems.append(Problem(doc.path, doc.line_of(("flows", i, key)),
                                        f"flows[{i}].{key}", f"unknown component '{end}'",
                                        f"components: {', '.join(names)}"))
    for i, name in enumerate(system.models):
        if name not in models:
            problems.append(Problem(doc.path, doc.line_of(("models", i)), f"models[{i}]",
                                    f"unknown model '{name}'",
                                    f"declared models: {', '.join(sorted(models)) or 'none'}"))
    return len(problems) == before


def _ci_lines(
    system: System, doc: YamlDoc, folder: Path, problems: list[Problem]
) -> list[str]:
    """`FILE:LINE` of each line of the listed CI files that runs `govkit check`."""
    found: list[str] = []
    files = system.maturity.ci_config if system.maturity else []
    for i, rel in enumerate(files):
        path = (folder / rel).resolve()
        loc = ("maturity", "ci_config", i)
        try:
            text = path.read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            problems.append(Problem(doc.path, doc.line_of(loc), f"maturity.ci_config[{i}]",
                                    f"{display_path(path)} does not exist or is not a file",
                                    "write the CI file's path relative to this file"))
            continue
        except UnicodeDecodeError as exc:
            problems.append(Problem(doc.path, doc.line_of(loc), f"maturity.ci_config[{i}]",
                                    f"{display_path(path)} is not UTF-8 text: {exc.reason}",
                                    "list the CI configuration file itself"))
            continue
        found += [f"{rel}:{n}" for n, line in enumerate(text.splitlines(), 1)
                  if runs_govkit_check(line) and not line.lstrip().startswith("#")]
    return found


def maturity_evidence(
    system: System, models: list[ModelRecord], ci: list[str]
) -> list[Evidence]:
    """One item per rung the chapter's table names and govkit can see; level 4 (self-healing)
    is never visible to govkit, so a claim of 4 is always above the evidence."""
    none = "the system lists no models"
    ingested = [m.name for m in models
                if any(r.release.training and r.release.training.source != "hand-written"
                       for r in m.releases)]
    guided = [m.name for m in models if m.training_guide is not None]
    cadence = system.maturity.monitoring_cadence_days if system.maturity else 7
    fine = f"windows at most {cadence} days apart since the latest release"
    monitored = {m.name: _monitoring_gap(m, cadence) or fine for m in models}
    return [
        Evidence(1, "scripted training", bool(models) and len(ingested) == len(models),
                 _each(models, ingested, "releases ingested from training runs",
                       "releases are hand-written (no `govkit ingest`)") if models else none),
        Evidence(2, "pipelines", bool(models) and len(guided) == len(models),
                 _each(models, guided, "pipeline described in training.yaml",
                       "no training.yaml pipeline") if models else none),
        Evidence(2, "automated checks", bool(ci),
                 f"`govkit check` runs in CI ({', '.join(ci)})" if ci else
                 "no file under maturity.ci_config runs `govkit check`"),
        Evidence(3, "continuous monitoring",
                 bool(models) and all(v == fine for v in monitored.values()),
                 "; ".join(f"{k}: {v}" for k, v in monitored.items()) or none),
        Evidence(4, "auto-remediation", False,
                 "self-healing (auto-rollback, auto-remediation) is not visible to govkit"),
    ]


def _each(models: list[ModelRecord], yes: list[str], good: str, bad: str) -> str:
    return "; ".join(f"{m.name}: {good if m.name in yes else bad}" for m in models)


def _monitoring_gap(model: ModelRecord, cadence: int) -> str | None:
    """None if the model's windows are dated, at most `cadence` days apart, two or more, and
    the last is not before the latest release; else what is missing."""
    dates = []
    for w in model.monitoring:
        try:
            dates.append(dt.date.fromisoformat(w.result.window))
        except ValueError:
            return f"window {w.result.window} is not a date"
    if len(dates) < 2:
        return f"{len(dates)} monitoring window(s); continuous monitoring needs a series"
    gaps = [(b - a).days for a, b in itertools.pairwise(dates)]
    if max(gaps) > cadence:
        return f"a {max(gaps)}-day gap between windows (cadence {cadence} days)"
    latest = model.latest
    if latest is not None and dates[-1] < latest.release.date:
        return f"no window since release {latest.release.version} ({latest.release.date})"
    return None
