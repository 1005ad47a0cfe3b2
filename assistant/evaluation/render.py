"""The eval report as rich tables: sets side by side, per notice, targets, and every miss."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.evaluation.metrics import Scores
from assistant.evaluation.runner import EvalReport, SetReport, Target

METRIC_LABELS = {
    "f1": "记录 F1（宽松匹配）",
    "status_accuracy": "状态准确率",
    "measure_exact_rate": "措施数完全一致率",
    "vague_f1": "存疑标记 F1",
    "concrete_accuracy": "具体性判断准确率",
    "generic_precision": "“措施空泛”标记精确率",
    "silent_misses": "漏抽且无提示的通报数",
}
KIND_LABELS = {
    "missing": "漏抽",
    "extra": "多抽",
    "boundary": "边界不符",
    "status": "状态不符",
    "measures": "措施数不符",
    "concrete": "具体性不符",
    "vague_missed": "漏标存疑",
    "vague_extra": "误标存疑",
    "generic_extra": "误标空泛",
    "truncated_missed": "未标截断",
    "truncated_extra": "误标截断",
    "totals": "汇总数字不符",
    "silent_miss": "无提示漏抽",
}
_COLUMNS = ("通报", "金/预/配", "F1", "严格F1", "状态", "措施", "具体", "疑F1", "空泛P", "汇总", "无提示")


def _row(name: str, s: Scores) -> list[str]:
    totals = f"{s.totals_correct}/{s.totals_labelled}" if s.totals_labelled else "—"
    return [
        name,
        f"{s.gold}/{s.predicted}/{s.matched}",
        f"{s.f1:.2f}",
        f"{s.strict_f1:.2f}",
        f"{s.status_accuracy:.2f}",
        f"{s.measure_exact_rate:.2f}",
        f"{s.concrete_accuracy:.2f}",
        f"{s.vague_f1:.2f}",
        f"{s.generic_precision:.2f}",
        totals,
        str(s.silent_misses),
    ]


def _table(title: str, caption: str | None = None) -> Table:
    table = Table(title=title, caption=caption, padding=(0, 1), box=box.SIMPLE_HEAD)
    table.add_column(_COLUMNS[0], max_width=14, overflow="ellipsis", no_wrap=True)
    for col in _COLUMNS[1:]:
        table.add_column(col, justify="right", no_wrap=True)
    return table


CAPTION = (
    "金/预/配：金标/预测/匹配记录数；F1：宽松匹配；严格F1：问题文字边界一致；状态、措施、具体：匹配记录上的"
    "准确率；疑F1：存疑标记；空泛P：“措施空泛”标记精确率；汇总：汇总数字读对的通报；无提示：漏抽却无通报级提示"
)


def render_report(report: EvalReport, console: Console, details: bool = True, errors: bool = False) -> None:
    title = "抽取评测" + (f"（{report.extractor}）" if report.extractor else "")
    summary = _table(title, CAPTION)
    for s in report.sets:
        summary.add_row(*_row(f"{s.label}（{len(s.notices)}）", s.overall))
    if len(report.sets) > 1:
        summary.add_section()
        summary.add_row(*_row("[bold]合计[/bold]", report.overall))
    console.print(summary)
    for s in report.sets:
        _targets(console, s.label, s.targets)
    if len(report.sets) > 1:
        _targets(console, "合计", report.targets)
    for row in report.notices:
        if row.error:
            console.print(f"[red]{escape(row.notice)} 处理失败[/red]：{escape(row.error)}")
    if details:
        for s in report.sets:
            _per_notice(console, s)
    if errors:
        _errors(console, report)


def _targets(console: Console, label: str, targets: list[Target]) -> None:
    parts = []
    for t in targets:
        mark = "[green]✓[/green]" if t.passed else "[red]✗[/red]"
        bound = f"≤ {t.threshold:g}" if t.maximum else f"≥ {t.threshold:.2f}"
        value = f"{t.value:g}" if t.maximum else f"{t.value:.3f}"
        parts.append(f"{METRIC_LABELS.get(t.metric, t.metric)} {value}（{bound}）{mark}")
    console.print(f"[bold]{label}[/bold]：" + "；".join(parts))


def _per_notice(console: Console, s: SetReport) -> None:
    table = _table(f"{s.label}：逐篇")
    for row in s.notices:
        table.add_row(*_row(escape(row.notice), row.scores))
    console.print(table)


def _errors(console: Console, report: EvalReport) -> None:
    table = Table(title="逐条不一致", box=box.SIMPLE_HEAD, show_lines=False)
    for col, width in (
        ("集", 6),
        ("通报", 14),
        ("类型", 8),
        ("位置（金标｜预测）", 18),
        ("问题", 30),
        ("金标", 30),
        ("预测", 30),
    ):
        table.add_column(col, max_width=width, overflow="fold")
    for row in report.notices:
        for m in row.mismatches:
            place = f"{m.gold_place or '—'}｜{m.predicted_place or '—'}"
            table.add_row(
                row.set,
                escape(row.notice),
                KIND_LABELS[m.kind],
                escape(place),
                escape(m.problem),
                escape(m.gold or ""),
                escape(m.predicted or ""),
            )
    console.print(table)


def render_comparison(reports: list[EvalReport], console: Console) -> None:
    """Extractors side by side on the overall scores."""
    table = Table(title="抽取方式对比（合计）", box=box.SIMPLE_HEAD)
    table.add_column("指标")
    for report in reports:
        table.add_column(report.extractor or "?", justify="right")
    metrics = [
        ("precision", "记录 P"),
        ("recall", "记录 R"),
        ("f1", "记录 F1"),
        ("strict_f1", "记录 F1（严格）"),
        ("status_accuracy", "状态准确率"),
        ("measure_exact_rate", "措施数一致率"),
        ("measure_mae", "措施数 MAE"),
        ("concrete_accuracy", "具体性准确率"),
        ("vague_precision", "存疑 P"),
        ("vague_recall", "存疑 R"),
        ("vague_f1", "存疑 F1"),
        ("generic_precision", "空泛标记 P"),
    ]
    for metric, label in metrics:
        table.add_row(label, *(f"{getattr(r.overall, metric):.3f}" for r in reports))
    console.print(table)
