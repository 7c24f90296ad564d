"""Exports: typed project records and check results -> the text other ecosystems read
(Hugging Face model cards, CycloneDX ML-BOMs, MLflow registry summaries). Pure: no I/O."""
