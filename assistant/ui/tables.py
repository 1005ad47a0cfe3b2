"""The app's tables, built from the store's results with no Streamlit in sight (tested directly).

Pages wrap these in `st.cache_data` keyed by the store's version, so a rerun with a few hundred
notices filters a cached frame instead of rebuilding it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from pydantic import BaseModel

from assistant.export import flags_frame, records_frame
from assistant.models import SEVERITY_RANK, NoticeResult, Severity, Span
from assistant.reviews import FlagKey
from assistant.ui.labels import FLAG_LABELS, STATUS_ORDER

SEARCH_COLUMNS = (
    "problem",
    "category",
    "parent_problem",
    "measures",
    "status_text",
    "source_name",
    "organisation",
)


def records_table(results: Iterable[NoticeResult]) -> pd.DataFrame:
    """The export's records frame, plus an `organisation_label` that is never empty."""
    frame = records_frame(results)
    frame["organisation_label"] = frame["organisation"].fillna(frame["source_name"])
    frame["search_text"] = _search_text(frame)
    return frame


def _search_text(frame: pd.DataFrame) -> pd.Series:
    """The searchable columns joined per row (vectorised: thousands of rows in milliseconds)."""
    columns = [frame[c].fillna("").astype(str) for c in SEARCH_COLUMNS]
    out = columns[0]
    for col in columns[1:]:
        out = out + "\n" + col
    return out


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
        mask &= frame["organisation_label"].isin(list(organisations))
    if statuses:
        mask &= frame["status"].isin(list(statuses))
    if flag == "__any__":
        mask &= frame["flags"].fillna("") != ""
    elif flag == "__none__":
        mask &= frame["flags"].fillna("") == ""
    elif flag:
        mask &= frame["flags"].fillna("").str.split(",").apply(lambda codes: flag in codes)
    words = query.split()
    if words:
        haystack = frame["search_text"] if "search_text" in frame else _search_text(frame)
        for word in words:
            mask &= haystack.str.contains(word, regex=False)
    return frame[mask]


def subset_results(results: Iterable[NoticeResult], keys: set[tuple[str, str]]) -> list[NoticeResult]:
    """The results cut down to the (notice_id, record_id) pairs shown, for downloads of what is on screen."""
    out = []
    for result in results:
        records = [r for r in result.records if (r.notice_id, r.record_id) in keys]
        if records:
            out.append(result.model_copy(update={"records": records}))
    return out


class FlagItem(BaseModel):
    """One flag in the review queue, with everything needed to show and key it."""

    key: FlagKey
    notice_id: str
    source_name: str
    organisation: str | None
    record_id: str | None  # None for a notice-level flag
    problem: str | None
    status: str | None
    code: str
    severity: Severity
    reason: str
    source: str  # "rules" or the LLM judge
    spans: list[Span]  # the decisive words
    window: Span  # the part of the notice to show: the record, or around the spans
    place: str

    @property
    def label(self) -> str:
        return FLAG_LABELS.get(self.code, self.code)


def _hull(spans: Sequence[Span]) -> Span | None:
    if not spans:
        return None
    return Span(start=min(s.start for s in spans), end=max(s.end for s in spans))


def flag_queue(results: Iterable[NoticeResult]) -> list[FlagItem]:
    """Every flag, record-level and notice-level, most severe first, then in reading order."""
    items: list[tuple[tuple[int, str, int, str], FlagItem]] = []
    for result in results:
        org = result.meta.organisation
        for flag in result.flags:
            totals = result.meta.totals
            window = _hull(flag.spans) or (totals.span if totals else Span(start=0, end=0))
            item = FlagItem(
                key=FlagKey.of(result.notice_id, None, flag.code),
                notice_id=result.notice_id,
                source_name=result.source_name,
                organisation=org,
                record_id=None,
                problem=None,
                status=None,
                code=flag.code.value,
                severity=flag.severity,
                reason=flag.reason,
                source=flag.source,
                spans=flag.spans,
                window=window,
                place=f"{result.source_name} · 全文",
            )
            items.append(((SEVERITY_RANK[flag.severity], result.source_name, -1, flag.code.value), item))
        for record in result.records:
            path = " > ".join(record.outline_path)
            for flag in record.flags:
                item = FlagItem(
                    key=FlagKey.of(result.notice_id, record.problem, flag.code),
                    notice_id=result.notice_id,
                    source_name=result.source_name,
                    organisation=org,
                    record_id=record.record_id,
                    problem=record.problem,
                    status=record.status.value,
                    code=flag.code.value,
                    severity=flag.severity,
                    reason=flag.reason,
                    source=flag.source,
                    spans=flag.spans,
                    window=record.source_span,
                    place=f"{result.source_name} · {path or record.record_id}",
                )
                rank = (
                    SEVERITY_RANK[flag.severity],
                    result.source_name,
                    record.source_span.start,
                    flag.code.value,
                )
                items.append((rank, item))
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
]


def claimed_total(result: NoticeResult) -> int | None:
    """The summary count to compare with the records found: the one that matches, else the most specific.

    A notice may give two levels ("15个问题43个具体问题"); the records match one of them, as in
    the `totals_mismatch` rule.
    """
    totals = result.meta.totals
    if totals is None:
        return None
    counts = [c for c in (totals.specific_problems, totals.problems) if c is not None]
    if not counts:
        return totals.record_total
    return len(result.records) if len(result.records) in counts else counts[0]


def notice_overview(results: Sequence[NoticeResult]) -> pd.DataFrame:
    """Per notice: claimed total against records found (the totals check, at a glance)."""
    rows = []
    for r in results:
        claimed = claimed_total(r)
        mismatch = any(f.code.value == "totals_mismatch" for f in r.flags)
        check = "未写汇总" if r.meta.totals is None else ("不符" if mismatch else "相符")
        rows.append(
            {
                "通报": r.source_name,
                "发布单位": r.meta.organisation,
                "发布日期": r.meta.published.isoformat() if r.meta.published else None,
                "通报称问题数": claimed,
                "抽取到的记录": len(r.records),
                "差额": None if claimed is None else len(r.records) - claimed,
                "汇总核对": check,
                "存疑记录": sum(1 for rec in r.records if rec.flags),
                # notice-level flags in words: nothing found, cut off, totals unreadable
                "通报提示": "；".join(
                    f"{FLAG_LABELS.get(f.code.value, f.code.value)}：{f.reason}"
                    for f in r.flags
                    if f.code.value != "totals_mismatch"
                )
                or None,
            }
        )
    out = pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)
    for col in ("通报称问题数", "差额"):
        out[col] = out[col].astype("Int64")
    return out


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    counts = frame["status"].value_counts().reindex(STATUS_ORDER, fill_value=0)
    return pd.DataFrame({"状态": counts.index, "记录数": counts.to_numpy()})


def flags_by_organisation(results: Sequence[NoticeResult]) -> pd.DataFrame:
    """Rows: organisation; columns: flag (Chinese label); values: number of flags."""
    frame = flags_frame(results)
    if frame.empty:
        return pd.DataFrame()
    frame["单位"] = frame["organisation"].fillna(frame["source_name"])
    frame["标记"] = frame["code"].map(lambda c: FLAG_LABELS.get(c, c))
    return frame.pivot_table(index="单位", columns="标记", values="code", aggfunc="count", fill_value=0)
