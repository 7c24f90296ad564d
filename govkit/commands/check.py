"""`govkit check`: documented ranges of each model's latest release (or all) -> reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from govkit.checks.project import Scope, check_project
from govkit.checks.results import CheckResult, GateResult, strictly
from govkit.commands.loading import load_profiled_project
from govkit.errors import EXIT_CHECK_FAILED, EXIT_OK, InputError, Problem
from govkit.formatting import display_path
from govkit.model import Project
from govkit.sources.files import previous_bytes
from govkit.sources.project import load_project


@dataclass
class CheckRun:
    project: Project
    results: list[CheckResult]
    versions: list[str] = field(default_factory=list)  # which release of each model, and why
    scope: str = "serving"  # which versions were checked: serving, latest or all

    @property
    def exit_code(self) -> int:
        return EXIT_CHECK_FAILED if any(r.failed for r in self.results) else EXIT_OK


@dataclass(frozen=True)
class ReportFiles:
    """Report files one run writes (None: not wanted)."""

    junit: Path | None = None
    json: Path | None = None
    sarif: Path | None = None
    step_summary: Path | None = None  # appended to, as $GITHUB_STEP_SUMMARY expects


def run_check(start: Path, *, all_versions: bool = False, latest: bool = False,
              reports: ReportFiles | None = None, strict: bool = False) -> CheckRun:
    """Each model's serving version (the latest with `latest`, every one with
    `all_versions`). Warnings (e.g. a data dictionary that disagrees with the data) fail
    only if `strict`."""
    project = load_profiled_project(start)
    scope: Scope = "all" if all_versions else "latest" if latest else "serving"
    results = check_project(project, scope)
    results += export_checks(project, scope, results)
    run = CheckRun(project, strictly(results) if strict else results,
                   checked_versions(project, scope), scope)
    if reports is not None:
        write_reports(run, reports)
    return run


def export_checks(project: Project, scope: Scope,
                  results: list[CheckResult]) -> list[CheckResult]:
    """Each export a model's entry lists (`exports:`), validated for the checked versions."""
    wanted = {m.name: list(m.exports) for m in project.config.models if m.exports}
    if not wanted:
        return []
    from govkit.commands.export_verdicts import kept_judge
    from govkit.exports.facts import version_facts
    from govkit.exports.validity import export_results
    from govkit.sources.mkdocs_site import html_pages

    pages = html_pages(project.path(project.config.mkdocs_config))
    out = []
    for model in project.models:
        if model.name not in wanted:
            continue
        records = list(model.releases) if scope == "all" else \
            [model.latest if scope == "latest" else model.serving]
        for record in (r for r in records if r is not None):
            facts = version_facts(project, model, record, results, pages)
            out += export_results(facts, wanted[model.name], kept_judge(project.root))
    return out


def checked_versions(project: Project, scope: Scope) -> list[str]:
    """One line per model: the release checked and how it was chosen."""
    lines = []
    for model in project.models:
        if not model.releases:
            lines.append(f"{model.name}: no release")
        elif scope == "all":
            lines.append(f"{model.name}: every version ({len(model.releases)})")
        elif scope == "latest":
            lines.append(f"{model.name} {model.releases[-1].release.version}: latest (--latest)")
        else:
            choice = model.serving_choice()
            assert choice.record is not None
            how = ("serving, " if choice.known else "no serving version known; ") + choice.basis
            lines.append(f"{model.name} {choice.record.release.version}: {how}")
    return lines


def run_gate(start: Path, spec: str, against: str | None,
             reports: ReportFiles | None = None) -> tuple[CheckRun, GateResult]:
    """`check --release MODEL@VERSION`: the candidate's ranges, then against what serves."""
    project = load_project(start)
    name, _, version = spec.partition("@")
    model = project.model(name)
    if model is None or not version:
        known = ", ".join(m.name for m in project.models)
        raise InputError.single("--release", f"{spec!r} is not MODEL@VERSION of a known model",
                                hint=f"e.g. {project.models[0].name if project.models else 'm'}"
                                f"@1.0.0; models: {known}")
    candidate = next((r for r in model.releases if r.release.version == version), None)
    if candidate is None:
        versions = ", ".join(r.release.version for r in model.releases) or "none"
        raise InputError.single("--release", f"model {name} has no release {version}",
                                hint=f"released versions: {versions}")
    # lazy: the release gate's tests need numpy, which a plain `check` does not (issue 26)
    from govkit.checks.gate import gate, serving_record

    serving, how = serving_record(model, against, version)
    if against and serving is None:
        raise InputError.single("--against", f"no release of {name} carries alias {against!r}",
                                hint="ingest the serving version from MLflow, or name "
                                "another alias")
    from govkit.commands.gate_inputs import gate_rows

    rows, why = gate_rows(project, model, candidate, serving)
    result = gate(model, candidate, serving, how, rows, why)
    run = CheckRun(project, result.checks)
    if reports is not None:
        write_reports(run, reports)
    return run, result


def write_reports(run: CheckRun, files: ReportFiles) -> list[Path]:
    """Write every requested report, or none when a target cannot be written."""
    targets = {"--junit": files.junit, "--json": files.json, "--sarif": files.sarif,
               "--step-summary": files.step_summary}
    if all(path is None for path in targets.values()):
        return []  # nothing asked: the writer and the formats are not imported (issue 26)
    from govkit.output.writer import write_if_changed
    from govkit.reports.github import SUMMARY_LIMIT, step_summary

    problems = [Problem(display_path(path), None, option, "is a folder, not a file",
                        "pass a file path") for option, path in targets.items()
                if path is not None and path.is_dir()]
    chosen = [path.resolve() for path in targets.values() if path is not None]
    if len(set(chosen)) < len(chosen):
        problems.append(Problem("<command line>", None, "", "two reports name the same file",
                                "give each report its own file"))
    if problems:
        raise InputError(problems)
    root, results, written = run.project.root, run.results, []
    repo = run.project.repo
    outputs = [(files.junit, _junit), (files.json, _json), (files.sarif, _sarif)]
    for path, render in outputs:
        if path is not None:
            write_if_changed(path, render(results, root, repo).encode())
            written.append(path)
    if files.step_summary is not None:
        before = previous_bytes(files.step_summary) or b""
        text = step_summary(results, root, budget=SUMMARY_LIMIT - len(before),
                            repo=run.project.repo)
        if text:
            write_if_changed(files.step_summary, before + text.encode())
            written.append(files.step_summary)
    return written


# lazy: a format a run did not ask for is not imported (xml.etree for JUnit; issue 26)
def _junit(results: list[CheckResult], root: Path, repo: Path | None) -> str:
    from govkit.reports.junit import as_junit

    return as_junit(results, root, repo)


def _json(results: list[CheckResult], root: Path, repo: Path | None) -> str:
    from govkit.reports.json import as_json

    return as_json(results, root, repo)


def _sarif(results: list[CheckResult], root: Path, repo: Path | None) -> str:
    from govkit.reports.sarif import as_sarif

    return as_sarif(results, root, _version(), repo or root)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("govkit")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return ""
