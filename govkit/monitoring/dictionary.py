"""A dataset's reference sample, profiled for its data dictionary. Pure: a table in, a profile out.

The numbers come from the drift engine's own reference profile (`build_reference_profile`),
so the dictionary and the monitoring pages agree on null rates, means and quantiles; this
module adds what a dictionary needs beyond drift: the logical type of each stored column and
how many values fall outside the documented range or categories.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from govkit.errors import MonitoringInputError
from govkit.monitoring import columns as colmod
from govkit.monitoring import numeric as nm
from govkit.monitoring.feature_drift import build_reference_profile
from govkit.schemas import profile as shapes
from govkit.schemas.dictionary import ColumnProfile, DatasetProfile, Feature
from govkit.schemas.rules import FeatureKind

TOP_CATEGORIES = 10
SHOWN_QUANTILES = ("q0.05", "q0.25", "q0.5", "q0.75", "q0.95")


def logical_type(t: pa.DataType) -> str:
    """The dictionary type a stored column has: integer, float, boolean, string, datetime,
    binary, or 'other (<arrow type>)'."""
    if pa.types.is_dictionary(t):
        return logical_type(t.value_type)
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "float"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_temporal(t):
        return "datetime"
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return "binary"
    return f"other ({t})"


def profile_dataset(
    table: pa.Table, features: Sequence[Feature], source: str, digest: str
) -> DatasetProfile:
    """Every column of ``table``: type, nulls, and a numeric or categorical summary checked
    against the documented feature of the same name (if any)."""
    if table.num_rows == 0:
        raise MonitoringInputError("the sample has no rows", path=source,
                                   hint="commit a sample with a few hundred rows")
    documented = {f.name: f for f in features}
    kinds: dict[str, FeatureKind] = {}
    for name in table.column_names:
        col = table.column(name)
        if col.null_count == len(col):
            continue  # only nulls: nothing to summarise
        tc = colmod.type_class(col.type)
        if tc == "numeric":
            kinds[name] = FeatureKind.NUMERIC
        elif tc in ("string", "bool"):
            kinds[name] = FeatureKind.CATEGORICAL  # every category counted, none folded
    engine = build_reference_profile(table, features=kinds, path=source) if kinds else None
    out = DatasetProfile(source=source, digest=digest, rows=table.num_rows)
    for name in table.column_names:
        col = table.column(name)
        column = ColumnProfile(name=name, type=logical_type(col.type), arrow_type=str(col.type),
                               rows=table.num_rows, nulls=col.null_count)
        feature_profile = engine.features.get(name) if engine else None
        if feature_profile is not None:
            column.nulls = feature_profile.nulls  # NaN counts as missing, as in drift
        if isinstance(feature_profile, shapes.NumericProfile):
            _numeric(column, table, name, source, documented.get(name))
            column.mean = feature_profile.mean
            column.quantiles = {k: v for k, v in feature_profile.quantiles.items()
                                if k in SHOWN_QUANTILES}
        elif isinstance(feature_profile, shapes.CategoricalProfile):
            _categorical(column, feature_profile.counts, documented.get(name))
        out.columns[name] = column
    return out


def _numeric(
    column: ColumnProfile, table: pa.Table, name: str, source: str, feature: Feature | None
) -> None:
    values = nm.sorted_finite(colmod.numeric_array(table, name, source))
    if values.shape[0] == 0:
        return
    column.min, column.max = float(values[0]), float(values[-1])
    column.whole_numbers = bool(np.all(np.floor(values) == values))
    if feature is not None and feature.min is not None:
        column.below_min = int(np.searchsorted(values, feature.min, side="left"))
    if feature is not None and feature.max is not None:
        column.above_max = int(values.shape[0] - np.searchsorted(values, feature.max, "right"))


def _categorical(column: ColumnProfile, counts: dict[str, int], feature: Feature | None) -> None:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    column.top = ranked[:TOP_CATEGORIES]
    column.distinct = len(counts)
    if feature is not None and feature.categories is not None:
        allowed = set(feature.categories)
        outside = [(value, n) for value, n in ranked if value not in allowed]
        column.outside_count = sum(n for _, n in outside)
        column.outside_top = outside[:TOP_CATEGORIES]
