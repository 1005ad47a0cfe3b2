"""Where the project's bundled data lives: sample notices, gold labels, prompts."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BUNDLED = Path(__file__).resolve().parent / "_bundled"
"""What an installed wheel carries: the prompts, the sample notices and the app script."""


def _find(relative: str, env: str, bundled: str | None = None) -> Path:
    """The folder from $env, else next to the package (a checkout), else under the cwd, else in the wheel."""
    if os.environ.get(env):
        return Path(os.environ[env])
    for base in (REPO_ROOT, Path.cwd()):
        candidate = base / relative
        if candidate.exists():
            return candidate
    if bundled and (BUNDLED / bundled).exists():
        return BUNDLED / bundled
    return REPO_ROOT / relative


def examples_dir() -> Path:
    return _find("examples/notices", "AUDIT_EXAMPLES_DIR", "notices")


def prompts_dir() -> Path:
    return _find("prompts", "AUDIT_PROMPTS_DIR", "prompts")


def app_script() -> Path:
    """streamlit_app.py of the checkout, else of the working directory, else the wheel's."""
    return _find("streamlit_app.py", "AUDIT_APP_SCRIPT", "streamlit_app.py")


def gold_dir() -> Path:
    return _find("evals/gold", "AUDIT_GOLD_DIR")


def dev_dir() -> Path:
    """The development notices written for tuning (`evals/dev/`, gold in `evals/dev/gold/`)."""
    return _find("evals/dev", "AUDIT_DEV_DIR")


def holdout_dir() -> Path:
    """The held-aside notices, never tuned on (`evals/dev/holdout/`, gold in its `gold/`)."""
    return dev_dir() / "holdout"
