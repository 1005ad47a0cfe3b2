"""The `audit` command line. Each submodule registers its commands on the shared `app`."""

from assistant.cli.app import app

# Importing the command modules registers their commands on `app`.
from assistant.cli import core as _core  # noqa: E402,F401

__all__ = ["app"]
