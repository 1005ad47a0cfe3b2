"""Terminal rendering of extraction results: summaries and the flagged-records table.

Laid out to stay readable in an 80-column terminal: notices named `单位 · 日期`, long text wrapping
in one wide column, counts in narrow ones, flags in Chinese with their reasons.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.export.notices import totals_check
from assistant.export.people import place, top_severity
from assistant.export.pieces import notice_warnings
from assistant.models import SEVERITY_RANK, NoticeResult, Severity, Status
from assistant.naming import SEVERITY_LABELS, NoticeName, flag_label

STATUS_ORDER = [Status.COMPLETED, Status.PARTIAL, Status.IN_PROGRESS, Status.UNSTATED]
STATUS_HEADERS = {
    Status.COMPLETED: "完成",
    Status.PARTIAL: "阶段性",
    Status.IN_PROGRESS: "推进中",
    Status.UNSTATED: "未说明",
}
SEVERITY_COLOURS = {Severity.HIGH: "red", Severity.MEDIUM: "yellow", Severity.LOW: "blue"}
TOTALS_COLOURS = {"不符": "red", "无法识别": "yellow"}


def _name_cell(name: NoticeName) -> str:
    """Unit on the first line, date (and round) on the second: names stay whole in a narrow column."""
    if not name.organisation:
        return escape(name.file)
    second = " · ".join(x for x in (name.date, name.round) if x)
    return f"{escape(name.organisation)}\n[dim]{escape(second)}[/dim]"


def notices_table(results: list[NoticeResult]) -> Table:
    table = Table(
        title="各通报记录数",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption="汇总：通报自称的问题数与记录数是否相符",
    )
    table.add_column("通报", ratio=1, overflow="fold")
    table.add_column("记录", justify="right")
    for status in STATUS_ORDER:
        table.add_column(STATUS_HEADERS[status], justify="right")
    table.add_column("存疑", justify="right")
    table.add_column("汇总", justify="center")
    for res in results:
        counts = Counter(r.status for r in res.records)
        check = totals_check(res)
        check_cell = "—" if check == "未写汇总" else check
        if check in TOTALS_COLOURS:
            check_cell = f"[{TOTALS_COLOURS[check]}]{check}[/{TOTALS_COLOURS[check]}]"
        table.add_row(
            _name_cell(NoticeName.of_result(res)),
            str(len(res.records)),
            *[str(counts.get(s, 0)) for s in STATUS_ORDER],
            str(sum(1 for r in res.records if r.flags)),
            check_cell,
        )
    return table


def _wanted(code: str, codes: set[str] | None) -> bool:
    return not codes or code in codes or flag_label(code) in codes


def flags_table(results: list[NoticeResult], codes: set[str] | None = None) -> Table:
    """One row per flagged record (all its flags together), most severe first: problem and place, status, why."""
    table = Table(title="存疑清单（按严重程度排序）", show_lines=True, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("问题（通报 · 位置）", ratio=4, overflow="fold")
    table.add_column("状态", no_wrap=True)
    table.add_column("存疑原因", ratio=5, overflow="fold")
    rows = []
    for res in results:
        name = NoticeName.of_result(res)
        for record in res.records:
            flags = [f for f in record.flags if _wanted(f.code, codes)]
            if flags:
                where = f"{escape(record.problem)}\n[dim]{escape(name.label)} · {escape(place(record))}[/dim]"
                rows.append((flags, res.source_name, record.source_span.start, where, record.status.value))
        flags = [f for f in res.flags if _wanted(f.code, codes)]
        if flags:
            rows.append((flags, res.source_name, -1, f"（通报整体）\n[dim]{escape(name.label)}[/dim]", "—"))
    rows.sort(key=lambda r: (SEVERITY_RANK[top_severity(r[0]) or Severity.LOW], r[1], r[2]))
    for flags, _, _, where, status in rows:
        reasons = []
        for f in flags:
            colour = SEVERITY_COLOURS.get(f.severity, "white")
            reasons.append(
                f"[{colour}]{SEVERITY_LABELS.get(f.severity, '')}·{flag_label(f.code)}[/{colour}]：{escape(f.reason)}"
            )
        table.add_row(where, status, "\n".join(reasons))
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
    by_code = Counter(flag_label(f.code) for f in flagged)
    records = sum(1 for res in results for r in res.records if r.flags)
    marks = "，".join(f"{k} {v}" for k, v in by_code.most_common()) or "无"
    console.print(f"存疑记录 {records} 条；标记：{marks}")
    print_notice_warnings(console, results)


def print_notice_warnings(console: Console, results: list[NoticeResult]) -> None:
    """Notices that gave nothing, were cut off or had garbled totals: said, never silent."""
    for res in results:
        print_warnings(console, notice_warnings(res))


def print_warnings(console: Console, warnings: Iterable[tuple[str, str]]) -> None:
    """(notice name, reason) pairs, as `notice_warnings` gives them (made in a worker or here)."""
    for name, reason in warnings:
        console.print(f"[yellow]⚠ {escape(name)}[/yellow]：{escape(reason)}")
