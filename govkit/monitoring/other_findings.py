"""Findings for text, embedding and timestamp columns (see findings.py for the shared rules)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from govkit.monitoring.embedding import cosine_distance
from govkit.monitoring.findings import make_finding, null_rate_finding
from govkit.monitoring.timestamps import age_hours, iso
from govkit.monitoring.window import EmbeddingAccumulator, TextAccumulator, TimestampAccumulator
from govkit.schemas.monitoring import Finding
from govkit.schemas.profile import EmbeddingProfile, TextProfile, TimestampProfile
from govkit.schemas.rules import Rules


def text_findings(name: str, ref: TextProfile, cur: TextAccumulator, rules: Rules) -> list[Finding]:
    rate = cur.oov / cur.tokens if cur.tokens else 0.0
    n_cur = cur.rows - cur.nulls
    return [
        make_finding(
            rate > rules.oov_rate,
            n_cur < rules.min_samples or cur.tokens == 0,
            rules.severity.drift_significant,
            feature=name,
            kind="text",
            test="oov_rate",
            statistic=rate,
            effect_size=rate,
            effect_size_name="oov_rate",
            thresholds={"oov_rate": rules.oov_rate},
            reference_size=ref.rows - ref.nulls,
            current_size=n_cur,
            detail={
                "current_tokens": cur.tokens,
                "oov_tokens": cur.oov,
                "vocabulary_size": len(ref.vocabulary),
                "vocabulary_truncated": ref.vocabulary_truncated,
            },
        ),
        null_rate_finding(name, "text", ref, cur.rows, cur.nulls, rules),
    ]


def embedding_findings(
    name: str, ref: EmbeddingProfile, cur: EmbeddingAccumulator, rules: Rules
) -> list[Finding]:
    mean = cur.mean
    dist = cosine_distance(np.asarray(ref.mean), mean) if mean is not None else 0.0
    return [
        make_finding(
            dist > rules.cosine_distance,
            cur.count < rules.min_samples or ref.count < rules.min_samples,
            rules.severity.drift_significant,
            feature=name,
            kind="embedding",
            test="cosine_distance",
            statistic=dist,
            effect_size=dist,
            effect_size_name="cosine_distance",
            thresholds={"cosine_distance": rules.cosine_distance},
            reference_size=ref.count,
            current_size=cur.count,
            detail={"dim": len(ref.mean)},
        ),
        null_rate_finding(name, "embedding", ref, cur.rows, cur.nulls, rules),
    ]


def timestamp_findings(
    name: str, ref: TimestampProfile, cur: TimestampAccumulator, rules: Rules,
    as_of: dt.datetime | None,
) -> list[Finding]:
    """A time column is described, not drift-tested: both windows' ranges, and the newest
    current time's age at the window's date (freshness, alerting above max_age_hours)."""
    r = cur.range
    sizes = {"reference_size": ref.count, "current_size": r.count}
    overlap = r.low is not None and r.high is not None and (
        r.low <= ref.max_us and r.high >= ref.min_us)
    age = age_hours(r.high, as_of)
    limit = rules.max_age_hours
    thresholds = {"max_age_hours": limit} if limit is not None else {}
    return [
        Finding(feature=name, kind="timestamp", test="time_range", status="ok",
                statistic=None if r.high is None else (r.high - ref.max_us) / 3.6e9,
                detail={"reference_min": iso(ref.min_us), "reference_max": iso(ref.max_us),
                        "current_min": iso(r.low), "current_max": iso(r.high),
                        "overlaps_reference": overlap, "statistic": "hours newer than the "
                        "reference's latest time"}, **sizes),
        make_finding(age is not None and limit is not None and age > limit, False,
                 rules.severity.stale_data, feature=name, kind="timestamp", test="freshness",
                 statistic=age, thresholds=thresholds,
                 detail={"as_of": as_of.isoformat() if as_of else None,
                         "newest": iso(r.high), "statistic": "age in hours of the newest "
                         "time at as_of" if as_of else "no window date: age not computed"},
                 **sizes),
        null_rate_finding(name, "timestamp", ref, cur.rows, cur.nulls, rules),
    ]
