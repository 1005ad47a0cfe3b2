"""The speed of the whole tool on a province's worth of notices, measured — never asserted in unit tests.

    python evals/bench.py --n 1000 [--n 10000] [--index-n M] [--stages rules,pool,...] [--json OUT]

The corpus: N distinct notices generated from the sample notices the way real ones differ: each
notice is one sample's frame (preamble, organisational section, closing) with records drawn at
random from all samples, and every person name, place name, date and number replaced by a new
one (names from jieba's part-of-speech tags, so no sample's phrase is written here) — vocabulary
grows with N as it does in a real corpus, rather than N copies with a line appended.

Stages (each a row of the table; throughputs also as a ratio to a bare `re.finditer` pass of the
outline numbering pattern over the same texts in the same process, so runs on different machines
compare):
- rules: load + outline + rules extraction + flags, one process, in-process loop;
- pool: the same through `assistant.pipeline.iter_files` with all cores;
- extract: `audit extract DIR --out x.jsonl` from the shell: wall time, peak RSS of its process tree;
- index: `audit index DIR --store S` (the first --index-n files): notices/s, peak RSS;
- search: hybrid `NoticeStore.search` p50/p95 over the QA questions, and the keyword part alone;
- shell-search: `audit search Q --store S` wall time (import and open included);
- ask: offline `assistant.qa.answer` first question, p50/p95;
- import: `audit --help` wall time (median of 5).
Numbers vary by machine and load; compare ratios between runs on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

STAGES = ("rules", "pool", "extract", "index", "search", "shell-search", "ask", "import")

# name pieces for generated people and places (common surname and given-name characters)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华红建文辉玲鹏飞斌宇浩凯健俊帆帅旭宁龙林欣晨晓冬志国海波峰兵雪梅琳颖倩婷瑞泽宏伟德远航亮成康乐安永春"
PLACE = "安宁平阳江山河城源泉清华丰兴隆德昌盛新东西南北中岳湘沅澧资衡韶桂柳邵永郴益常怀株潭娄吉凤溪桃花石林川岭峰川沙湖洞庭浏醴攸茶炎宜章汝临武嘉禾蓝汉寿澧津桑植慈利"

PLACE_SUFFIX = "市县区镇乡村"

_DATE = r"(?P<y>(?:19|20)\d\d)年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?|(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日"
_ISO = r"(?P<iy>(?:19|20)\d\d)-(?P<im>\d{2})-(?P<id>\d{2})"
# digits inside a sentence (not an outline number at a line start, not inside a 1.2 decimal's point)
_NUMBER = r"(?<![\d.．(（\n])(?P<n>\d+)(?![\d.．、)）])"
_VARY = re.compile(f"{_DATE}|{_ISO}|{_NUMBER}")


# ------------------------------------------------------------------------------------------- corpus
class Corpus:
    """Frames and record bodies of the samples, and the names to vary; `notice(i)` is deterministic."""

    def __init__(self, sample_dir: Path) -> None:
        import jieba.posseg as pseg

        from assistant.ingest import load_notice
        from assistant.pipeline import process

        self.frames: list[list[str | None]] = []  # text pieces, None where a record body goes
        self.bodies: list[str] = []
        names: dict[str, str] = {}
        for path in sorted(p for p in sample_dir.iterdir() if p.is_file()):
            processed = process(load_notice(path))
            text = processed.notice.text
            spans = {(r.source_span.start, r.source_span.end) for r in processed.result.records}
            nodes = processed.outline.walk() if processed.outline else []
            leaves = sorted(
                (n for n in nodes if (n.span.start, n.span.end) in spans), key=lambda n: n.span.start
            )
            frame: list[str | None] = []
            last = 0
            for node in leaves:
                frame.append(text[last : node.title_span.start])
                frame.append(None)
                self.bodies.append(text[node.title_span.start : node.span.end])
                last = node.span.end
            frame.append(text[last:])
            self.frames.append(frame)
            for word, flag in pseg.cut(text):
                if not re.fullmatch(r"[\u4e00-\u9fff]+", word):
                    continue
                if flag == "nr" and len(word) == 3 and word[0] in SURNAMES:
                    names[word] = flag  # a person
                elif (
                    flag == "ns" and 3 <= len(word) <= 5 and word[-1] in PLACE_SUFFIX and word[-2:] != "城市"
                ):
                    names[word] = flag  # a place: 某某市, 某某县
            org = processed.notice.meta.organisation or ""
            if place := re.match(r"(?:中共)?([\u4e00-\u9fff]{2,3}?[市县区])", org):
                names[place.group(1)] = "ns"  # the issuing unit's place
                names[place.group(1)[:-1]] = "ns"
        self.names = names
        self._names_re = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))

    def _name(self, rng: random.Random, kind: str, length: int) -> str:
        if kind == "nr":
            return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(max(1, length - 1)))
        place = "".join(rng.choice(PLACE) for _ in range(2))
        return place + rng.choice(PLACE_SUFFIX) if length > 2 else place

    def notice(self, i: int) -> str:
        rng = random.Random(i)
        frame = self.frames[rng.randrange(len(self.frames))]
        text = "".join(piece if piece is not None else rng.choice(self.bodies) for piece in frame)
        mapping: dict[str, str] = {}

        def name(m: re.Match[str]) -> str:
            word = m.group(0)
            if word not in mapping:
                mapping[word] = self._name(rng, self.names[word], len(word))
            return mapping[word]

        def vary(m: re.Match[str]) -> str:
            if m.group("y"):
                month = f"{rng.randint(1, 12)}月" if m.group("m") else ""
                day = f"{rng.randint(1, 28)}日" if m.group("d") else ""
                return f"{rng.randint(2016, 2025)}年{month}{day}"
            if m.group("m2"):
                return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
            if m.group("iy"):
                return f"{rng.randint(2016, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            digits = len(m.group("n"))
            return str(rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10**digits - 1))

        text = self._names_re.sub(name, text) if self.names else text
        return _VARY.sub(vary, text) + f"\n\n（编号 {i}）\n"

    def write(self, n: int, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(n):
            path = folder / f"bench_{i:05d}.txt"
            path.write_text(self.notice(i), encoding="utf-8")
            paths.append(path)
        return paths


# ------------------------------------------------------------------------------------------ measure
def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants (pool workers included)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * page
        except OSError:
            pass
        todo.extend(children.get(pid, []))
    return total


def _tree_cpu(root: int, seen: dict[int, float]) -> None:
    """CPU seconds (user + system) so far of `root` and its descendants, kept per process in `seen`."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, bytes] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    stats[int(entry)] = fh.read().rsplit(b")", 1)[1]
            except OSError:
                continue
            children.setdefault(int(stats[int(entry)].split()[1]), []).append(int(entry))
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            fields = stats[pid].split()
            seen[pid] = max(seen.get(pid, 0.0), (int(fields[11]) + int(fields[12])) / tick)
        todo.extend(children.get(pid, []))


LAST_CPU = 0.0
"""CPU seconds of the last `run_cli` command's process tree (sampled: a process's last 0.2 s may be missed)."""


def run_cli(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS bytes of the process tree, exit code) of one `audit` command; its
    CPU time in LAST_CPU."""
    global LAST_CPU
    audit = Path(sys.executable).with_name("audit")
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(audit), *args], env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO
    )
    peak = 0
    cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            _tree_cpu(proc.pid, cpu)
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    LAST_CPU = sum(cpu.values())
    if proc.returncode not in (0, 1):
        print(
            f"  ! audit {' '.join(args[:2])} exited {proc.returncode}: {err.decode()[-400:]}", file=sys.stderr
        )
    return wall, peak, proc.returncode


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def baseline_rate(texts: list[str]) -> float:
    """Notices/s of a bare `re.finditer` of the outline numbering pattern over `texts`.

    On a shared machine the load moves every absolute number; this baseline, measured in the same
    process at the same time, moves with it, so the ratios compare across runs."""
    from assistant.ingest.normalise import NUMBERING

    pattern = re.compile(NUMBERING.pattern, re.M)
    t0 = time.perf_counter()
    for _ in range(3):
        for text in texts:
            for _m in pattern.finditer(text):
                pass
    return 3 * len(texts) / (time.perf_counter() - t0)


def questions() -> list[str]:
    lines = (REPO / "evals" / "qa.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


Row = dict[str, object]


def bench_rules(paths: list[Path], base: float) -> Row:
    from assistant.ingest import notice_from_text
    from assistant.pipeline import process

    texts = [p.read_text(encoding="utf-8") for p in paths]
    t0, c0 = time.perf_counter(), time.process_time()
    records = 0
    for path, text in zip(paths, texts, strict=True):
        records += len(process(notice_from_text(text, path.name)).result.records)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate = len(paths) / seconds
    return {"stage": "rules", "value": f"{rate:.0f} notices/s", "ratio": rate / base, "seconds": seconds,
            "detail": f"{records / len(paths):.1f} records/notice; {len(paths) / cpu:.0f}/s of CPU time"}  # fmt: skip


def records_of(processed: object) -> int:
    """The pool stage's finishing step: the worker hands back a count, not the models (as `audit
    extract` hands back its lines), so the stage measures extraction on both cores."""
    return len(processed.result.records)  # type: ignore[attr-defined]


def bench_pool(paths: list[Path], base: float, workers: int) -> list[Row]:
    import inspect

    from assistant import pipeline as batch

    kind = "processes" if "ProcessPool" in inspect.getsource(batch) else "threads"
    rows: list[Row] = []
    for finish, what in ((records_of, "counts back"), (None, "whole models back")):
        t0 = time.perf_counter()
        outcomes = batch.iter_files(paths, "rules", workers=workers, finish=finish)  # type: ignore[arg-type]
        errors = sum(1 for _, done, _ in outcomes if done is None)
        seconds = time.perf_counter() - t0
        rate = len(paths) / seconds
        rows.append({"stage": f"pool ({workers} {kind}, {what})", "value": f"{rate:.0f} notices/s",
                     "ratio": rate / base, "seconds": seconds, "detail": f"{errors} errors"})  # fmt: skip
    return rows


def bench_extract(folder: Path, n: int, tmp: Path) -> Row:
    out = tmp / "records.jsonl"
    wall, peak, code = run_cli(["extract", str(folder), "--out", str(out)])
    return {"stage": "audit extract", "value": f"{wall:.1f} s", "rss_mb": peak / 2**20, "seconds": wall,
            "detail": f"{n / wall:.0f} notices/s, exit {code}"}  # fmt: skip


def bench_index(paths: list[Path], tmp: Path, store: Path) -> Row:
    folder = tmp / "to_index"
    folder.mkdir(exist_ok=True)
    for p in paths:
        (folder / p.name).symlink_to(p)
    wall, peak, code = run_cli(["index", str(folder), "--store", str(store)])
    cpu = LAST_CPU
    return {"stage": f"audit index ({len(paths)})", "value": f"{len(paths) / wall:.1f} notices/s",
            "rss_mb": peak / 2**20, "seconds": wall, "cpu": cpu,
            "detail": f"{wall:.0f} s, {cpu:.0f} s of CPU ({len(paths) / cpu:.1f} notices per CPU-second), exit {code}"}  # fmt: skip


def _timed(fn: Callable[[str], object], qs: list[str]) -> list[float]:
    out = []
    for q in qs:
        t0 = time.perf_counter()
        fn(q)
        out.append(time.perf_counter() - t0)
    return out


def _keyword(store: object, query: str) -> object:
    """The keyword ranking as the store asks for it (its candidates), else the whole ranking."""
    index = store.bm25  # type: ignore[attr-defined]
    try:
        return index.scores(query, limit=50)
    except TypeError:  # an index without a limit (before the inverted index)
        return index.scores(query)


def bench_search(store_dir: Path) -> list[Row]:
    from assistant.store import NoticeStore

    t0 = time.perf_counter()
    store = NoticeStore.open(path=store_dir)
    opened = time.perf_counter() - t0
    qs = questions()
    store.search(qs[0])  # first query warms the tokeniser's dictionary
    p50, p95 = percentiles(_timed(lambda q: store.search(q, k=5), qs))
    k50, k95 = percentiles(_timed(lambda q: _keyword(store, q), qs))
    return [
        {"stage": "hybrid search", "value": f"p50 {p50 * 1e3:.0f} ms, p95 {p95 * 1e3:.0f} ms",
         "detail": f"keyword part p50 {k50 * 1e3:.0f} ms, p95 {k95 * 1e3:.0f} ms; open {opened:.2f} s"},
    ]  # fmt: skip


def bench_shell_search(store_dir: Path) -> Row:
    times = [run_cli(["search", q, "--store", str(store_dir)])[0] for q in questions()[:3]]
    return {"stage": "audit search (shell)", "value": f"{statistics.median(times):.2f} s",
            "detail": "median of 3, import and open included"}  # fmt: skip


def bench_ask(store_dir: Path, limit: int) -> Row:
    from assistant.qa import answer
    from assistant.store import NoticeStore

    store = NoticeStore.open(path=store_dir)
    qs = questions()[:limit]
    t0 = time.perf_counter()
    answer(qs[0], store, llm=None)
    first = time.perf_counter() - t0
    p50, p95 = percentiles(_timed(lambda q: answer(q, store, llm=None), qs[1:]))
    return {"stage": "audit ask --offline", "value": f"p50 {p50:.2f} s, p95 {p95:.2f} s",
            "detail": f"first question {first:.2f} s; {len(qs)} questions"}  # fmt: skip


def bench_import() -> Row:
    times = sorted(run_cli(["--help"])[0] for _ in range(5))
    return {"stage": "audit --help", "value": f"{statistics.median(times):.2f} s", "detail": "median of 5"}


def dims_study(dimensions: list[int]) -> str:
    """`audit eval --qa` (offline) with the hashed n-gram vectors at each dimension."""
    from assistant.evaluation.qa import run_qa_eval
    from assistant.providers.embeddings import HashedNgramEmbeddings

    lines = [
        "| dimensions | hit@1 | hit@5 | MRR | key-fact recall | bytes/vector |",
        "|---|---|---|---|---|---|",
    ]
    default = HashedNgramEmbeddings.__init__.__defaults__
    try:
        for dims in dimensions:
            HashedNgramEmbeddings.__init__.__defaults__ = (dims,)  # the store opens the default model
            r = run_qa_eval(REPO / "evals" / "qa.jsonl", REPO / "examples" / "notices")
            lines.append(
                f"| {dims:,} | {r.hit_at_1:.3f} | {r.hit_at_5:.3f} | {r.mrr:.3f} | {r.key_fact_recall:.3f} | {dims * 4:,} |"
            )
            print(lines[-1], file=sys.stderr)
    finally:
        HashedNgramEmbeddings.__init__.__defaults__ = default
    return "\n".join(lines)


def render(n: int, rows: list[Row], base: float) -> str:
    lines = [
        f"N = {n:,} notices (re.finditer baseline: {base:,.0f} notices/s)",
        "",
        "| stage | measured | vs finditer | peak RSS | detail |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = f"{row['ratio']:.3f}" if "ratio" in row else ""
        rss = f"{row['rss_mb']:,.0f} MB" if "rss_mb" in row else ""
        lines.append(f"| {row['stage']} | {row['value']} | {ratio} | {rss} | {row.get('detail', '')} |")
    return "\n".join(lines)


def run(n: int, args: argparse.Namespace, corpus: Corpus) -> dict[str, object]:
    stages = set(args.stages.split(",")) if args.stages else set(STAGES)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        paths = corpus.write(n, tmp / "notices")
        print(f"[N={n}] corpus written in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        base = baseline_rate(texts)
        rules_paths = paths[: args.rules_n or n]
        if "rules" in stages:
            rows.append(bench_rules(rules_paths, base))
            print(f"  {rows[-1]}", file=sys.stderr)
        if "pool" in stages:
            rows.extend(bench_pool(rules_paths, base, args.workers))
            print(f"  {rows[-2:]}", file=sys.stderr)
        if "extract" in stages:
            rows.append(bench_extract(tmp / "notices", n, tmp))
            print(f"  {rows[-1]}", file=sys.stderr)
        store = tmp / "store"
        if stages & {"index", "search", "shell-search", "ask"}:
            rows.append(bench_index(paths[: args.index_n or n], tmp, store))
            print(f"  {rows[-1]}", file=sys.stderr)
        if "search" in stages:
            rows.extend(bench_search(store))
            print(f"  {rows[-1]}", file=sys.stderr)
        if "shell-search" in stages:
            rows.append(bench_shell_search(store))
            print(f"  {rows[-1]}", file=sys.stderr)
        if "ask" in stages:
            rows.append(bench_ask(store, args.ask_n))
            print(f"  {rows[-1]}", file=sys.stderr)
        if "import" in stages:
            rows.append(bench_import())
    table = render(n, rows, base)
    print(table + "\n", flush=True)
    return {"n": n, "baseline": base, "rows": rows, "table": table}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--n", type=int, action="append", help="corpus size (repeatable; default 1000 and 10000)"
    )
    parser.add_argument("--stages", help=f"comma-separated subset of {','.join(STAGES)}")
    parser.add_argument("--index-n", type=int, default=0, help="index only the first M notices (default all)")
    parser.add_argument(
        "--rules-n", type=int, default=0, help="rules/pool stages on the first M notices only"
    )
    parser.add_argument("--ask-n", type=int, default=40, help="questions for the ask stage (default 40)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="pool size (default all cores)"
    )
    parser.add_argument("--samples", type=Path, default=REPO / "examples" / "notices")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--dims-study", help="only the embedding dimension study, e.g. 512,1024,2048,4096")
    args = parser.parse_args(argv)
    if args.dims_study:
        print(dims_study([int(d) for d in args.dims_study.split(",")]))
        return
    corpus = Corpus(args.samples)
    results = [run(n, args, corpus) for n in (args.n or [1000, 10000])]
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
