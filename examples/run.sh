#!/usr/bin/env bash
# The main job on the bundled example, step by step (run from the repository root with the
# virtualenv's govkit on PATH or as .venv/bin/govkit).
set -euo pipefail
cd "$(dirname "$0")/.."
GOVKIT=${GOVKIT:-.venv/bin/govkit}
PYTHON=${PYTHON:-.venv/bin/python}
set -x
# 1. monitoring windows for the churn model (fixed seed), then drift + live performance
"$PYTHON" examples/data/make_churn_windows.py
"$GOVKIT" -C examples monitor churn --window 2024-02-01 \
  --reference examples/data/churn_reference.parquet \
  --current examples/data/churn_2024-02-01.parquet
# 1b. the other two layers of that window (fixed seed, small committed files, no server):
#     P99 latency and error rate from a Prometheus export, 30-day retention from a CSV
#     (monitor keeps what observe wrote; observing again re-reads the same files)
"$PYTHON" examples/data/make_churn_layers.py
"$GOVKIT" -C examples observe churn --window 2024-02-01
# 2. a model whose releases come from MLflow: train and register three versions in a local
#    sqlite store, ingest them as release records, build that project's site (see its README)
set +x
GOVKIT="$GOVKIT" PYTHON="$PYTHON" bash examples/mlflow_churn/run.sh
set -x
# (examples/experiments/churn-depth/log.yaml is a committed snapshot of that store's
#  experiment, taken with `govkit -C examples ingest-experiment churn-depth --update`; a
#  rebuilt store has new run ids, so re-taking it here would change committed files)
# 3. Markdown into site/, then the real `mkdocs build --strict` into build/site-html/
"$GOVKIT" -C examples build --html
# 3b. the same alerts as Prometheus alerting rules linking their runbook pages
"$GOVKIT" -C examples alerts --format prometheus --out build/alerts.rules.yml
if command -v promtool >/dev/null; then promtool check rules build/alerts.rules.yml; fi
# 3c. the churn card where others look: a Hub model card and a CycloneDX ML-BOM (docs/exports.md;
#     `govkit publish mlflow` writes into a registry: step 2 runs it on the MLflow example's
#     own local store, see examples/mlflow_churn/run.sh)
"$GOVKIT" -C examples export huggingface churn --out build/exports/huggingface
"$GOVKIT" -C examples export cyclonedx churn --out build/exports/churn.cdx.json
# 4. the CI gate on the main example: exits 1 here on purpose (see README)
set +e
"$GOVKIT" -C examples check
code=$?
set +x
echo "govkit check exit code: $code (1 = a documented check failed, as the example intends)"
echo "open build/site-html/index.html and examples/mlflow_churn/build/site-html/index.html"
