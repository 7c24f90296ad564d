"""Where a model version's dossiers are, and the links a card gives to them. Pure."""

from __future__ import annotations

from typing import TypedDict

from govkit.model import Project

DEFAULT = "dossier"  # the page's name when no profile is enabled


class DossierLink(TypedDict):
    title: str  # the profile's short name; without a profile, the model and version
    link: str  # relative to the card's folder


def page_path(model: str, version: str, profile: str | None = None) -> str:
    return f"models/{model}/dossiers/{version}/{profile or DEFAULT}.md"


def dossier_links(project: Project, model: str, title: str, version: str,
                  base: str) -> list[DossierLink]:
    """The version's dossiers, one per enabled profile in govkit.yaml's order (one
    profile-less dossier when none is); `base`: from the card's folder to the model's."""
    def link(profile: str | None) -> str:
        return base + page_path(model, version, profile).split("/", 2)[2]
    if not project.profiles:
        return [{"title": f"{title} {version}", "link": link(None)}]
    return [{"title": p.profile.short, "link": link(p.profile.id)} for p in project.profiles]
