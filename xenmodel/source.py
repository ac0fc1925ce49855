"""Source files and spans.

A span is a pair of offsets into one file; line and column are computed only when
a diagnostic is printed. Spans never take part in equality (see `ast.py`).
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceFile:
    path: str
    text: str

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        starts = self._line_starts
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def line_text(self, line: int) -> str:
        starts = self._line_starts
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[begin:end]


@dataclass(frozen=True)
class Span:
    """Offsets `start`..`end` into the file `file`; `src` is that file's text (for excerpts, line and column),
    carried by the span itself rather than looked up in a table of every file read."""
    file: str
    start: int
    end: int
    src: SourceFile | None = field(default=None, compare=False, repr=False)

    def source(self) -> SourceFile | None:
        return self.src

    def point(self) -> Span:
        """The span of this one's first character."""
        return Span(self.file, self.start, self.start + 1, self.src)

    def line_col(self) -> tuple[int, int]:
        src = self.src
        return src.line_col(self.start) if src else (0, 0)

    def end_line_col(self) -> tuple[int, int]:
        src = self.src
        return src.line_col(max(self.start, self.end - 1)) if src else (0, 0)

    def text(self) -> str:
        src = self.src
        return src.text[self.start:self.end] if src else ""

    def short(self) -> str:
        line, col = self.line_col()
        return f"{self.file}:{line}:{col}"

    def to_json(self) -> dict[str, Any]:
        line, col = self.line_col()
        end_line, end_col = self.end_line_col()
        return {"file": self.file, "line": line, "col": col,
                "end_line": end_line, "end_col": end_col + 1}
