"""The shared typer application, kept apart so command modules can import it without cycles."""

import sys
from typing import Any

import typer


class AuditTyper(typer.Typer):
    """Errors raised on purpose end in their Chinese message and exit code 1, never a traceback."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from assistant.errors import AuditError

        try:
            return super().__call__(*args, **kwargs)
        except AuditError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            sys.exit(1)
        except Exception as exc:
            if type(exc).__module__.startswith("sqlalchemy"):
                from assistant.store.errors import database_failure

                print(f"错误：{database_failure(exc)}", file=sys.stderr)
                sys.exit(1)
            raise


# Help is click's plain formatter, not typer's rich panels: rich's help pulls in its markdown and
# traceback renderers (≈ 0.2 s of the start-up `audit --help` pays), and its panels cut Chinese
# descriptions mid-sentence. Each command gives a short_help that fits 80 columns.
HELP_SETTINGS: dict[str, Any] = {"no_args_is_help": True, "rich_markup_mode": None}

app = AuditTyper(
    name="audit",
    help="巡察整改进展情况通报审核助手：抽取整改记录、标记存疑的“整改完成”、问答检索。",
    add_completion=False,
    # errors raised on purpose print their message (AuditTyper); anything else is a plain traceback,
    # and `audit --help` does not load rich's traceback renderer
    pretty_exceptions_enable=False,
    **HELP_SETTINGS,
)


def command_group(name: str, help: str) -> typer.Typer:
    """A sub-command group (`audit store …`) registered on `app`, with the same help style."""
    group = typer.Typer(help=help, **HELP_SETTINGS)
    app.add_typer(group, name=name)
    return group
