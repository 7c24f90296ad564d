"""What `govkit publish mlflow` owns inside an MLflow registry version: the delimited block of
its description, the `govkit.*` tags and the card artifact on its run. `govkit ingest` leaves
them out of release records, so publishing never reads back as a change of the model."""


BEGIN = "<!-- govkit:begin -->"
END = "<!-- govkit:end -->"
TAG_PREFIX = "govkit."
CARD_ARTIFACT = "govkit/card.md"
# MLflow moves a version's last_updated_timestamp when publish writes its description. Publish
# keeps the registry's clock as it was before its own writes (UPDATED_BEFORE) and as it left it
# (PUBLISHED_AT); while the clock still reads PUBLISHED_AT, nothing else changed the version
# since, and ingest records UPDATED_BEFORE. Tags do not move the clock (measured on sqlite).
PUBLISHED_AT = "govkit.published_at_ms"
UPDATED_BEFORE = "govkit.updated_before_ms"
CLOCK_TAGS = (PUBLISHED_AT, UPDATED_BEFORE)


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


def registry_clock(updated_ms: int | None, tags: dict[str, str]) -> int | None:
    """The version's last change that was not govkit's publish (see PUBLISHED_AT)."""
    before = tags.get(UPDATED_BEFORE, "")
    if updated_ms is not None and tags.get(PUBLISHED_AT) == str(updated_ms) and before.isdigit():
        return int(before)
    return updated_ms


def clock_tags(before_ms: int, after_ms: int, tags: dict[str, str]) -> dict[str, str]:
    """The clock tags after publish moved the clock from `before_ms` to `after_ms`: the
    earlier UPDATED_BEFORE is kept while no one else wrote since the last publish."""
    kept = registry_clock(before_ms, tags)
    return {PUBLISHED_AT: str(after_ms), UPDATED_BEFORE: str(kept)}
