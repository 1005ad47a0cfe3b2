"""The LLM extractors: "llm" (records filled by the model) and "hybrid" (rules records, LLM judge).

Both start from the outline: the rules extractor's records give the boundaries (one record
section per call, long sections cut at sentence ends, so no call exceeds the budget whatever
the notice length) and the fallback when a call fails for good.

- "llm": the model fills `ExtractedRecord` for each record section (problem, status, status
  words, measures, deadline — text only); every value is aligned back onto the notice and
  replaced by the notice's own characters, values that cannot be found are dropped and
  counted (`Record.unaligned`). Evidence on the measures comes from the shared evidence finder,
  so the rules flags mean the same thing for every extractor.
- "hybrid": the rules record as it is (its boundaries, status lines and measure splitting are
  deterministic and exact) plus the LLM judgement — one call per completed record, the cheapest
  way to get the model's reading of what the rules are weakest at.
- Both: for each record claiming completion the model gives a verdict on vagueness with a
  Chinese reason, seeing the rules' evidence and flags. The verdict is kept in
  `Record.judgement`; where it differs from the rules it also becomes a flag with
  `source="llm"` (`vague_completion` the rules missed, or `llm_disagrees` with a rules flag),
  so disagreements are shown, never resolved silently.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from assistant.errors import AuditError
from assistant.evidence import find_evidence
from assistant.extraction.align import Found, align
from assistant.extraction.llm_schema import ExtractedRecord, SegmentedRecords, VagueJudgement
from assistant.extraction.rules import extract_rules
from assistant.extraction.segment import needs_segmenting, records_from_boundaries, uncovered_sections
from assistant.extraction.status import explicit_status, read_status
from assistant.lexicon.status import status_of_phrase
from assistant.models import (
    EvidenceType,
    Extractor,
    Flag,
    FlagCode,
    Judgement,
    Measure,
    Notice,
    Outline,
    Record,
    Severity,
    Span,
    Status,
)
from assistant.prompts import fill, load_prompt
from assistant.providers.cache import CacheKey, text_hash
from assistant.providers.caller import LLMCaller, LLMCallError, LLMUsage, json_schema_of
from assistant.providers.llm import make_chat_model
from assistant.settings import Settings, get_settings
from assistant.text.sentences import sentence_end_cuts

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from pydantic import BaseModel

MAX_SECTION_CHARS = 6000  # ≈ 4–6k tokens of Chinese with the instructions: fits any 8k-context model
INPUT_MARKER = "=== 输入 ==="
EVIDENCE_ZH = {
    EvidenceType.DATE: "日期",
    EvidenceType.QUANTITY: "数量",
    EvidenceType.MONEY: "金额",
    EvidenceType.DOCUMENT: "文件",
    EvidenceType.PERSONNEL_ACTION: "人事处理",
    EvidenceType.PHYSICAL_CHANGE: "实物或机构变化",
}


class LLMNotConfiguredError(AuditError, RuntimeError):
    pass


NOT_CONFIGURED = (
    "未配置大模型：请设置 AUDIT_MODEL 以及 OPENAI_BASE_URL 或 OPENAI_API_KEY（也可写入 audit.toml），"
    "用 `audit config show` 查看当前设置；不配置时请使用 --extractor rules。"
)


def split_prompt(text: str) -> tuple[str, str]:
    """A prompt file's system instructions and its input template."""
    system, _, template = text.partition(INPUT_MARKER)
    return system.strip(), template.strip()


def section_parts(text: str, span: Span, max_chars: int) -> list[Span]:
    """The record section cut at sentence ends into pieces of at most `max_chars`."""
    parts: list[Span] = []
    start = span.start
    while span.end - start > max_chars:
        limit = start + max_chars
        end = max(sentence_end_cuts(text, start + max_chars // 2, limit), default=limit)
        parts.append(Span(start=start, end=end))
        start = end
    parts.append(Span(start=start, end=span.end))
    return parts


Flagger = Callable[[Record], list[Flag]]  # a record's rules flags (assistant.flags.rules.flag_record)


class LLMExtractor:
    """An extractor callable `(notice, outline) -> records` for mode "llm" or "hybrid"."""

    def __init__(
        self,
        mode: Extractor = Extractor.LLM,
        settings: Settings | None = None,
        chat_model: BaseChatModel | None = None,
        *,
        caller: LLMCaller | None = None,
        judge: bool = True,
        flagger: Flagger | None = None,
        max_section_chars: int = MAX_SECTION_CHARS,
        sleep: Callable[[float], None] = time.sleep,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
    ) -> None:
        if mode not in (Extractor.LLM, Extractor.HYBRID):
            raise ValueError(f"unknown LLM extractor mode {mode!r}")
        self.mode = mode
        self.settings = settings or get_settings()
        if caller is None:
            chat_model = chat_model or make_chat_model(self.settings)
            if chat_model is None:
                raise LLMNotConfiguredError(NOT_CONFIGURED)
            caller = LLMCaller(
                chat_model, self.settings, sleep=sleep, backoff_base=backoff_base, backoff_max=backoff_max
            )
        self.caller = caller
        self.judge = judge
        # the rules' flags of a record, handed in by the pipeline (extraction never imports the flags
        # stage); the judge shows them to the model and falls back on their reason
        self.flagger: Flagger = flagger or (lambda record: [])
        self.max_section_chars = max_section_chars
        self.extract_prompt = load_prompt("extract_record")
        self.judge_prompt = load_prompt("judge_vague")
        self.segment_prompt = load_prompt("segment_records")

    @property
    def usage(self) -> LLMUsage:
        return self.caller.usage

    def __call__(self, notice: Notice, outline: Outline, flagger: Flagger | None = None) -> list[Record]:
        if flagger is not None:
            self.flagger = flagger
        rules = extract_rules(notice, outline)
        if needs_segmenting(rules, notice.meta.totals):
            # the model must not inherit the rules' blind spots: it segments what they missed
            rules = sorted([*rules, *self.segment(notice, outline, rules)], key=lambda r: r.source_span.start)
        if not rules:
            return []
        workers = min(len(rules), max(1, self.settings.concurrency))
        if workers == 1:
            return [self.process_record(notice, r) for r in rules]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm-extract") as pool:
            return list(pool.map(lambda r: self.process_record(notice, r), rules))

    def process_record(self, notice: Notice, rules_record: Record) -> Record:
        if self.mode == Extractor.HYBRID:
            record, judgeable = rules_record.model_copy(update={"extractor": Extractor.HYBRID}), True
        else:
            record, judgeable = self._extract(notice, rules_record)
        if self.judge and judgeable:
            record = self.judge_record(notice, record)
        return record

    # -- extraction --------------------------------------------------------------------------
    def _key(
        self, notice: Notice, prompt_id: str, system: str, user: str, schema: type[BaseModel]
    ) -> CacheKey:
        schema_text = json.dumps(json_schema_of(schema), ensure_ascii=False, sort_keys=True)
        return CacheKey(
            notice_hash=text_hash(notice.text),
            prompt=prompt_id,
            model=self.caller.model_name,
            input_hash=text_hash("\x00".join((system, user, schema_text))),
        )

    def extract_record(self, notice: Notice, rules_record: Record) -> Record:
        """The LLM's record for one record section (the rules record when the LLM fails)."""
        return self._extract(notice, rules_record)[0]

    def _extract(self, notice: Notice, rules_record: Record) -> tuple[Record, bool]:
        prompt = self.extract_prompt
        system, template = split_prompt(prompt.text)
        prompt_id = f"{prompt.name}.v{prompt.version}"
        parts = section_parts(notice.text, rules_record.source_span, self.max_section_chars)
        headings = " > ".join(rules_record.outline_path[:-1]) or "（无）"
        outputs: list[ExtractedRecord] = []
        for i, part in enumerate(parts):
            note = f"（本条记录较长，以下是第{i + 1}/{len(parts)}部分）\n" if len(parts) > 1 else ""
            user = fill(template, headings=headings, part_note=note, section=part.slice(notice.text))
            try:
                result = self.caller.call(
                    ExtractedRecord, system, user, self._key(notice, prompt_id, system, user, ExtractedRecord)
                )
            except LLMCallError as exc:
                self.caller.count(fallback_records=1)
                fallback = rules_record.model_copy(
                    update={"errors": [*rules_record.errors, f"大模型抽取失败，已改用规则抽取结果：{exc}"]}
                )
                return fallback, exc.kind == "output"
            assert isinstance(result.output, ExtractedRecord)
            outputs.append(result.output)
        return self._build(notice, rules_record, outputs), True

    def _build(self, notice: Notice, rules_record: Record, outputs: list[ExtractedRecord]) -> Record:
        text, window = notice.text, rules_record.source_span
        dropped: list[str] = []

        def place(value: str, label: str) -> Found:
            found = align(value, text, window)
            if found.span is None:
                dropped.append(f"{label}：{value}")
            return found

        first = outputs[0]
        problem = place(first.problem, "问题")
        problem_span = problem.span
        stated = next((o for o in outputs if o.status != Status.UNSTATED.value), first)
        status_found = place(stated.status_text, "状态依据") if stated.status_text else None
        status_span = status_found.span if status_found else None
        measures: dict[tuple[int, int], Measure] = {}
        proposed = 0
        for output in outputs:
            for value in output.measures:
                proposed += 1
                found = place(value, "措施")
                span = found.span
                if span is not None and (span.start, span.end) not in measures:
                    m_text = span.slice(text)
                    measures[(span.start, span.end)] = Measure(
                        text=m_text,
                        span=span,
                        evidence=find_evidence(m_text, span.start),
                        alignment=found.alignment,
                    )
        deadline: Found | None = None
        for output in outputs:
            if output.deadline and (deadline := place(output.deadline, "时限")).span is not None:
                break
        deadline_span = deadline.span if deadline else None
        errors = list(rules_record.errors)
        kept = sorted(measures.values(), key=lambda m: m.span.start)
        if proposed and not kept and rules_record.measures:
            kept = rules_record.measures
            errors.append("大模型给出的措施都未能在原文中定位，已改用规则抽取的措施")
        if dropped:
            self.caller.count(dropped_values=len(dropped))
        status, status_text, verified_span, note = verified_status(
            text, rules_record, Status(stated.status), status_span
        )
        # the alignment of the model's status words, where those words are what was kept
        kept_words = status_found is not None and verified_span is not None and verified_span == status_span
        status_alignment = status_found.alignment if kept_words and status_found else None
        if note:
            errors.append(note)
            self.caller.count(rejected_statuses=1)
        return rules_record.model_copy(
            update={
                "problem": problem_span.slice(text) if problem_span else rules_record.problem,
                "problem_span": problem_span or rules_record.problem_span,
                "problem_alignment": problem.alignment,
                "status": status,
                "status_text": status_text,
                "status_span": verified_span,
                "status_alignment": status_alignment,
                "measures": kept,
                "deadline": deadline_span.slice(text) if deadline_span else None,
                "deadline_span": deadline_span,
                "deadline_alignment": deadline.alignment if deadline else None,
                "extractor": Extractor.LLM,
                "errors": errors,
                "unaligned": [*rules_record.unaligned, *dropped],
                "flags": [],
            }
        )

    # -- segmentation ------------------------------------------------------------------------
    def segment(self, notice: Notice, outline: Outline | None, found: list[Record]) -> list[Record]:
        """Records the model finds in the sections the outline gave none for (quoted starts, aligned)."""
        prompt = self.segment_prompt
        system, template = split_prompt(prompt.text)
        prompt_id = f"{prompt.name}.v{prompt.version}"
        records: list[Record] = []
        for section in uncovered_sections(notice, outline, found):
            parts = section_parts(notice.text, section, self.max_section_chars)
            for i, part in enumerate(parts):
                note = f"（这一段较长，以下是第{i + 1}/{len(parts)}部分）\n" if len(parts) > 1 else ""
                user = fill(template, part_note=note, section=part.slice(notice.text))
                try:
                    result = self.caller.call(
                        SegmentedRecords,
                        system,
                        user,
                        self._key(notice, prompt_id, system, user, SegmentedRecords),
                    )
                except LLMCallError:
                    self.caller.count(failed_segments=1)
                    continue
                output = result.output
                assert isinstance(output, SegmentedRecords)
                new, dropped = records_from_boundaries(
                    notice, part, output.first_words, output.problems, len(records)
                )
                if dropped:
                    self.caller.count(dropped_values=len(dropped))
                records.extend(r.model_copy(update={"unaligned": dropped}) if dropped else r for r in new)
        return records

    # -- judgement ---------------------------------------------------------------------------
    def judge_record(self, notice: Notice, record: Record) -> Record:
        """The LLM's verdict on a completion claim, kept beside the rules' flags."""
        if record.status != Status.COMPLETED or not record.measures:
            return record
        rules_flags = self.flagger(record)
        rules_vague = any(f.code == FlagCode.VAGUE_COMPLETION for f in rules_flags)
        prompt = self.judge_prompt
        system, template = split_prompt(prompt.text)
        prompt_id = f"{prompt.name}.v{prompt.version}"
        user = fill(
            template,
            problem=record.problem,
            status=record.status.value,
            status_text=record.status_text or "上级标题或正文",
            measures=_measures_block(record.measures),
            rules_flags="；".join(f"{f.code.value}（{f.reason}）" for f in rules_flags) or "无",
        )
        try:
            result = self.caller.call(
                VagueJudgement, system, user, self._key(notice, prompt_id, system, user, VagueJudgement)
            )
        except LLMCallError as exc:
            self.caller.count(failed_judgements=1)
            return record.model_copy(update={"errors": [*record.errors, f"大模型空泛判断失败：{exc}"]})
        verdict = result.output
        assert isinstance(verdict, VagueJudgement)
        rules_reason = next((f.reason for f in rules_flags if f.code == FlagCode.VAGUE_COMPLETION), None) or (
            "规则未发现空泛问题：措施中有可核查的具体内容。" if not rules_vague else "规则判断措施空泛。"
        )
        reason, invented = grounded_reason(
            verdict.reason, record.source_span.slice(notice.text), rules_reason
        )
        if invented:
            self.caller.count(dropped_values=len(invented))
            verdict = verdict.model_copy(update={"reason": reason})
        spans: list[Span] = []
        dropped: list[str] = []
        for quote in verdict.quotes:
            found = align(quote, notice.text, record.source_span)
            if found.span is None:
                dropped.append(f"判断引用：{quote}")
            elif found.span not in spans:
                spans.append(found.span)
        if dropped:
            self.caller.count(dropped_values=len(dropped))
        judgement = Judgement(
            source=Extractor.LLM,
            model=self.caller.model_name,
            prompt=prompt_id,
            vague=verdict.vague,
            reason=verdict.reason,
            spans=spans,
            rules_vague=rules_vague,
            agrees_with_rules=verdict.vague == rules_vague,
        )
        flags = list(record.flags)
        if verdict.vague and not rules_vague:
            flags.append(
                Flag(
                    code=FlagCode.VAGUE_COMPLETION,
                    severity=Severity.HIGH,
                    reason=f"大模型判断为空泛（规则未标记）：{verdict.reason}",
                    spans=[m.span for m in record.measures],
                    source=Extractor.LLM,
                )
            )
        elif not verdict.vague and rules_vague:
            if spans:
                unsupported = ""
            elif verdict.quotes:
                unsupported = "；其所引内容未能在原文中找到，请特别核对"
            else:
                unsupported = "；未引用原文中的具体内容，请特别核对"
            flags.append(
                Flag(
                    code=FlagCode.LLM_DISAGREES,
                    severity=Severity.LOW,
                    reason=f"大模型认为措施具体，不同意规则的“空泛”标记：{verdict.reason.rstrip('。')}{unsupported}。",
                    spans=spans,
                    source=Extractor.LLM,
                )
            )
        return record.model_copy(
            update={"judgement": judgement, "flags": flags, "unaligned": [*record.unaligned, *dropped]}
        )


_FACT = re.compile(r"\d+(?:\.\d+)?|[“「《]([^”」》]{2,40})[”」》]")


def grounded_reason(reason: str, source: str, fallback: str) -> tuple[str, list[str]]:
    """The model's reason if every number, amount, date and quoted phrase in it is in the record's
    text; otherwise the rules' reason, with a note naming what could not be found."""
    folded = re.sub(r"\s+", "", source)
    invented = []
    for m in _FACT.finditer(reason):
        fact = m.group(1) or m.group(0)
        if re.sub(r"\s+", "", fact) not in folded:
            invented.append(fact)
    if not invented:
        return reason, []
    shown = "、".join(f"“{f}”" for f in dict.fromkeys(invented))
    return f"{fallback}（大模型给出的理由中{shown}在原文中找不到，已改用规则的理由）", invented


def verified_status(
    text: str, rules_record: Record, claimed: Status, claimed_span: Span | None
) -> tuple[Status, str | None, Span | None, str | None]:
    """The status to keep: the model's only where the notice's own words say it.

    An explicit status in the notice (a status line, a mark, the label's first words) always wins.
    Otherwise the model's status must rest on words that aligned onto the record and that the status
    lexicon reads as that status; if not, the rules' reading is kept and the disagreement noted.
    """
    rules = (rules_record.status, rules_record.status_text, rules_record.status_span)
    body_start = rules_record.problem_span.end
    explicit = explicit_status(text[body_start : rules_record.source_span.end], body_start)
    if explicit is not None:
        note = (
            None
            if claimed == explicit.status
            else (f"大模型给出的状态“{claimed.value}”与通报写明的“{explicit.text}”不符，以通报为准")
        )
        return (explicit.status, explicit.text, explicit.span, note)
    if claimed == rules_record.status:
        words = claimed_span.slice(text) if claimed_span else rules_record.status_text
        return (claimed, words, claimed_span or rules_record.status_span, None)
    if claimed_span is not None:
        words = claimed_span.slice(text)
        read = status_of_phrase(words) if len(words) <= 20 else read_status(words, claimed_span.start).status
        if read == claimed:
            return (claimed, words, claimed_span, None)
    basis = f"（依据“{claimed_span.slice(text)}”）" if claimed_span else "（未给出可在原文中找到的依据）"
    return (
        *rules,
        f"大模型给出的状态“{claimed.value}”在原文中没有依据{basis}，已保留规则判断“{rules_record.status.value}”",
    )


def _measures_block(measures: list[Measure]) -> str:
    lines = []
    for i, measure in enumerate(measures, 1):
        found = "；".join(f"{EVIDENCE_ZH[e.type]}“{e.text}”" for e in measure.evidence) or "无"
        lines.append(f"{i}. {measure.text}\n   规则找到的证据：{found}")
    return "\n".join(lines)


# -- the registered extractors: one shared caller per process (method memory, usage, slots) ---
_defaults: dict[Extractor, LLMExtractor] = {}
_defaults_lock = threading.Lock()


def default_extractor(mode: Extractor, flagger: Flagger | None = None) -> LLMExtractor:
    with _defaults_lock:
        if mode not in _defaults:
            shared = next(iter(_defaults.values()), None)
            _defaults[mode] = LLMExtractor(mode, caller=shared.caller if shared else None, flagger=flagger)
        elif flagger is not None:
            _defaults[mode].flagger = flagger
        return _defaults[mode]


def extract_llm(notice: Notice, outline: Outline, flagger: Flagger | None = None) -> list[Record]:
    return default_extractor(Extractor.LLM, flagger)(notice, outline)


def extract_hybrid(notice: Notice, outline: Outline, flagger: Flagger | None = None) -> list[Record]:
    return default_extractor(Extractor.HYBRID, flagger)(notice, outline)


def run_usage() -> LLMUsage | None:
    """The usage of this process's registered LLM extractors (None if none was used)."""
    with _defaults_lock:
        shared = next(iter(_defaults.values()), None)
    return shared.usage.model_copy() if shared else None


def reset_defaults() -> None:
    """Forget the registered extractors (new settings are read on next use)."""
    with _defaults_lock:
        _defaults.clear()


__all__ = [
    "MAX_SECTION_CHARS",
    "LLMExtractor",
    "LLMNotConfiguredError",
    "default_extractor",
    "extract_hybrid",
    "extract_llm",
    "reset_defaults",
    "run_usage",
    "section_parts",
]
