"""The service and business layers of a monitoring window (`govkit observe`) against the
card's `service:` and `business:` ranges. Pure: no I/O."""

from __future__ import annotations

from govkit.checks.metrics import evaluate
from govkit.checks.results import (
    CheckResult,
    DocumentedRange,
    Status,
    WindowSubject,
    slo_range,
)
from govkit.model import ModelRecord, MonitoringRecord, Where
from govkit.schemas.layers import BusinessKpi
from govkit.schemas.monitoring import LayerValue


def _kpi_range(model: ModelRecord, key: str, kpi: BusinessKpi) -> DocumentedRange:
    def at(side: str) -> Where:
        return Where(model.card_source, model.card_doc.line_of(("business", key, side)))

    return DocumentedRange(kpi.min, kpi.max, "card",
                           min_at=at("min") if kpi.min is not None else None,
                           max_at=at("max") if kpi.max is not None else None)


def change_range(model: ModelRecord, key: str, kpi: BusinessKpi) -> DocumentedRange:
    """The allowed relative change against the baseline window (the wrong way only when the
    card gives a goal)."""
    assert kpi.max_relative_change is not None
    m = kpi.max_relative_change
    where = Where(model.card_source, model.card_doc.line_of(("business", key,
                                                             "max_relative_change")))
    low = None if kpi.goal == "lower" else -m
    high = None if kpi.goal == "higher" else m
    return DocumentedRange(low, high, "card", min_at=where if low is not None else None,
                           max_at=where if high is not None else None)


def _judge(value: LayerValue | None, rng: DocumentedRange, relative: bool = False
           ) -> tuple[float | None, Status, str]:
    if value is None:
        return None, "insufficient_data", "not evaluated: not observed in this window " \
            "(run govkit observe)"
    if value.value is None:
        return None, "insufficient_data", f"not evaluated: {value.reason}"
    shown = value.value
    if relative:
        if value.baseline is None or value.baseline == 0:
            return None, "insufficient_data", "not evaluated: no baseline value"
        shown = value.value / value.baseline - 1
    status, message = evaluate(shown, rng)
    n = f"{value.samples} samples" if value.samples is not None else "samples not known"
    if relative:
        message = (f"change against the baseline {message} ({value.value:.6g} against "
                   f"{value.baseline:.6g}, {n})")
    else:
        message = f"{message} ({n})"
    return shown, status, message


def check_layers(model: ModelRecord, window: MonitoringRecord) -> list[CheckResult]:
    """One check per documented SLO and KPI of a window that was observed."""
    layers = window.result.layers
    if layers is None:
        return []
    label = window.result.window
    record = model.window_release(window)
    version = record.release.version if record else ""
    observed = {("service", v.name): v for v in layers.service}
    observed |= {("business", v.name): v for v in layers.business}
    line = window.doc.line_of(("layers",))

    def result(layer: str, key: str, name: str, text: str | None, rng: DocumentedRange,
               judged: tuple[float | None, Status, str]) -> CheckResult:
        at = rng.where or Where(window.source, line)
        return CheckResult(
            id=f"{model.name}/live/{label}/{layer}/{name}", model=model.name, version=version,
            metric=f"{layer}/{name}", label=text or key, segment=None, value=judged[0],
            range=rng, status=judged[1], message=judged[2], source=at.source, line=at.line,
            kind="monitoring", window=label, subject=WindowSubject(model.name, label))

    out = []
    service = model.card.service
    for key, slo in sorted(service.slos.items() if service else []):
        rng = slo_range(model, key, slo, service is not None and service.defaults == "seed")
        out.append(result("service", key, key, slo.label, rng,
                          _judge(observed.get(("service", key)), rng)))
    for key, kpi in sorted(model.card.business.items()):
        value = observed.get(("business", key))
        rng = _kpi_range(model, key, kpi)
        if rng.defined or kpi.max_relative_change is None:
            out.append(result("business", key, key, kpi.label, rng, _judge(value, rng)))
        if kpi.max_relative_change is not None:
            change = change_range(model, key, kpi)
            out.append(result("business", key, f"{key}/change",
                              f"{kpi.label or key} change", change,
                              _judge(value, change, relative=True)))
    return out
