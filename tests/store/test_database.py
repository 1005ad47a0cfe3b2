"""The store's database under faults and concurrency: old JSON stores migrate, two indexers and a
reader at once lose nothing, a full disk keeps what was written, a damaged file is salvaged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from assistant.chunking import Chunk, chunk_notice
from assistant.store import NoticeStore
from assistant.store.errors import StoreFullError
from assistant.store.models import StoredNotice

REPO_ROOT = Path(__file__).resolve().parents[2]
DEV_DIR = REPO_ROOT / "evals" / "dev"


def _cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUDIT_", "OPENAI_"))}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO_ROOT,
    )


def _write_json_store(root: Path, processed_samples) -> None:
    """A store as the JSON-file versions wrote it: manifest.json, notices/, results/, chunks/."""
    import datetime as dt

    entries = []
    for p in processed_samples:
        chunks = chunk_notice(p.notice, p.result, p.outline)
        for kind, payload in (
            ("notices", p.notice.model_dump_json()),
            ("results", p.result.model_dump_json()),
            ("chunks", TypeAdapter(list[Chunk]).dump_json(chunks).decode()),
        ):
            (root / kind).mkdir(parents=True, exist_ok=True)
            (root / kind / f"{p.notice.notice_id}.json").write_text(payload, encoding="utf-8")
        entries.append(
            StoredNotice(
                notice_id=p.notice.notice_id,
                source_name=p.notice.source_name,
                source_path=p.notice.source_path,
                organisation=p.result.meta.organisation,
                title=p.result.meta.title,
                published=p.result.meta.published,
                records=len(p.result.records),
                chunks=len(chunks),
                added_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
            )
        )
    (root / "results" / f"{entries[-1].notice_id}.json").write_text('{"trunc', encoding="utf-8")
    (root / "manifest.json").write_text(
        TypeAdapter(list[StoredNotice]).dump_json(entries).decode(), encoding="utf-8"
    )


def test_a_json_store_is_migrated_on_first_open_and_its_files_kept(tmp_path: Path, processed_samples):
    root = tmp_path / "old"
    _write_json_store(root, processed_samples)
    store = NoticeStore.open(path=root)
    stats = store.stats()
    assert (stats.notices, stats.records) == (4, 86 - 8)  # the damaged results file is skipped …
    report = (root / "legacy-json" / "MIGRATION.txt").read_text(encoding="utf-8")
    assert report.startswith("从 JSON 文件迁移到数据库：4 份通报。")
    assert "未能读取：004_" in report  # … and named
    assert not (root / "manifest.json").exists()
    assert (root / "legacy-json" / "notices").is_dir()
    assert stats.vectors == stats.chunks == stats.bm25_documents
    assert store.search("车辆燃油使用不规范", k=1)[0].chunk.record_id == "(二)-5"
    assert NoticeStore.open(path=root).stats().notices == 4  # never migrated twice


def test_a_reader_sees_another_process_write_without_reopening(tmp_path: Path, notices_dir: Path):
    store_dir = tmp_path / "s"
    reader = NoticeStore.open(path=store_dir)
    assert reader.manifest == {}
    done = _cli("index", str(notices_dir), "--store", str(store_dir))
    assert done.returncode == 0, done.stderr
    assert len(reader.manifest) == 5
    assert len(reader.records()) == 86
    assert reader.search("车辆燃油使用不规范", k=1)[0].chunk.record_id == "(二)-5"
    removed = _cli("store", "remove", "004", "--store", str(store_dir))
    assert removed.returncode == 0, removed.stderr
    assert len(reader.manifest) == 4
    assert all(not h.chunk.source_name.startswith("004") for h in reader.search("网约车审批", k=10))


_READER = """
import sys, time
from assistant.store import NoticeStore
store = NoticeStore.open(path=sys.argv[1])
seen = set()
deadline = time.time() + 540
while time.time() < deadline:
    hits = store.search("整改 问题 措施", k=5)
    for h in hits:
        assert h.chunk.text
    seen.add(len(store.manifest))
    if len(store.manifest) >= int(sys.argv[2]):
        break
print(sorted(seen)[-1])
"""


def test_two_indexers_and_a_reader_at_once_lose_nothing(tmp_path: Path, notices_dir: Path):
    store_dir = tmp_path / "s"
    dev = tmp_path / "dev"
    dev.mkdir()
    for path in sorted(DEV_DIR.glob("d*.txt")):
        shutil.copy(path, dev / path.name)
    expected = 5 + len(list(dev.glob("*.txt")))
    NoticeStore.open(path=store_dir)  # created before the race, as `audit index` would find it
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    cmd = [sys.executable, "-m", "assistant.cli", "index", "--store", str(store_dir)]
    writers = [
        subprocess.Popen([*cmd, str(d)], env=env, stderr=subprocess.PIPE, text=True)
        for d in (notices_dir, dev)
    ]
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(store_dir), str(expected)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert [w.wait(timeout=600) for w in writers] == [0, 0], [w.stderr.read() for w in writers]
    out, err = reader.communicate(timeout=600)
    assert reader.returncode == 0, err
    assert out.strip() == str(expected)
    store = NoticeStore.open(path=store_dir)
    report = store.check()
    assert report.ok, report.problems
    assert report.notices == expected
    assert report.vectors == report.chunks == report.keyword_documents


def test_a_full_disk_stops_the_run_keeps_what_was_written_and_a_rerun_finishes(
    tmp_path: Path, notices_dir: Path, monkeypatch
):
    from assistant.pipeline import index_files
    from assistant.store import database

    store_dir = tmp_path / "s"
    NoticeStore.open(path=store_dir).db.dispose()
    pages = {"limit": 0}
    original = database._sqlite_pragmas

    def tiny_disk(connection, record):  # SQLite's own "database or disk is full"
        original(connection, record)
        cursor = connection.cursor()
        current = cursor.execute("PRAGMA page_count").fetchone()[0]
        pages["limit"] = pages["limit"] or current + 60
        cursor.execute(f"PRAGMA max_page_count = {pages['limit']}")
        cursor.close()

    monkeypatch.setattr(database, "_sqlite_pragmas", tiny_disk)
    store = NoticeStore.open(path=store_dir)
    seen: list[str] = []
    with pytest.raises(StoreFullError, match="磁盘空间不足"):
        index_files([notices_dir], store, on_file=lambda path, added, error: seen.append(path.name))
    kept = len(store.manifest)
    assert 0 < kept < 5
    store.db.dispose()
    monkeypatch.setattr(database, "_sqlite_pragmas", original)
    again = NoticeStore.open(path=store_dir)
    assert len(again.manifest) == kept  # what was committed before the disk filled is all there
    report = index_files([notices_dir], again)
    assert sorted(a.action for a in report.added).count("unchanged") == kept
    assert again.check().ok and len(again.manifest) == 5


def test_a_truncated_database_gets_a_message_then_rebuild_salvages_it(tmp_path: Path, notices_dir: Path):
    store_dir = tmp_path / "s"
    assert _cli("index", str(notices_dir), "--store", str(store_dir)).returncode == 0
    db_file = store_dir / "store.db"
    data = db_file.read_bytes()
    db_file.write_bytes(data[: len(data) * 2 // 3])

    for args in (("store", "stats"), ("search", "公务用车"), ("store", "check")):
        run = _cli(*args, "--store", str(store_dir))
        assert run.returncode == 1, (args, run.stdout, run.stderr)
        assert "Traceback" not in run.stderr
        assert "audit store rebuild" in run.stderr

    rebuilt = _cli("store", "rebuild", "--store", str(store_dir))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "原文件保留在" in rebuilt.stdout
    assert list(store_dir.glob("store.db.damaged-*"))
    check = _cli("store", "check", "--store", str(store_dir))
    assert check.returncode == 0, check.stderr
    assert "通报库完好" in check.stdout
    # what was lost is imported again, and the store is whole
    assert _cli("index", str(notices_dir), "--store", str(store_dir)).returncode == 0
    store = NoticeStore.open(path=store_dir)
    assert len(store.manifest) == 5 and store.check().ok


def test_check_finds_lost_vectors_and_rebuild_restores_them(store_dir_with_samples: Path):
    store = NoticeStore.open(path=store_dir_with_samples)
    ids = store.chunk_ids()[:7]
    store.vectors.delete(ids)
    report = store.check()
    assert report.problems == ["7 个段落缺少向量"]
    rebuilt = NoticeStore.rebuild(path=store_dir_with_samples)
    assert (rebuilt.notices, rebuilt.records, rebuilt.vectors_added, rebuilt.lost) == (5, 86, 7, [])
    assert NoticeStore.open(path=store_dir_with_samples).check().ok


def test_searching_from_another_thread_while_importing_never_fails(tmp_path: Path, processed_samples):
    import threading

    store = NoticeStore.open(path=tmp_path / "s")
    store.add(processed_samples[0])
    failures: list[BaseException] = []
    done = threading.Event()

    def chat() -> None:  # the app's chat page, in its own session thread
        while not done.is_set():
            try:
                store.search("整改 措施", k=5)
                store.records()
                len(store.manifest)
            except BaseException as exc:
                failures.append(exc)
                return

    thread = threading.Thread(target=chat)
    thread.start()
    with store.bulk():
        for p in processed_samples[1:]:
            store.add(p)
    store.remove(processed_samples[1].notice.notice_id)
    done.set()
    thread.join(timeout=60)
    assert failures == []
    assert len(store.manifest) == 4
