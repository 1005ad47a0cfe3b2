"""`audit ask`: a question to the stored notices, answered with numbered sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from assistant.cli.app import app

if TYPE_CHECKING:
    from assistant.qa.models import Answer, Citation

console = Console()
err_console = Console(stderr=True)
PASSAGE_CHARS = 240


def _passage_text(c: Citation) -> Text:
    """The passage, its quoted words highlighted, shortened around the first quote."""
    body = c.passage
    marks = sorted((q.start - c.span.start, q.end - c.span.start) for q in c.quotes)
    marks = [(max(0, s), min(len(body), e)) for s, e in marks if e > 0 and s < len(body)]
    start = 0
    if len(body) > PASSAGE_CHARS and marks:
        start = max(0, min(marks[0][0] - 40, len(body) - PASSAGE_CHARS))
    end = min(len(body), start + PASSAGE_CHARS)
    out = Text("…" if start else "")
    pos = start
    for s, e in marks:
        s, e = max(s, pos), min(e, end)
        if s >= e:
            continue
        out.append(body[pos:s])
        out.append(body[s:e], style="bold yellow")
        pos = e
    out.append(body[pos:end])
    if end < len(body):
        out.append("…")
    return out


def print_sources(answer: Answer, names: dict[str, str] | None = None) -> None:
    """The cited passages, each notice by its display name (`单位 · 日期`) when `names` has it."""
    if not answer.citations:
        return
    console.print("\n[bold]来源[/bold]")
    for c in answer.citations:
        path = " > ".join(c.outline_path)
        place = (names or {}).get(c.notice_id, c.source_name) + (f" · {path}" if path else "")
        console.print(Text(f"[{c.n}] ", style="bold cyan") + Text(place, style="cyan"))
        console.print(Text("    ") + _passage_text(c))


def print_verdict(answer: Answer) -> None:
    if answer.invalid_citations:
        bad = "、".join(f"[{n}]" for n in answer.invalid_citations)
        console.print(f"[red]注意：回答引用了未提供的段落 {bad}，这些引用无效。[/red]")
    if answer.mode in ("llm", "records") and not answer.grounded:
        console.print("[red]注意：该回答没有有效引用，不能视为有通报依据。[/red]")


@app.command(short_help="就已导入的通报提问，回答附来源")
def ask(
    question: Annotated[str, typer.Argument(help="问题，如“张家界交警支队对执法不规范问题采取了哪些措施？”")],
    k: Annotated[int, typer.Option("-k", "--top-k", min=1, max=20, help="检索的段落数")] = 5,
    org: Annotated[
        str | None, typer.Option("--org", help="只在某单位的通报中检索（发布单位名称的一部分）")
    ] = None,
    store_dir: Annotated[
        Path | None, typer.Option("--store", help="存储目录（默认 AUDIT_STORE_DIR 或 vectorstore/）")
    ] = None,
    offline: Annotated[bool, typer.Option("--offline", help="不调用大模型，给出抽取式回答")] = False,
) -> None:
    """就已导入的通报提问（先用 audit index 导入）。回答中的 [n] 对应下方列出的来源段落。"""
    from assistant.naming import names_by_notice
    from assistant.providers.llm import make_caller
    from assistant.qa import stream_answer
    from assistant.qa.models import Answer
    from assistant.settings import get_settings
    from assistant.store import NoticeStore, SearchFilters

    settings = get_settings()
    store = NoticeStore.open(settings, path=store_dir or settings.store_dir)
    if not store.manifest:
        from assistant.cli.store import empty_store_message

        err_console.print(f"[red]{empty_store_message(store)}[/red]", highlight=False)
        raise typer.Exit(2)
    llm = None if offline else make_caller(settings)
    filters = SearchFilters(organisation=org) if org else None

    final: Answer | None = None
    streamed = False
    try:
        for item in stream_answer(question, store, k=k, filters=filters, llm=llm):
            if isinstance(item, Answer):
                final = item
            elif llm is not None:
                console.print(item, end="", markup=False, highlight=False, soft_wrap=True)
                streamed = True
    except Exception as exc:  # the endpoint failed for good (after retries): say so, answer offline
        if llm is None:
            raise
        err_console.print(f"\n[red]大模型调用失败[/red]（{exc}），改用离线抽取式回答。")
        final = None
        streamed = False
        for item in stream_answer(question, store, k=k, filters=filters, llm=None):
            if isinstance(item, Answer):
                final = item
    if final is None:
        raise typer.Exit(1)
    if final.banner:
        console.print(f"[dim]{final.banner}[/dim]")
    if streamed:
        console.print()
    else:
        console.print(
            final.text, markup=False, highlight=False, soft_wrap=True
        )  # CJK has no spaces to wrap at
    print_verdict(final)
    print_sources(final, names_by_notice(store.notices()))
    if llm is not None and (llm.usage.calls or llm.usage.failed_calls):
        err_console.print(llm.usage.summary(settings))
