"""What each non-feature column of a window is for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Roles:
    """What each non-feature column is for. A column may hold several roles (a segment can be
    the label); role columns are not tested as features unless listed."""

    predictions: str | None = None
    labels: str | None = None
    segments: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    timestamp: str | None = None
    reference_predictions: str | None = None
    pending: str | None = None  # a label column the window does not have yet (delayed labels)
    proxies: tuple[str, ...] = ()  # columns proxy metrics are computed from

    @property
    def collected(self) -> list[str]:
        """Columns read whole for the performance metrics, each once."""
        return list(dict.fromkeys(c for c in (self.predictions, self.labels, *self.segments,
                                               self.reference_predictions, *self.proxies)
                                  if c))

    @property
    def required(self) -> list[str]:
        """Role columns the current window must have (a pending label column need not)."""
        return sorted(c for c in (*self.collected, *self.ids, self.timestamp) if c)

    @property
    def excluded(self) -> set[str]:
        return {c for c in (*self.collected, *self.ids, self.timestamp, self.pending) if c}
