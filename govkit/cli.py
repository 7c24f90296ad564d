"""Command line: parse, call one function per command, map errors to exit codes.

Exit codes: 0 ok, 1 a documented check failed, 2 bad input or usage, 3 internal error.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import click

from govkit.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, GovkitError, InputError
from govkit.formatting import printable

pass_project = click.make_pass_decorator(Path)
# Options that more than one command takes, defined once.
tracking_uri_option = click.option(
    "--tracking-uri", help="MLflow tracking URI (default: from govkit.yaml).")
report_file = click.Path(path_type=Path, dir_okay=False)


class Govkit(click.Group):
    """The command group; with `--debug`, an internal error's traceback is printed before
    `main` reports it."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (GovkitError, click.exceptions.ClickException, click.exceptions.Abort,
                click.exceptions.Exit):
            raise
        except Exception:
            if ctx.params.get("debug"):
                import traceback  # only for a crash: not on every start (issue 26)

                traceback.print_exc()
            raise


def echo(text: str = "", *, err: bool = False) -> None:
    """Print without control characters: a CR or ESC from an input cannot fake a log line."""
    click.echo("\n".join(printable(line) for line in text.split("\n")), err=err)


def echo_all(printed: list[tuple[str, bool]]) -> None:
    for text, err in printed:
        echo(text, err=err)


@click.group(cls=Govkit, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C", "--project", type=click.Path(path_type=Path), default=Path("."), show_default=True,
    help="Project folder (with govkit.yaml) or the govkit.yaml itself.",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.version_option(package_name="govkit")
@click.pass_context
def cli(ctx: click.Context, project: Path, debug: bool) -> None:
    """govkit: versioned model cards, monitoring and documented checks, published with MkDocs.

    Exit codes: 0 ok, 1 a documented check failed, 2 bad input or usage,
    3 internal error (a bug in govkit: please report it).
    """
    ctx.obj = project


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", default="ML Model Documentation", help="Project name for the site.")
@click.option("--from-mlflow", "from_mlflow", metavar="URI", default=None,
              help="Describe the registered models of this MLflow store (read only), e.g. "
              "sqlite:///mlflow.db: one card per model with the metrics its runs logged, their "
              "bounds marked as placeholders, instead of the example model.")
@click.option("--model", "models", metavar="NAME", multiple=True,
              help="With --from-mlflow: describe only this registered model (repeatable; "
              "default: every registered model).")
def init(directory: Path, name: str, from_mlflow: str | None, models: tuple[str, ...]) -> None:
    """Create a working project in DIRECTORY (never overwrites files)."""
    from govkit.commands.init import init_project

    created = init_project(directory, name, from_mlflow=from_mlflow, models=models)
    for rel in created:
        echo(f"created {directory / rel}")
    ingest = [f"govkit ingest {rel.split('/')[1]} && " for rel in created
              if rel.startswith("models/") and rel.endswith("/card.yaml")]
    steps = "".join(ingest) if from_mlflow is not None else ""
    echo(f"next: cd {directory} && {steps}govkit build --html")


@cli.command()
@pass_project
@click.option("--html", is_flag=True, help="Also run `mkdocs build --strict` into html_dir.")
@click.option("--untrusted", is_flag=True,
              help="Inputs come from an unreviewed change (a pull request): mkdocs.yml is not "
              "read; govkit writes the site's configuration from govkit.yaml's `site:` section "
              "(also GOVKIT_UNTRUSTED=1).")
@click.option("--config-from", metavar="REV", default=None,
              help="Untrusted build taking the mkdocs config committed at REV (e.g. "
              "origin/main), vetted, instead of the `site:` section.")
@click.option("--revision", metavar="REV", default=None,
              help="The git revision the site is built from, named on each dossier's cover "
              "(CI: --revision \"$GITHUB_SHA\"); without it the cover names only the inputs "
              "digest, so a committed site stays the same bytes for the same inputs.")
def build(project: Path, html: bool, untrusted: bool, config_from: str | None,
          revision: str | None) -> None:
    """Validate inputs, evaluate checks and write the generated pages."""
    from govkit.commands.build import build as run_build
    from govkit.formatting import display_path, printable
    from govkit.reports.text import summary

    result = run_build(project, html=html, untrusted=untrusted, config_from=config_from,
                       revision=revision)
    rep = result.report
    echo(f"pages: {len(rep.written)} written, {len(rep.unchanged)} unchanged, "
         f"{len(rep.deleted)} deleted in {result.project.docs_dir}")
    for rel in rep.kept:
        echo(f"warning: {display_path(result.project.docs_dir / rel)}: kept: govkit no longer "
             "generates it, but it changed since govkit wrote it (delete it if not needed)",
             err=True)
    for line in rep.sanitized:
        echo(f"sanitizer: {printable(line)}")
    echo(summary(result.results, "all"))
    if html:
        echo(f"site: {result.project.path(result.project.config.html_dir)}")


@cli.command()
@pass_project
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (the preview listens on this machine only).")
def serve(project: Path, port: int) -> None:
    """Live preview: build, serve the site on 127.0.0.1 with `mkdocs serve`, and build again
    whenever a card, release, monitoring result, alert file or template changes."""
    from govkit.commands.serve import serve as run_serve

    run_serve(project, port=port, echo=echo)


@cli.command()
@pass_project
@click.option("--all-versions", is_flag=True,
              help="Check every released version, not only each model's serving version.")
@click.option("--latest", is_flag=True,
              help="Check each model's highest version instead of its serving version (the "
              "one behind govkit.yaml's mlflow.serving_alias, default champion).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "github"]), default="table",
              show_default=True, help="What to print: a table, the JSON report, or GitHub "
              "Actions annotations (plus a step summary when $GITHUB_STEP_SUMMARY is set).")
@click.option("--junit", type=report_file,
              help="Also write a JUnit XML report (GitLab, Jenkins) to this file.")
@click.option("--json", "json_file", type=report_file,
              help="Also write the JSON report (schema: `govkit schema`) to this file.")
@click.option("--sarif", type=report_file,
              help="Also write a SARIF 2.1.0 report (code scanning) to this file.")
@click.option("--step-summary", type=report_file,
              help="Append a Markdown summary to this file (default with --format github: "
              "$GITHUB_STEP_SUMMARY).")
@click.option("--release", "release", metavar="MODEL@VERSION",
              help="Release gate: the candidate must meet every documented range and be no "
              "worse than the serving version by more than each metric's margin.")
@click.option("--against", metavar="ALIAS",
              help="With --release: compare with the version behind this MLflow alias "
              "(default: the serving version: the serving alias, else the newest production "
              "release).")
@click.option("--strict", is_flag=True,
              help="Fail on warnings too (e.g. a data dictionary that disagrees with the data).")
def check(project: Path, all_versions: bool, latest: bool, fmt: str, junit: Path | None,
          json_file: Path | None, sarif: Path | None, step_summary: Path | None,
          release: str | None, against: str | None, strict: bool) -> int:
    """Evaluate documented metrics against their ranges; exit 1 if any fails."""
    from govkit.commands.check import ReportFiles, run_check, run_gate
    from govkit.reports.console import check_output, gate_output

    if step_summary is None and fmt == "github":
        step_summary = Path(os.environ["GITHUB_STEP_SUMMARY"]) if os.environ.get(
            "GITHUB_STEP_SUMMARY") else None
    reports = ReportFiles(junit=junit, json=json_file, sarif=sarif, step_summary=step_summary)
    if against and not release:
        raise click.UsageError("--against needs --release MODEL@VERSION")
    if release:
        from govkit.errors import EXIT_CHECK_FAILED

        run, result = run_gate(project, release, against, reports)
        echo_all(gate_output(run.results, result, fmt, run.project.root, run.project.repo))
        return EXIT_OK if result.passed else EXIT_CHECK_FAILED
    if all_versions and latest:
        raise click.UsageError("use only one of --latest and --all-versions")
    run = run_check(project, all_versions=all_versions, latest=latest, reports=reports,
                    strict=strict)
    echo_all(check_output(run.results, run.versions, fmt, run.project.root, run.project.repo,
                          run.scope))
    return run.exit_code


@cli.command()
@pass_project
@click.argument("base")
@click.argument("head")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True, help="Markdown for a pull-request comment, or JSON for bots.")
@click.option("--fail-on", "fail_on", type=click.Choice(["loosened", "new-failure"]),
              multiple=True, help="Exit 1 when a documented range was loosened (or a "
              "governance-profile requirement lost evidence), or when a check that passed "
              "now fails (repeatable).")
def diff(project: Path, base: str, head: str, fmt: str, fail_on: tuple[str, ...]) -> int:
    """Compare two states of the project: BASE and HEAD are git revisions (read with git,
    the working tree untouched), or project folders written dir:PATH. Prints what a
    reviewer must see."""
    from govkit.commands.diff import run_diff
    from govkit.reports.diff import as_json, as_markdown

    run = run_diff(project, base, head, fail_on)
    echo((as_json(run.diff) if fmt == "json" else as_markdown(run.diff)).rstrip("\n"))
    return run.exit_code


@cli.command()
@pass_project
@click.argument("model")
@click.option("--reference",
              help="Reference window: Parquet/CSV file, Parquet folder, or a saved profile .json "
              "(--engine spark: a Parquet path or a table name).")
@click.option("--current",
              help="Current window: Parquet/CSV file or a folder of Parquet files (batched); "
              "--engine spark: a Parquet path or a table name.")
@click.option("--window", help="Window label for the result file (default: current file name).")
@click.option("--predictions",
              help="Column with the model's scores ('' switches off the configured one).")
@click.option("--labels", help="Column with true labels (0/1).")
@click.option("--segment", "segments", multiple=True, help="Segment column (repeatable).")
@click.option("--feature", "features", multiple=True, help="Feature column (repeatable).")
@click.option("--id", "ids", multiple=True, help="Identifier column, never a feature (repeatable).")
@click.option("--timestamp", help="Event-time column: time range and freshness, not drift.")
@click.option("--version", "version",
              help="Release the window scored (default: the one behind the serving alias on "
              "the window's date, as ingest observed it; else the latest dated on or before it).")
@click.option("--reference-predictions",
              help="A reference model's scores on the same rows, compared with --predictions.")
@click.option("--labels-from", type=click.Path(path_type=Path),
              help="Labels that arrived later (Parquet/CSV), joined into the window.")
@click.option("--join-key", help="Column matching --labels-from rows to window rows.")
@click.option("--save-profile", type=click.Path(path_type=Path),
              help="Also store what later windows need of the reference in this .json file.")
@click.option("--import", "evidently", type=click.Path(path_type=Path),
              help="Import an Evidently JSON report instead of computing.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local",
              show_default=True, help="local: exact, in this process. spark: both windows "
              "profiled with Spark aggregations (pip install 'govkit[spark]'); KS and AUC "
              "within stated bounds.")
@click.option("--spark-master", help="Spark master URL for --engine spark (default: the "
              "active session, else local[*]).")
def monitor(project: Path, model: str, reference: str | None, current: str | None,
            window: str | None, predictions: str | None, labels: str | None,
            segments: tuple[str, ...], features: tuple[str, ...], ids: tuple[str, ...],
            timestamp: str | None, version: str | None, reference_predictions: str | None,
            labels_from: Path | None, join_key: str | None, save_profile: Path | None,
            evidently: Path | None, engine: str, spark_master: str | None) -> None:
    """Compute drift and live performance of MODEL and write the result into the project.

    \b
    Live metrics (accuracy, precision, recall, roc_auc) are checked against the card's
    metric of the same name; when the card names it differently, map it in govkit.yaml
    (a warning names any live metric that matches nothing):
      models:
        - name: churn
          monitoring:
            metrics: {roc_auc: auc_roc}
    """
    from govkit.commands.monitor import MonitorRequest, run_monitor
    from govkit.formatting import display_path

    outcome = run_monitor(project, MonitorRequest(
        model=model, reference=Path(reference) if reference is not None else None,
        current=Path(current) if current is not None else None, window=window,
        predictions=predictions, labels=labels, segments=segments, features=features,
        ids=ids, timestamp=timestamp, save_profile=save_profile, evidently=evidently,
        version=version, reference_predictions=reference_predictions,
        labels_from=labels_from, join_key=join_key, engine=engine, spark_master=spark_master,
        spark_sources=(reference, current) if reference and current else None,
    ))
    result = outcome.result
    state = "wrote" if outcome.written else "unchanged"
    echo(f"{state} {display_path(outcome.path)}: {len(result.drifted_features)} drifted "
               f"feature(s), worst severity {result.max_severity}, "
               f"action: {result.recommended_action.action}")
    for warning in outcome.warnings:
        echo(f"warning: {warning}", err=True)


@cli.command()
@pass_project
@click.argument("model")
@click.option("--window", required=True, help="Window label of an existing monitoring result "
              "(a day 2024-02-01, week 2024-W05 or month 2024-02: the time range read).")
def observe(project: Path, model: str, window: str) -> None:
    """Read MODEL's service SLOs from Prometheus and business KPIs from their file or SQL
    query over the window, into the window's monitoring result."""
    from govkit.commands.observe import run_observe
    from govkit.formatting import display_path

    out = run_observe(project, model, window)
    for layer, values in (("service", out.layers.service), ("business", out.layers.business)):
        for v in values:
            shown = f"{v.value:.6g}" if v.value is not None else f"not evaluated: {v.reason}"
            echo(f"{layer} {v.name}: {shown} (samples: {v.samples})")
    echo(f"{'wrote' if out.written else 'unchanged'} {display_path(out.path)}")


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("schemas"),
              show_default=True, help="Folder for the JSON Schema files.")
def schema(out: Path) -> None:
    """Write JSON Schemas of govkit.yaml, card.yaml, release and monitoring files, and of
    the JSON report of `govkit check`."""
    from govkit.commands.schema import write_schemas

    for path in write_schemas(out):
        echo(f"wrote {path}")


@cli.command()
@pass_project
@click.option("--format", "fmt", type=click.Choice(["prometheus"]), default="prometheus",
              show_default=True, help="Output format.")
@click.option("--out", type=click.Path(path_type=Path), help="Write the rules to this file "
              "(default: print them).")
@click.option("--untrusted", is_flag=True,
              help="Inputs come from an unreviewed change: mkdocs.yml is not read; runbook "
              "URLs follow govkit.yaml's `site:` section, as `build --untrusted` writes the "
              "site (also GOVKIT_UNTRUSTED=1).")
def alerts(project: Path, fmt: str, out: Path | None, untrusted: bool) -> None:
    """Write every model's alerts as Prometheus alerting rules linking their runbooks."""
    from govkit.commands.alerts import run_alerts
    from govkit.formatting import display_path

    run = run_alerts(project, fmt=fmt, out=out, untrusted=untrusted)
    if out is None:
        click.echo(run.text, nl=False)
    else:
        echo(f"{'wrote' if run.written else 'unchanged'} {display_path(out)}")


@cli.command()
@pass_project
@click.argument("model")
@tracking_uri_option
@click.option("--version", "version", help="Ingest this registry version.")
@click.option("--alias", help="Ingest the version this alias points at, e.g. champion.")
@click.option("--all", "all_versions", is_flag=True,
              help="Ingest every version (what happens without --version or --alias).")
@click.option("--log", "log_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Read a Keras/Lightning CSV or JSON-lines training log instead of MLflow "
              "(needs --version).")
@click.option("--update", is_flag=True, help="Overwrite release files that changed.")
@click.option("--full", is_flag=True, help="With every version: read each version's run, "
              "histories and artifacts again, even when its record is current.")
def ingest(
    project: Path, model: str, tracking_uri: str | None, version: str | None,
    alias: str | None, all_versions: bool, log_file: Path | None, update: bool, full: bool,
) -> int:
    """Write MODEL's release records from MLflow (or a training log); exit 1 on conflicts."""
    from govkit.commands.ingest import run_ingest
    from govkit.errors import EXIT_CHECK_FAILED
    from govkit.formatting import display_path

    if sum(x is not None and x is not False for x in (version, alias, all_versions or None)) > 1:
        raise click.UsageError("use only one of --version, --alias and --all")
    result = run_ingest(project, model, tracking_uri=tracking_uri, version=version,
                        alias=alias, log_file=log_file, update=update, full=full)
    for path in result.written:
        done = ("marked deleted from the registry:" if path in result.marked_deleted else
                "updated aliases in" if path in result.aliases_updated else "wrote")
        echo(f"{done} {display_path(path)}")
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)
    echo(f"{len(result.written)} written, {len(result.unchanged)} unchanged, "
         f"{len(result.conflicts)} changed in the source but kept")
    if result.registry is not None:
        reg = result.registry
        echo(f"registry: {len(reg.unchanged)} unchanged since their records, "
             f"{len(reg.updated)} updated, {len(reg.new)} new, "
             f"{len(reg.deleted)} deleted from the registry"
             + (f" ({', '.join(reg.deleted)})" if reg.deleted else ""))
    for path, diff in result.conflicts:
        echo(f"\n{display_path(path)} differs from the source; not overwritten "
             f"(use --update):\n{diff}", err=True)
    return EXIT_CHECK_FAILED if result.conflicts else EXIT_OK


@cli.command("ingest-experiment")
@pass_project
@click.argument("name")
@tracking_uri_option
@click.option("--update", is_flag=True, help="Overwrite the log if it changed.")
def ingest_experiment(project: Path, name: str, tracking_uri: str | None, update: bool) -> int:
    """Write experiment NAME's log from MLflow (runs, sweeps, registered versions)."""
    from govkit.commands.experiments import run_ingest_experiment
    from govkit.errors import EXIT_CHECK_FAILED
    from govkit.formatting import display_path

    result = run_ingest_experiment(project, name, tracking_uri=tracking_uri, update=update)
    for path in result.written:
        echo(f"wrote {display_path(path)}")
    for path in result.unchanged:
        echo(f"unchanged {display_path(path)}")
    for path, diff in result.conflicts:
        echo(f"\n{display_path(path)} differs from the source; not overwritten "
             f"(use --update):\n{diff}", err=True)
    return EXIT_CHECK_FAILED if result.conflicts else EXIT_OK


@cli.group()
def export() -> None:
    """Write a model's governed card where others look: a Hugging Face Hub model card or a
    CycloneDX ML-BOM (deterministic; nothing is invented: a fact the card lacks is left out)."""


@export.command("huggingface")
@pass_project
@click.argument("model")
@click.option("--version", "version", help="Release to export (default: the serving one).")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder for README.md (the Hub's model card).")
def export_huggingface(project: Path, model: str, version: str | None, out: Path) -> None:
    """MODEL's card as a Hub README.md with YAML metadata and a model-index."""
    from govkit.commands.export import run_huggingface
    from govkit.formatting import display_path

    run = run_huggingface(project, model, version, out)
    echo(f"{'wrote' if run.written else 'unchanged'} {display_path(run.path)} "
         f"({', '.join(run.versions)})")


@export.command("cyclonedx")
@pass_project
@click.argument("models", nargs=-1)
@click.option("--out", type=report_file, required=True, help="The BOM's JSON file.")
def export_cyclonedx(project: Path, models: tuple[str, ...], out: Path) -> None:
    """A CycloneDX 1.6 ML-BOM of every version of MODELS (default: every model)."""
    from govkit.commands.export import run_cyclonedx
    from govkit.formatting import display_path

    run = run_cyclonedx(project, list(models), out)
    echo(f"{'wrote' if run.written else 'unchanged'} {display_path(run.path)} "
         f"({len(run.versions)} model versions)")


@cli.group()
def publish() -> None:
    """Write the governed card into systems people already use (the MLflow registry)."""


@publish.command("mlflow")
@pass_project
@click.argument("model")
@click.option("--version", "version", help="Release to publish (default: the serving one).")
@click.option("--all", "all_versions", is_flag=True, help="Every release with a registry version.")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
def publish_mlflow(project: Path, model: str, version: str | None, all_versions: bool,
                   dry_run: bool) -> None:
    """MODEL's card summary into its MLflow registry versions: a govkit block in the
    description (hand-written text kept), govkit.* tags, the card as a run artifact.
    Writes nothing when nothing changed; refused in an untrusted build."""
    from govkit.commands.publish import run_publish

    if version and all_versions:
        raise click.UsageError("use only one of --version and --all")
    run = run_publish(project, model, version=version, all_versions=all_versions,
                      dry_run=dry_run)
    for change in run.changes:
        echo("\n".join(change.diff()))
    for line in run.skipped:
        echo(f"skipped {line}", err=True)
    changed = sum(not c.empty for c in run.changes)
    verb = "would change" if dry_run else "changed"
    echo(f"{changed} version(s) {verb}, {len(run.changes) - changed} unchanged")


#: pydantic looks up plugins in every installed distribution's entry points when it builds
#: the first validator (~7 ms with 184 distributions, issue 26); govkit's models use none.
#: A user who wants pydantic plugins in govkit sets the variable (empty: load them all).
PYDANTIC_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"
#: The values with which pydantic's plugin loader returns no plugin without looking.
PLUGINS_OFF = ("__all__", "1", "true")
PLUGIN_LOADER = "pydantic.plugin._loader"


def _plugins_off_without_metadata() -> None:
    """With plugins off, pydantic still imports its loader, whose `importlib.metadata`
    import (with email, zipfile, csv) cost ~14 ms of the example's check (issue 26). Before
    pydantic loads it, stand in a loader that answers "no plugins"; any other name, or the
    variable turned on later, loads the real one in its place."""
    if os.environ.get(PYDANTIC_PLUGINS) not in PLUGINS_OFF or PLUGIN_LOADER in sys.modules:
        return
    import types

    def real(name: str) -> Any:
        if sys.modules.get(PLUGIN_LOADER) is stand_in:
            del sys.modules[PLUGIN_LOADER]
        import importlib

        return getattr(importlib.import_module(PLUGIN_LOADER), name)

    def attribute(name: str) -> Any:  # the import system asks for __path__ & co: not there
        if name.startswith("__"):
            raise AttributeError(name)
        return real(name)

    def get_plugins(*args: Any, **kwargs: Any) -> Any:  # the variable may change later
        if args or kwargs or os.environ.get(PYDANTIC_PLUGINS) not in PLUGINS_OFF:
            return real("get_plugins")(*args, **kwargs)  # a pydantic we do not know
        return ()

    stand_in = types.ModuleType(PLUGIN_LOADER)
    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = attribute  # type: ignore[method-assign]
    sys.modules[PLUGIN_LOADER] = stand_in


#: CPython looks for reference cycles every 700 new objects, walking every object still
#: alive each 10th and 100th time; a run's objects mostly live until it ends (modules,
#: classes, schemas, the project): ~20-40 ms of the example's check or build went to
#: collections that freed little (issue 26). Cycles are still collected, every 100,000.
GC_THRESHOLD = 100_000


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault(PYDANTIC_PLUGINS, "__all__")
    _plugins_off_without_metadata()
    if gc.get_threshold()[0] < GC_THRESHOLD:
        gc.set_threshold(GC_THRESHOLD)
    try:
        code: Any = cli.main(args=argv, prog_name="govkit", standalone_mode=False)
    except GovkitError as exc:
        _report(exc)
        return exc.exit_code
    except click.exceptions.Abort:
        echo("aborted", err=True)
        return EXIT_INPUT
    except click.ClickException as exc:
        exc.show()
        return EXIT_INPUT
    except SystemExit as exc:  # --help and --version exit through click
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except Exception as exc:  # its traceback, with --debug, came from Govkit.invoke
        message = " ".join(str(exc).split())[:500]
        echo(f"internal error: {type(exc).__name__}: {message} — please report it; "
             "rerun with --debug for the traceback", err=True)
        return EXIT_INTERNAL
    return code if isinstance(code, int) else EXIT_OK


def _report(exc: GovkitError) -> None:
    if isinstance(exc, InputError):
        count = len(exc.problems)
        echo(f"error: {count} problem{'s' if count != 1 else ''} in the input; "
             "nothing was written:", err=True)
        for problem in exc.problems:
            echo(f"  {problem}", err=True)
    else:
        echo(f"error: {exc}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
