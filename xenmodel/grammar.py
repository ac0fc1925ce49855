"""The grammar (grammar.lark) and its Lark LALR parser, built once per process."""
from __future__ import annotations

import functools
from pathlib import Path

from lark import Lark

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")


@functools.lru_cache(maxsize=1)
def lark_parser() -> Lark:
    return Lark(GRAMMAR_PATH.read_text(), parser="lalr", propagate_positions=True,
                maybe_placeholders=False, cache=True)  # LALR tables cached in the temp dir, keyed by grammar hash
