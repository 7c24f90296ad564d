"""Property: after any sequence of registry mutations, incremental ingest (shown, then
--update) writes byte for byte what a --full ingest writes into a copy of the project as
it was (same records, same alias history, same clock)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govkit.commands.ingest import ingest_mlflow
from tests.conftest import examples, snapshot
from tests.sources.stores import SmallStore, new_store

MODEL = "prop-churn"
NOW = "2026-01-02T03:04:05Z"

_index = st.integers(0, 5)
MUTATION = st.one_of(
    st.tuples(st.just("tag"), _index, st.sampled_from(["a", "b"])),
    st.tuples(st.just("alias"), st.sampled_from(["champion", "challenger"]), _index),
    st.tuples(st.just("unalias"), st.sampled_from(["champion", "challenger"])),
    st.tuples(st.just("delete"), _index),
    st.tuples(st.just("new"), st.sampled_from([0.7, 0.9])),
    st.tuples(st.just("metric"), _index, st.sampled_from([0.5, 0.9, 0.91])),
)


def _versions(store: SmallStore) -> list[Any]:
    found = store.client.search_model_versions(f"name = '{MODEL}'")
    return sorted(found, key=lambda mv: int(mv.version))


def _apply(store: SmallStore, mutation: tuple[Any, ...]) -> None:
    kind, client = mutation[0], store.client
    if kind == "new":
        store.add_version(MODEL, {"val_auc": mutation[1]})
        return
    if kind == "unalias":
        aliases = client.get_registered_model(MODEL).aliases
        if mutation[1] in aliases:
            client.delete_registered_model_alias(MODEL, mutation[1])
        return
    versions = _versions(store)
    if not versions:
        return
    mv = versions[mutation[2 if kind == "alias" else 1] % len(versions)]
    if kind == "tag":
        client.set_model_version_tag(MODEL, mv.version, "review", mutation[2])
    elif kind == "alias":
        client.set_registered_model_alias(MODEL, mutation[1], mv.version)
    elif kind == "delete":
        client.delete_model_version(MODEL, mv.version)
    elif kind == "metric":
        client.log_metric(mv.run_id, "val_auc", mutation[2])


def _ingest(model_dir: Path, store: SmallStore, **options: bool) -> Any:
    return ingest_mlflow(model_dir, MODEL, store.uri, observed_at=NOW, **options)


@pytest.mark.slow
@settings(max_examples=examples(10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_incremental_update_equals_full_after_any_mutations(
    blank_db: Path, mutations: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = new_store(blank_db, root / "store")
        store.add_version(MODEL, {"val_auc": 0.9})
        store.add_version(MODEL, {"val_auc": 0.91})
        store.client.set_registered_model_alias(MODEL, "champion", "1")
        kept = root / "kept" / "churn"
        kept.mkdir(parents=True)
        _ingest(kept, store, update=True)
        fresh = root / "fresh" / "churn"
        shutil.copytree(kept, fresh)
        for mutation in mutations:
            _apply(store, mutation)

        shown = _ingest(kept, store)
        updated = _ingest(kept, store, update=True)
        # --update writes every change the run before it showed, and nothing else differs
        assert {p for p, _ in shown.conflicts} <= set(updated.written)
        assert _ingest(kept, store).conflicts == []
        _ingest(fresh, store, full=True, update=True)
        assert snapshot(kept / "releases") == snapshot(fresh / "releases"), mutations
