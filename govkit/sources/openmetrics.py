"""An OpenMetrics text file (the format `promtool tsdb create-blocks-from openmetrics`
backfills) read instead of a Prometheus server: a `metric` SLO's <statistic>_over_time of
the one series its labels match, over the window's samples [start, end)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from govkit.errors import InputError
from govkit.schemas.layers import ServiceSlo
from govkit.sources.files import DEFAULT_MAX_MB, max_bytes, read_input_text
from govkit.sources.prometheus import Answer

_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_SAMPLE = re.compile(rf"^({_NAME})(?:\{{(.*)\}})? (\S+)(?: (\S+))?$")
_LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}


@dataclass
class Series:
    labels: dict[str, str]
    samples: list[tuple[float, float]] = field(default_factory=list)  # (unix time, value)


def read_series(root: Path, shown: str, config: str | Path,
                limit: int = max_bytes(DEFAULT_MAX_MB)) -> dict[str, list[Series]]:
    """Every sample of the project's file `shown` by metric name; a line that is no sample
    is exit 2 at it."""
    path = (root / shown).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        raise InputError.single(config, f"no OpenMetrics file {shown} inside the project",
                                field="observe.openmetrics",
                                hint="give a file path relative to govkit.yaml")
    out: dict[str, dict[tuple[tuple[str, str], ...], Series]] = {}
    for number, line in enumerate(read_input_text(path, shown, limit).splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        labels = _labels(match.group(2) or "") if match else None
        try:
            value = float(match.group(3)) if match else math.nan
            at = float(match.group(4)) if match and match.group(4) else None
        except ValueError:
            labels = None
        if match is None or labels is None or at is None:
            raise InputError.single(shown, "not a timestamped OpenMetrics sample",
                                    line=number,
                                    hint='write NAME{label="v"} VALUE UNIX_SECONDS')
        key = tuple(sorted(labels.items()))
        series = out.setdefault(match.group(1), {}).setdefault(key, Series(labels))
        series.samples.append((at, value))
    return {name: list(by_labels.values()) for name, by_labels in out.items()}


def _labels(text: str) -> dict[str, str] | None:
    labels, position = {}, 0
    while position < len(text):
        match = _LABEL.match(text, position)
        if match is None:
            return None
        labels[match.group(1)] = re.sub(r"\\.", lambda m: _UNESCAPE.get(m.group(0), "?"),
                                        match.group(2))
        position = match.end()
    return labels


def file_answer(series: dict[str, list[Series]], slo: ServiceSlo, begin: float,
                end: float) -> tuple[Answer, int | None]:
    """The SLO's value from the file's samples in [begin, end) and how many there were;
    what only a server can answer (PromQL, histogram quantiles) is not evaluated."""
    if slo.step is not None:
        return Answer(None, "a series every `step` (query_range) needs a Prometheus server "
                      "(observe.prometheus)"), None
    if slo.metric is None:
        return Answer(None, "a PromQL query needs a Prometheus server (observe.prometheus); "
                      "the OpenMetrics file answers `metric` SLOs"), None
    if slo.quantile is not None:
        return Answer(None, "a histogram quantile needs a Prometheus server "
                      "(observe.prometheus); the OpenMetrics file answers gauges"), None
    matched = [s for s in series.get(slo.metric, [])
               if all(s.labels.get(k) == v for k, v in slo.labels.items())]
    windowed = [(s, sorted((t, v) for t, v in s.samples if begin <= t < end))
                for s in matched]
    windowed = [(s, samples) for s, samples in windowed if samples]
    if not windowed:
        return Answer(None, "the query matched no series in the window"), 0
    if len(windowed) > 1:
        names = "; ".join(sorted(str(dict(sorted(s.labels.items()))) for s, _ in windowed)[:3])
        return Answer(None, f"the query matched {len(windowed)} series ({names}): add labels "
                      "so it gives one value"), None
    values = [v for _, v in windowed[0][1]]
    if not all(math.isfinite(v) for v in values):
        return Answer(None, "NaN or infinite samples in the window"), len(values)
    value = {"avg": sum(values) / len(values), "max": max(values), "min": min(values),
             "last": values[-1], "sum": sum(values)}[slo.statistic]
    return Answer(value, None), len(values)
