"""Source files and spans.

A span is a pair of offsets into one file; line and column are computed only when
a diagnostic is printed. Spans never take part in equality (see `ast.py`).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceFile:
    path: str
    text: str

    def line_starts(self) -> list[int]:
        starts = _LINE_STARTS.get(self.path)
        if starts is None or _LINE_TEXT.get(self.path) is not self.text:
            starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]
            _LINE_STARTS[self.path] = starts
            _LINE_TEXT[self.path] = self.text
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        starts = self.line_starts()
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def line_text(self, line: int) -> str:
        starts = self.line_starts()
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[begin:end]


_LINE_STARTS: dict[str, list[int]] = {}
_LINE_TEXT: dict[str, str] = {}

# Every file read in this process, by path, so a span can be printed later.
SOURCES: dict[str, SourceFile] = {}


def register(path: str, text: str) -> SourceFile:
    src = SourceFile(path, text)
    SOURCES[path] = src
    return src


@dataclass(frozen=True)
class Span:
    file: str
    start: int
    end: int

    def source(self) -> SourceFile | None:
        return SOURCES.get(self.file)

    def line_col(self) -> tuple[int, int]:
        src = self.source()
        return src.line_col(self.start) if src else (0, 0)

    def end_line_col(self) -> tuple[int, int]:
        src = self.source()
        return src.line_col(max(self.start, self.end - 1)) if src else (0, 0)

    def text(self) -> str:
        src = self.source()
        return src.text[self.start:self.end] if src else ""

    def short(self) -> str:
        line, col = self.line_col()
        return f"{self.file}:{line}:{col}"

    def to_json(self) -> dict:
        line, col = self.line_col()
        end_line, end_col = self.end_line_col()
        return {"file": self.file, "line": line, "col": col,
                "end_line": end_line, "end_col": end_col + 1}
