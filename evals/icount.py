"""Instructions a notice on the rules path, counted by valgrind — a speed figure load cannot move.

    python evals/icount.py [--notices DIR] [--first 10] [--last 70]

On a shared machine wall-clock throughput moves by a third between runs minutes apart (and the
`re.finditer` baseline of `evals/bench.py` with it), which hides a 5 % change. This runs the same
loop as bench.py's rules stage (load + outline + rules extraction + flags) under
`valgrind --tool=callgrind` over the first `--first` and the first `--last` notices, and prints the
difference per notice: start-up, imports and first-call work cancel out, and the count is the same
from run to run (hash seed fixed) to within a few tenths of a percent. Without `--notices` the
notices are bench.py's corpus (its first `--last` notices, which are deterministic).
Needs valgrind (Debian's package); each run takes about a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _child(folder: Path, n: int) -> None:
    from assistant.ingest import notice_from_text
    from assistant.pipeline import process

    for path in sorted(folder.glob("*.txt"))[:n]:
        process(notice_from_text(path.read_text(encoding="utf-8"), path.name))


def _count(folder: Path, n: int) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
    command += [__file__, "--child", str(n), "--notices", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed ({done.returncode}): {done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notices", type=Path, help="a folder of .txt notices (default: bench.py's corpus)")
    parser.add_argument("--first", type=int, default=10, help="notices in the shorter run")
    parser.add_argument("--last", type=int, default=70, help="notices in the longer run")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.notices, args.child)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("需要 valgrind（Debian：apt-get install valgrind）。")
    with tempfile.TemporaryDirectory(prefix="audit-icount-") as tmp:
        folder = args.notices
        if folder is None:
            sys.path.insert(0, str(REPO / "evals"))
            from bench import Corpus

            folder = Path(tmp) / "notices"
            Corpus(REPO / "examples" / "notices").write(args.last, folder)
        with ThreadPoolExecutor(2) as pool:
            short, long = pool.map(lambda n: _count(folder, n), (args.first, args.last))
    per_notice = (long - short) / (args.last - args.first)
    print("| notices counted | instructions a notice |")
    print("|---|---|")
    print(f"| {args.last - args.first} (runs of {args.first} and {args.last}) | {per_notice / 1e6:.2f} M |")


if __name__ == "__main__":
    main()
