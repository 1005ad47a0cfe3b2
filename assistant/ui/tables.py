"""The app's tables, built from the store's results with no Streamlit in sight (tested directly).

Pages wrap these in `st.cache_data` keyed by the store's version, so a rerun with a few hundred
notices filters a cached frame instead of rebuilding it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from pydantic import BaseModel

from assistant.export.notices import claimed_total, totals_check
from assistant.export.people import place, top_severity
from assistant.models import SEVERITY_RANK, Flag, FlagCode, NoticeResult, Record, Severity, Span, Status
from assistant.naming import NoticeName, distinct_labels, flag_label
from assistant.review_marks import FlagKey
from assistant.ui.labels import STATUS_ORDER

__all__ = ["claimed_total"]

RecordKey = tuple[str, str]  # (notice_id, record_id)


class RecordRow(BaseModel):
    """One row of the records page, built from a Record (flags stay a list of codes)."""

    notice_id: str
    record_id: str
    notice: str  # the notice's display name
    unit: str  # issuing unit, never empty (the file name when the notice names none)
    place: str
    problem: str
    status: Status
    flags: list[FlagCode]
    flag_labels: list[str]
    measure_count: int
    concrete: bool
    category: str | None
    source_name: str
    search_text: str

    @classmethod
    def of(cls, result: NoticeResult, name: NoticeName, record: Record) -> RecordRow:
        searchable = [
            record.problem,
            record.category,
            record.parent_problem,
            *(m.text for m in record.measures),
            record.status_text,
            result.source_name,
            result.meta.organisation,
        ]
        return cls(
            notice_id=result.notice_id,
            record_id=record.record_id,
            notice=name.label,
            unit=name.unit,
            place=place(record),
            problem=record.problem,
            status=record.status,
            flags=[f.code for f in record.flags],
            flag_labels=list(dict.fromkeys(flag_label(f.code) for f in record.flags)),
            measure_count=len(record.measures),
            concrete=record.concrete,
            category=record.category,
            source_name=result.source_name,
            search_text="\n".join(x for x in searchable if x),
        )

    @property
    def key(self) -> RecordKey:
        return (self.notice_id, self.record_id)


ROW_COLUMNS = list(RecordRow.model_fields)


def record_rows(results: Iterable[NoticeResult]) -> list[RecordRow]:
    return [
        RecordRow.of(result, name, record)
        for result in results
        for name in [NoticeName.of_result(result)]
        for record in result.records
    ]


def records_table(results: Iterable[NoticeResult]) -> pd.DataFrame:
    """The records page's frame: one column per RecordRow field, `flags` a list per row."""
    rows = record_rows(results)
    return pd.DataFrame([r.model_dump() for r in rows], columns=ROW_COLUMNS)


def record_index(results: Iterable[NoticeResult]) -> dict[RecordKey, tuple[NoticeResult, Record]]:
    """Each record by (notice id, record id), to open one without scanning every result."""
    return {
        (result.notice_id, record.record_id): (result, record)
        for result in results
        for record in result.records
    }


def filter_records(
    frame: pd.DataFrame,
    *,
    organisations: Sequence[str] = (),
    statuses: Sequence[str] = (),
    flag: str | None = None,
    query: str = "",
) -> pd.DataFrame:
    """Rows matching every filter given; `query` words (space-separated) must all appear somewhere."""
    mask = pd.Series(True, index=frame.index)
    if organisations:
        mask &= frame["unit"].isin(list(organisations))
    if statuses:
        mask &= frame["status"].isin(list(statuses))
    has_flags = frame["flags"].map(len) > 0
    if flag == "__any__":
        mask &= has_flags
    elif flag == "__none__":
        mask &= ~has_flags
    elif flag:
        mask &= frame["flags"].map(lambda codes: flag in codes)
    for word in query.split():
        mask &= frame["search_text"].str.contains(word, regex=False)
    return frame[mask]


def subset_results(results: Iterable[NoticeResult], keys: set[RecordKey]) -> list[NoticeResult]:
    """The results cut down to the (notice_id, record_id) pairs shown, for downloads of what is on screen."""
    out = []
    for result in results:
        records = [r for r in result.records if (r.notice_id, r.record_id) in keys]
        if records:
            out.append(result.model_copy(update={"records": records}))
    return out


class ReviewItem(BaseModel):
    """One item of the review queue: a flagged record with all its flags, or a notice's own flags."""

    keys: list[FlagKey]  # one per flag: a mark is saved on each
    notice_id: str
    notice: str  # display name
    unit: str
    source_name: str
    record_id: str | None  # None for the notice-level item
    problem: str | None
    status: str | None
    flags: list[Flag]
    window: Span  # the part of the notice to show: the record, or around the spans
    place: str

    @property
    def id(self) -> str:
        return f"{self.notice_id}|{self.record_id or ''}"

    @property
    def severity(self) -> Severity:
        return top_severity(self.flags) or Severity.LOW

    @property
    def codes(self) -> list[str]:
        return [f.code.value for f in self.flags]

    @property
    def labels(self) -> list[str]:
        return list(dict.fromkeys(flag_label(f.code) for f in self.flags))

    @property
    def spans(self) -> list[Span]:
        return [s for f in self.flags for s in f.spans]


def _hull(spans: Sequence[Span]) -> Span | None:
    if not spans:
        return None
    return Span(start=min(s.start for s in spans), end=max(s.end for s in spans))


def review_queue(results: Iterable[NoticeResult]) -> list[ReviewItem]:
    """One item per flagged record (and per notice with notice-level flags), most severe first, then in reading order."""
    items: list[tuple[tuple[int, str, int], ReviewItem]] = []
    for result in results:
        name = NoticeName.of_result(result)
        common = {
            "notice_id": result.notice_id,
            "notice": name.label,
            "unit": name.unit,
            "source_name": result.source_name,
        }
        if result.flags:
            totals = result.meta.totals
            spans = [s for f in result.flags for s in f.spans]
            item = ReviewItem(
                keys=[FlagKey.of(result.notice_id, None, f.code) for f in result.flags],
                record_id=None,
                problem=None,
                status=None,
                flags=result.flags,
                window=_hull(spans) or (totals.span if totals else Span(start=0, end=0)),
                place=f"{name.label} · 全文",
                **common,
            )
            items.append(((SEVERITY_RANK[item.severity], result.source_name, -1), item))
        for record in result.records:
            if not record.flags:
                continue
            item = ReviewItem(
                keys=[FlagKey.of(result.notice_id, record.problem, f.code) for f in record.flags],
                record_id=record.record_id,
                problem=record.problem,
                status=record.status.value,
                flags=record.flags,
                window=record.source_span,
                place=f"{name.label} · {place(record)}",
                **common,
            )
            items.append(((SEVERITY_RANK[item.severity], result.source_name, record.source_span.start), item))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


OVERVIEW_COLUMNS = [
    "通报",
    "发布单位",
    "发布日期",
    "通报称问题数",
    "抽取到的记录",
    "差额",
    "汇总核对",
    "存疑记录",
    "通报提示",
    "文件",
]
MISSING = "—"


def notice_overview(results: Sequence[NoticeResult]) -> pd.DataFrame:
    """Per notice: claimed total against records found (the totals check, at a glance).

    Missing values are written as "—" (a text column), never shown as `None`.
    """
    names = [NoticeName.of_result(r) for r in results]
    rows = []
    for r, name, label in zip(results, names, distinct_labels(names), strict=True):
        claimed = claimed_total(r)
        rows.append(
            {
                "通报": label,
                "发布单位": r.meta.organisation or "未识别",
                "发布日期": name.date,
                "通报称问题数": MISSING if claimed is None else str(claimed),
                "抽取到的记录": len(r.records),
                "差额": MISSING if claimed is None else f"{len(r.records) - claimed:+d}",
                "汇总核对": totals_check(r),
                "存疑记录": sum(1 for rec in r.records if rec.flags),
                # notice-level flags in words: nothing found, cut off, totals unreadable
                "通报提示": "；".join(
                    f"{flag_label(f.code)}：{f.reason}" for f in r.flags if f.code != FlagCode.TOTALS_MISMATCH
                )
                or MISSING,
                "文件": r.source_name,
            }
        )
    return pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)


def totals_chart(results: Sequence[NoticeResult]) -> pd.DataFrame:
    """Claimed problems against records found, per notice (by display name), for the bar chart."""
    names = [NoticeName.of_result(r) for r in results]
    frame = pd.DataFrame(
        {
            "通报": distinct_labels(names),
            "通报称问题数": [claimed_total(r) for r in results],
            "抽取到的记录": [len(r.records) for r in results],
        }
    )
    return frame.set_index("通报").astype("float")


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    counts = frame["status"].map(str).value_counts().reindex(STATUS_ORDER, fill_value=0)
    return pd.DataFrame({"状态": counts.index, "记录数": counts.to_numpy()})


def flags_by_organisation(results: Sequence[NoticeResult]) -> pd.DataFrame:
    """Rows: issuing unit; columns: flag (Chinese label); values: number of flags."""
    rows = [
        {"单位": NoticeName.of_result(r).unit, "标记": flag_label(f.code)}
        for r in results
        for f in [*r.flags, *(f for rec in r.records for f in rec.flags)]
    ]
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    return frame.pivot_table(index="单位", columns="标记", aggfunc="size", fill_value=0)
