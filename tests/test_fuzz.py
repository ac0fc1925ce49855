"""Nothing a user writes may crash the front end: every input is a model or diagnostics.

Inputs come from the grammar itself (hypothesis.extra.lark) and from random edits of valid models.
Models that do check are also run for a few random steps: the reference semantics may report model
errors, never raise a Python exception.
"""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model
from xenmodel.grammar import GRAMMAR_PATH
from xenmodel.simulate import simulate

ROOT = Path(__file__).resolve().parent.parent
VALID = [p.read_text() for p in sorted((ROOT / "tests" / "fixtures").glob("*.xm"))
         if "include" not in p.read_text()]


def front_end(text: str) -> None:
    try:
        model = load_model("<fuzz>.xm", text=text).model
    except DiagnosticError as err:
        assert err.diagnostics, "a DiagnosticError must carry diagnostics"
        return
    simulate(model, steps=5, runs=1, seed=0, deadlock=False)


# hypothesis.extra.lark reads the grammar off the parser object, which a cached parser does not keep
_GRAMMAR_PARSER = Lark(GRAMMAR_PATH.read_text(), parser="lalr", maybe_placeholders=False)


# The grammar's own regex terminals use lookaheads that from_regex cannot invert; give plain forms.
_EXPLICIT = {
    "RECORD_OPEN": st.sampled_from(["Cell {", "R{"]),
    "COUNTKW": st.just("count"),
    "NAME": st.sampled_from(["x", "y", "p", "q", "N", "Cell", "P", "len", "head", "get", "f", "a"]),
    "INT": st.sampled_from(["0", "1", "2", "7"]),
    "STRING": st.sampled_from(['"xen/common/domain.c:f"', '"s"']),
    "DOC": st.just("/// doc\n"),
    "QUANT": st.sampled_from(["forall", "exists", "count", "sum"]),
    "PROPKIND": st.sampled_from(["invariant", "lemma"]),
}


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(from_lark(_GRAMMAR_PARSER, explicit=_EXPLICIT))
def test_grammar_generated_inputs_never_crash(text):
    front_end(text)


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(VALID))
    data = bytearray(text.encode())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "swap-lines"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if kind == "delete":
            del data[i:i + draw(st.integers(1, 12))]
        elif kind == "insert":
            data[i:i] = draw(st.sampled_from([b"{", b"}", b"(", b":=", b"=", b"?", b"[", b"]", b"none", b"0",
                                              b"-", b"::", b"\x00", b"\xff", b"forall x: P ::", b"\n"]))
        elif kind == "replace":
            data[i] = draw(st.integers(0, 255))
        else:
            lines = bytes(data).split(b"\n")
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
    return bytes(data).decode("utf-8", errors="replace")


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_models_never_crash(text):
    front_end(text)


def test_valid_fixtures_exist():
    assert len(VALID) >= 2
