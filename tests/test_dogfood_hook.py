"""The repository's own pre-commit hook is the one it ships."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _hook(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text("utf-8"))
    hooks = data if isinstance(data, list) else [h for repo in data["repos"] for h in repo["hooks"]]
    return next(h for h in hooks if h["id"] == "journeymaps-lint")


def test_the_repository_s_own_hook_checks_what_the_shipped_hook_checks() -> None:
    """Dogfooding ran `journeymaps lint` on the staged maps only: a commit here that deleted
    a map another one is based on, or changed the settings in pyproject.toml, passed the hook
    that `.pre-commit-hooks.yaml` and `journeymaps init` give users, which fail it."""
    shipped, own = _hook(ROOT / ".pre-commit-hooks.yaml"), _hook(ROOT / ".pre-commit-config.yaml")
    for key in ("entry", "types_or", "always_run", "require_serial"):
        assert own.get(key) == shipped[key], key
    assert "files" not in own  # --force-exclude skips YAML outside the maps folders
