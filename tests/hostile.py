"""Hostile inputs for the site: every string field of a card, a release and a monitoring result
filled with attack strings, and what a built HTML page must never contain."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from govkit.schemas.architecture import System
from govkit.schemas.card import Card
from govkit.schemas.dictionary import Dictionary
from govkit.schemas.experiment import DecisionRecord, ExperimentLog
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.release import Release
from govkit.schemas.training import TrainingGuide

# The cases confirmed in a browser by the security review, and their relatives.
ATTACKS = [
    "cell { onfocus=alert(1) autofocus }",
    "name {: onclick=alert(2) }",
    ":material-alert:{ onmouseover=alert(3) }",
    "x\n\n<img src=x onerror=alert(4)>",
    "<script>alert(5)</script>",
    "[link](javascript:alert(6))",
    "end --><img src=x onerror=alert(7)><!--",
    "`code`{: onclick=alert(8) }",
    "1. item {#id onclick=alert(9)}",
    "??? note \"x\" { onclick=alert(10) }",
    "<a href='data:text/html,<script>alert(11)</script>'>x</a>",
    "line\r\nfake { ontoggle=alert(12) }",
]
# Fields whose value names a file or an id that other files must match: left as written.
KEEP = {"version", "window", "model", "name_of_file", "reference_data"}


def _walk(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, (*loc, i))
    elif isinstance(data, str) and not (loc and loc[-1] in KEEP):
        yield loc, data


def _set(data: Any, loc: tuple[Any, ...], value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def fill(data: Any, schema: type[BaseModel], attacks: Iterator[str]) -> Any:
    """Every string of `data` replaced by the next attack; fields whose schema refuses it
    (literals, patterns) keep their original value."""
    originals = dict(_walk(data))
    for loc in originals:
        _set(data, loc, next(attacks))
    for _ in range(50):
        try:
            schema.model_validate(data)
            return data
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                under = [k for k in originals if k[:len(loc)] == loc]
                if under and loc not in originals:  # a rule over several values (unique
                    for k in under:                 # names, ...): restore all of them
                        _set(data, k, originals[k])
                    continue
                while loc and loc not in originals:
                    loc = loc[:-1]
                if loc:
                    _set(data, loc, originals[loc])
    raise AssertionError("could not make the hostile data valid")


MLFLOW_TRAINING = {
    "source": "mlflow", "tracking_uri": "t", "registered_model": "t",
    "registry": {"version": "t", "aliases": ["t"], "description": "t", "tags": {"k": "t"},
                 "created": "t", "stage": "t", "alias_history": [{"alias": "t", "since": "t"}]},
    "run": {"id": "t", "name": "t", "status": "t", "user": "t", "git_commit": "t",
            "experiment_id": "t", "tags": {"k": "t"}},
    "experiment_name": "t", "registered_model_description": "t",
    "params": {"k": "t"},
    "datasets": [{"name": "t", "digest": "t", "context": "t", "source": {"uri": "t"}}],
    "signature": {"inputs": [{"name": "t", "type": "t"}], "outputs": [{"type": "t"}]},
    "artifacts": ["t"],
}


def make_hostile(example: Path, seed: int = 0, extra: list[str] | None = None) -> None:
    """Fill the example project's churn card, releases and monitoring result."""
    attacks = itertools.cycle((extra or []) + ATTACKS[seed:] + ATTACKS[:seed])
    card_path = example / "churn/card.yaml"
    card = yaml.safe_load(card_path.read_text())
    card["model_details"]["citation"] = "t"
    card_path.write_text(yaml.safe_dump(fill(card, Card, attacks), allow_unicode=True))
    for path in sorted((example / "churn/releases").glob("*.yaml")):
        release = yaml.safe_load(path.read_text())
        release["training"] = json.loads(json.dumps(MLFLOW_TRAINING))
        release["training"]["params"][next(attacks)] = "t"  # a hostile key as well
        if path.stem.startswith("2.2"):
            release["training"] = {"source": "csv-log", "log_file": "t"}
        path.write_text(yaml.safe_dump(fill(release, Release, attacks), allow_unicode=True))
    for path in sorted((example / "churn/monitoring").glob("*.json")):
        result = json.loads(path.read_text())
        path.write_text(json.dumps(fill(result, MonitoringResult, attacks), indent=1))
    for path in sorted((example / "datasets").glob("*.yaml")):
        original = yaml.safe_load(path.read_text())
        names = [f["name"] for f in original["features"]]
        dictionary = fill(yaml.safe_load(path.read_text()), Dictionary, attacks)
        if "models" in original:  # references to the project's models (a slug can pass the
            dictionary["models"] = original["models"]  # schema and name no model)
        for i, feature in enumerate(dictionary["features"]):
            # the first five keep their column's name (profiled: hostile values in the sample
            # reach the page); the rest stay hostile, unique (the attacks repeat)
            feature["name"] = names[i] if i < 5 else f"{feature['name']} {i}"
        path.write_text(yaml.safe_dump(dictionary, allow_unicode=True))
    _hostile_sample(example / "data/churn_training_sample.csv", attacks)
    guide_path = example / "churn/training.yaml"
    guide = fill(yaml.safe_load(guide_path.read_text()), TrainingGuide, attacks)
    for i, stage in enumerate(guide["pipeline"]["stages"]):
        stage["name"] += f" {i}"  # the attacks repeat; stage names must not
        stage["thresholds"] = {next(attacks): v for v in stage.get("thresholds", {}).values()}
    guide_path.write_text(yaml.safe_dump(guide, allow_unicode=True))
    for path in sorted((example / "systems").glob("*.yaml")):
        original = yaml.safe_load(path.read_text())
        system = fill(yaml.safe_load(path.read_text()), System, attacks)
        for part, keys in (("components", ("name",)), ("flows", ("from", "to"))):
            for mine, theirs in zip(system[part], original[part], strict=True):
                mine.update({k: theirs[k] for k in keys})  # references between entries
        if "models" in original:
            system["models"] = original["models"]  # references to the project's models
        path.write_text(yaml.safe_dump(system, allow_unicode=True))
    _hostile_operations(example, yaml.safe_load(card_path.read_text()), attacks)
    _hostile_experiments(example, attacks)


def _hostile_experiments(example: Path, attacks: Iterator[str]) -> None:
    """Every string of the experiment logs (run names, parameter keys and values, metric
    names, nested runs, registered models) and of their decision records."""
    for folder in sorted(p for p in (example / "experiments").iterdir() if p.is_dir()):
        log = yaml.safe_load((folder / "log.yaml").read_text())
        for run in log["runs"]:
            run["params"][next(attacks)] = next(attacks)  # hostile keys as well
            run["metrics"][next(attacks)] = 0.5
            for nested in run["nested"]:
                nested["params"][next(attacks)] = next(attacks)
        (folder / "log.yaml").write_text(
            yaml.safe_dump(fill(log, ExperimentLog, attacks), allow_unicode=True))
        decision = yaml.safe_load((folder / "decision.yaml").read_text())
        (folder / "decision.yaml").write_text(
            yaml.safe_dump(fill(decision, DecisionRecord, attacks), allow_unicode=True))


def _hostile_operations(example: Path, card: dict[str, Any], attacks: Iterator[str]) -> None:
    """Every free-text field of the churn model's alerts, runbooks, waivers and incidents;
    ids, metric names and owner references stay valid so the build gets to the pages."""
    path = example / "churn/alerts.yaml"
    spec = yaml.safe_load(path.read_text())
    spec["team"] = next(attacks)
    window = json.loads(next((example / "churn/monitoring").glob("*.json")).read_text())
    for alert in spec["alerts"]:
        alert.update(title=next(attacks), trigger=next(attacks) + " {value}",
                     action=next(attacks), owner=card["owners"][0]["name"])
        if "feature" in alert:  # feature names of the (hostile) monitoring result
            alert["feature"] = window["features"][-1]["feature"]
    for runbook in spec["runbooks"]:
        runbook["reviewed_by"] = next(attacks)
        for step in runbook["steps"]:
            step["text"] = next(attacks)
    spec["waivers"] = [{"rule": "postmortem-due", "subject": "2024-02-02-new-users-auc",
                        "reason": next(attacks), "approved_by": next(attacks),
                        "expires": "2999-12-31"}]
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    path = example / "churn/incidents.yaml"
    history = yaml.safe_load(path.read_text())
    for incident in history["incidents"]:
        incident.update(summary=next(attacks), root_cause=next(attacks),
                        follow_ups=[next(attacks), next(attacks)])
    path.write_text(yaml.safe_dump(history, allow_unicode=True))



def _hostile_sample(path: Path, attacks: Iterator[str]) -> None:
    """The reference sample with a hostile column name and hostile category values."""
    rows = list(csv.reader(io.StringIO(path.read_text())))
    header = [*rows[0], next(attacks)]
    body = [[*(next(attacks) if c in (3, 4) and i % 7 == 0 else v for c, v in enumerate(row)),
             next(attacks)] for i, row in enumerate(rows[1:])]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    path.write_text(out.getvalue())


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        self._in_script = tag == "script"
        if tag == "script":
            kind = dict(attrs).get("type") or ""
            self.scripts.append("json:" if kind == "application/json" else
                                dict(attrs).get("src") or "")

    def handle_data(self, data: str) -> None:
        if self._in_script and self.scripts and not self.scripts[-1]:
            self.scripts[-1] = "inline:" + _normal(re.sub(r"\s+", " ", data.strip()))[:80]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
DANGEROUS_TAGS = {"iframe", "object", "embed", "form", "base", "frame", "frameset", "meta"}


def page_problems(html: str, theme_scripts: Callable[[str], bool]) -> list[str]:
    """What a page must never contain: event handlers, script URLs, scripts not the theme's,
    and, in the page content, elements that load, submit or redirect."""
    parser = _Elements()
    parser.feed(html)
    problems = []
    article = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>',
                        html, re.S)
    for tag, attrs in parser.elements:
        for name, value in attrs:
            if name.lower().startswith("on"):
                problems.append(f"<{tag} {name}={value!r}>")
            url = re.sub(r"[\s\x00-\x20]", "", (value or "")).lower()
            if name.lower() in URL_ATTRS and url.startswith(("javascript:", "data:", "vbscript:")):
                problems.append(f"<{tag} {name}={value!r}>")
    problems += [f"script {s!r}" for s in parser.scripts if not theme_scripts(s)]
    inner = _Elements()
    inner.feed(article.group(1) if article else "")
    problems += [f"<{t}> in the page content" for t, _ in inner.elements
                 if t in DANGEROUS_TAGS | {"script", "style"}]
    return problems


def theme_scripts(site: Path) -> set[str]:
    """The scripts Material puts on every page of a clean build (src paths made relative)."""
    found: set[str] = set()
    for page in site.rglob("*.html"):
        parser = _Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        found.update(_normal(s) for s in parser.scripts)
    return found


def _normal(script: str) -> str:
    """A script with the page's depth taken out (`../../assets/x.js`, `new URL("../..")`)."""
    return re.sub(r'URL\("[./]*"', 'URL(""', re.sub(r"^(\.\./)+", "", script))


def is_theme_script(known: set[str]) -> Callable[[str], bool]:
    return lambda script: script == "json:" or _normal(script) in known
