"""Building blocks for the rules' documented examples."""

from __future__ import annotations

TEAMS = """
teams:
  - {id: support, name: Customer Support}
  - {id: product, name: Product}
  - {id: identity, name: Identity team}
"""

#: A small map that passes every rule; examples change one thing in it.
GOOD_MAP = """
id: admin-locked-out
title: Admin locked out of their account
owner: support
reviewed: 2026-11-01
persona: {name: Workspace admin, archetype: developer/admin}
stages:
  - id: discovery
    name: Problem discovery
    owner: product
    emotion: -1
    evidence:
      - {source: zendesk, kind: tickets, ref: "tag:locked_out", as_of: 2026-10-30}
  - id: resolution
    name: Access regained
    owner: support
    emotion: 2
    evidence:
      - {source: delighted, kind: survey, as_of: 2026-10-30}
"""


def with_map(text: str) -> dict[str, str]:
    """An example project: the shared teams.yaml plus one map."""
    return {"teams.yaml": TEAMS, "map.yaml": text}
