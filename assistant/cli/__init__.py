"""The `audit` command line. Each submodule registers its commands on the shared `app`."""

# Importing the command modules registers their commands on `app`.
from assistant.cli import app_cmd as _app_cmd  # noqa: F401
from assistant.cli import config as _config  # noqa: F401
from assistant.cli import core as _core  # noqa: F401
from assistant.cli import memo as _memo  # noqa: F401
from assistant.cli import qa as _qa  # noqa: F401
from assistant.cli import store as _store  # noqa: F401
from assistant.cli.app import app

__all__ = ["app"]
