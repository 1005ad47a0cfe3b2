"""What goes wrong under the store, said in Chinese with what to do next.

A full disk and a damaged database file are the two faults an operator meets; both are turned
into `AuditError`s here so commands print a message instead of a traceback, and nothing already
committed is lost (each notice is its own transaction).
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from assistant.errors import AuditError


class StoreFullError(AuditError):
    """The disk (or the database's size limit) is full."""

    stops_batch = True


class StoreDamagedError(AuditError):
    """The store's database cannot be read."""

    stops_batch = True


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "disk is full" in text or "no space left" in text or "disk full" in text


def damaged_message(where: str, exc: BaseException) -> str:
    return (
        f"通报库数据库无法读取（{where}）：{str(exc).splitlines()[0][:160]}。"
        "运行 `audit store check` 查看损坏范围，`audit store rebuild` 从可读部分重建（原文件会保留一份）。"
    )


@contextmanager
def guard_writes(where: Path) -> Iterator[None]:
    """Turn a full disk into a clear message; what was committed before stays committed."""
    try:
        yield
    except (OSError, OperationalError) as exc:
        if is_disk_full(exc):
            raise StoreFullError(
                f"磁盘空间不足，写入通报库失败（{where}）。已导入的通报均已保存；"
                "释放空间后重新运行同一命令即可继续，已导入的不会重复。"
            ) from exc
        raise
    except DatabaseError as exc:
        raise StoreDamagedError(damaged_message(str(where), exc)) from exc


def database_failure(exc: BaseException) -> str:
    """What to tell the user when the database itself failed under a command."""
    if is_disk_full(exc):
        return "磁盘空间不足，写入通报库失败。已完成的部分均已保存；释放空间后重新运行同一命令即可继续。"
    text = str(exc).lower()
    if isinstance(exc, OperationalError) and ("connect" in text or "connection" in text):
        return (
            f"无法连接数据库：{str(exc).splitlines()[0][:200]}。"
            "请检查 AUDIT_DATABASE_URL 的主机和端口，以及数据库服务是否在运行。"
        )
    return damaged_message("数据库", exc)


class StoreUnavailableError(AuditError):
    """A configured server (PostgreSQL, Chroma) does not answer."""

    stops_batch = True
