"""`python -m assistant.cli` runs the same command line as `audit`."""

from assistant.cli import app

app()
