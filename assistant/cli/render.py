"""Terminal rendering of extraction results: summaries and the flagged-records table."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from assistant.models import SEVERITY_RANK, NoticeResult, Status

STATUS_ORDER = [Status.COMPLETED, Status.PARTIAL, Status.IN_PROGRESS, Status.UNSTATED]


def notices_table(results: list[NoticeResult]) -> Table:
    table = Table(title="各通报记录数与通报自称汇总数", show_lines=False)
    table.add_column("通报")
    table.add_column("发布单位")
    table.add_column("记录数", justify="right")
    table.add_column("通报自称", justify="right")
    for status in STATUS_ORDER:
        table.add_column(status.value, justify="right")
    table.add_column("存疑", justify="right")
    for res in results:
        counts = Counter(r.status for r in res.records)
        totals = res.meta.totals
        claimed = "—"
        if totals is not None:
            parts = []
            if totals.problems is not None:
                parts.append(f"{totals.problems}个问题")
            if totals.specific_problems is not None:
                parts.append(f"{totals.specific_problems}个具体问题")
            if totals.completed is not None:
                parts.append(f"完成{totals.completed}")
            if totals.partial is not None:
                parts.append(f"阶段性{totals.partial}")
            claimed = "，".join(parts)
            if any(f.code == "totals_mismatch" for f in res.flags):
                claimed = f"[red]{claimed} ≠[/red]"
        flagged = sum(1 for r in res.records if r.flags)
        table.add_row(
            res.source_name,
            res.meta.organisation or "—",
            str(len(res.records)),
            claimed,
            *[str(counts.get(s, 0)) for s in STATUS_ORDER],
            str(flagged),
        )
    return table


def flags_table(results: list[NoticeResult], codes: set[str] | None = None) -> Table:
    """One row per flag: problem, status, flag, reason, the notice and the place in it."""
    table = Table(title="存疑清单（按严重程度排序）", show_lines=True)
    for name in ("问题", "状态", "标记", "原因", "通报", "位置"):
        table.add_column(name, overflow="fold")
    rows = []
    for res in results:
        for record in res.records:
            for flag in record.flags:
                if codes and flag.code.value not in codes:
                    continue
                place = f"{record.record_id}（第{record.source_span.start}–{record.source_span.end}字）"
                rows.append(
                    (
                        SEVERITY_RANK[flag.severity],
                        record.problem,
                        record.status.value,
                        flag,
                        res.source_name,
                        place,
                    )
                )
        for flag in res.flags:
            if codes and flag.code.value not in codes:
                continue
            place = "汇总句" if flag.code.value.startswith("totals") else "全文"
            rows.append((SEVERITY_RANK[flag.severity], "（通报整体）", "—", flag, res.source_name, place))
    rows.sort(key=lambda r: r[0])
    for _, problem, status, flag, source, place in rows:
        colour = "red" if flag.severity == "high" else "yellow"
        table.add_row(problem, status, f"[{colour}]{flag.code.value}[/{colour}]", flag.reason, source, place)
    return table


def print_summary(console: Console, results: list[NoticeResult]) -> None:
    console.print(notices_table(results))
    counts = Counter(r.status.value for res in results for r in res.records)
    total = sum(counts.values())
    console.print(
        f"共 {len(results)} 份通报，{total} 条整改记录："
        + "，".join(f"{s.value} {counts.get(s.value, 0)}" for s in STATUS_ORDER)
    )
    flagged = [f for res in results for r in res.records for f in r.flags] + [
        f for res in results for f in res.flags
    ]
    by_code = Counter(f.code.value for f in flagged)
    console.print("存疑标记：" + ("，".join(f"{k} {v}" for k, v in by_code.most_common()) or "无"))
    print_notice_warnings(console, results)


NOTICE_WARNINGS = ("no_records", "truncated", "totals_unreadable")


def print_notice_warnings(console: Console, results: list[NoticeResult]) -> None:
    """Notices that gave nothing, were cut off or had garbled totals: said, never silent."""
    for res in results:
        for flag in res.flags:
            if flag.code.value in NOTICE_WARNINGS:
                console.print(f"[yellow]⚠ {res.source_name}[/yellow]：{flag.reason}")
