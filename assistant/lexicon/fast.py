"""Faster scanning of long word lists: a pattern prefixed with the set of characters it can start with.

Python's `re` tries every alternative of a long list at every position; a leading lookahead on the
first characters lets it skip positions where no word can start (3× faster on the personnel list).
A pattern whose start the engine can already see (a literal, a class, or alternatives that each begin
with a literal) is left as it is: the engine's own skip is faster than any lookahead.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from re import _compiler as Cm  # type: ignore[attr-defined]
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

_DIGITS = set("0123456789")


def _item(op, av) -> tuple[set[str] | None, bool]:
    """(first characters, can match empty) of one parse-tree node; None when unknown."""
    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is C.LITERAL:
                chars.add(chr(value))
            elif kind is C.RANGE and value[1] - value[0] < 64:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            elif kind is C.CATEGORY and value is C.CATEGORY_DIGIT:
                chars |= _DIGITS
            else:
                return None, False
        return chars, False
    if op is C.BRANCH:
        out: set[str] = set()
        empty = False
        for branch in av[1]:
            found, nullable = _seq(list(branch))
            if found is None:
                return None, False
            out |= found
            empty = empty or nullable
        return out, empty
    if op is C.SUBPATTERN:
        return _seq(list(av[-1]))
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        low, _high, inner = av
        found, nullable = _seq(list(inner))
        return found, low == 0 or nullable
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
        return set(), True  # zero-width: look at what follows
    return None, False


def _seq(items: list) -> tuple[set[str] | None, bool]:
    out: set[str] = set()
    for op, av in items:
        found, nullable = _item(op, av)
        if found is None:
            return None, False
        out |= found
        if not nullable:
            return out, False
    return out, True


def _engine_skips(parsed: P.SubPattern, flags: int) -> bool:
    """Whether `re` itself already skips ahead to where the pattern can start: it does when the pattern
    begins with a literal, a character class, or alternatives that each begin with a literal."""
    try:
        prefix, _, _ = Cm._get_literal_prefix(parsed, flags)
        return bool(prefix) or bool(Cm._get_charset_prefix(parsed, flags))
    except Exception:  # the engine's internals differ in this Python: add the lookahead
        return False


def lead(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` with a lookahead on its possible first characters (unchanged if they are unknown, or if
    the engine finds them itself: its own skipping runs in one C loop, twice as fast as the lookahead)."""
    parsed = P.parse(pattern.pattern, pattern.flags)
    if _engine_skips(parsed, pattern.flags):
        return pattern
    rewritten = _rewritten(pattern, parsed)
    if rewritten is None:
        rewritten = _class_first(pattern, parsed)
    if rewritten is not None:
        return rewritten
    firsts, nullable = _seq(list(parsed))
    if not firsts or nullable or len(firsts) > 300:
        return pattern
    charset = "".join(sorted(re.escape(c) for c in firsts))
    return re.compile(f"(?=[{charset}])(?:{pattern.pattern})", pattern.flags & ~re.UNICODE)


def holds(text: str, marks: str | tuple[str, ...]) -> bool:
    """Whether `text` holds one of `marks` (characters or short strings): each is a fast scan of memory,
    where a pattern tries every position — the test to put before a pattern every match of which holds one."""
    return any(mark in text for mark in marks)


def guarded(source: str) -> str:
    """`source` (a piece of a pattern, usually a word list) behind a lookahead on its first characters.

    Inside a pattern the engine tries a list's words one by one wherever the list may start; the class
    fails in one test where none can (a number followed by 年 is not tried against 150 classifiers).
    Unchanged when the first characters are unknown or the piece can match empty.
    """
    firsts, nullable = _seq(list(P.parse(source)))
    if not firsts or nullable:
        return f"(?:{source})"
    return "(?=[" + "".join(sorted(re.escape(c) for c in firsts)) + f"])(?:{source})"


# ---- alternatives that each begin with a literal --------------------------------------------------
# `re` skips ahead by itself only to a literal, a class, or alternatives that each begin with a literal.
# A pattern whose alternatives begin otherwise (`(?:作出|作)检查|(?:严重)?警告|[一二]是`) is rewritten into
# that form before a lookahead is considered, by steps that keep what and how it matches (the engine
# tries alternatives in order and backtracks in the same order either way):
#   (?:A|B)R → AR|BR        X?R → XR|R (X??R → R|XR)        X*R → XX*R|R (X*?R → R|XX*?R)
#   [ab]R → aR|bR        [ab]{m,n}R → a[ab]{m-1,n-1}R|…        \d → 0…9 (as the lookahead reads it)
# and a zero-width test where the match starts moves past the first character, as a test of the text
# before it: (?<!X)aR → a(?<!X[\s\S])R, ^aR → a(?<![^\n][\s\S])R (MULTILINE), (?=Y)aR → a(?<=(?=Y)[\s\S])R.
# The alternatives are then grouped by their first character (ones that begin differently cannot both
# match at one place, so their order does not matter): a(?:R1|R2)|b(?:R3) — each position costs one
# test per distinct first character, not one per alternative.
# Groups that capture are never copied, so a pattern that would need it keeps its lookahead.
_MAX_ALTERNATIVES = 400
_CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d",
    C.CATEGORY_NOT_DIGIT: r"\D",
    C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S",
    C.CATEGORY_WORD: r"\w",
    C.CATEGORY_NOT_WORD: r"\W",
}
_AT = {
    C.AT_BEGINNING: "^",
    C.AT_END: "$",
    C.AT_BEGINNING_STRING: r"\A",
    C.AT_END_STRING: r"\Z",
    C.AT_BOUNDARY: r"\b",
    C.AT_NON_BOUNDARY: r"\B",
}


class _Unsupported(Exception):
    pass


def _class_item(op, av) -> str:
    if op is C.LITERAL:
        return re.escape(chr(av))
    if op is C.RANGE:
        return f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}"
    if op is C.CATEGORY and av in _CATEGORIES:
        return _CATEGORIES[av]
    raise _Unsupported(op)


def _unparse(items, names: dict[int, str]) -> str:
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is C.NOT_LITERAL:
            out.append(f"[^{re.escape(chr(av))}]")
        elif op is C.ANY:
            out.append(".")
        elif op is C.IN:
            negate = av and av[0][0] is C.NEGATE
            body = "".join(_class_item(o, a) for o, a in (av[1:] if negate else av))
            out.append(f"[{'^' if negate else ''}{body}]")
        elif op is C.BRANCH:
            out.append("(?:" + "|".join(_unparse(alt, names) for alt in av[1]) + ")")
        elif op is C.SUBPATTERN:
            group, add, remove, sub = av
            if add or remove:
                raise _Unsupported("inline flags")
            inner = _unparse(sub, names)
            if group is None:
                out.append(f"(?:{inner})")
            elif group in names:
                out.append(f"(?P<{names[group]}>{inner})")
            else:
                out.append(f"({inner})")
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = av
            bound = f"{{{low},}}" if high is C.MAXREPEAT else f"{{{low},{high}}}"
            lazy = "?" if op is C.MIN_REPEAT else "+" if op is C.POSSESSIVE_REPEAT else ""
            out.append(f"(?:{_unparse(sub, names)}){bound}{lazy}")
        elif op in (C.ASSERT, C.ASSERT_NOT):
            direction, sub = av
            mark = ("=" if op is C.ASSERT else "!") if direction == 1 else ("<=" if op is C.ASSERT else "<!")
            out.append(f"(?{mark}{_unparse(sub, names)})")
        elif op is C.AT and av in _AT:
            out.append(_AT[av])
        elif op is C.ATOMIC_GROUP:
            out.append(f"(?>{_unparse(av, names)})")
        else:
            raise _Unsupported(op)
    return "".join(out)


def _captures(items) -> bool:
    for op, av in items:
        if op is C.SUBPATTERN and (av[0] is not None or _captures(av[3])):
            return True
        if op is C.BRANCH and any(_captures(alt) for alt in av[1]):
            return True
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and _captures(av[2]):
            return True
        if op in (C.ASSERT, C.ASSERT_NOT) and _captures(av[1]):
            return True
        if op is C.ATOMIC_GROUP and _captures(av):
            return True
    return False


def _chars(av) -> list[int] | None:
    """The characters of a small class without negation or other categories (`\\d` read as 0-9, as the
    lookahead `lead` would add reads it)."""
    out: list[int] = []
    for op, value in av:
        if op is C.LITERAL:
            out.append(value)
        elif op is C.RANGE and value[1] - value[0] < 16:
            out.extend(range(value[0], value[1] + 1))
        elif op is C.CATEGORY and value is C.CATEGORY_DIGIT:
            out.extend(map(ord, sorted(_DIGITS)))
        else:
            return None
    return list(dict.fromkeys(out))


_ANY_CHAR = (C.IN, [(C.CATEGORY, C.CATEGORY_SPACE), (C.CATEGORY, C.CATEGORY_NOT_SPACE)])


def _moved_test(op, av, flags: int):
    """The zero-width test `op av` at the start of a match, rewritten to run one character later (after
    the match's first character), or None."""
    if op is C.AT and av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING, C.AT_BEGINNING_LINE):
        if av is C.AT_BEGINNING_LINE or (av is C.AT_BEGINNING and flags & re.MULTILINE):
            before = [(C.IN, [(C.NEGATE, None), (C.LITERAL, ord("\n"))])]  # not after a non-newline
        else:
            before = [_ANY_CHAR]  # nothing before it at all
        return (C.ASSERT_NOT, (-1, [*before, _ANY_CHAR]))
    if op in (C.ASSERT, C.ASSERT_NOT) and not _captures(av[1]):
        direction, sub = av
        if direction == -1:
            lo, hi = P.SubPattern(P.State(), list(sub)).getwidth()
            if lo != hi:
                return None
            return (op, (-1, [*sub, _ANY_CHAR]))
        return (C.ASSERT, (-1, [(op, av), _ANY_CHAR]))
    return None


def _literal_first(items: list, flags: int = 0) -> list[list] | None:
    """`items` as alternatives that each begin with a literal (in matching order), or None."""
    if not items:
        return None
    (op, av), rest = items[0], items[1:]
    if op is C.LITERAL:
        return [items]
    if op is C.ASSERT and av[0] == 1 and len(av[1]) == 1 and av[1][0][0] in (C.LITERAL, C.IN):
        allowed = _chars([av[1][0]] if av[1][0][0] is C.LITERAL else av[1][0][1])
        after = _literal_first(list(rest), flags) if allowed is not None else None
        if after is None:
            return None
        return [alt for alt in after if alt[0][1] in allowed]  # (?=[ab]) only keeps what starts a or b
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        moved = _moved_test(op, av, flags)
        after = _literal_first(list(rest), flags) if moved is not None else None
        if after is None:
            return None
        return [[alt[0], moved, *alt[1:]] for alt in after]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] == 0 and av[1] is C.MAXREPEAT:
        if _captures(av[2]) or (rest and _captures(rest)):
            return None
        more = [*av[2], (op, av), *rest]  # X*R: one X then X*R again, or no X
        taken, skipped = _literal_first(more, flags), _literal_first(list(rest), flags)
        if taken is None or skipped is None:
            return None
        return taken + skipped if op is C.MAX_REPEAT else skipped + taken
    if op is C.IN:
        chars = _chars(av)
        if chars is None:
            return None
        return [[(C.LITERAL, c), *rest] for c in chars]
    if op is C.BRANCH or (op is C.SUBPATTERN and av[0] is None and not av[1] and not av[2]):
        if rest and _captures(rest):
            return None
        alternatives = av[1] if op is C.BRANCH else [list(av[3])]
        out: list[list] = []
        for alt in alternatives:
            expanded = _literal_first([*alt, *rest], flags)
            if expanded is None:
                return None
            out.extend(expanded)
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
        if _captures(av[2]) or (rest and _captures(rest)):
            return None
        taken, skipped = _literal_first([*av[2], *rest], flags), _literal_first(list(rest), flags)
        if taken is None or skipped is None:
            return None
        return taken + skipped if op is C.MAX_REPEAT else skipped + taken
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1 and len(av[2]) == 1 and av[2][0][0] is C.IN:
        chars = _chars(av[2][0][1])
        if chars is None:
            return None
        high = av[1] if av[1] is C.MAXREPEAT else av[1] - 1
        more = [] if high == 0 else [(op, (av[0] - 1, high, av[2]))]
        return [[(C.LITERAL, c), *more, *rest] for c in chars]
    return None


def _by_first(items: list, flags: int, names: dict[int, str]) -> dict[int, list[str]] | None:
    """`items` as alternatives that each begin with a literal, grouped by that literal: each group's
    rests (the alternatives after their first character) as pattern source, in matching order."""
    alternatives = _literal_first(items, flags)
    if alternatives is None or len(alternatives) > _MAX_ALTERNATIVES:
        return None
    by_first: dict[int, list[str]] = {}
    for alt in alternatives:
        by_first.setdefault(alt[0][1], []).append(_unparse(alt[1:], names))
    return by_first


def _one_of(rests: list[str]) -> str:
    return rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")"


def _compiled_like(source: str, pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """`source` compiled with `pattern`'s flags, if it has the same groups and the engine skips to it."""
    compiled = re.compile(source, pattern.flags & ~re.UNICODE)
    if compiled.groupindex != pattern.groupindex or compiled.groups != pattern.groups:
        return None
    return compiled if _engine_skips(P.parse(source, pattern.flags), pattern.flags) else None


def _rewritten(pattern: re.Pattern[str], parsed: P.SubPattern) -> re.Pattern[str] | None:
    """`pattern` as alternatives that each begin with a literal, if it can be written so."""
    if pattern.flags & re.IGNORECASE:
        return None  # "a" and "A" would both match at one place: alternatives could not be regrouped
    try:
        names = {number: name for name, number in parsed.state.groupdict.items()}
        by_first = _by_first(list(parsed), pattern.flags, names)
        if by_first is None:
            return None
        source = "|".join(re.escape(chr(c)) + _one_of(rests) for c, rests in by_first.items())
        return _compiled_like(source, pattern)
    except (_Unsupported, re.error, RecursionError):
        return None


# A pattern that starts with a group that captures (`(?P<doc>《[^》]+》|〔\d{4}〕\d+号)…`) cannot be copied into
# alternatives; the group's content is rewritten instead, as one class of its first characters followed by
# what may come after each (tested by a lookbehind on that character: at most one of them holds):
#   (?P<g>aR1|bR2|cR2)R → (?P<g>[abc](?:(?<=a)R1|(?<=[bc])R2))R — `re` skips through a capture to the class.
def _class_first(pattern: re.Pattern[str], parsed: P.SubPattern) -> re.Pattern[str] | None:
    if pattern.flags & re.IGNORECASE or not len(parsed) or parsed[0][0] is not C.SUBPATTERN:
        return None
    group, add, remove, content = parsed[0][1]
    if group is None or add or remove:
        return None
    try:
        names = {number: name for name, number in parsed.state.groupdict.items()}
        by_first = _by_first(list(content), pattern.flags, names)
        if by_first is None:
            return None
        by_rest: dict[str, list[int]] = {}
        for c, rests in by_first.items():
            by_rest.setdefault(_one_of(rests), []).append(c)

        def chars(codes: list[int]) -> str:
            return "[" + "".join(re.escape(chr(c)) for c in codes) + "]"

        if len(by_rest) == 1:
            body = chars(list(by_first)) + next(iter(by_rest))
        else:
            tails = "|".join(f"(?<={chars(codes)}){rest}" for rest, codes in by_rest.items())
            body = f"{chars(list(by_first))}(?:{tails})"
        head = f"(?P<{names[group]}>{body})" if group in names else f"({body})"
        return _compiled_like(head + _unparse(list(parsed)[1:], names), pattern)
    except (_Unsupported, re.error, RecursionError):
        return None


# ---- a pattern tested first on words every match holds ---------------------------------------------
class Gated:
    """`pattern`, searched only in text (or the part `pos`..`endpos` of it) that holds a match of
    `words`, which every match of `pattern` contains.

    For patterns `lead` cannot rewrite — those that capture where they start, like the label patterns —
    a scan for the words alone can be skipped through by the engine, and most texts (headings, measure
    items) hold none of them, so the full pattern is not tried there at all.

    `lead_in`, when given, says more: a match starts with its word, or with a run of these characters
    just before it, and never just after one of them (a label starts a line or a sentence, then maybe
    spaces and a bracket). The pattern is then tried only where each word's run begins, not scanned for.
    """

    def __init__(self, pattern: re.Pattern[str], words: str, lead_in: str | None = None) -> None:
        self.pattern = pattern
        self.words = lead(re.compile(words))
        self.lead_in = lead_in

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self.lead_in is None:
            return self.pattern.search(text, pos, endpos) if self.words.search(text, pos, endpos) else None
        at = pos
        while (word := self.words.search(text, at, endpos)) is not None:
            start = word.start()
            while start > pos and text[start - 1] in self.lead_in:
                start -= 1
            if (found := self.pattern.match(text, start, endpos)) is not None:
                return found
            at = word.start() + 1
        return None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if self.lead_in is None:
            return (
                self.pattern.finditer(text, pos, endpos) if self.words.search(text, pos, endpos) else iter(())
            )
        return self._each(text, pos, endpos)

    def _each(self, text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
        while (found := self.search(text, pos, endpos)) is not None:
            yield found
            pos = found.end() if found.end() > found.start() else found.end() + 1
