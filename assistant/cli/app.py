"""The shared typer application, kept apart so command modules can import it without cycles."""

import typer

app = typer.Typer(
    name="audit",
    help="巡察整改进展情况通报审核助手：抽取整改记录、标记存疑的“整改完成”、问答检索。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
