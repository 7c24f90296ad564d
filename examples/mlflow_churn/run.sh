#!/usr/bin/env bash
# The MLflow example end to end (run from anywhere; paths are relative to the repository):
# train and register three model versions, ingest them as release records, build the site.
set -euo pipefail
cd "$(dirname "$0")/../.."
GOVKIT=${GOVKIT:-.venv/bin/govkit}
PYTHON=${PYTHON:-.venv/bin/python}
set -x
# 1. a local MLflow store (examples/mlflow_churn/mlruns.db): 3 versions, alias champion -> 2
"$PYTHON" examples/mlflow_churn/train.py
# 2. one release record per registered version: models/churn/releases/<version>.yaml
#    (re-running writes nothing; a changed version is shown as a diff, kept unless --update)
$GOVKIT -C examples/mlflow_churn ingest churn --all
#    and the experiment's runs as its experiment log (experiments/churn-depth/log.yaml)
$GOVKIT -C examples/mlflow_churn ingest-experiment churn-depth --update
# 2b. the card summary back into the registry, where the MLflow UI shows it (a govkit block
#     in each version's description, govkit.* tags, govkit/card.md on its run; docs/exports.md):
#     first the diff, then the write (the store is this folder's, ignored by git); the ingest
#     after it finds every record unchanged (exit 1 here would mean publish read as a change)
$GOVKIT -C examples/mlflow_churn publish mlflow churn --all --dry-run
$GOVKIT -C examples/mlflow_churn publish mlflow churn --all
$GOVKIT -C examples/mlflow_churn ingest churn --all
# 3. cards with training provenance and curves, then `mkdocs build --strict`
$GOVKIT -C examples/mlflow_churn build --html
# 4. the serving version (alias champion, version 2) passes its documented checks; the
#    home page shows it, with version 3 as a candidate
$GOVKIT -C examples/mlflow_churn check
set +x
echo "open examples/mlflow_churn/build/site-html/models/churn/index.html"
