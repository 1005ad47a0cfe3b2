"""The eval report as rich tables: per notice, overall, targets, and what disagreed."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from assistant.evaluation.metrics import Scores
from assistant.evaluation.runner import EvalReport

METRIC_LABELS = {
    "f1": "记录 F1",
    "status_accuracy": "状态准确率",
    "vague_f1": "存疑标记 F1",
    "measure_exact_rate": "措施数完全一致率",
}
KIND_LABELS = {
    "missing": "漏抽",
    "extra": "多抽",
    "status": "状态不符",
    "measures": "措施数不符",
    "vague_missed": "漏标存疑",
    "vague_extra": "误标存疑",
}


def _row(name: str, s: Scores) -> list[str]:
    return [
        name,
        f"{s.gold}/{s.predicted}/{s.matched}",
        f"{s.precision:.2f}",
        f"{s.recall:.2f}",
        f"{s.f1:.2f}",
        f"{s.status_accuracy:.2f}",
        f"{s.measure_exact_rate:.2f}",
        f"{s.measure_mae:.2f}",
        f"{s.vague_precision:.2f}",
        f"{s.vague_recall:.2f}",
        f"{s.vague_f1:.2f}",
    ]


def render_report(report: EvalReport, console: Console, details: bool = True) -> None:
    title = "抽取评测" + (f"（{report.extractor}）" if report.extractor else "")
    table = Table(title=title, caption="P/R/F1：记录；状态：状态准确率；措施：措施数一致率；疑：存疑标记", padding=(0, 1), box=box.SIMPLE_HEAD)
    table.add_column("通报", max_width=10, overflow="ellipsis", no_wrap=True)
    for col in ("金/预/配", "P", "R", "F1", "状态", "措施", "MAE", "疑P", "疑R", "疑F1"):
        table.add_column(col, justify="right", no_wrap=True, min_width=8 if "/" in col else 4)
    for row in report.notices:
        table.add_row(*_row(row.notice, row.scores))
    table.add_section()
    table.add_row(*_row("[bold]合计[/bold]", report.overall))
    console.print(table)

    for target in report.targets:
        mark = "[green]达标[/green]" if target.passed else "[red]未达标[/red]"
        label = METRIC_LABELS.get(target.metric, target.metric)
        console.print(f"{label}：{target.value:.3f}（目标 ≥ {target.threshold:.2f}）{mark}")

    for row in report.notices:
        if row.error:
            console.print(f"[red]{row.notice} 处理失败[/red]：{row.error}")
    if details:
        for row in report.notices:
            for m in row.mismatches:
                extra = ""
                if m.gold is not None or m.predicted is not None:
                    extra = f"（金标：{m.gold or '—'}；预测：{m.predicted or '—'}）"
                console.print(f"  [dim]{row.notice[:14]}[/dim] {KIND_LABELS[m.kind]}：{m.problem}{extra}")


def render_comparison(reports: list[EvalReport], console: Console) -> None:
    """Extractors side by side on the overall scores."""
    table = Table(title="抽取方式对比（合计）", box=box.SIMPLE_HEAD)
    table.add_column("指标")
    for report in reports:
        table.add_column(report.extractor or "?", justify="right")
    metrics = [("precision", "记录 P"), ("recall", "记录 R"), ("f1", "记录 F1"), ("status_accuracy", "状态准确率"),
               ("measure_exact_rate", "措施数一致率"), ("measure_mae", "措施数 MAE"), ("vague_precision", "存疑 P"),
               ("vague_recall", "存疑 R"), ("vague_f1", "存疑 F1")]
    for metric, label in metrics:
        table.add_row(label, *(f"{getattr(r.overall, metric):.3f}" for r in reports))
    console.print(table)
