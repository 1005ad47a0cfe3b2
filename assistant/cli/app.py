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


app = AuditTyper(
    name="audit",
    help="巡察整改进展情况通报审核助手：抽取整改记录、标记存疑的“整改完成”、问答检索。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    # errors raised on purpose print their message (AuditTyper); anything else is a plain traceback,
    # and `audit --help` does not load rich's traceback renderer
    pretty_exceptions_enable=False,
)
