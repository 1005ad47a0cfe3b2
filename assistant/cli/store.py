"""`audit index`, `audit store stats|list|remove` and `audit search`: the persistent store from the shell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.cli.app import app, command_group
from assistant.cli.options import WorkersOpt
from assistant.enums import Extractor, FlagCode, Status

if TYPE_CHECKING:
    from assistant.store import NoticeStore

console = Console()
err_console = Console(stderr=True)

StoreOpt = Annotated[
    Path | None, typer.Option("--store", help="存储目录（默认 AUDIT_STORE_DIR 或 vectorstore/）")
]
store_app = command_group("store", "查看和管理通报库：统计、列出、删除、检查、重建。")

ACTION_LABELS = {"added": "新增", "unchanged": "未变化", "updated": "已更新", "replaced": "替换旧版本"}


def empty_store_message(store: NoticeStore) -> str:
    """An empty store always says where it looked, so a command run from another folder is not a mystery."""
    where = f"{Path(store.path).resolve()}（来自{store.settings.store_source}）"
    return f"通报库中还没有通报：查找位置 {where}。用 audit index 路径 导入，或用 --store / AUDIT_STORE_DIR 指定已有的库。"


def _open(store_dir: Path | None) -> NoticeStore:
    from assistant.settings import get_settings
    from assistant.store import NoticeStore

    settings = get_settings()
    return NoticeStore.open(settings, path=store_dir or settings.store_dir)


@app.command(short_help="把通报导入通报库（可重复导入）")
def index(
    paths: Annotated[list[Path], typer.Argument(help="通报文件或文件夹（可多个）", exists=True)],
    extractor: Annotated[
        Extractor, typer.Option("--extractor", "-e", help="抽取方式：rules（默认）、llm 或 hybrid")
    ] = Extractor.RULES,
    store_dir: StoreOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """把通报导入向量库（抽取、标记、切块、建立向量和 BM25 索引）。重复导入同一通报不会产生重复内容。"""
    from assistant.cli.llm_run import print_llm_usage, require_llm
    from assistant.pipeline import collect_files, default_workers, index_files

    require_llm(extractor, err_console)
    files = collect_files(paths)
    if not files:
        err_console.print("[red]没有找到可处理的通报文件[/red]（支持 .txt .docx .pdf .html）。")
        raise typer.Exit(2)
    store = _open(store_dir)
    with Progress(
        TextColumn("[bold]导入"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=err_console,
    ) as progress:
        task = progress.add_task("导入", total=len(files), current="")

        def on_file(path: Path, added: object, error: str | None) -> None:
            if error:
                progress.console.print(f"[red]✗ {path.name}[/red]：{error}")
            progress.update(task, advance=1, current=path.name)

        report = index_files(
            files, store, extractor=extractor, on_file=on_file, workers=workers or default_workers(extractor)
        )
    print_llm_usage(extractor, err_console)
    for added in report.added:
        console.print(f"  {added.source_name}：{ACTION_LABELS[added.action]}，{added.chunks} 个段落")
    stats = store.stats()
    console.print(
        f"向量库 [bold]{stats.path}[/bold]：{stats.notices} 份通报，{stats.records} 条记录，{stats.chunks} 个段落。"
    )
    if report.errors:
        err_console.print(f"[red]{len(report.errors)} 个文件导入失败[/red]，其余已完成。")
        raise typer.Exit(1)


@store_app.command("stats", short_help="通报库统计")
def stats_cmd(store_dir: StoreOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """向量库统计：通报、记录、段落、向量数，嵌入模型，状态与标记分布。"""
    from assistant.naming import flag_label

    stats = _open(store_dir).stats()
    if as_json:
        print(stats.model_dump_json(indent=2))
        return
    table = Table(show_header=False, title="向量库统计")
    rows = [
        ("位置", stats.path),
        ("后端", stats.backend),
        ("集合", stats.collection),
        ("嵌入模型", f"{stats.embeddings_model}（{stats.dimensions} 维）"),
        ("通报", str(stats.notices)),
        ("整改记录", f"{stats.records}（其中存疑 {stats.flagged_records}）"),
        ("段落 / 向量 / BM25", f"{stats.chunks} / {stats.vectors} / {stats.bm25_documents}"),
        ("状态分布", "，".join(f"{k} {v}" for k, v in stats.status_counts.items()) or "—"),
        ("标记分布", "，".join(f"{flag_label(k)} {v}" for k, v in stats.flag_counts.items()) or "—"),
    ]
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)


@store_app.command("list", short_help="列出库中的通报")
def list_cmd(store_dir: StoreOpt = None) -> None:
    """列出库中的通报（编号可用于 audit store remove）。"""
    from assistant.naming import EXTRACTOR_LABELS, names_by_notice

    store = _open(store_dir)
    notices = store.notices()
    if not notices:
        console.print(empty_store_message(store), highlight=False)
        return
    table = Table(title=f"库中通报（{len(notices)} 份）")
    for col in ("编号", "通报", "文件", "记录", "存疑", "抽取方式"):
        table.add_column(col, overflow="fold")
    names = names_by_notice(notices)
    for n in notices:
        table.add_row(
            n.notice_id[:12],
            names[n.notice_id],
            n.source_name,
            str(n.records),
            str(n.flagged_records),
            EXTRACTOR_LABELS.get(n.extractor, n.extractor),
        )
    console.print(table)


@store_app.command("remove", short_help="从库中删除通报")
def remove_cmd(
    notice: Annotated[str, typer.Argument(help="通报编号（或其开头）或文件名开头")],
    store_dir: StoreOpt = None,
) -> None:
    """从库中删除一份通报及其段落、向量和记录。"""
    store = _open(store_dir)
    notice_id = store.resolve(notice)
    if notice_id is None:
        err_console.print(f"[red]找不到唯一匹配“{notice}”的通报[/red]。用 audit store list 查看编号。")
        raise typer.Exit(2)
    name = store.manifest[notice_id].source_name
    store.remove(notice_id)
    console.print(f"已删除 {name}（{notice_id[:12]}）。")


@store_app.command("check", short_help="检查通报库是否完好")
def check_cmd(store_dir: StoreOpt = None) -> None:
    """检查通报库：数据库可读、记录与段落计数一致、向量与关键词索引和段落对应。有问题时退出码为 1。"""
    report = _open(store_dir).check()
    console.print(
        f"通报 {report.notices} 份，记录 {report.records} 条，段落 {report.chunks} 个，"
        f"向量 {report.vectors} 个，关键词索引 {report.keyword_documents} 个。"
    )
    if report.ok:
        console.print("[green]通报库完好。[/green]")
        return
    for problem in report.problems:
        err_console.print(f"[red]✗[/red] {problem}", markup=True, highlight=False)
    err_console.print("运行 [bold]audit store rebuild[/bold] 重建派生的索引和表。")
    raise typer.Exit(1)


@store_app.command("rebuild", short_help="抢救并重建损坏的通报库")
def rebuild_cmd(store_dir: StoreOpt = None) -> None:
    """重建通报库：数据库文件损坏时先逐行抢救可读部分（原文件保留），再由每份通报的原文、抽取结果和
    结构重建记录表、段落、计数、关键词索引和向量。"""
    from assistant.settings import get_settings
    from assistant.store import NoticeStore

    settings = get_settings()
    report = NoticeStore.rebuild(settings, path=store_dir or settings.store_dir)
    if report.salvaged_from:
        console.print(f"数据库文件已损坏，已抢救可读部分；原文件保留在 {report.salvaged_from}。")
    console.print(
        f"已重建：通报 {report.notices} 份，记录 {report.records} 条，段落 {report.chunks} 个，"
        f"关键词索引 {report.keyword_documents} 个；补建向量 {report.vectors_added} 个，"
        f"删除多余向量 {report.vectors_removed} 个。"
    )
    for item in report.lost:
        err_console.print(f"[yellow]未能恢复[/yellow]：{item}", highlight=False)
    if report.lost:
        err_console.print("未能恢复的通报请用 [bold]audit index 路径[/bold] 重新导入。")


@app.command(short_help="混合检索段落（向量 + 关键词）")
def search(
    query: Annotated[str, typer.Argument(help="检索内容，如“公务用车”")],
    k: Annotated[int, typer.Option("-k", "--top-k", min=1, max=50, help="返回条数")] = 5,
    org: Annotated[str | None, typer.Option("--org", help="发布单位（名称的一部分）")] = None,
    status: Annotated[
        Status | None, typer.Option("--status", help="整改状态：完成、阶段性完成、推进中、未说明")
    ] = None,
    flag: Annotated[FlagCode | None, typer.Option("--flag", help="存疑标记，如 vague_completion")] = None,
    since: Annotated[
        dt.datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="发布日期起（YYYY-MM-DD）")
    ] = None,
    until: Annotated[
        dt.datetime | None, typer.Option("--until", formats=["%Y-%m-%d"], help="发布日期止（YYYY-MM-DD）")
    ] = None,
    all_vectors: Annotated[
        bool,
        typer.Option(
            "--all-vectors", help="向量检索覆盖整个向量库（默认只为关键词候选段落计算向量，启动更快）"
        ),
    ] = False,
    store_dir: StoreOpt = None,
) -> None:
    """混合检索（向量 + BM25，倒数排名融合），列出段落及其在通报中的位置。"""
    from assistant.naming import NoticeName, flag_label
    from assistant.store import SearchFilters

    store = _open(store_dir)
    if store.never_written or not store.notice_count():
        err_console.print(f"[red]{empty_store_message(store)}[/red]", highlight=False)
        raise typer.Exit(2)
    filters = SearchFilters(
        organisation=org,
        status=status,
        flag=flag,
        date_from=since.date() if since else None,
        date_to=until.date() if until else None,
    )
    hits = store.search(query, k=k, filters=filters, keyword_first=not all_vectors)
    if not hits:
        console.print("没有找到相关段落。")
        return
    for hit in hits:
        c = hit.chunk
        place = " > ".join(c.outline_path) or "（通报开头）"
        ranks = f"向量#{hit.vector_rank or '—'} BM25#{hit.bm25_rank or '—'}"
        extra = f" [{c.status}]" if c.status else ""
        flags = f" [red]{'、'.join(flag_label(f) for f in c.flag_codes)}[/red]" if c.flag_codes else ""
        published = dt.date.fromisoformat(c.published) if c.published else None
        name = NoticeName.of(c.source_name, c.organisation, published).label
        console.print(
            f"[bold cyan]{hit.rank}.[/bold cyan] {name} 第{c.span.start}–{c.span.end}字{extra}{flags}  [dim]{ranks}[/dim]"
        )
        console.print(f"   [cyan]{place}[/cyan]", highlight=False)
        body = c.body.replace("\n", " ")
        console.print(f"   {body[:160]}{'…' if len(body) > 160 else ''}", markup=False, highlight=False)
