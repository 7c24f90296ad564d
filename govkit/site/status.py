"""Check statuses as every page, badge and `status.json` show them: one word, one icon and one
colour per status, defined here and in `templates/govkit.css` (the same colours, light and
dark) and nowhere else."""

from __future__ import annotations

from govkit.checks.results import STATUS_ORDER

WORDS = {"pass": "pass", "fail": "FAIL", "warn": "warning", "no_range": "no range",
         "insufficient_data": "insufficient data", "waived": "waived"}
NOT_CHECKED = "not checked"
CLASSES = {"pass": "gk-pass", "fail": "gk-fail", "warn": "gk-warn", "no_range": "gk-none",
           "insufficient_data": "gk-none", "waived": "gk-none"}
ICONS = {"pass": "material-check-circle", "fail": "material-close-octagon",
         "no_range": "material-minus-circle-outline",
         "insufficient_data": "material-help-circle-outline", "warn": "material-alert",
         "waived": "material-alert-circle-outline"}
COLOURS = {"gk-pass": "#2e7d32", "gk-fail": "#c62828", "gk-warn": "#a85400",
           "gk-none": "#616161"}  # light scheme
assert set(WORDS) == set(CLASSES) == set(ICONS) == set(STATUS_ORDER)


def markdown(status: str) -> str:
    """Icon (coloured, with a tooltip) and word, as Markdown for Material's emoji extension."""
    word = WORDS[status]
    shown = f"**{word}**" if status in ("fail", "warn") else word
    return f':{ICONS[status]}:{{ .{CLASSES[status]} title="{word.lower()}" }} {shown}'


def colour(status: str | None) -> str:
    return COLOURS[CLASSES[status]] if status in CLASSES else COLOURS["gk-none"]


def word(status: str | None) -> str:
    return WORDS.get(status or "", NOT_CHECKED)
