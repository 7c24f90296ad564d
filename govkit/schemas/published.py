"""What `govkit publish mlflow` owns inside an MLflow registry version: the delimited block of
its description, the `govkit.*` tags and the card artifact on its run. `govkit ingest` leaves
them out of release records, so publishing never reads back as a change of the model."""

from __future__ import annotations

BEGIN = "<!-- govkit:begin -->"
END = "<!-- govkit:end -->"
TAG_PREFIX = "govkit."
CARD_ARTIFACT = "govkit/card.md"


def without_published(description: str | None) -> str | None:
    """The hand-written part of a description: govkit's one well-formed block removed."""
    if description is None or description.count(BEGIN) != 1 or description.count(END) != 1:
        return description
    start, stop = description.index(BEGIN), description.index(END) + len(END)
    if start > stop:
        return description
    text = (description[:start].rstrip() + "\n\n" + description[stop:].lstrip()).strip()
    return text or None


def hand_tags(tags: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in tags.items() if not k.startswith(TAG_PREFIX)}
