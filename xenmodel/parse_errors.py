"""Parse errors in plain words.

Parse errors are learned from examples (`BAD_INPUTS`): the parser state and the token an example
fails on identify the mistake, and an error in the same state gets that example's message.
The attributes (@ref, @weight) are checked here too: the grammar accepts any @name(argument).
"""
from __future__ import annotations

import functools
import re

import lark
from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .diagnostics import Diagnostic
from .grammar import lark_parser
from .ir import DEFAULT_WEIGHT, MAX_WEIGHT
from .parse_tree import unquote
from .source import SourceFile, Span

# Plain words for the grammar's terminals, used in "expected ..." lists.
_TOKEN_WORDS = {
    "NAME": "a name", "INT": "a number", "STRING": "a string", "DOC": "a doc comment",
    "QUANT": "a quantifier", "PROPKIND": "`invariant`, `lemma` or `temporal`",
    "FAIR": "`fair weak` or `fair strong`", "FAIRKIND": "`weak` or `strong`",
    "TEMPORAL_OP": "`eventually` or `always`", "RECORD_OPEN": "a record literal",
    "COUNTKW": "`count(`", "$END": "the end of the file", "OVERRIDE": "`override`",
    "SYMMETRIC": "`symmetric`",
}


def _word(term: str) -> str:
    if term in _TOKEN_WORDS:
        return _TOKEN_WORDS[term]
    try:
        pattern = lark_parser().get_terminal(term).pattern
    except KeyError:
        return term.lower()
    if pattern.type == "str":
        return f"`{pattern.value}`"
    return term.lower()


def _expected(terms: set[str]) -> str:
    # the temporal operators parse anywhere an expression may start, but belong in `temporal` only
    words = sorted({_word(t) for t in terms if t != "TEMPORAL_OP"})
    if not words:
        return "something else"
    if len(words) > 8:
        words = words[:8] + ["..."]
    return ", ".join(words)


# (code, message, help, examples). The examples are parsed; the state each fails in is matched.
BAD_INPUTS: list[tuple[str, str, str, list[str]]] = [
    ("XM004", "`=` is not assignment", "assign with `:=`, e.g. `x := 1`",
     ["var x: bool\ninit { x = true }", "action a() { m[k] = 1 }", "action a() { r.f = 1 }"]),
    ("XM005", "`=` is not a comparison", "compare with `==`",
     ["invariant i: x = 1", "action a() { require x = 1 }", "invariant i: forall p: P :: x[p] = 1",
      "action a() { if x = 1 { } }"]),
    ("XM006", "a quantifier needs `::` before its body", "write `forall x: T :: body`",
     ["invariant i: forall p: P x", "invariant i: exists p: P, q: P x", "invariant i: forall p: P where p x",
      "invariant i: forall p: P : x"]),
    ("XM007", "an if-expression needs `then`", "write `if c then a else b` (a statement `if` takes a block)",
     ["invariant i: if x 1 else 2", "def f(): int = if x { 1 }"]),
    ("XM008", "statements belong inside an init, action or proc block",
     "wrap the statement in `action name() { ... }`",
     ["require x", "let y = 1", "foreach p: P { }", "assert x", "choose p: P { }", "if x { }",
      "var y: bool\nrequire x", "model m\nrequire x", "action a() { }\nrequire x"]),
    ("XM009", "attributes are written `@ref(\"path/file.c:function\")` or `@weight(N)`",
     "an attribute takes one argument in parentheses: a string for @ref, an integer for @weight",
     ["@ref action a() { }", "@ref() action a() { }", "@ref(x) action a() { }"]),
    ("XM010", "expected a declaration here", "declarations start with a keyword: include, const, sort, "
     "enum, type, record, var, init, def, proc, action, invariant, lemma, temporal, fairness, instance; "
     "a statement such as `x := 1` belongs inside an action, proc or init block",
     ["actoin a() { }", "variable x: bool", "constant N: int = 1", "func f(): int = 1",
      "invarient i: true", "x := 1", "var y: bool\nx := 1", "var y: bool = true\nx := 1",
      "invariant i: true\nx := 1", "action a() { }\nx := 1", "const N: int = 1\nx := 1",
      "model m\nx := 1", "model m\nactoin a() { }"]),
    ("XM002", "`{` cannot follow a name here",
     "set union is written `s + t` (intersection `s & t`, difference `s - t`); a block needs `if`, "
     "`foreach` or `choose` before it",
     ["action a() { s := s union {v} }", "action a() { x := s with {v} }"]),
    ("XM016", "`fair weak` and `fair strong` apply to actions only",
     "write `[override] fair weak action NAME(...) { ... }`; for an action declared elsewhere, "
     "`fairness weak NAME`",
     ["fair weak proc p() { }", "fair strong def f(): int = 1", "fair weak invariant i: true",
      "fair weak var x: bool", "fair weak override action a() { }"]),
    ("XM011", "`else` must be followed by a block or another `if`", "write `else { ... }`",
     ["action a() { if x { } else require y }", "action a() { if x { } else x := true }",
      "action a() { if x { } else let y = 1 }", "action a() { if x { } else assert x }"]),
]


@functools.lru_cache(maxsize=1)
def _example_table() -> dict[tuple[int] | tuple[int, str], tuple[str, str, str]]:
    """(parser state, token type) -> label, and (parser state,) -> label, from the known-bad inputs.

    Lark's own match_examples compares whole parser stacks, so an example would only match an
    error at the same nesting depth; the state number and the token are what identify the mistake.
    """
    table: dict[tuple[int] | tuple[int, str], tuple[str, str, str]] = {}
    for code, msg, hlp, examples in BAD_INPUTS:
        for example in examples:
            try:
                lark_parser().parse(example)
            except UnexpectedToken as err:
                key = (err.state.position, err.token.type)
                table.setdefault(key, (code, msg, hlp))
                table.setdefault((err.state.position,), (code, msg, hlp))
            except UnexpectedInput:
                continue
            else:
                raise AssertionError(f"known-bad example parses: {example!r}")
    return table


def _learned(err: UnexpectedToken) -> tuple[str, str, str] | None:
    table = _example_table()
    if err.state is None:
        return None
    return table.get((err.state.position, err.token.type))


def parse_error(err: UnexpectedInput, src: SourceFile) -> Diagnostic:
    """The diagnostic for Lark's parse error `err` in the file `src`."""
    path, text = src.path, src.text
    pos = getattr(err, "pos_in_stream", None)
    if pos is None:
        pos = len(text)
    if isinstance(err, UnexpectedCharacters):
        ch = text[pos] if pos < len(text) else ""
        return Diagnostic("XM001", f"unexpected character `{ch}`", Span(path, pos, pos + 1, src),
                          help="remove it; comments start with // and strings use double quotes")
    if isinstance(err, UnexpectedEOF) or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        end = len(text.rstrip()) or 0
        expected: set[str] = set(getattr(err, "expected", None) or ())
        code, msg = "XM003", f"the file ends too early; expected {_expected(set(expected))}"
        if "RBRACE" in expected:
            code, msg = "XM012", "a `}` is missing before the end of the file"
        return Diagnostic(code, msg, Span(path, max(0, end - 1), max(1, end), src),
                          help="finish the declaration or close the open block")
    assert isinstance(err, UnexpectedToken)
    tok = err.token
    start = tok.start_pos if tok.start_pos is not None else pos
    span = Span(path, start, max(start + 1, tok.end_pos or start + 1), src)
    learned = _learned(err)
    if learned is not None:
        code, msg, hlp = learned
        return Diagnostic(code, msg, span, help=hlp)
    found = f"`{tok.value}`" if tok.value else _word(tok.type)
    return Diagnostic("XM002", f"unexpected {found}; expected {_expected(set(err.expected))}", span)


# @view("hint"): how the HTML trace page shows a declaration (docs/language.md, docs/traces.md)
VIEW_HINTS = ("lane", "domain", "vcpu", "vcpus_per_domain", "send", "channels", "frames")


def check_attrs(tree: lark.Tree[Token], src: SourceFile) -> list[Diagnostic]:
    """Unknown attributes, malformed @ref strings and misplaced or out-of-range @weights (the grammar
    accepts any @name("...") or @name(N))."""
    diags = []
    for decl in tree.iter_subtrees():
        attrs = next((c for c in decl.children if isinstance(c, lark.Tree) and c.data == "attrs"), None)
        if attrs is None:
            continue
        weights = 0
        for attr in attrs.children:
            assert isinstance(attr, lark.Tree)
            name, arg = attr.children
            assert isinstance(arg, Token)
            span = Span(src.path, attr.meta.start_pos, attr.meta.end_pos, src)
            if str(name) == "ref":
                if arg.type != "STRING" or not re.fullmatch(
                        r"[^:\s]+:(struct |union |enum )?[A-Za-z_][A-Za-z0-9_]*", unquote(arg)):
                    diags.append(Diagnostic("XM114", f"`@ref({arg})` is not of the form \"path/file.c:function\"",
                                            span, help="e.g. @ref(\"xen/common/sched/credit.c:csched_schedule\")"))
            elif str(name) == "weight":
                weights += 1
                if decl.data not in ("action_decl", "reweigh_decl"):
                    diags.append(Diagnostic("XM117", "`@weight` belongs on an action", span,
                                            help="it sets how often random runs pick an action; remove it here"))
                elif arg.type != "INT" or len(arg) > len(str(MAX_WEIGHT)) or not 1 <= int(arg) <= MAX_WEIGHT:
                    shown = arg if len(arg) <= 20 else f"{arg[:8]}...{arg[-8:]}"
                    diags.append(Diagnostic("XM117", f"`@weight({shown})` is not an integer from 1 to {MAX_WEIGHT}",
                                            span, help=f"actions without @weight weigh {DEFAULT_WEIGHT}: "
                                                       "@weight(1) makes one ten times rarer in random runs"))
                elif weights > 1:
                    diags.append(Diagnostic("XM117", "a second `@weight` on one action", span,
                                            help="keep one"))
            elif str(name) == "view":
                if arg.type != "STRING" or unquote(arg) not in VIEW_HINTS:
                    diags.append(Diagnostic("XM009", f"`@view({arg})` names no view", span,
                                            help="the views are " + ", ".join(f'"{v}"' for v in VIEW_HINTS)))
            else:
                diags.append(Diagnostic("XM009", f"unknown attribute `@{name}`", span,
                                        help="the attributes are @ref(\"path/file.c:function\"), @weight(N) "
                                             "(on actions) and @view(\"hint\") (for the HTML trace page)"))
    return diags
