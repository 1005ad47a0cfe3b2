"""The store's database: everything that is not a vector — notices, records, chunks, reviewer marks.

SQLite under the store folder by default (WAL, so readers never wait for a writer and always see a
committed state), PostgreSQL when `AUDIT_DATABASE_URL` is set, so many machines share one store.
Every write bumps a change log; a process that sees a newer change than its caches refreshes them
(the keyword index, the notice list) instead of trusting what it read before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

SCHEMA_VERSION = "1"
DATABASE_FILE = "store.db"


class Base(DeclarativeBase):
    pass


class MetaRow(Base):
    """Facts about the store itself: schema version, the store's id (names its Chroma collections)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NoticeRow(Base):
    __tablename__ = "notices"
    notice_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_name: Mapped[str] = mapped_column(Text, index=True)  # replacement looks up by name
    source_path: Mapped[str | None] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(Text, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    records: Mapped[int] = mapped_column(Integer, default=0)
    flagged_records: Mapped[int] = mapped_column(Integer, default=0)
    chunks: Mapped[int] = mapped_column(Integer, default=0)
    extractor: Mapped[str] = mapped_column(String(32), default="rules")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    notice_json: Mapped[str] = mapped_column(Text)  # the Notice: text and offset map
    result_json: Mapped[str] = mapped_column(Text)  # the NoticeResult: meta, records, flags
    outline_json: Mapped[str | None] = mapped_column(Text)  # the parsed Outline: chunks are rebuilt from it


class RecordRow(Base):
    """One record per row, so the records table is queried by status or flag instead of loaded."""

    __tablename__ = "records"
    notice_id: Mapped[str] = mapped_column(
        ForeignKey("notices.notice_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), index=True)
    flags: Mapped[str] = mapped_column(Text, default="")  # " code code " for LIKE '% code %'
    problem: Mapped[str] = mapped_column(Text)
    record_json: Mapped[str] = mapped_column(Text)


class ChunkRow(Base):
    __tablename__ = "chunks"
    chunk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    notice_id: Mapped[str] = mapped_column(ForeignKey("notices.notice_id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str | None] = mapped_column(String(32))
    flags: Mapped[str] = mapped_column(Text, default="")
    span_start: Mapped[int] = mapped_column(Integer)
    chunk_json: Mapped[str] = mapped_column(Text)


class ChangeRow(Base):
    """Append-only log of chunk changes: another process replays what it has not seen."""

    __tablename__ = "changes"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012  (seq never reused)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chunk_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))  # "add" or "remove"


class MarkRow(Base):
    """A reviewer's current decision on one flag (see assistant.reviews for the key)."""

    __tablename__ = "review_marks"
    key_id: Mapped[str] = mapped_column(Text, primary_key=True)
    notice_id: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(64))
    problem: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    record_id: Mapped[str | None] = mapped_column(String(64))
    problem_text: Mapped[str | None] = mapped_column(Text)


class MarkHistoryRow(Base):
    """Every change of a mark, who made it and when; never updated or deleted."""

    __tablename__ = "review_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_id: Mapped[str] = mapped_column(Text, index=True)
    decision: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def database_url(store_dir: Path, configured: str | None) -> str:
    """The configured URL (PostgreSQL spelt the psycopg 3 way), else SQLite in the store folder."""
    if configured:
        url = make_url(configured)
        if url.drivername in ("postgres", "postgresql"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(store_dir).resolve() / DATABASE_FILE}"


def display_url(url: str) -> str:
    """For messages and `stats`: never the password."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, object] = {}
        if self.is_sqlite:
            Path(make_url(url).database or DATABASE_FILE).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 60, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["connect_args"] = {"connect_timeout": 10}
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._create()

    def _create(self) -> None:
        """Tables and the store's facts, safe when two processes open a new store at once."""
        for attempt in range(5):
            try:
                Base.metadata.create_all(self.engine)
                break
            except OperationalError:  # the other process created a table between check and create
                if attempt == 4:
                    raise
                time.sleep(0.2)
        for table in Base.metadata.sorted_tables:  # indexes added since a store was made
            for index in table.indexes:
                with contextlib.suppress(OperationalError):  # made by the other process meanwhile
                    index.create(self.engine, checkfirst=True)
        for key, value in (("schema_version", SCHEMA_VERSION), ("store_id", uuid.uuid4().hex[:12])):
            if self.meta(key) is None:
                try:
                    with self.session() as s:
                        s.add(MetaRow(key=key, value=value))
                except IntegrityError:  # written first by the other process: theirs stands
                    pass

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        with self._sessions() as s, s.begin():
            yield s

    def meta(self, key: str) -> str | None:
        with self.session() as s:
            row = s.get(MetaRow, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as s:
            s.merge(MetaRow(key=key, value=value))

    @property
    def store_id(self) -> str:
        return self.meta("store_id") or "store"

    def change_seq(self) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.max(ChangeRow.seq))) or 0)

    def dispose(self) -> None:
        self.engine.dispose()
