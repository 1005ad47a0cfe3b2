"""Real servers for the tests: PostgreSQL (Debian's package) and Chroma's own `chroma run`, both on
127.0.0.1, started once per test session and stopped at its end.

`AUDIT_TEST_DATABASE_URL` / `AUDIT_TEST_CHROMA_HOST` (+ `_PORT`) point the tests at servers already
running instead. Without PostgreSQL's binaries the server tests are skipped with the reason, unless
`AUDIT_REQUIRE_SERVERS=1` (set by `.ci/run`), where a missing server fails the run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("AUDIT_REQUIRE_SERVERS") == "1":
        pytest.fail(f"server tests required but: {reason}")
    pytest.skip(reason)


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway cluster, trust authentication on 127.0.0.1 only; yields the admin URL."""
    if url := os.environ.get("AUDIT_TEST_DATABASE_URL"):
        yield url
        return
    bindir = _pg_bin()
    if bindir is None:
        _unavailable("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="audit-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root: run it as Debian's postgres user
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, timeout=120)  # noqa: E731
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off",
            "start",
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"could not start PostgreSQL: {exc}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(Exception):
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def chroma_server() -> Iterator[tuple[str, int]]:
    """`chroma run` from this Python's environment on a free port; yields (host, port)."""
    if host := os.environ.get("AUDIT_TEST_CHROMA_HOST"):
        yield host, int(os.environ.get("AUDIT_TEST_CHROMA_PORT", "8000"))
        return
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        _unavailable("the chroma command is not installed")
    root, port = Path(tempfile.mkdtemp(prefix="audit-chroma-")), _free_port()
    log = (root / "log").open("wb")
    process = subprocess.Popen(
        [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(root / "data")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    _unavailable(f"chroma run did not start: {(root / 'log').read_text()[-500:]}")
                time.sleep(0.3)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
        if process.poll() is None:
            process.kill()
        log.close()
        shutil.rmtree(root, ignore_errors=True)


def new_database(admin_url: str, name: str) -> str:
    """A fresh, empty database on the server; returns its URL."""
    import psycopg

    conninfo = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    return conninfo.rsplit("/", 1)[0] + f"/{name}"
