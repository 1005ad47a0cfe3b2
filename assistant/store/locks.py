"""One writer at a time, across processes and machines.

A local store takes a lock file in its folder (`filelock`); a store on PostgreSQL takes an advisory
lock in the database, so writers on different machines exclude each other too. The lock is
re-entrant within a process, so a bulk run holds it once for all its adds. Readers take no lock:
the database gives them a committed state and the change log tells them what moved.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from sqlalchemy import text

from assistant.errors import AuditError
from assistant.store.database import Database

LOCK_FILE = ".writer.lock"


class StoreBusyError(AuditError):
    """Another process kept the store's write lock longer than we were willing to wait."""

    stops_batch = True


class WriterLock:
    def __init__(self, db: Database, folder: Path, timeout: float) -> None:
        self.db = db
        self.timeout = timeout
        self.where = str(folder / LOCK_FILE) if db.is_sqlite else "数据库咨询锁"
        self._file = FileLock(folder / LOCK_FILE, thread_local=False) if db.is_sqlite else None
        self._key = int.from_bytes(hashlib.sha256(db.store_id.encode()).digest()[:8], "big", signed=True)
        self._connection: Any = None
        self._depth = 0
        self._mutex = threading.RLock()

    def acquire(self, blocking: bool = True) -> bool:
        self._mutex.acquire()
        if self._depth:
            self._depth += 1
            return True
        try:
            got = self._take(blocking)
        except BaseException:
            self._mutex.release()
            raise
        if not got:
            self._mutex.release()
            return False
        self._depth = 1
        return True

    def _take(self, blocking: bool) -> bool:
        if self._file is not None:
            try:
                self._file.acquire(timeout=self.timeout if blocking else 0)
            except Timeout as exc:
                if not blocking:
                    return False
                raise StoreBusyError(
                    f"通报库正被另一个进程写入，等待 {self.timeout:g} 秒后仍未释放（锁：{self.where}）。"
                    "请等它完成后再试；若确认没有其他进程在运行，删除该锁文件即可。"
                ) from exc
            return True
        connection = self.db.engine.connect()
        try:
            if blocking:
                connection.execute(
                    text("SELECT set_config('lock_timeout', :ms, false)"),
                    {"ms": f"{int(self.timeout * 1000)}"},
                )
                connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": self._key})
                got = True
            else:
                got = bool(
                    connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}).scalar()
                )
            connection.commit()
        except Exception as exc:
            connection.close()
            raise StoreBusyError(
                f"通报库正被另一台机器或进程写入，等待 {self.timeout:g} 秒后仍未释放。请稍后再试。"
            ) from exc
        if not got:
            connection.close()
            return False
        self._connection = connection
        return True

    def release(self) -> None:
        try:
            self._depth -= 1
            if self._depth:
                return
            if self._file is not None:
                self._file.release()
            elif self._connection is not None:
                try:
                    self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
                    self._connection.commit()
                finally:
                    self._connection.close()
                    self._connection = None
        finally:
            self._mutex.release()

    @property
    def held(self) -> bool:
        return self._depth > 0

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
