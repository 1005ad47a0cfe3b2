"""LLM answers: numbered passages in, cited prose out, every citation checked after.

The prompt (prompts/qa_answer.v*.md) tells the model to use only the passages and to say
"通报中没有相关信息" when they do not answer. Nothing the model writes is trusted: markers are
parsed and checked against the passages actually given, quotes for highlighting are located
in the cited passages, and an answer citing nothing valid is returned as not grounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from assistant.models import Span
from assistant.prompts import load_prompt
from assistant.qa.citations import check_citations, escape_brackets, normalise_markers, passages_from_hits
from assistant.qa.models import Answer, Citation
from assistant.qa.text import sentence_spans
from assistant.text.fold import fold

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

    from assistant.providers.caller import LLMCaller
    from assistant.store import Hit

PROMPT_NAME = "qa_answer"
USER_MARKER = "<<<USER>>>"
REFUSAL = re.compile(r"通报中没有相关信息|没有相关信息|未提及相关|无相关信息|没有提及|未涉及")
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL)
_CLAIM = re.compile(r"[^。！？\n]*?(?:\[\d+\])+")
_MARKERS = re.compile(r"\[(\d+)\]")


def format_passages(hits: Sequence[Hit]) -> str:
    blocks = []
    for n, hit in enumerate(hits, start=1):
        c = hit.chunk
        where = "；".join(x for x in (c.organisation or "", c.source_name, " > ".join(c.outline_path)) if x)
        blocks.append(f"[{n}]（{where}）\n{escape_brackets(c.text[c.body_offset :].strip())}")
    return "\n\n".join(blocks)


def build_messages(
    question: str, hits: Sequence[Hit], prompt_version: int | None = None
) -> list[BaseMessage]:
    from langchain_core.messages import HumanMessage, SystemMessage

    prompt = load_prompt(PROMPT_NAME, prompt_version)
    filled = prompt.fill(passages=format_passages(hits), question=question.strip())
    system, _, user = filled.partition(USER_MARKER)
    return [SystemMessage(content=system.strip()), HumanMessage(content=user.strip())]


def _bigrams(text: str) -> set[str]:
    t = fold(text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def locate_quotes(answer_text: str, passages: Sequence[Citation]) -> dict[int, list[Span]]:
    """For every cited n, the passage sentences that best match the claims citing it."""
    by_n = {p.n: p for p in passages}
    found: dict[int, list[Span]] = {}
    for m in _CLAIM.finditer(answer_text):
        claim = _MARKERS.sub("", m.group(0))
        grams = _bigrams(claim)
        if not grams:
            continue
        for n in {int(x) for x in _MARKERS.findall(m.group(0))}:
            p = by_n.get(n)
            if p is None:
                continue
            scored = [
                (len(grams & _bigrams(p.passage[s:e])) / len(grams), s, e)
                for s, e in sentence_spans(p.passage)
            ]
            if not scored:
                continue
            best, s, e = max(scored)
            if best >= 0.2:
                span = Span(start=p.span.start + s, end=p.span.start + e)
                if span not in found.setdefault(n, []):
                    found[n].append(span)
    return found


def finalise(question: str, raw: str, hits: Sequence[Hit]) -> Answer:
    """Check the model's text against the passages it was given and build the Answer."""
    text = normalise_markers(_THINK.sub("", raw)).strip()
    passages = passages_from_hits(hits)
    check = check_citations(text, len(passages))
    quotes = locate_quotes(text, passages)
    cited = [p.model_copy(update={"quotes": quotes.get(p.n, [])}) for p in passages if p.n in check.valid]
    refused = not check.valid and bool(REFUSAL.search(text))
    return Answer(
        question=question,
        text=text,
        citations=cited,
        mode="none" if refused else "llm",
        grounded=check.grounded,
        invalid_citations=check.invalid,
    )


def llm_answer(question: str, hits: Sequence[Hit], llm: LLMCaller) -> Answer:
    return finalise(question, llm.chat(build_messages(question, hits)), hits)


class _ThinkFilter:
    """Hides <think>…</think> reasoning from streamed deltas (reasoning models emit it inline)."""

    def __init__(self) -> None:
        self.buffer = ""
        self.inside = False

    def feed(self, delta: str) -> str:
        self.buffer += delta
        out = []
        while self.buffer:
            if self.inside:
                end = self.buffer.find("</think>")
                if end < 0:
                    self.buffer = self.buffer[-7:]  # keep a possible partial closing tag
                    return "".join(out)
                self.buffer = self.buffer[end + len("</think>") :]
                self.inside = False
            else:
                start = self.buffer.find("<think>")
                if start < 0:
                    # hold back a possible partial opening tag
                    cut = len(self.buffer)
                    for k in range(1, min(7, len(self.buffer)) + 1):
                        if "<think>".startswith(self.buffer[-k:]):
                            cut = len(self.buffer) - k
                            break
                    out.append(self.buffer[:cut])
                    self.buffer = self.buffer[cut:]
                    return "".join(out)
                out.append(self.buffer[:start])
                self.buffer = self.buffer[start + len("<think>") :]
                self.inside = True
        return "".join(out)

    def flush(self) -> str:
        rest, self.buffer = ("" if self.inside else self.buffer), ""
        return rest


def llm_stream(question: str, hits: Sequence[Hit], llm: LLMCaller) -> Iterator[str | Answer]:
    """Text deltas as the model writes them, then the checked Answer."""
    raw: list[str] = []
    shown = _ThinkFilter()
    for delta in llm.stream(build_messages(question, hits)):
        raw.append(delta)
        visible = shown.feed(delta)
        if visible:
            yield visible
    tail = shown.flush()
    if tail:
        yield tail
    yield finalise(question, "".join(raw), hits)
