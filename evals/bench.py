"""Throughput of the offline pipeline, measured — never asserted in unit tests.

    python evals/bench.py [--repeat N]

Prints notices/s, characters/s and records/s for each stage (ingest, outline, rules
extraction + flags) over the sample notices, repeated N times, and the share of time each
stage takes. Numbers vary by machine; compare ratios between runs on the same machine.
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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the sample notices (default 20)")
    parser.add_argument("--notices", type=Path, default=examples_dir())
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
    print(f"total: {total:.3f} s  →  {n / total:.1f} notices/s, {chars / total / 1e3:.0f}k chars/s, {records / total:.0f} records/s")
    for stage, seconds in timings.items():
        print(f"  {stage:14} {seconds:7.3f} s  {seconds / total:6.1%}  {n / seconds:8.1f} notices/s")


if __name__ == "__main__":
    main()
