"""`audit memo`: the 督办清单 (a Word memo of the flagged records still to follow up)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from assistant.cli.app import app
from assistant.cli.core import ExtractorOpt, _report_errors, _review_book, _run_with_progress, store_exists
from assistant.enums import Extractor

console = Console()
err_console = Console(stderr=True)


@app.command(short_help="生成督办清单（Word）")
def memo(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="通报文件或文件夹（可多个）；不写则使用通报库中已导入的全部通报", exists=True),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="输出的 Word 文件（.docx）")] = Path(
        "督办清单.docx"
    ),
    store_dir: Annotated[
        Path | None,
        typer.Option(
            "--store", help="通报库目录（审核意见也从这里读取；默认 AUDIT_STORE_DIR 或 vectorstore/）"
        ),
    ] = None,
    include_dismissed: Annotated[
        bool, typer.Option("--include-dismissed", help="审核时已排除的记录也列入（默认不列入）")
    ] = False,
    extractor: ExtractorOpt = Extractor.RULES,
) -> None:
    """生成督办清单（Word）：按单位列出存疑记录——问题、声称状态、存疑原因、措施原文及其位置、审核意见，并留出整改单位回复栏；首页为各单位、各类标记的数量表。

    默认列入“确认存疑”和“未审核”的记录。给出 PATH 时先抽取这些通报（审核意见按通报内容从通报库的审核记录中查找）；
    不给 PATH 时使用通报库中已导入的通报及其审核意见（即网页“存疑清单”所见）。
    """
    from assistant.memo import write_memo
    from assistant.settings import get_settings

    if out.suffix.lower() != ".docx":
        err_console.print(f"[red]督办清单只能写成 .docx[/red]：请把 {out.name} 改为以 .docx 结尾的文件名。")
        raise typer.Exit(2)
    settings = get_settings()
    store_path = Path(store_dir or settings.store_dir).expanduser()
    errors = []
    if paths:
        batch = _run_with_progress(paths, extractor, label="抽取")
        results, errors = batch.results, batch.errors
        reviews = _review_book(store_path)
    else:
        from assistant.cli.store import empty_store_message
        from assistant.reviews import ReviewBook
        from assistant.store import NoticeStore

        if not store_exists(store_path):
            err_console.print(
                f"[red]通报库是空的[/red]：查找位置 {store_path.resolve()}。请给出通报文件或文件夹，"
                "或先用 audit index 导入通报（或用 --store / AUDIT_STORE_DIR 指定已有的库）。"
            )
            raise typer.Exit(2)
        store = NoticeStore.open(settings, path=store_path)
        if not store.notices():
            err_console.print(f"[red]{empty_store_message(store)}[/red]")
            raise typer.Exit(2)
        results, reviews = store.results(), ReviewBook.for_store(store)
    made = write_memo(results, out, reviews, include_dismissed=include_dismissed)
    console.print(
        f"已写出督办清单：{len(made.items)} 条存疑记录，{len(made.units)} 个单位 → [bold]{out}[/bold]"
    )
    _report_errors(errors)
    if errors:
        raise typer.Exit(1)
