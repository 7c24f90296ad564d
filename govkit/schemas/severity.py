"""Alert severities, most severe first (the chapter's P1–P4, then info and none)."""


from collections.abc import Iterable
from typing import Literal, get_args

SeverityLevel = Literal["P1", "P2", "P3", "P4", "info", "none"]
SEVERITIES: tuple[SeverityLevel, ...] = get_args(SeverityLevel)
SEVERITY_RANK: dict[str, int] = {level: rank for rank, level in enumerate(SEVERITIES)}


def worst_severity(levels: Iterable[str]) -> SeverityLevel:
    best = min(levels, key=SEVERITY_RANK.__getitem__, default="none")
    return SEVERITIES[SEVERITY_RANK[best]]
