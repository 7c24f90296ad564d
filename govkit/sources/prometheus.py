"""Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`), read with urllib: one value
per PromQL query, or a statistic of the one series a range query gives.
The bearer token comes from the environment and is never put in a message."""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from govkit.errors import InputError


@dataclass(frozen=True)
class Answer:
    value: float | None
    reason: str | None  # why there is no value


class Prometheus:
    def __init__(self, url: str, token: str | None, timeout: float) -> None:
        self.url, self._token, self.timeout = url.rstrip("/"), token, timeout

    def instant(self, query: str, at: float) -> Answer:
        """`query` evaluated at unix time `at`: exactly one finite value, else a reason.
        An unreachable server is bad input (exit 2), not a missing value."""
        return _answer(self._post("query", {"query": query, "time": f"{at:.3f}"}))

    def series(self, query: str, start: float, end: float, step: str,
               statistic: str) -> tuple[Answer, int]:
        """`query` at every `step` from `start` to `end` (/api/v1/query_range): `statistic`
        of the one series' points, and how many points there were."""
        data = self._post("query_range", {"query": query, "start": f"{start:.3f}",
                                          "end": f"{end:.3f}", "step": step})
        points, reason = _points(data)
        if reason is not None:
            return Answer(None, reason), len(points)
        if not all(math.isfinite(v) for v in points):
            return Answer(None, "NaN or infinite points in the window's series"), len(points)
        value = {"avg": sum(points) / len(points), "max": max(points), "min": min(points),
                 "last": points[-1], "sum": sum(points)}[statistic]
        return Answer(value, None), len(points)

    def _post(self, path: str, form: dict[str, str]) -> object:
        body = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(f"{self.url}/api/v1/{path}", data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        if self._token:
            request.add_header("Authorization", f"Bearer {self._token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                data = json.loads(exc.read())
            except ValueError:
                raise self._unreachable(f"HTTP {exc.code}") from None
            if not isinstance(data, dict) or "error" not in data:
                raise self._unreachable(f"HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or type(exc).__name__
            raise self._unreachable(str(reason)) from None
        return data

    def _unreachable(self, why: str) -> InputError:
        return InputError.single("govkit.yaml", f"observe.prometheus.url: Prometheus at "
                                 f"{self.url} did not answer ({why})",
                                 hint="start it or fix the URL; nothing was written")


def _points(data: object) -> tuple[list[float], str | None]:
    """The values of a range query's one series, else a reason."""
    if not isinstance(data, dict) or data.get("status") != "success":
        answer = _answer(data)
        return [], answer.reason
    result = data.get("data", {})
    series = result.get("result") if result.get("resultType") == "matrix" else None
    if not series:
        return [], "the query matched no series in the window"
    if len(series) > 1:
        names = "; ".join(sorted(json.dumps(s.get("metric", {}), sort_keys=True)
                                 for s in series)[:3])
        return [], (f"the query matched {len(series)} series ({names}): add labels or "
                    "aggregate (e.g. sum(...)) so it gives one series")
    try:
        return [float(v) for _, v in series[0]["values"]], None
    except (KeyError, TypeError, ValueError):
        return [], "Prometheus gave a malformed series"


def _answer(data: object) -> Answer:
    if not isinstance(data, dict):
        return Answer(None, "Prometheus gave no JSON object")
    if data.get("status") != "success":
        return Answer(None, f"Prometheus rejected the query: {data.get('errorType', '?')}: "
                      f"{data.get('error', '')}")
    result = data.get("data", {})
    kind, series = result.get("resultType"), result.get("result")
    if kind == "scalar":
        series = [{"metric": {}, "value": series}]
    elif kind != "vector":
        return Answer(None, f"the query gives a {kind}, not one value per series")
    if not series:
        return Answer(None, "the query matched no series in the window")
    if len(series) > 1:
        names = "; ".join(sorted(json.dumps(s.get("metric", {}), sort_keys=True)
                                 for s in series)[:3])
        return Answer(None, f"the query matched {len(series)} series ({names}): add labels "
                      "or aggregate (e.g. sum(...)) so it gives one value")
    try:
        value = float(series[0]["value"][1])
    except (KeyError, IndexError, TypeError, ValueError):
        return Answer(None, "Prometheus gave a malformed sample")
    if not math.isfinite(value):
        return Answer(None, f"the value is {value} (e.g. no requests in the window)")
    return Answer(value, None)
