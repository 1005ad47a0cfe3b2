"""Commands of the core pipeline: demo, extract, flags, eval."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.cli.app import app
from assistant.cli.llm_run import print_llm_usage, require_llm
from assistant.cli.options import WorkersOpt
from assistant.enums import Extractor
from assistant.paths import examples_dir, gold_dir

if TYPE_CHECKING:
    from assistant.pipeline import BatchResult, FileError, Finish, Outcome

console = Console()
err_console = Console(stderr=True)

ExtractorOpt = Annotated[
    Extractor,
    typer.Option(
        "--extractor", "-e", help="抽取方式：rules（离线规则，默认）、llm 或 hybrid（规则抽取 + 大模型判断）"
    ),
]


def _files_or_exit(paths: list[Path], extractor: Extractor) -> list[Path]:
    from assistant.pipeline import collect_files

    require_llm(extractor, err_console)
    files = collect_files(paths)
    if not files:
        err_console.print("[red]没有找到可处理的通报文件[/red]（支持 .txt .docx .pdf .html）。请检查路径。")
        raise typer.Exit(2)
    return files


def _outcomes_with_progress(
    files: list[Path],
    extractor: Extractor,
    label: str = "抽取",
    workers: int | None = None,
    finish: Finish | None = None,
) -> Iterator[Outcome]:
    """The one loop over files with a progress bar; each outcome is handed on as soon as it is ready
    (with `finish`, what it made of the notice where the notice was processed)."""
    from assistant.pipeline import default_workers, iter_files

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=err_console,
        transient=False,
    ) as progress:
        task = progress.add_task(label, total=len(files), current="")
        for path, processed, error in iter_files(
            files, extractor, workers or default_workers(extractor), finish
        ):
            if error:
                progress.console.print(f"[red]✗ {path.name}[/red]：{error}")
            progress.update(task, advance=1, current=path.name)
            yield path, processed, error
    print_llm_usage(extractor, err_console)


def _run_with_progress(paths: list[Path], extractor: Extractor, label: str = "抽取") -> BatchResult:
    from assistant.pipeline import BatchResult, FileError

    batch = BatchResult()
    for path, processed, error in _outcomes_with_progress(_files_or_exit(paths, extractor), extractor, label):
        if processed is not None:
            batch.processed.append(processed)
        else:
            batch.errors.append(FileError(path=str(path), error=error or "未知错误"))
    return batch


def store_exists(store_dir: Path) -> bool:
    """Whether a store is there to read (a database server, or a store folder with its database)."""
    from assistant.reviews import REVIEWS_FILE
    from assistant.settings import get_settings
    from assistant.store.database import DATABASE_FILE

    if get_settings().database_url:
        return True
    return any((store_dir / name).is_file() for name in (DATABASE_FILE, REVIEWS_FILE, "manifest.json"))


def _review_book(store_dir: Path | None = None):
    """The reviewer marks of the store (read only here), or None when there is no store to read them from."""
    from assistant.reviews import ReviewBook
    from assistant.settings import get_settings

    folder = Path(store_dir or get_settings().store_dir).expanduser()
    return ReviewBook.for_store(folder) if store_exists(folder) else None


def _report_errors(errors: list[FileError]) -> None:
    if errors:
        err_console.print(f"[red]{len(errors)} 个文件处理失败[/red]，其余已完成：")
        for item in errors:
            err_console.print(f"  - {item.path}：{item.error}")


@app.command(short_help="批量抽取整改记录，导出 Excel/CSV/JSON")
def extract(
    paths: Annotated[list[Path], typer.Argument(help="通报文件或文件夹（可多个）", exists=True)],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="输出文件：.xlsx（审核用工作簿）、.csv（全部技术字段）、.jsonl 或 .json，按扩展名决定格式",
        ),
    ],
    extractor: ExtractorOpt = Extractor.RULES,
    workers: WorkersOpt = None,
) -> None:
    """批量抽取整改记录并导出：每份通报处理完即写出，不在内存中积攒。某个文件出错会被报告并跳过，其余照常完成；有失败时退出码为 1。"""
    from functools import partial

    from assistant.cli.render import print_warnings
    from assistant.export import ExportError, format_for, open_writer
    from assistant.export.pieces import export_piece
    from assistant.pipeline import FileError

    try:
        fmt = format_for(out)
    except ExportError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    files = _files_or_exit(paths, extractor)
    errors: list[FileError] = []
    # each notice's share of the export (text, or the workbook's rows) is made where it was extracted
    finish = partial(export_piece, fmt=fmt)
    with open_writer(out, reviews=_review_book()) as writer:
        for path, done, error in _outcomes_with_progress(files, extractor, workers=workers, finish=finish):
            if done is None:
                errors.append(FileError(path=str(path), error=error or "未知错误"))
            else:
                writer.add_piece(done)
                print_warnings(err_console, done.warnings)
    if writer.notices:
        console.print(f"已写出 {writer.notices} 份通报、{writer.records} 条记录 → [bold]{out}[/bold]")
    else:
        out.unlink(missing_ok=True)  # nothing could be read: no empty export left behind
    _report_errors(errors)
    if errors:
        raise typer.Exit(1)


@app.command(short_help="列出存疑记录及原因")
def flags(
    paths: Annotated[list[Path], typer.Argument(help="通报文件或文件夹（可多个）", exists=True)],
    code: Annotated[
        list[str] | None,
        typer.Option(
            "--code", "-c", help="只显示某类标记，如 vague_completion 或“声称完成但措施空泛”（可多次）"
        ),
    ] = None,
    extractor: ExtractorOpt = Extractor.RULES,
) -> None:
    """列出存疑记录（每条记录一行，含全部标记）：问题、状态、标记及原因、所在通报及位置。"""
    from assistant.cli.render import flags_table

    batch = _run_with_progress(paths, extractor, label="检查")
    console.print(flags_table(batch.results, set(code) if code else None))
    _report_errors(batch.errors)
    if batch.errors:
        raise typer.Exit(1)


@app.command(short_help="在示例通报上离线演示抽取与标记")
def demo(
    out_dir: Annotated[Path, typer.Option("--out-dir", help="输出目录")] = Path("out"),
) -> None:
    """在自带的示例通报（examples/notices/）上离线运行：抽取、标记，写出 out/records.xlsx 和 out/records.jsonl，并打印汇总。"""
    from assistant.cli.render import flags_table, print_summary
    from assistant.export import open_writer
    from assistant.pipeline import BatchResult, FileError

    notices = examples_dir()
    console.print(f"[bold]示例通报[/bold]：{notices}（离线规则抽取，无需 API key）")
    batch = BatchResult()
    reviews = _review_book()
    with (
        open_writer(out_dir / "records.xlsx", reviews) as xlsx,
        open_writer(out_dir / "records.jsonl") as jsonl,
    ):
        for path, processed, error in _outcomes_with_progress(
            _files_or_exit([notices], Extractor.RULES), Extractor.RULES
        ):
            if processed is None:
                batch.errors.append(FileError(path=str(path), error=error or "未知错误"))
                continue
            xlsx.add(processed.result)
            jsonl.add(processed.result)
            batch.processed.append(processed)
    results = batch.results
    print_summary(console, results)
    console.print(flags_table(results))
    console.print(
        f"已写出：[bold]{out_dir / 'records.xlsx'}[/bold]、[bold]{out_dir / 'records.jsonl'}[/bold]"
    )
    _report_errors(batch.errors)
    if batch.errors:
        raise typer.Exit(1)


EVAL_SETS = ("seeds", "dev", "holdout")


@app.command("eval", short_help="按金标准评测抽取与问答质量")
def eval_(
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            "-s",
            help="评测集：seeds（样例通报）、dev（开发集）、holdout（留出集）；可多次指定，默认全部",
        ),
    ] = None,
    gold: Annotated[
        Path | None, typer.Option("--gold", help="自定义金标准目录（与 --notices 一起使用，代替内置评测集）")
    ] = None,
    notices: Annotated[
        Path | None, typer.Option("--notices", help="自定义通报目录（默认 examples/notices）")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
    extractors: Annotated[
        list[Extractor] | None,
        typer.Option("--extractor", "-e", help="抽取方式：rules（默认）、llm、hybrid；可多次指定以并列比较"),
    ] = None,
    details: Annotated[bool, typer.Option("--details/--no-details", help="逐篇通报的得分表")] = True,
    errors: Annotated[
        bool, typer.Option("--errors", help="逐条列出每处不一致（金标与预测、在通报中的位置）")
    ] = False,
    qa: Annotated[
        bool, typer.Option("--qa", help="评测问答（evals/qa.jsonl）：检索命中率、MRR、要点召回、引用有效性")
    ] = False,
) -> None:
    """按金标准评测抽取质量：样例、开发集、留出集分别计分并合计（记录 F1、状态、措施数、具体性、存疑标记、汇总数字）。"""
    from assistant.cli.llm_run import print_llm_usage, require_llm

    if qa:
        _eval_qa(notices or examples_dir(), as_json)
        return
    from assistant.evaluation.gold import GoldError
    from assistant.evaluation.render import render_comparison, render_report
    from assistant.evaluation.runner import EvalSet, default_sets, evaluate
    from assistant.pipeline import process_file

    if gold is not None or notices is not None:
        chosen = [
            EvalSet(
                name="custom",
                label="指定目录",
                gold_dir=gold or gold_dir(),
                notices_dir=notices or examples_dir(),
            )
        ]
    else:
        wanted = list(dict.fromkeys(sets or EVAL_SETS))
        unknown = [w for w in wanted if w not in EVAL_SETS]
        if unknown:
            err_console.print(
                f"[red]未知的评测集：{'、'.join(unknown)}[/red]（可选：{'、'.join(EVAL_SETS)}）"
            )
            raise typer.Exit(2)
        chosen = [s for s in default_sets() if s.name in wanted]
        missing = [s for s in chosen if not s.gold_dir.is_dir()]
        for s in missing:
            err_console.print(
                f"[yellow]跳过{s.label}[/yellow]：找不到 {s.gold_dir}（从源码仓库运行可评测全部集合）"
            )
        chosen = [s for s in chosen if s not in missing]
        if not chosen:
            raise typer.Exit(2)
    names = list(dict.fromkeys(extractors or [Extractor.RULES]))
    for name in names:
        require_llm(name, err_console)
    reports = []
    for name in names:

        def predict(path: Path, name: str = name):
            return process_file(path, extractor=name).result

        try:
            reports.append(evaluate(chosen, predict, extractor=name))
        except GoldError as exc:
            err_console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None
        print_llm_usage(name, err_console)
    if as_json:
        dumps = [r.model_dump_json(indent=2) for r in reports]
        print(dumps[0] if len(dumps) == 1 else "[" + ",\n".join(dumps) + "]")
        return
    wide = Console(width=max(console.width, 150))  # the score tables need their columns whole
    for report in reports:
        render_report(report, wide, details=details, errors=errors)
    if len(reports) > 1:
        render_comparison(reports, console)


def _eval_qa(notices_dir: Path, as_json: bool) -> None:
    from assistant.evaluation.qa import render_qa_report, run_qa_eval
    from assistant.providers.llm import make_caller

    qa_path = gold_dir().parent / "qa.jsonl"
    reports = [run_qa_eval(qa_path, notices_dir)]
    llm = make_caller()  # with an endpoint configured, the LLM path is scored too
    if llm is not None:
        reports.append(run_qa_eval(qa_path, notices_dir, llm=llm))
    if as_json:
        dumps = [r.model_dump_json(indent=2) for r in reports]
        print(dumps[0] if len(dumps) == 1 else "[" + ",\n".join(dumps) + "]")
    else:
        for report in reports:
            render_qa_report(report, console)
    if llm is not None:
        err_console.print(llm.usage.summary(llm.settings))
