"""`audit store check` and `audit store rebuild`: verify a store, and rebuild what is derived.

Derived parts — the keyword index, the records table, each notice's counts, the vectors, the change
log — are rebuilt from what is primary: each notice's text and result, and its chunks. A database
file that SQLite can no longer read is salvaged row by row into a fresh one; the damaged file is
kept beside it, and what could not be read is named so it can be imported again.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url

from assistant.chunking import Chunk
from assistant.models import Notice, NoticeResult
from assistant.store.database import DATABASE_FILE, ChangeRow, ChunkRow, Database, NoticeRow, RecordRow
from assistant.store.rows import chunk_row, record_rows


class CheckReport(BaseModel):
    notices: int = 0
    records: int = 0
    chunks: int = 0
    vectors: int = 0
    keyword_documents: int = 0
    problems: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class RebuildReport(BaseModel):
    salvaged_from: str | None = None  # the damaged database file, kept
    lost: list[str] = Field(default_factory=list)  # what could not be read
    notices: int = 0
    records: int = 0
    chunks: int = 0
    vectors_added: int = 0
    vectors_removed: int = 0
    keyword_documents: int = 0


def sqlite_readable(path: Path) -> str | None:
    """None when SQLite reads every page of the file, else what it said."""
    if not path.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            rows = con.execute("PRAGMA quick_check").fetchall()
            con.execute("SELECT count(*) FROM notices").fetchone()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    verdict = "; ".join(str(r[0]) for r in rows)
    return None if verdict == "ok" else verdict


def salvage_sqlite(path: Path) -> tuple[Path, list[str]]:
    """Copy every readable row of a damaged SQLite store into a fresh file; keep the damaged one.

    Returns where the damaged file went and what was lost. Rows are read one rowid at a time, so a
    damaged page costs the rows on it, not the table.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    damaged = path.with_name(f"{path.name}.damaged-{stamp}")
    shutil.move(str(path), str(damaged))
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            shutil.move(str(side), str(damaged) + suffix)
    Database(f"sqlite:///{path}").dispose()  # the fresh, empty schema
    lost: list[str] = []
    source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        for table in ("meta", "notices", "records", "chunks", "review_marks", "review_history"):
            try:
                columns = [r[1] for r in target.execute(f"PRAGMA table_info({table})")]
                top = source.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
            except sqlite3.DatabaseError as exc:
                lost.append(f"表 {table}：{exc}")
                continue
            marks = ",".join("?" * len(columns))
            bad = 0
            for rowid in range(1, top + 1):
                try:
                    row = source.execute(
                        f"SELECT {','.join(columns)} FROM {table} WHERE rowid = ?", (rowid,)
                    ).fetchone()
                except sqlite3.DatabaseError:
                    bad += 1
                    continue
                if row is not None:
                    target.execute(
                        f"INSERT OR REPLACE INTO {table} ({','.join(columns)}) VALUES ({marks})", row
                    )
            if bad:
                lost.append(f"表 {table}：{bad} 行无法读取")
        target.commit()
    finally:
        source.close()
        target.close()
    return damaged, lost


def check(db: Database, vector_ids: set[str], keyword_ids: set[str]) -> CheckReport:
    """Every notice, result and chunk parses; counts agree; vectors and keyword index match the chunks."""
    report = CheckReport()
    problems = report.problems
    if db.is_sqlite:
        verdict = sqlite_readable(Path(make_url(db.url).database or DATABASE_FILE))
        if verdict:
            problems.append(f"数据库文件损坏：{verdict}")
            return report
    with db.session() as s:
        chunk_ids = set(s.scalars(select(ChunkRow.chunk_id)))
        for row in s.scalars(select(NoticeRow)).yield_per(200):
            report.notices += 1
            try:
                Notice.model_validate_json(row.notice_json)
                result = NoticeResult.model_validate_json(row.result_json)
            except ValidationError as exc:
                problems.append(f"{row.source_name}：内容无法读取（{exc.error_count()} 处错误）")
                continue
            stored = s.scalar(select(func.count()).where(RecordRow.notice_id == row.notice_id))
            if stored != len(result.records) or row.records != len(result.records):
                problems.append(
                    f"{row.source_name}：记录表 {stored} 条、汇总 {row.records} 条，与抽取结果 {len(result.records)} 条不符"
                )
            chunks = s.scalar(select(func.count()).where(ChunkRow.notice_id == row.notice_id))
            if chunks != row.chunks:
                problems.append(f"{row.source_name}：段落 {chunks} 个，汇总记为 {row.chunks} 个")
        report.records = int(s.scalar(select(func.count()).select_from(RecordRow)) or 0)
        for text in s.scalars(select(ChunkRow.chunk_json)).yield_per(2000):
            try:
                Chunk.model_validate_json(text)
            except ValidationError:
                problems.append("有段落无法读取")
                break
    report.chunks, report.vectors, report.keyword_documents = (
        len(chunk_ids),
        len(vector_ids),
        len(keyword_ids),
    )
    missing, orphans = chunk_ids - vector_ids, vector_ids - chunk_ids
    if missing:
        problems.append(f"{len(missing)} 个段落缺少向量")
    if orphans:
        problems.append(f"{len(orphans)} 个向量不属于任何段落")
    if keyword_ids != chunk_ids:
        problems.append(
            f"关键词索引与段落不一致（缺 {len(chunk_ids - keyword_ids)} 个，多 {len(keyword_ids - chunk_ids)} 个）"
        )
    return report


def rebuild_tables(
    db: Database, report: RebuildReport, rechunk: Callable[[str, str, str | None], list[Chunk]]
) -> None:
    """Records, chunks and counts again from each notice's text, result and outline; a notice that no
    longer parses is dropped and named, to be imported again; the change log restarts."""
    with db.session() as s:
        ids = list(s.scalars(select(NoticeRow.notice_id)))
    for notice_id in ids:
        with db.session() as s:
            row = s.get(NoticeRow, notice_id)
            if row is None:
                continue
            s.execute(delete(RecordRow).where(RecordRow.notice_id == notice_id))
            try:
                result = NoticeResult.model_validate_json(row.result_json)
                fresh = rechunk(row.notice_json, row.result_json, row.outline_json)
            except (ValidationError, ValueError):
                report.lost.append(f"{row.source_name}（{notice_id}）：内容无法读取，请重新导入")
                s.execute(delete(ChunkRow).where(ChunkRow.notice_id == notice_id))
                s.delete(row)
                continue
            if row.outline_json is None and row.chunks:  # stored before outlines were kept: keep its chunks
                fresh = []
                for text in s.scalars(select(ChunkRow.chunk_json).where(ChunkRow.notice_id == notice_id)):
                    try:
                        fresh.append(Chunk.model_validate_json(text))
                    except ValidationError:
                        report.lost.append(f"{row.source_name}：一个段落无法读取")
            s.execute(delete(ChunkRow).where(ChunkRow.notice_id == notice_id))
            s.flush()
            s.add_all(record_rows(notice_id, result.records))
            s.add_all(chunk_row(c) for c in fresh)
            row.records = len(result.records)
            row.flagged_records = sum(1 for r in result.records if r.flags)
            row.chunks = len(fresh)
            report.notices += 1
            report.records += len(result.records)
            report.chunks += len(fresh)
    with db.session() as s:
        s.execute(delete(RecordRow).where(RecordRow.notice_id.not_in(select(NoticeRow.notice_id))))
        s.execute(delete(ChunkRow).where(ChunkRow.notice_id.not_in(select(NoticeRow.notice_id))))
        s.execute(delete(ChangeRow))
        s.add_all(ChangeRow(chunk_id=i, op="add") for i in s.scalars(select(ChunkRow.chunk_id)).all())
