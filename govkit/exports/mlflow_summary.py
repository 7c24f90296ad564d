"""What `govkit publish mlflow` wants a registry version to say: a short Markdown summary
inside govkit's delimited block of the description, `govkit.*` tags and the full card."""

from __future__ import annotations

from dataclasses import dataclass

from govkit.exports.facts import VersionFacts
from govkit.exports.huggingface import card_body
from govkit.schemas.published import BEGIN, CARD_ARTIFACT, END

__all__ = ["BEGIN", "CARD_ARTIFACT", "END", "Wanted", "merged_description", "wanted"]


@dataclass(frozen=True)
class Wanted:
    """One registry version as govkit would publish it."""

    registered_model: str
    version: str  # the registry's version number
    release: str  # govkit's release version
    run_id: str | None
    block: str  # the govkit block of the description, markers included
    tags: dict[str, str]
    card: str


def wanted(facts: VersionFacts, registered_model: str, registry_version: str) -> Wanted:
    return Wanted(registered_model, registry_version, facts.version, facts.run_id,
                  summary_block(facts), version_tags(facts), card_body(facts))


def summary_block(facts: VersionFacts) -> str:
    card = facts.model.card
    lines = [BEGIN, f"**{card.title} {facts.version}** (govkit card summary; edit "
             "card.yaml, not this block)", ""]
    if card.intended_use.primary_uses:
        lines += ["Intended use: " + "; ".join(card.intended_use.primary_uses), ""]
    if facts.metrics:
        lines += ["| Metric | Segment | Value | Documented range | Check |",
                  "|---|---|---|---|---|"]
        lines += [f"| {_cell(m.label)} | {_cell(m.segment or 'all')} | {m.value:g} | "
                  f"{_cell(str(m.range))} | {m.status or 'not checked'} |"
                  for m in facts.metrics]
        lines.append("")
    verdict = f"Latest verdict: **{facts.status}** (checked at {facts.checked_at})"
    if facts.live and facts.live.failing:
        verdict += f"; failing in window {facts.live.window}: {', '.join(facts.live.failing)}"
    lines.append(verdict)
    if facts.card_url:
        lines += ["", f"Card: {facts.card_url}"]
    return "\n".join([*lines, END])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def version_tags(facts: VersionFacts) -> dict[str, str]:
    tags = {"govkit.status": facts.status, "govkit.checked_at": facts.checked_at,
            "govkit.failing": str(facts.failing)}
    if facts.card_url:
        tags["govkit.card_url"] = facts.card_url
    return tags


class HandWritten(ValueError):
    """The description has govkit markers that do not form one block: govkit will not guess."""


def merged_description(current: str | None, block: str) -> str:
    """`current` with govkit's block replaced, or appended after the hand-written text."""
    text = current or ""
    begins, ends = text.count(BEGIN), text.count(END)
    if begins == 0 and ends == 0:
        return f"{text.rstrip()}\n\n{block}" if text.strip() else block
    if begins != 1 or ends != 1 or text.index(BEGIN) > text.index(END):
        raise HandWritten(f"{begins} {BEGIN} and {ends} {END} markers")
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + block + text[stop:]
