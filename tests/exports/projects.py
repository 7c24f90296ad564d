"""Small projects for the export tests: one with segments and intervals, one bare."""

from __future__ import annotations

from pathlib import Path

CARD = """\
title: Fraud Score
summary: Scores card payments for fraud.
model_details: {developed_by: Risk Team, model_type: Logistic regression, license: Apache-2.0}
intended_use:
  primary_uses: [Rank payments for manual review]
  primary_users: [Fraud analysts]
  out_of_scope: [Credit decisions]
ethical_considerations:
  - {name: Fairness, description: Recall compared across card regions}
limitations: [Unreliable for merchants with under 50 payments]
caveats_and_recommendations: [Review weekly]
owners: [{name: Risk Team, email: risk@example.com}]
tags: [fraud]
metrics:
  auc: {label: AUC, min: 0.8, description: Area under the ROC curve}
  recall: {min: 0.5, max: 0.99}
"""
RELEASE = """\
version: "1.2.0"
date: 2024-03-01
stage: production
metrics:
  auc: {value: 0.91, ci: [0.89, 0.93], sample_size: 12000}
  recall: {value: 0.7}
segments:
  - name: EU
    metrics:
      auc: {value: 0.88, ci: [0.85, 0.91]}
  - name: US
    metrics:
      auc: {value: 0.79}
"""
DICTIONARY = """\
title: Payments
models: [fraud]
features:
  - {name: amount, type: float, description: Payment amount, unit: EUR}
  - {name: country, type: string, description: Card country}
"""


def project(root: Path, *, site_url: bool = True, bare: bool = False) -> Path:
    """`fraud` 1.2.0 (segments EU, US; US fails its AUC range), with a dataset dictionary;
    `bare`: a card with a title only and a release with one metric."""
    root.mkdir(parents=True, exist_ok=True)
    url = "site_url: https://cards.example.org/\n" if site_url else ""
    datasets = "" if bare else "datasets:\n  - name: payments\n"
    (root / "govkit.yaml").write_text(f"project: p\n{url}{datasets}models:\n  - name: fraud\n")
    folder = root / "models" / "fraud" / "releases"
    folder.mkdir(parents=True)
    if bare:
        (root / "models" / "fraud" / "card.yaml").write_text("title: Fraud\n")
        (folder / "0.1.0.yaml").write_text(
            'version: "0.1.0"\ndate: 2024-01-01\nmetrics:\n  auc: {value: 0.7}\n')
        return root
    (root / "models" / "fraud" / "card.yaml").write_text(CARD)
    (folder / "1.2.0.yaml").write_text(RELEASE)
    (folder / "1.1.0.yaml").write_text(
        'version: "1.1.0"\ndate: 2024-01-01\nmetrics:\n  auc: {value: 0.85}\n')
    (root / "datasets").mkdir()
    (root / "datasets" / "payments.yaml").write_text(DICTIONARY)
    return root
