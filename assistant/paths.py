"""Where the project's bundled data lives: sample notices, gold labels, prompts."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _find(relative: str, env: str) -> Path:
    """The folder from $env, else next to the package (editable install), else under the cwd."""
    if os.environ.get(env):
        return Path(os.environ[env])
    for base in (REPO_ROOT, Path.cwd()):
        candidate = base / relative
        if candidate.exists():
            return candidate
    return REPO_ROOT / relative


def examples_dir() -> Path:
    return _find("examples/notices", "AUDIT_EXAMPLES_DIR")


def gold_dir() -> Path:
    return _find("evals/gold", "AUDIT_GOLD_DIR")


def dev_dir() -> Path:
    """The development notices written for tuning (`evals/dev/`, gold in `evals/dev/gold/`)."""
    return _find("evals/dev", "AUDIT_DEV_DIR")


def holdout_dir() -> Path:
    """The held-aside notices, never tuned on (`evals/dev/holdout/`, gold in its `gold/`)."""
    return dev_dir() / "holdout"
