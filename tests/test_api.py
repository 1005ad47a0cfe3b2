"""The Python front door: `import assistant as au`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import assistant as au
from assistant.errors import AuditError


def test_import_is_light_and_every_name_resolves() -> None:
    code = "import sys, assistant; print('chromadb' in sys.modules, 'langchain_core' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
    for name in au.__all__:
        assert getattr(au, name) is not None, name


def test_extract_a_path_or_the_text_itself(notices_dir: Path, sample_text) -> None:
    by_path = au.extract(notices_dir / "004_fb4d16d8d0ed6c2d.txt")
    by_text = au.extract(sample_text("004"), name="004.txt")
    assert len(by_path.records) == len(by_text.records) == 8
    assert by_path.notice_id == by_text.notice_id
    assert isinstance(by_path, au.NoticeResult) and by_path.records[0].status in set(au.Status)


def test_extract_files_reports_bad_files_and_writes(tmp_path: Path, notices_dir: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"")
    batch = au.extract_files([notices_dir, tmp_path / "bad.txt"])
    assert len(batch.processed) == 5 and [Path(e.path).name for e in batch.errors] == ["bad.txt"]
    written = au.write_results(batch.results, tmp_path / "out.jsonl")
    assert written.read_text(encoding="utf-8").count("\n") == 86


def test_store_and_ask(tmp_path: Path, notices_dir: Path) -> None:
    store = au.open_store(tmp_path / "store")
    for processed in au.extract_files([notices_dir / "000_097681a73ff5d2da.txt"]).processed:
        store.add(processed)
    reply = au.ask("哪些问题是阶段性完成的？", store)
    assert isinstance(reply, au.Answer) and "基层党组织建设存在短板" in reply.text


def test_every_error_raised_on_purpose_is_an_audit_error(tmp_path: Path) -> None:
    from assistant.evaluation.gold import GoldError
    from assistant.export import ExportError
    from assistant.extraction.llm import LLMNotConfiguredError
    from assistant.ingest import IngestError
    from assistant.outline import OutlineError
    from assistant.prompts import PromptNotFoundError
    from assistant.providers.caller import LLMCallError

    for error in (
        GoldError,
        ExportError,
        LLMNotConfiguredError,
        LLMCallError,
        IngestError,
        OutlineError,
        PromptNotFoundError,
    ):
        assert issubclass(error, AuditError), error
    with pytest.raises(au.AuditError, match="文件为空"):
        empty = tmp_path / "e.txt"
        empty.write_bytes(b"")
        au.load_notice(empty)
