"""`govkit init --from-mlflow URI`: govkit.yaml and one card per registered model, with the
metrics their runs logged. Pure text building; `init.py` reads the store and writes.

Every bound written here is a placeholder (the lowest value logged, rounded down; the
highest, rounded up, for a loss or error): the metric's description says so with the
`TODO:` marker, so `govkit check` warns (`<model>/card/placeholder`) until a person
documents the real range.
"""

from __future__ import annotations

import os
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path

import yaml

from govkit.sources.mlflow_scaffold import RegisteredMetrics
from govkit.sources.release_records import metric_key
from govkit.sources.yamlio import quoted_scalar

# Live metrics of `govkit monitor` and the logged names that mean them.
LIVE = {"roc_auc": re.compile(r"(^|[_.-])(roc_)?auc($|[_.-])"),
        "accuracy": re.compile(r"(^|[_.-])acc(uracy)?($|[_.-])"),
        "precision": re.compile(r"(^|[_.-])precision($|[_.-])"),
        "recall": re.compile(r"(^|[_.-])recall($|[_.-])")}
NOT_ROC = re.compile(r"pr[_.-]?auc|auc[_.-]?pr|auprc")  # precision-recall AUC is not ROC AUC
LOWER_IS_BETTER = re.compile(r"loss|error|rmse|mse|mae|mape|brier")
_TRAINING = re.compile(r"^train")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_NOT_SLUG = re.compile(r"[^a-z0-9_-]+")


def model_slugs(models: list[RegisteredMetrics]) -> dict[str, str]:
    """Registered model name -> a govkit model name (a slug), unique."""
    slugs: dict[str, str] = {}
    for m in models:
        base = _NOT_SLUG.sub("-", m.name.lower()).strip("-_")[:60] or "model"
        slug, n = base, 2
        while slug in slugs.values():
            slug, n = f"{base}-{n}", n + 1
        slugs[m.name] = slug
    return slugs


def config_text(scaffold: str, tracking_uri: str, models: list[RegisteredMetrics],
                slugs: dict[str, str]) -> str:
    """The scaffold's govkit.yaml with the store and one entry per registered model."""
    head, sep, _ = scaffold.partition("\nmodels:\n")
    store = "# mlflow: {tracking_uri: sqlite:///mlflow.db}"
    if not sep or store not in head:
        raise RuntimeError("the packaged govkit.yaml scaffold changed: update init_mlflow.py")
    head = head.replace(store, f"mlflow:\n  tracking_uri: {quoted_scalar(tracking_uri)}")
    lines = [head, "models:"]
    for m in sorted(models, key=lambda m: slugs[m.name]):
        lines += [f"  - name: {slugs[m.name]}", "    mlflow:",
                  f"      registered_model: {quoted_scalar(m.name)}"]
        mapping = live_mapping(list(m.metrics))
        if mapping:
            lines += ["    monitoring:",
                      "      # live metric of `govkit monitor` -> this card's metric key",
                      "      metrics:"]
            lines += [f"        {live}: {_key(card)}" for live, card in sorted(mapping.items())]
    return "\n".join(lines) + "\n"


def live_mapping(logged: list[str]) -> dict[str, str]:
    """Live metric -> card key, where exactly one logged metric (not a training one) means
    it and its key is not the live name already."""
    keys = sorted({metric_key(name) for name in logged})
    mapping = {}
    for live, pattern in LIVE.items():
        if live in keys:
            continue
        found = [k for k in keys if pattern.search(k.lower()) and not _TRAINING.match(k.lower())
                 and not (live == "roc_auc" and NOT_ROC.search(k.lower()))]
        if len(found) == 1:
            mapping[live] = found[0]
    return mapping


def card_text(scaffold: str, model: RegisteredMetrics) -> str:
    """The scaffold's card with the model's title and summary and its logged metrics."""
    head, sep, _ = scaffold.partition("\nmetrics:\n")
    if not sep or "\ntitle: Example Model\n" not in head:
        raise RuntimeError("the packaged card.yaml scaffold changed: update init_mlflow.py")
    head = head.replace("\ntitle: Example Model\n", f"\ntitle: {quoted_scalar(model.name)}\n")
    if model.description:
        head = re.sub(r"\nsummary: .*\n", lambda _: f"\nsummary: "
                      f"{quoted_scalar(model.description or '')}\n", head, count=1)
    versions = ", ".join(model.versions) or "none"
    lines = [head, f"# Written by `govkit init --from-mlflow` from registered model "
             f"{model.name!r} (versions: {versions}).", "metrics:"]
    lines += [f"  # {name}: not written, its runs logged only NaN or infinity"
              for name in model.not_finite]
    if model.no_run:
        lines.append(f"  # version(s) {', '.join(model.no_run)}: no run to read (none "
                     "recorded, or deleted): their metrics are not here")
    if not model.metrics:
        return "\n".join([*lines, "  {}  # no finite metric logged", ""])
    lines.append("  # Every bound below is a placeholder taken from the logged values: document "
                 "the real range.")
    by_key: dict[str, list[str]] = {}  # 'val/auc' and 'val_auc' are one card key
    for name in model.metrics:
        by_key.setdefault(metric_key(name), []).append(name)
    for key, names in sorted(by_key.items()):
        name = " and ".join(names)
        values = [v for n in names for v in model.metrics[n]]
        lower = bool(LOWER_IS_BETTER.search(key.lower()))
        bound = (_round(max(values), ROUND_CEILING) if lower
                 else _round(min(values), ROUND_FLOOR))
        which = "highest" if lower else "lowest"
        todo = (f"TODO: What {name} measures and on which data; the {which} value logged "
                f"({bound}) is a placeholder bound: set the documented one.")
        lines += [f"  {_key(key)}:", f"    label: {quoted_scalar(names[0])}",
                  f"    description: {quoted_scalar(todo)}"]
        if lower:
            lines += ["    goal: lower", f"    max: {bound}"]
        else:
            lines.append(f"    min: {bound}")
    return "\n".join(lines) + "\n"


def store_uri(open_uri: str, given: str, target: Path) -> str:
    """The tracking URI for govkit.yaml: an sqlite file relative to the project's folder
    (govkit.yaml's relative paths are; a checkout elsewhere finds it), anything else as
    given."""
    if not open_uri.startswith("sqlite:////"):
        return given
    db = Path(open_uri.removeprefix("sqlite:///"))
    try:
        rel = os.path.relpath(db, target.resolve())
    except ValueError:  # another drive
        return open_uri
    return f"sqlite:///{Path(rel).as_posix()}"


def _round(value: float, rounding: str) -> str:
    if abs(value) >= 1e15:  # beyond two decimals' precision: the value itself
        return f"{value:.6e}"
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=rounding))


def _key(key: str) -> str:
    plain = _PLAIN_KEY.match(key) and yaml.safe_load(key) == key
    return key if plain else quoted_scalar(key)
