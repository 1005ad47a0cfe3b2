"""Many machines, one store: with a PostgreSQL database and a Chroma server, two clients with their
own local folders see the same notices, records, search results and reviewer marks; a removal on one
is seen by the other; two deployments on one Chroma server never touch each other's collections."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import chroma_server, new_database, postgres_server

from assistant.reviews import Decision, FlagKey, ReviewBook
from assistant.settings import Settings
from assistant.store import NoticeStore
from assistant.store.errors import StoreUnavailableError

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pg_admin() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def chroma() -> Iterator[tuple[str, int]]:
    with chroma_server() as address:
        yield address


@pytest.fixture
def shared(pg_admin: str, chroma: tuple[str, int]) -> Settings:
    """Settings of one deployment: its own database on the server, the shared Chroma server."""
    url = new_database(pg_admin, f"audit_{uuid.uuid4().hex[:10]}")
    return Settings(database_url=url, chroma_host=chroma[0], chroma_port=chroma[1])


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUDIT_", "OPENAI_"))}
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        AUDIT_DATABASE_URL=str(settings.database_url),
        AUDIT_CHROMA_HOST=str(settings.chroma_host),
        AUDIT_CHROMA_PORT=str(settings.chroma_port),
    )
    return env


def _cli(settings: Settings, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args, "--store", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        env=_env(settings),
        cwd=REPO_ROOT,
    )


def test_two_clients_share_notices_records_search_marks_and_removals(
    shared: Settings, tmp_path: Path, notices_dir: Path
):
    first_dir, second_dir = tmp_path / "machine-a", tmp_path / "machine-b"
    indexed = _cli(shared, first_dir, "index", str(notices_dir))
    assert indexed.returncode == 0, indexed.stderr

    a = NoticeStore.open(shared, path=first_dir)
    b = NoticeStore.open(shared, path=second_dir)  # another folder: nothing local to share
    assert not list(second_dir.glob("*.db"))
    assert len(b.manifest) == 5 and b.records() == a.records() and len(b.records()) == 86
    query = "车辆燃油使用不规范"
    assert [h.chunk.chunk_id for h in b.search(query, k=5)] == [
        h.chunk.chunk_id for h in a.search(query, k=5)
    ]
    assert b.search(query, k=1)[0].chunk.record_id == "(二)-5"

    searched = _cli(shared, second_dir, "search", query, "-k", "1")
    assert (searched.returncode == 0 and "(二)-5" in searched.stdout) or "车辆燃油" in searched.stdout
    asked = _cli(shared, second_dir, "ask", "公务用车方面存在什么问题？")
    assert asked.returncode == 0, asked.stderr
    assert "[1]" in asked.stdout

    record = next(r for r in a.records() if r.flags)
    key = FlagKey.of(record.notice_id, record.problem, record.flags[0].code)
    ReviewBook.for_store(a, reviewer="甲").mark(key, Decision.CONFIRMED, "请补充凭证")
    mark = ReviewBook.for_store(b).get(key)
    assert (mark.decision, mark.note, mark.reviewer) == (Decision.CONFIRMED, "请补充凭证", "甲")

    gone = b.resolve("004")
    assert gone is not None and b.remove(gone)
    assert len(a.manifest) == 4
    assert all(h.chunk.notice_id != gone for h in a.search("网约车审批", k=10))
    assert a.check().ok and b.check().ok


def test_two_deployments_on_one_chroma_server_never_touch(
    pg_admin: str, chroma: tuple[str, int], tmp_path: Path, processed_samples
):
    def deployment(name: str) -> NoticeStore:
        url = new_database(pg_admin, f"audit_{name}_{uuid.uuid4().hex[:6]}")
        settings = Settings(database_url=url, chroma_host=chroma[0], chroma_port=chroma[1])
        return NoticeStore.open(settings, path=tmp_path / name)

    x, y = deployment("x"), deployment("y")
    assert x.vectors.name != y.vectors.name
    for p in processed_samples:
        x.add(p)
    y.add(processed_samples[0])
    assert x.remove(processed_samples[0].notice.notice_id)
    assert y.vectors.count() == y.stats().chunks == 18
    assert [n.notice_id for n in y.notices()] == [processed_samples[0].notice.notice_id]
    hits = x.search("车辆燃油使用不规范", k=5)
    assert len(hits) == 5 and all(h.chunk.notice_id != processed_samples[0].notice.notice_id for h in hits)
    assert y.search("车辆燃油使用不规范", k=1)[0].chunk.record_id == "(二)-5"


_READER = """
import sys, time
from assistant.store import NoticeStore
store = NoticeStore.open(path=sys.argv[1])
deadline = time.time() + 540
while time.time() < deadline and len(store.manifest) < int(sys.argv[2]):
    for hit in store.search("整改 问题 措施", k=5):
        assert hit.chunk.text
print(len(store.manifest))
"""

_MARKER = """
import sys
from assistant.reviews import Decision, FlagKey, ReviewBook
from assistant.store import NoticeStore
book = ReviewBook.for_store(NoticeStore.open(path=sys.argv[1]), reviewer=sys.argv[2])
for i in range(int(sys.argv[3])):
    book.mark(FlagKey.of("n1", f"{sys.argv[2]}的问题{i}", "vague_completion"), Decision.CONFIRMED, f"第{i}条")
"""


def test_on_postgresql_two_indexers_a_reader_and_two_markers_at_once_lose_nothing(
    shared: Settings, tmp_path: Path, notices_dir: Path
):
    dev = tmp_path / "dev"
    dev.mkdir()
    for path in sorted((REPO_ROOT / "evals" / "dev").glob("d*.txt"))[:8]:
        shutil.copy(path, dev / path.name)
    expected = 5 + 8
    env = _env(shared)
    NoticeStore.open(shared, path=tmp_path / "first")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "index", str(folder), "--store", str(tmp_path / name)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder, name in ((notices_dir, "first"), (dev, "second"))
    ]
    procs.append(
        subprocess.Popen(
            [sys.executable, "-c", _READER, str(tmp_path / "third"), str(expected)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    )
    procs += [
        subprocess.Popen(
            [sys.executable, "-c", _MARKER, str(tmp_path / who), who, "30"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("甲", "乙")
    ]
    codes = [p.wait(timeout=600) for p in procs]
    assert codes == [0] * 5, [p.stderr.read()[-2000:] for p in procs if p.stderr]
    store = NoticeStore.open(shared, path=tmp_path / "check")
    report = store.check()
    assert report.ok, report.problems
    assert report.notices == expected
    assert len(ReviewBook.for_store(store).marks()) == 60


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_dead_database_server_is_named_by_host_and_port(tmp_path: Path):
    port = _closed_port()
    settings = Settings(database_url=f"postgresql://audit@127.0.0.1:{port}/audit")
    with pytest.raises(StoreUnavailableError, match=f"127.0.0.1:{port}"):
        NoticeStore.open(settings, path=tmp_path)


def test_a_dead_chroma_server_is_named_by_host_and_port(tmp_path: Path):
    port = _closed_port()
    with pytest.raises(StoreUnavailableError, match=f"127.0.0.1:{port}"):
        NoticeStore.open(Settings(chroma_host="127.0.0.1", chroma_port=port), path=tmp_path)
