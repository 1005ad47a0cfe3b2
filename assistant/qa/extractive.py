"""Offline answers: the notice's own sentences that best match the question, each cited.

No language model means no paraphrase: the answer is quotes, scored by idf-weighted overlap
with the question's tokens, and every quote's span is kept so a UI can highlight it. When
the best passage covers too little of the question (or a 多少/何时 question finds no number
or date next to the matching words), the honest answer is that the notices do not say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from assistant.models import NoticeResult, Record, Span
from assistant.qa.citations import escape_brackets, passages_from_hits
from assistant.qa.evidence import Idf, coverage
from assistant.qa.models import NO_LLM_BANNER, NOT_FOUND_TEXT, Answer, Citation
from assistant.qa.text import (
    has_date,
    has_quantity,
    sentence_spans,
    wants_date,
    wants_measures,
    wants_quantity,
)

if TYPE_CHECKING:
    from assistant.store import Hit

# Below this share of the question's idf weight, the best passage is noise, not an answer.
MIN_PASSAGE_COVERAGE = 0.5
# Passages looked at for the evidence check and for quotes.
EVIDENCE_PASSAGES = 3
MAX_QUOTES = 3
MAX_MEASURE_QUOTES = 16
# Sentences scoring below this share of the best sentence are not quoted.
RELATIVE_FLOOR = 0.6
# A question term found only in the passage heading counts this much for its sentences.
HEADING_WEIGHT = 0.5


class ScoredSentence(BaseModel):
    passage_n: int
    notice_id: str
    start: int  # offsets in the passage body
    end: int
    text: str
    score: float
    rectification: bool  # inside the record's measures or status line (not its problem statement)


class MeasureLayout(BaseModel):
    span: Span
    evidence: list[Span] = []  # the concrete specifics (dates, amounts, documents…) inside it


class RecordLayout(BaseModel):
    """Where a record says what was done: its status line and its measures (notice offsets)."""

    status: Span | None = None
    measures: list[MeasureLayout] = []

    @property
    def spans(self) -> list[Span]:
        return [m.span for m in self.measures] + ([self.status] if self.status else [])


Layouts = Mapping[tuple[str, str], RecordLayout]  # keyed by (notice id, record id)
MAX_SENTENCES_PER_MEASURE = 3
SHORT_SENTENCE = 20


def _in_spans(start: int, end: int, spans: Sequence[Span]) -> bool:
    return any(start < sp.end and sp.start < end for sp in spans)


def score_sentences(
    question: str,
    tokens: Sequence[str],
    passages: Sequence[Citation],
    idf: Idf,
    layouts: Layouts | None = None,
) -> list[ScoredSentence]:
    """Every sentence of the given passages with its support for the question.

    A record's own problem statement repeats the question's words ("针对涉案财物丢失问题") but
    answers nothing, so sentences outside what the record says was done count half.
    """
    quantity, date = wants_quantity(question), wants_date(question)
    out: list[ScoredSentence] = []
    for p in passages:
        heading = " ".join(p.outline_path)
        layout = (layouts or {}).get((p.notice_id, p.record_id or ""))
        spans = layout.spans if layout else []
        for s, e in sentence_spans(p.passage):
            text = p.passage[s:e]
            own = coverage(tokens, text, idf)
            context = coverage(tokens, heading + text, idf)
            score = own + HEADING_WEIGHT * (context - own)
            if quantity and not has_quantity(text):
                score *= 0.5
            if date and not has_date(text):
                score *= 0.5
            inside = _in_spans(p.span.start + s, p.span.start + e, spans)
            if spans and not inside:
                score *= 0.5
            score *= 1.0 - 0.05 * (p.n - 1)  # earlier passages ranked better by retrieval
            out.append(
                ScoredSentence(
                    passage_n=p.n,
                    notice_id=p.notice_id,
                    start=s,
                    end=e,
                    text=text,
                    score=score,
                    rectification=inside,
                )
            )
    return out


def evidence_strength(
    tokens: Sequence[str], hits: Sequence[Hit], idf: Idf, top: int = EVIDENCE_PASSAGES
) -> float:
    """The best coverage of the question by any of the top passages (heading + body)."""
    return max((coverage(tokens, h.chunk.text, idf) for h in hits[:top]), default=0.0)


def not_found(question: str, banner: str | None = NO_LLM_BANNER) -> Answer:
    return Answer(question=question, text=NOT_FOUND_TEXT, mode="none", grounded=False, banner=banner)


def _measure_quotes(
    best: ScoredSentence, scored: list[ScoredSentence], passage: Citation, layout: RecordLayout
) -> list[ScoredSentence]:
    """The status line, then per measure its opening sentence and the ones holding its specifics."""
    own = [s for s in scored if s.passage_n == best.passage_n]
    base = passage.span.start
    out: list[ScoredSentence] = []
    if layout.status is not None:
        out.extend(s for s in own if _in_spans(base + s.start, base + s.end, [layout.status]))
    for measure in layout.measures:
        inside = [s for s in own if _in_spans(base + s.start, base + s.end, [measure.span]) and s not in out]
        if not inside:
            continue
        # a bare label ("四是严格执法安全管理。") says nothing done: its next sentence does
        lead = inside[:2] if len(inside[0].text) < SHORT_SENTENCE else inside[:1]
        keep = lead + [
            s for s in inside[len(lead) :] if _in_spans(base + s.start, base + s.end, measure.evidence)
        ]
        out.extend(keep[:MAX_SENTENCES_PER_MEASURE])
    return sorted(out, key=lambda s: s.start)[:MAX_MEASURE_QUOTES]


def _pick_one(
    question: str,
    scored: list[ScoredSentence],
    max_quotes: int,
    passages: Mapping[int, Citation],
    layouts: Layouts,
) -> list[ScoredSentence]:
    ranked = sorted(scored, key=lambda s: s.score, reverse=True)
    if not ranked or ranked[0].score <= 0:
        return []
    best = ranked[0]
    if wants_measures(question):
        # a measures question wants the list of the best record's measures, in document order
        passage = passages[best.passage_n]
        layout = layouts.get((passage.notice_id, passage.record_id or ""))
        if layout is not None and layout.measures:
            return _measure_quotes(best, scored, passage, layout)
        same = [s for s in scored if s.passage_n == best.passage_n and s.score > 0]
        return same[:MAX_MEASURE_QUOTES]
    chosen = [s for s in ranked if s.score >= RELATIVE_FLOOR * best.score][:max_quotes]
    return sorted(chosen, key=lambda s: (s.passage_n, s.start))


def _pick(
    question: str,
    scored: list[ScoredSentence],
    per_notice: bool,
    passages: Mapping[int, Citation],
    layouts: Layouts,
) -> list[ScoredSentence]:
    """The quotes: overall best, or (for a question naming several notices) the best of each."""
    if not per_notice:
        return _pick_one(question, scored, MAX_QUOTES, passages, layouts)
    picked: list[ScoredSentence] = []
    for notice_id in dict.fromkeys(s.notice_id for s in scored):
        picked.extend(
            _pick_one(question, [s for s in scored if s.notice_id == notice_id], 2, passages, layouts)
        )
    return picked


def _typed_evidence_missing(question: str, picked: Sequence[ScoredSentence]) -> bool:
    """A 多少 question answered without any number, or a 何时 question without any date."""
    if wants_quantity(question) and not any(has_quantity(s.text) for s in picked):
        return True
    return wants_date(question) and not any(has_date(s.text) for s in picked)


def extractive_answer(
    question: str,
    tokens: Sequence[str],
    hits: Sequence[Hit],
    idf: Idf,
    *,
    layouts: Layouts | None = None,
    notices_named: int = 0,
) -> Answer:
    """Quotes answering `question` from `hits`, or "通报中没有相关信息" when the evidence is weak.

    `notices_named` > 1 (a question naming several notices) quotes the best of each notice.
    """
    per_notice = notices_named > 1
    top = max(EVIDENCE_PASSAGES, 2 * notices_named) if per_notice else EVIDENCE_PASSAGES
    if not hits or evidence_strength(tokens, hits, idf, top) < MIN_PASSAGE_COVERAGE:
        return not_found(question)
    passages = passages_from_hits(hits[:top])
    by_n = {p.n: p for p in passages}
    scored = score_sentences(question, tokens, passages, idf, layouts)
    picked = _pick(question, scored, per_notice, by_n, layouts or {})
    if not picked or _typed_evidence_missing(question, picked):
        return not_found(question)
    # renumber the cited passages 1…m in order of first use, so markers match the sources list
    renumber: dict[int, int] = {}
    for s in picked:
        renumber.setdefault(s.passage_n, len(renumber) + 1)
    lines = [f"{escape_brackets(s.text)}[{renumber[s.passage_n]}]" for s in picked]
    citations: list[Citation] = []
    for old, new in renumber.items():
        p = by_n[old]
        quotes = [
            Span(start=p.span.start + s.start, end=p.span.start + s.end) for s in picked if s.passage_n == old
        ]
        citations.append(p.model_copy(update={"n": new, "quotes": quotes}))
    return Answer(
        question=question,
        text="\n".join(lines),
        citations=citations,
        mode="extractive",
        grounded=True,
        banner=NO_LLM_BANNER,
    )


def layout_of(rec: Record) -> RecordLayout:
    """A record's status line and measures, with their evidence."""
    return RecordLayout(
        status=rec.status_span,
        measures=[MeasureLayout(span=m.span, evidence=[e.span for e in m.evidence]) for m in rec.measures],
    )


def layouts_of(records: Mapping[tuple[str, str], Record]) -> dict[tuple[str, str], RecordLayout]:
    """Layouts of records keyed by (notice id, record id) (the store's `get_records`)."""
    return {key: layout_of(rec) for key, rec in records.items()}


def record_layouts(results: Iterable[NoticeResult]) -> dict[tuple[str, str], RecordLayout]:
    """Status line and measures (with their evidence) of every record, by (notice id, record id)."""
    return {(res.notice_id, rec.record_id): layout_of(rec) for res in results for rec in res.records}
