"""Throughput of the offline pipeline, measured — never asserted in unit tests.

    python evals/bench.py [--repeat N] [--store-notices M]

Prints notices/s, characters/s and records/s for each stage (ingest, outline, rules
extraction + flags) over the sample notices, repeated N times, and the share of time each
stage takes. With --store-notices M it also indexes M distinct notices (variants of the
samples) into a temporary store and reports indexing throughput, query latency percentiles
over the QA questions, and the time to reopen the store. Numbers vary by machine; compare
ratios between runs on the same machine.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from assistant.extract import extract_records
from assistant.flags import flag_notice, flag_records
from assistant.ingest import load_notice
from assistant.outline import parse_outline
from assistant.paths import examples_dir


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20, help="passes over the sample notices (default 20)")
    parser.add_argument("--notices", type=Path, default=examples_dir())
    parser.add_argument(
        "--store-notices", type=int, default=0, help="also benchmark the store with this many notices"
    )
    args = parser.parse_args()

    files = sorted(p for p in args.notices.iterdir() if p.is_file())
    timings = {"ingest": 0.0, "outline": 0.0, "extract+flags": 0.0}
    chars = records = 0
    for _ in range(args.repeat):
        for path in files:
            t0 = time.perf_counter()
            notice = load_notice(path)
            t1 = time.perf_counter()
            outline = parse_outline(notice.text)
            t2 = time.perf_counter()
            recs = flag_records(extract_records(notice, outline), notice.text)
            flag_notice(notice.meta, recs)
            t3 = time.perf_counter()
            timings["ingest"] += t1 - t0
            timings["outline"] += t2 - t1
            timings["extract+flags"] += t3 - t2
            chars += len(notice.text)
            records += len(recs)
    n = len(files) * args.repeat
    total = sum(timings.values())
    print(f"notices processed: {n}  ({len(files)} files × {args.repeat})")
    print(
        f"total: {total:.3f} s  →  {n / total:.1f} notices/s, {chars / total / 1e3:.0f}k chars/s, {records / total:.0f} records/s"
    )
    for stage, seconds in timings.items():
        print(f"  {stage:14} {seconds:7.3f} s  {seconds / total:6.1%}  {n / seconds:8.1f} notices/s")
    if args.store_notices:
        bench_store(files, args.store_notices)


def bench_store(files: list[Path], count: int) -> None:
    """Index `count` distinct notices (each sample with a numbered line appended), then query."""
    import json
    import statistics
    import tempfile

    from assistant.ingest import notice_from_text
    from assistant.paths import gold_dir
    from assistant.pipeline import ProcessedNotice, process_notice
    from assistant.store import NoticeStore

    texts = [load_notice(p).text for p in files]
    questions = [
        json.loads(line)["question"]
        for line in (gold_dir().parent / "qa.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = NoticeStore.open(path=Path(tmp))
        t0 = time.perf_counter()
        chunks = 0
        with store.bulk():
            for i in range(count):
                text = texts[i % len(texts)] + f"\n（副本 {i}）"
                notice = notice_from_text(text, f"bench_{i:04d}.txt")
                chunks += store.add(ProcessedNotice(notice=notice, result=process_notice(notice))).chunks
        index_s = time.perf_counter() - t0
        print(
            f"store: indexed {count} notices, {chunks} chunks in {index_s:.2f} s  →  {count / index_s:.1f} notices/s, {chunks / index_s:.0f} chunks/s"
        )
        latencies = []
        for q in questions:
            t = time.perf_counter()
            store.search(q, k=5)
            latencies.append(time.perf_counter() - t)
        q50 = statistics.median(latencies) * 1e3
        q95 = sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1e3
        print(
            f"  search over {chunks} chunks: {len(questions)} queries, median {q50:.1f} ms, p95 {q95:.1f} ms, {len(questions) / sum(latencies):.1f} queries/s"
        )
        t = time.perf_counter()
        reopened = NoticeStore.open(path=Path(tmp))
        records = len(reopened.records())
        print(f"  reopen + load records table: {time.perf_counter() - t:.2f} s ({records} records)")


if __name__ == "__main__":
    main()
