"""Text -> syntax tree. Lark LALR with positions; parse errors become diagnostics.

Parse errors are learned from examples (`BAD_INPUTS`): Lark's `match_examples` finds the known-bad
input whose parser state matches the error, and we print that example's plain-words message.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

import lark
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import ast as A
from .diagnostics import Diagnostic, DiagnosticError, Note
from .ir import DEFAULT_WEIGHT, MAX_WEIGHT
from .limits import DEFAULT, MAX_DIGITS, MAX_NESTING, Limits
from .source import Span, register

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(GRAMMAR_PATH.read_text(), parser="lalr", propagate_positions=True,
                maybe_placeholders=False, cache=True)  # LALR tables cached in the temp dir, keyed by grammar hash


# Plain words for the grammar's terminals, used in "expected ..." lists.
_TOKEN_WORDS = {
    "NAME": "a name", "INT": "a number", "STRING": "a string", "DOC": "a doc comment",
    "QUANT": "a quantifier", "PROPKIND": "`invariant` or `lemma`", "RECORD_OPEN": "a record literal",
    "COUNTKW": "`count(`", "$END": "the end of the file", "OVERRIDE": "`override`",
    "SYMMETRIC": "`symmetric`",
}


def _word(term: str) -> str:
    if term in _TOKEN_WORDS:
        return _TOKEN_WORDS[term]
    try:
        pattern = _parser().get_terminal(term).pattern
    except KeyError:
        return term.lower()
    if pattern.type == "str":
        return f"`{pattern.value}`"
    return term.lower()


def _expected(terms: set[str]) -> str:
    words = sorted({_word(t) for t in terms})
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
     "enum, type, record, var, init, def, proc, action, invariant, lemma, instance; a statement such as "
     "`x := 1` belongs inside an action, proc or init block",
     ["actoin a() { }", "variable x: bool", "constant N: int = 1", "func f(): int = 1",
      "invarient i: true", "x := 1", "var y: bool\nx := 1", "var y: bool = true\nx := 1",
      "invariant i: true\nx := 1", "action a() { }\nx := 1", "const N: int = 1\nx := 1",
      "model m\nx := 1", "model m\nactoin a() { }"]),
    ("XM002", "`{` cannot follow a name here",
     "set union is written `s + t` (intersection `s & t`, difference `s - t`); a block needs `if`, "
     "`foreach` or `choose` before it",
     ["action a() { s := s union {v} }", "action a() { x := s with {v} }"]),
    ("XM011", "`else` must be followed by a block or another `if`", "write `else { ... }`",
     ["action a() { if x { } else require y }", "action a() { if x { } else x := true }",
      "action a() { if x { } else let y = 1 }", "action a() { if x { } else assert x }"]),
]


@functools.lru_cache(maxsize=1)
def _example_table() -> dict[tuple, tuple[str, str, str]]:
    """(parser state, token type) -> label, and (parser state,) -> label, from the known-bad inputs.

    Lark's own match_examples compares whole parser stacks, so an example would only match an
    error at the same nesting depth; the state number and the token are what identify the mistake.
    """
    table: dict[tuple, tuple[str, str, str]] = {}
    for code, msg, hlp, examples in BAD_INPUTS:
        for example in examples:
            try:
                _parser().parse(example)
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
    position = err.state.position if err.state is not None else None
    return table.get((position, err.token.type))


def _parse_error(err: UnexpectedInput, path: str, text: str) -> Diagnostic:
    pos = getattr(err, "pos_in_stream", None)
    if pos is None:
        pos = len(text)
    if isinstance(err, UnexpectedCharacters):
        ch = text[pos] if pos < len(text) else ""
        return Diagnostic("XM001", f"unexpected character `{ch}`", Span(path, pos, pos + 1),
                          help="remove it; comments start with // and strings use double quotes")
    if isinstance(err, UnexpectedEOF) or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        end = len(text.rstrip()) or 0
        expected = getattr(err, "expected", set()) or set()
        code, msg = "XM003", f"the file ends too early; expected {_expected(set(expected))}"
        if "RBRACE" in expected:
            code, msg = "XM012", "a `}` is missing before the end of the file"
        return Diagnostic(code, msg, Span(path, max(0, end - 1), max(1, end)),
                          help="finish the declaration or close the open block")
    assert isinstance(err, UnexpectedToken)
    tok = err.token
    start = tok.start_pos if tok.start_pos is not None else pos
    span = Span(path, start, max(start + 1, tok.end_pos or start + 1))
    learned = _learned(err)
    if learned is not None:
        code, msg, hlp = learned
        return Diagnostic(code, msg, span, help=hlp)
    found = f"`{tok.value}`" if tok.value else _word(tok.type)
    return Diagnostic("XM002", f"unexpected {found}; expected {_expected(set(err.expected))}", span)


def _doc(tokens) -> str:
    lines = [t[3:].strip() if str(t).startswith("///") else str(t) for t in tokens]
    return "\n".join(lines).strip()


# Operators whose chains may be nested in any shape (see _ToAst._chain), and the chain length
# up to which a chain is nested to the left exactly as written.
ASSOCIATIVE = frozenset({"+", "*", "&&", "||"})
FLAT_CHAIN = 16


class _ToAst(Transformer):
    """Lark tree -> AST. Never raises: anything odd is left for the checker to report."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.diags: list[Diagnostic] = []  # integer literals too long to convert

    def run(self, tree: lark.Tree):
        """Transform bottom-up with an explicit stack: Lark's own transform recurses once per tree level,
        and a model may nest deeper than Python's recursion limit (it is refused later, with a diagnostic)."""
        results: list = []
        todo: list[tuple[object, bool]] = [(tree, False)]
        while todo:
            node, children_done = todo.pop()
            if not isinstance(node, lark.Tree):
                results.append(node)
            elif children_done:
                n = len(node.children)
                children = results[len(results) - n:]
                del results[len(results) - n:]
                results.append(self._call_userfunc(node, children))
            else:
                todo.append((node, True))
                todo.extend((c, False) for c in reversed(node.children))
        return results[0]

    def _span(self, meta) -> Span | None:
        if getattr(meta, "empty", True):
            return None
        return Span(self.path, meta.start_pos, meta.end_pos)

    def _tspan(self, tok: Token) -> Span:
        return Span(self.path, tok.start_pos, tok.end_pos)

    # ---- header and declarations
    @v_args(meta=True)
    def start(self, meta, items):
        header = items[0] if items and isinstance(items[0], tuple) else None
        decls = tuple(items[1:] if header else items)
        name, doc = (header[0], header[1]) if header else (None, "")
        return A.Module(name, decls, doc=doc, path=self.path, span=self._span(meta))

    def header(self, items):
        return (str(items[1]), items[0])

    def docs(self, items):
        return _doc(items)

    def attrs(self, items):
        return list(items)

    @v_args(meta=True)
    def attr(self, meta, items):
        name, arg = items
        # an over-long @weight is reported by _check_attrs
        value = (int(arg) if len(arg) <= MAX_DIGITS else 0) if arg.type == "INT" else _unquote(arg)
        return (str(name), value, self._span(meta))

    def _meta(self, doc, attrs, name_tok=None) -> A.Meta:
        return A.Meta(doc=doc, name_span=self._tspan(name_tok) if name_tok is not None else None,
                      attrs=tuple(attrs))

    def _split(self, items):
        """docs, attrs, override?, then the rest."""
        doc, attrs, rest = items[0], items[1], list(items[2:])
        override = bool(rest) and isinstance(rest[0], Token) and rest[0].type == "OVERRIDE"
        if override:
            rest = rest[1:]
        return doc, attrs, override, rest

    @v_args(meta=True)
    def include(self, meta, items):
        return A.Include(_unquote(items[1]), span=self._span(meta), meta=A.Meta(doc=items[0]))

    @v_args(meta=True)
    def const_decl(self, meta, items):
        doc, attrs, override, (name, typ, value) = self._split(items)
        return A.ConstDecl(str(name), typ, value, override, span=self._span(meta),
                           meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def sort_decl(self, meta, items):
        doc, attrs, rest = items[0], items[1], list(items[2:])
        symmetric = isinstance(rest[0], Token) and rest[0].type == "SYMMETRIC"
        if symmetric:
            rest = rest[1:]
        name, prefix, size = rest
        return A.SortDecl(str(name), str(prefix), size, symmetric, span=self._span(meta),
                          meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def enum_decl(self, meta, items):
        doc, attrs, name, members = items
        return A.EnumDecl(str(name), tuple(str(m) for m in members),
                          member_spans=tuple(self._tspan(m) for m in members),
                          span=self._span(meta), meta=self._meta(doc, attrs, name))

    def name_list(self, items):
        return list(items)

    @v_args(meta=True)
    def type_decl(self, meta, items):
        doc, attrs, name, typ = items
        return A.TypeDecl(str(name), typ, span=self._span(meta), meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def record_decl(self, meta, items):
        doc, attrs, name, *fields = items
        return A.RecordDecl(str(name), tuple(fields), span=self._span(meta),
                            meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def field_decl(self, meta, items):
        return A.Param(str(items[0]), items[1], span=self._span(meta))

    param = field_decl

    def params(self, items):
        return _Params(tuple(items))

    @v_args(meta=True)
    def var_decl(self, meta, items):
        doc, attrs, name, typ, *init = items
        return A.VarDecl(str(name), typ, init[0] if init else None, span=self._span(meta),
                         meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def init_decl(self, meta, items):
        doc, attrs, override, (body,) = self._split(items)
        return A.InitDecl(body, override, span=self._span(meta), meta=self._meta(doc, attrs))

    def _callable(self, items):
        doc, attrs, override, rest = self._split(items)
        name, rest = rest[0], rest[1:]
        params = ()
        if rest and isinstance(rest[0], _Params):
            params, rest = rest[0].params, rest[1:]
        return doc, attrs, override, name, params, rest

    @v_args(meta=True)
    def def_decl(self, meta, items):
        doc, attrs, override, name, params, tail = self._callable(items)
        result, body = tail
        return A.DefDecl(str(name), params, result, body, override, span=self._span(meta),
                         meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def proc_decl(self, meta, items):
        doc, attrs, override, name, params, (body,) = self._callable(items)
        return A.ProcDecl(str(name), params, body, override, span=self._span(meta),
                          meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def action_decl(self, meta, items):
        doc, attrs, override, name, params, (body,) = self._callable(items)
        return A.ActionDecl(str(name), params, body, override, span=self._span(meta),
                            meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def prop_decl(self, meta, items):
        doc, attrs, override, (kind, name, expr) = self._split(items)
        return A.PropDecl(str(kind), str(name), expr, override, span=self._span(meta),
                          meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def instance_decl(self, meta, items):
        doc, name, *bindings = items
        return A.InstanceDecl(str(name), tuple(bindings), span=self._span(meta),
                              meta=self._meta(doc, (), name))

    @v_args(meta=True)
    def binding(self, meta, items):
        return A.Binding(str(items[0]), items[1], span=self._span(meta))

    # ---- types
    @v_args(meta=True)
    def map_type(self, meta, items):
        return A.TMap(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def bool_type(self, meta, items):
        return A.TBool(span=self._span(meta))

    @v_args(meta=True)
    def int_type(self, meta, items):
        return A.TInt(span=self._span(meta))

    @v_args(meta=True)
    def range_type(self, meta, items):
        return A.TRange(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def set_type(self, meta, items):
        return A.TSet(items[0], span=self._span(meta))

    @v_args(meta=True)
    def seq_type(self, meta, items):
        return A.TSeq(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def option_type(self, meta, items):
        return A.TOption(items[0], span=self._span(meta))

    @v_args(meta=True)
    def named_type(self, meta, items):
        return A.TNamed(str(items[0]), span=self._span(meta))

    # ---- statements
    def block(self, items):
        return tuple(i for i in items if not isinstance(i, Token))

    def stmt(self, items):
        return items[-1]

    @v_args(meta=True)
    def require_stmt(self, meta, items):
        return A.Require(items[0], span=self._span(meta))

    @v_args(meta=True)
    def assert_stmt(self, meta, items):
        msg = _unquote(items[1]) if len(items) > 1 else None
        return A.Assert(items[0], msg, span=self._span(meta))

    @v_args(meta=True)
    def assign_stmt(self, meta, items):
        return A.Assign(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def let_stmt(self, meta, items):
        return A.Let(str(items[0]), items[1], span=self._span(meta))

    @v_args(meta=True)
    def if_stmt(self, meta, items):
        cond, then, *rest = items
        other = None
        if rest:
            other = rest[0] if isinstance(rest[0], tuple) else (rest[0],)
        return A.If(cond, then, other, span=self._span(meta))

    @v_args(meta=True)
    def binder(self, meta, items):
        return A.Binder(str(items[0]), items[1], span=self._span(meta))

    def where(self, items):
        return ("where", items[0])

    def _loop(self, items):
        binder, *rest = items
        where = rest[0][1] if len(rest) == 2 else None
        return binder, where, rest[-1]

    @v_args(meta=True)
    def foreach_stmt(self, meta, items):
        return A.Foreach(*self._loop(items), span=self._span(meta))

    @v_args(meta=True)
    def choose_stmt(self, meta, items):
        return A.Choose(*self._loop(items), span=self._span(meta))

    @v_args(meta=True)
    def call_stmt(self, meta, items):
        return A.CallStmt(str(items[0]), tuple(items[1]) if len(items) > 1 else (), span=self._span(meta))

    # ---- expressions
    @v_args(meta=True)
    def quant(self, meta, items):
        kind = str(items[0])
        binders, where = [], None
        for it in items[1:-1]:
            if isinstance(it, tuple) and it and it[0] == "where":
                where = it[1]
            else:
                binders.extend(it)
        return A.Quant(kind, tuple(binders), where, items[-1], span=self._span(meta))

    @v_args(meta=True)
    def bind_group(self, meta, items):
        *names, typ = items
        return [A.Binder(str(n), typ, span=self._tspan(n)) for n in names]

    @v_args(meta=True)
    def ite(self, meta, items):
        return A.Ite(*items, span=self._span(meta))

    def _bin(op):  # noqa: N805 - a factory for the binary-operator callbacks
        @v_args(meta=True)
        def make(self, meta, items):
            return A.Binary(op, items[0], items[1], span=self._span(meta))
        return make

    implies = _bin("=>")
    eq, ne, lt, le = _bin("=="), _bin("!="), _bin("<"), _bin("<=")
    gt, ge = _bin(">"), _bin(">=")
    member = _bin("in")

    # Operator chains arrive flat: [operand, op, operand, op, ...] (or without ops for || and &&).
    @v_args(meta=True)
    def or_(self, meta, items):
        return self._chain(meta, items, ["||"] * (len(items) - 1))

    @v_args(meta=True)
    def and_(self, meta, items):
        return self._chain(meta, items, ["&&"] * (len(items) - 1))

    @v_args(meta=True)
    def sum(self, meta, items):
        return self._chain(meta, items[0::2], items[1::2])

    term = sum

    def addop(self, items):
        return str(items[0])

    mulop = addop

    def _chain(self, meta, operands, ops):
        """Nest a chain to the left, as written; a run of one associative operator longer than
        FLAT_CHAIN is nested as a balanced tree instead, so that a chain of any length stays shallow.
        That is exact: the operands are still evaluated left to right, and `&&`/`||` stop at the
        same operand (the reference semantics evaluates the left operand first, then the right)."""
        start = meta.start_pos
        acc, i = operands[0], 0
        while i < len(ops):
            op, j = ops[i], i + 1
            if op in ASSOCIATIVE:
                while j < len(ops) and ops[j] == op:
                    j += 1
            acc = self._nest(op, [acc] + operands[i + 1:j + 1], start)
            i = j
        # the whole chain's span includes a closing parenthesis of its last operand
        return dataclasses.replace(acc, span=self._span(meta))

    def _nest(self, op, terms, start):
        if len(terms) > FLAT_CHAIN:
            half = len(terms) // 2
            left = self._nest(op, terms[:half], start)
            right = self._nest(op, terms[half:], terms[half].span.start)
            return A.Binary(op, left, right, span=Span(self.path, start, right.span.end))
        acc = terms[0]
        for t in terms[1:]:
            acc = A.Binary(op, acc, t, span=Span(self.path, start, t.span.end))
        return acc

    @v_args(meta=True)
    def not_(self, meta, items):
        return A.Unary("!", items[0], span=self._span(meta))

    @v_args(meta=True)
    def neg(self, meta, items):
        return A.Unary("-", items[0], span=self._span(meta))

    @v_args(meta=True)
    def index(self, meta, items):
        return A.Index(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def field(self, meta, items):
        return A.Field(items[0], str(items[1]), span=self._span(meta))

    @v_args(meta=True)
    def int_lit(self, meta, items):
        digits = str(items[0])
        if len(digits) > MAX_DIGITS:
            self.diags.append(Diagnostic("XM014", f"an integer literal of {len(digits)} digits; the limit is "
                                                  f"{MAX_DIGITS}", self._span(meta),
                                         help="no model needs such a number: use a smaller constant"))
            return A.IntLit(0, span=self._span(meta))
        return A.IntLit(int(digits), span=self._span(meta))

    @v_args(meta=True)
    def true_lit(self, meta, items):
        return A.BoolLit(True, span=self._span(meta))

    @v_args(meta=True)
    def false_lit(self, meta, items):
        return A.BoolLit(False, span=self._span(meta))

    @v_args(meta=True)
    def none_lit(self, meta, items):
        return A.NoneLit(span=self._span(meta))

    @v_args(meta=True)
    def name(self, meta, items):
        return A.Name(str(items[0]), span=self._span(meta))

    @v_args(meta=True)
    def call(self, meta, items):
        func = items[0]
        args = tuple(items[1]) if len(items) > 1 else ()
        return A.Call(str(func).strip(), args, span=self._span(meta), func_span=self._tspan(func))

    def args(self, items):
        return list(items)

    @v_args(meta=True)
    def set_lit(self, meta, items):
        return A.SetLit(tuple(items), span=self._span(meta))

    @v_args(meta=True)
    def seq_lit(self, meta, items):
        return A.SeqLit(tuple(items), span=self._span(meta))

    @v_args(meta=True)
    def map_comp(self, meta, items):
        name, typ, body = items
        return A.MapComp(A.Binder(str(name), typ, span=self._tspan(name)), body, span=self._span(meta))

    @v_args(meta=True)
    def record_lit(self, meta, items):
        opener, *fields = items
        rec = re.match(r"[A-Za-z_][A-Za-z0-9_]*", str(opener)).group(0)
        return A.RecordLit(rec, tuple(fields), span=self._span(meta))

    @v_args(meta=True)
    def field_init(self, meta, items):
        return A.FieldInit(str(items[0]), items[1], span=self._span(meta))


class _Params:
    def __init__(self, params: tuple) -> None:
        self.params = params


def _unquote(tok) -> str:
    s = str(tok)[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def parse_text(text: str, path: str = "<input>", limits: Limits = DEFAULT) -> A.Module:
    """Parse one file's text. Raises DiagnosticError with one parse diagnostic."""
    register(path, text)
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as err:
        raise DiagnosticError([_parse_error(err, path, text)]) from None
    to_ast = _ToAst(path)
    module = to_ast.run(tree)
    deep = _too_deep(module, limits.nesting)
    if deep is not None:
        raise DiagnosticError([nesting_error(Span(path, deep.span.start, deep.span.start + 1) if deep.span else None, limits.nesting)])
    diags = to_ast.diags + _check_attrs(tree, path)
    if diags:
        raise DiagnosticError(diags)
    return module


def nesting_error(span: Span | None, limit: int, what: str = "") -> Diagnostic:
    return Diagnostic("XM013", f"nested more than {limit} levels deep{what}", span,
                      help=f"split it with `let`, a def or a proc, or a flatter shape; the limit is `--limit "
                           f"nesting={limit}` (at most {MAX_NESTING}); a chain of one of + * && || may be of any length")


def _too_deep(module: A.Module, limit: int) -> A.Node | None:
    """The first syntax node nested more than `limit` nodes deep, found without recursion."""
    todo: list[tuple[object, int]] = [(module, 0)]
    while todo:
        node, depth = todo.pop()
        if isinstance(node, (tuple, list)):
            todo.extend((c, depth) for c in node)
        elif isinstance(node, A.Node):
            if depth > limit:
                return node
            todo.extend((getattr(node, f.name), depth + 1) for f in dataclasses.fields(node)
                        if f.name != "span")
    return None


# @view("hint"): how the HTML trace page shows a declaration (docs/language.md, docs/traces.md)
VIEW_HINTS = ("lane", "domain", "vcpu", "vcpus_per_domain", "send", "channels", "frames")


def _check_attrs(tree: lark.Tree, path: str) -> list[Diagnostic]:
    """Unknown attributes, malformed @ref strings and misplaced or out-of-range @weights (the grammar
    accepts any @name("...") or @name(N))."""
    diags = []
    for decl in tree.iter_subtrees():
        attrs = next((c for c in decl.children if isinstance(c, lark.Tree) and c.data == "attrs"), None)
        if attrs is None:
            continue
        weights = 0
        for attr in attrs.children:
            name, arg = attr.children
            span = Span(path, attr.meta.start_pos, attr.meta.end_pos)
            if str(name) == "ref":
                if arg.type != "STRING" or not re.fullmatch(
                        r"[^:\s]+:(struct |union |enum )?[A-Za-z_][A-Za-z0-9_]*", _unquote(arg)):
                    diags.append(Diagnostic("XM114", f"`@ref({arg})` is not of the form \"path/file.c:function\"",
                                            span, help="e.g. @ref(\"xen/common/sched/credit.c:csched_schedule\")"))
            elif str(name) == "weight":
                weights += 1
                if decl.data != "action_decl":
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
                if arg.type != "STRING" or _unquote(arg) not in VIEW_HINTS:
                    diags.append(Diagnostic("XM009", f"`@view({arg})` names no view", span,
                                            help="the views are " + ", ".join(f'"{v}"' for v in VIEW_HINTS)))
            else:
                diags.append(Diagnostic("XM009", f"unknown attribute `@{name}`", span,
                                        help="the attributes are @ref(\"path/file.c:function\"), @weight(N) "
                                             "(on actions) and @view(\"hint\") (for the HTML trace page)"))
    return diags


_ = Note  # re-exported for callers that build notes next to parse errors
