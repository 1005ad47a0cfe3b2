"""Prompts as versioned files in `prompts/` (`<name>.v<N>.md`), loaded by name.

The version is part of every LLM cache key, so editing a prompt means adding a new version
file rather than changing an old one: cached answers of the old prompt stay valid for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from assistant.errors import AuditError
from assistant.paths import prompts_dir

PROMPTS_DIR = prompts_dir()
_NAME_RE = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.md$")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


class PromptNotFoundError(AuditError, LookupError):
    pass


def fill(template: str, **values: str) -> str:
    """`{{name}}` placeholders filled (the prompts' convention), JSON braces left untouched; a
    placeholder without a value is an error, never silent text sent to the model."""

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            raise KeyError(f"prompt needs a value for {{{{{m.group(1)}}}}}")
        return values[m.group(1)]

    return _PLACEHOLDER.sub(sub, template)


class Prompt(BaseModel):
    name: str
    version: int
    text: str

    def fill(self, **values: str) -> str:
        return fill(self.text, **values)


def prompt_versions(name: str, prompts_dir: Path | None = None) -> list[int]:
    """Every version of a prompt on disk, ascending."""
    folder = prompts_dir or PROMPTS_DIR
    found = []
    for path in folder.glob(f"{name}.v*.md"):
        match = _NAME_RE.match(path.name)
        if match and match["name"] == name:
            found.append(int(match["version"]))
    return sorted(found)


@lru_cache(maxsize=64)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip() + "\n"


def load_prompt(name: str, version: int | None = None, prompts_dir: Path | None = None) -> Prompt:
    """The prompt `name` at `version`, or its highest version when none is given."""
    folder = prompts_dir or PROMPTS_DIR
    versions = prompt_versions(name, folder)
    if not versions:
        raise PromptNotFoundError(f"找不到提示词 {name}（应为 {folder}/{name}.v<N>.md）")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise PromptNotFoundError(
            f"提示词 {name} 没有版本 v{chosen}（现有：{', '.join(f'v{v}' for v in versions)}）"
        )
    return Prompt(name=name, version=chosen, text=_read(folder / f"{name}.v{chosen}.md"))


__all__ = ["PROMPTS_DIR", "Prompt", "PromptNotFoundError", "fill", "load_prompt", "prompt_versions"]
