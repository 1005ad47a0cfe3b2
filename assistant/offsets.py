"""The map from a normalised notice back to its original text, stored as runs.

Normalisation only deletes characters or replaces one by one, so the map is strictly increasing
and made of long runs where both sides advance together (a line between two deletions). Keeping
one (start, origin) pair per run instead of one Python int per character makes a 15,000-character
notice's map a few hundred numbers: smaller in memory, in the store and between processes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from pydantic_core import core_schema

if TYPE_CHECKING:
    import numpy as np
    from pydantic import GetCoreSchemaHandler


class OffsetMap(Sequence[int]):
    """`offsets[i]`: the index in the original of normalised character `i` (and one entry past the end).

    Read like the list it replaces (index, slice, iterate, len, ==); serialised as its runs.
    """

    __slots__ = ("_length", "_origins", "_starts")

    def __init__(self, starts: Sequence[int], origins: Sequence[int], length: int) -> None:
        self._starts = list(starts)  # normalised index where each run begins (the first is 0)
        self._origins = list(origins)  # original index of that first character
        self._length = length

    @classmethod
    def from_array(cls, values: np.ndarray) -> OffsetMap:
        import numpy as np

        if not len(values):
            return cls([], [], 0)
        breaks = np.flatnonzero(np.diff(values) != 1) + 1
        starts = np.concatenate(([0], breaks))
        return cls(starts.tolist(), values[starts].tolist(), len(values))

    @classmethod
    def from_list(cls, values: Sequence[int]) -> OffsetMap:
        import numpy as np

        return cls.from_array(np.asarray(values, dtype=np.int64))

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._length))]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError("offset index out of range")
        run = bisect.bisect_right(self._starts, i) - 1
        return self._origins[run] + (i - self._starts[run])

    def __iter__(self) -> Iterator[int]:
        ends = [*self._starts[1:], self._length]
        for start, end, origin in zip(self._starts, ends, self._origins, strict=True):
            yield from range(origin, origin + end - start)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OffsetMap):
            return (self._starts, self._origins, self._length) == (
                other._starts,
                other._origins,
                other._length,
            )
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((tuple(self._starts), tuple(self._origins), self._length))

    def __repr__(self) -> str:
        return f"OffsetMap({len(self._starts)} runs, {self._length} entries)"

    def to_json(self) -> dict[str, Any]:
        return {"starts": self._starts, "origins": self._origins, "length": self._length}

    @classmethod
    def _validate(cls, value: object) -> OffsetMap:
        if isinstance(value, OffsetMap):
            return value
        if isinstance(value, dict):  # the stored form
            starts, origins, length = value["starts"], value["origins"], value["length"]
            if len(starts) != len(origins) or any(
                not isinstance(v, int) for v in [*starts, *origins, length]
            ):
                raise ValueError("offset map runs must be integers, as many starts as origins")
            return cls(starts, origins, length)
        if isinstance(value, list | tuple):  # one entry per character, as earlier versions stored it
            if any(not isinstance(v, int) for v in value):
                raise ValueError("offsets must be integers")
            return cls.from_list(value)
        raise ValueError("offsets: expected runs or a list of integers")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(cls.to_json)
        )
