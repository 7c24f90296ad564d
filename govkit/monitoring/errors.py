"""The one exception type the monitoring engine raises for bad input data."""

from __future__ import annotations


class MonitoringInputError(ValueError):
    """Input data cannot be monitored as configured.

    ``path`` names the file (or ``"<reference>"``/``"<current>"`` for in-memory tables),
    ``column`` the offending column (or ``None``), ``hint`` a suggested fix (or ``None``).
    The CLI maps this error to exit code 2.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.column = column
        self.hint = hint
        parts = [message]
        if path is not None:
            parts.append(f"file: {path}")
        if column is not None:
            parts.append(f"column: {column}")
        if hint is not None:
            parts.append(f"hint: {hint}")
        super().__init__("; ".join(parts))
