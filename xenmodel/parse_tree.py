"""Lark tree -> syntax tree (ast.py), with spans into the file."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

import lark
from lark import Token, Transformer, v_args
from lark.tree import Meta

from . import ast as A
from .diagnostics import Diagnostic
from .limits import MAX_DIGITS
from .source import SourceFile, Span


def _doc(tokens: list[Token]) -> str:
    lines = [t[3:].strip() if str(t).startswith("///") else str(t) for t in tokens]
    return "\n".join(lines).strip()


# Operators whose chains may be nested in any shape (see _ToAst._chain), and the chain length
# up to which a chain is nested to the left exactly as written.
ASSOCIATIVE = frozenset({"+", "*", "&&", "||"})
FLAT_CHAIN = 16


def _bin(op: str) -> Callable[[ToAst, Meta, list[Any]], A.Binary]:
    """The callback of a binary operator's rule."""
    @v_args(meta=True)
    def make(self: ToAst, meta: Meta, items: list[Any]) -> A.Binary:
        return A.Binary(op, items[0], items[1], span=self._span(meta))
    return make


class ToAst(Transformer[Token, Any]):
    """Lark tree -> AST. Never raises: anything odd is left for the checker to report."""

    def __init__(self, src: SourceFile) -> None:
        super().__init__()
        self.src = src
        self.path = src.path
        self.diags: list[Diagnostic] = []  # integer literals too long to convert

    def run(self, tree: lark.Tree[Token]) -> A.Module:
        """Transform bottom-up with an explicit stack: Lark's own transform recurses once per tree level,
        and a model may nest deeper than Python's recursion limit (it is refused later, with a diagnostic)."""
        results: list[Any] = []
        todo: list[tuple[object, bool]] = [(tree, False)]
        while todo:
            node, children_done = todo.pop()
            if not isinstance(node, lark.Tree):
                results.append(node)
            elif children_done:
                n = len(node.children)
                children = results[len(results) - n:]
                del results[len(results) - n:]
                results.append(self._call_userfunc(node, children))  # type: ignore[no-untyped-call]
            else:
                todo.append((node, True))
                todo.extend((c, False) for c in reversed(node.children))
        module = results[0]
        assert isinstance(module, A.Module)
        return module

    def _span(self, meta: Meta) -> Span | None:
        if getattr(meta, "empty", True):
            return None
        return Span(self.path, meta.start_pos, meta.end_pos, self.src)

    def _tspan(self, tok: Token) -> Span:
        assert tok.start_pos is not None and tok.end_pos is not None  # the parser keeps positions
        return Span(self.path, tok.start_pos, tok.end_pos, self.src)

    # ---- header and declarations
    @v_args(meta=True)
    def start(self, meta: Meta, items: list[Any]) -> A.Module:
        header = items[0] if items and isinstance(items[0], tuple) else None
        decls = tuple(items[1:] if header else items)
        name, doc = (header[0], header[1]) if header else (None, "")
        return A.Module(name, decls, doc=doc, path=self.path, span=self._span(meta))

    def header(self, items: list[Any]) -> Any:
        return (str(items[1]), items[0])

    def docs(self, items: list[Any]) -> Any:
        return _doc(items)

    def attrs(self, items: list[Any]) -> Any:
        return list(items)

    @v_args(meta=True)
    def attr(self, meta: Meta, items: list[Any]) -> Any:
        name, arg = items
        # an over-long @weight is reported by _check_attrs
        value = (int(arg) if len(arg) <= MAX_DIGITS else 0) if arg.type == "INT" else unquote(arg)
        return (str(name), value, self._span(meta))

    def _meta(self, doc: str, attrs: Sequence[tuple[str, str | int, Span]], name_tok: Token | None = None
              ) -> A.Meta:
        return A.Meta(doc=doc, name_span=self._tspan(name_tok) if name_tok is not None else None,
                      attrs=tuple(attrs))

    def _split(self, items: list[Any]) -> Any:
        """docs, attrs, override?, then the rest."""
        doc, attrs, rest = items[0], items[1], list(items[2:])
        override = bool(rest) and isinstance(rest[0], Token) and rest[0].type == "OVERRIDE"
        if override:
            rest = rest[1:]
        return doc, attrs, override, rest

    @v_args(meta=True)
    def include(self, meta: Meta, items: list[Any]) -> A.Include:
        return A.Include(unquote(items[1]), span=self._span(meta), meta=A.Meta(doc=items[0]))

    @v_args(meta=True)
    def const_decl(self, meta: Meta, items: list[Any]) -> A.ConstDecl:
        doc, attrs, override, (name, typ, value) = self._split(items)
        return A.ConstDecl(str(name), typ, value, override, span=self._span(meta),
                           meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def sort_decl(self, meta: Meta, items: list[Any]) -> A.SortDecl:
        doc, attrs, rest = items[0], items[1], list(items[2:])
        symmetric = isinstance(rest[0], Token) and rest[0].type == "SYMMETRIC"
        if symmetric:
            rest = rest[1:]
        name, prefix, size = rest
        return A.SortDecl(str(name), str(prefix), size, symmetric, span=self._span(meta),
                          meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def enum_decl(self, meta: Meta, items: list[Any]) -> A.EnumDecl:
        doc, attrs, name, members = items
        return A.EnumDecl(str(name), tuple(str(m) for m in members),
                          member_spans=tuple(self._tspan(m) for m in members),
                          span=self._span(meta), meta=self._meta(doc, attrs, name))

    def name_list(self, items: list[Any]) -> Any:
        return list(items)

    @v_args(meta=True)
    def type_decl(self, meta: Meta, items: list[Any]) -> A.TypeDecl:
        doc, attrs, name, typ = items
        return A.TypeDecl(str(name), typ, span=self._span(meta), meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def record_decl(self, meta: Meta, items: list[Any]) -> A.RecordDecl:
        doc, attrs, name, *fields = items
        return A.RecordDecl(str(name), tuple(fields), span=self._span(meta),
                            meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def field_decl(self, meta: Meta, items: list[Any]) -> A.Param:
        return A.Param(str(items[0]), items[1], span=self._span(meta))

    param = field_decl

    def params(self, items: list[Any]) -> Any:
        return _Params(tuple(items))

    @v_args(meta=True)
    def var_decl(self, meta: Meta, items: list[Any]) -> A.VarDecl:
        doc, attrs, name, typ, *init = items
        return A.VarDecl(str(name), typ, init[0] if init else None, span=self._span(meta),
                         meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def init_decl(self, meta: Meta, items: list[Any]) -> A.InitDecl:
        doc, attrs, override, (body,) = self._split(items)
        return A.InitDecl(body, override, span=self._span(meta), meta=self._meta(doc, attrs))

    def _callable(self, items: list[Any]) -> Any:
        doc, attrs, override, rest = self._split(items)
        name, rest = rest[0], rest[1:]
        params: tuple[A.Param, ...] = ()
        if rest and isinstance(rest[0], _Params):
            params, rest = rest[0].params, rest[1:]
        return doc, attrs, override, name, params, rest

    @v_args(meta=True)
    def def_decl(self, meta: Meta, items: list[Any]) -> A.DefDecl:
        doc, attrs, override, name, params, tail = self._callable(items)
        result, body = tail
        return A.DefDecl(str(name), params, result, body, override, span=self._span(meta),
                         meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def proc_decl(self, meta: Meta, items: list[Any]) -> A.ProcDecl:
        doc, attrs, override, name, params, (body,) = self._callable(items)
        return A.ProcDecl(str(name), params, body, override, span=self._span(meta),
                          meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def action_decl(self, meta: Meta, items: list[Any]) -> A.ActionDecl:
        fair = next((i for i in items if isinstance(i, Token) and i.type == "FAIR"), None)
        doc, attrs, override, name, params, (body,) = self._callable(
            [i for i in items if fair is None or i is not fair])
        return A.ActionDecl(str(name), params, body, override, str(fair).split()[-1] if fair else None,
                            span=self._span(meta), meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def reweigh_decl(self, meta: Meta, items: list[Any]) -> A.ActionDecl:
        doc, attrs, _, (name,) = self._split(items)
        return A.ActionDecl(str(name), (), (), True, None, True, span=self._span(meta),
                            meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def fairness_decl(self, meta: Meta, items: list[Any]) -> A.FairnessDecl:
        doc, kind, *names = items
        return A.FairnessDecl(str(kind), tuple(str(n) for n in names),
                              action_spans=tuple(self._tspan(n) for n in names),
                              span=self._span(meta), meta=A.Meta(doc=doc))

    @v_args(meta=True)
    def prop_decl(self, meta: Meta, items: list[Any]) -> A.PropDecl:
        doc, attrs, override, (kind, name, expr) = self._split(items)
        return A.PropDecl(str(kind), str(name), expr, override, span=self._span(meta),
                          meta=self._meta(doc, attrs, name))

    @v_args(meta=True)
    def instance_decl(self, meta: Meta, items: list[Any]) -> A.InstanceDecl:
        doc, name, *bindings = items
        return A.InstanceDecl(str(name), tuple(bindings), span=self._span(meta),
                              meta=self._meta(doc, (), name))

    @v_args(meta=True)
    def binding(self, meta: Meta, items: list[Any]) -> A.Binding:
        return A.Binding(str(items[0]), items[1], span=self._span(meta))

    # ---- types
    @v_args(meta=True)
    def map_type(self, meta: Meta, items: list[Any]) -> A.TMap:
        return A.TMap(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def bool_type(self, meta: Meta, items: list[Any]) -> A.TBool:
        return A.TBool(span=self._span(meta))

    @v_args(meta=True)
    def int_type(self, meta: Meta, items: list[Any]) -> A.TInt:
        return A.TInt(span=self._span(meta))

    @v_args(meta=True)
    def range_type(self, meta: Meta, items: list[Any]) -> A.TRange:
        return A.TRange(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def set_type(self, meta: Meta, items: list[Any]) -> A.TSet:
        return A.TSet(items[0], span=self._span(meta))

    @v_args(meta=True)
    def seq_type(self, meta: Meta, items: list[Any]) -> A.TSeq:
        return A.TSeq(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def option_type(self, meta: Meta, items: list[Any]) -> A.TOption:
        return A.TOption(items[0], span=self._span(meta))

    @v_args(meta=True)
    def named_type(self, meta: Meta, items: list[Any]) -> A.TNamed:
        return A.TNamed(str(items[0]), span=self._span(meta))

    # ---- statements
    def block(self, items: list[Any]) -> Any:
        return tuple(i for i in items if not isinstance(i, Token))

    def stmt(self, items: list[Any]) -> Any:
        return items[-1]

    @v_args(meta=True)
    def require_stmt(self, meta: Meta, items: list[Any]) -> A.Require:
        return A.Require(items[0], span=self._span(meta))

    @v_args(meta=True)
    def assert_stmt(self, meta: Meta, items: list[Any]) -> A.Assert:
        msg = unquote(items[1]) if len(items) > 1 else None
        return A.Assert(items[0], msg, span=self._span(meta))

    @v_args(meta=True)
    def assign_stmt(self, meta: Meta, items: list[Any]) -> A.Assign:
        return A.Assign(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def let_stmt(self, meta: Meta, items: list[Any]) -> A.Let:
        return A.Let(str(items[0]), items[1], span=self._span(meta))

    @v_args(meta=True)
    def if_stmt(self, meta: Meta, items: list[Any]) -> A.If:
        cond, then, *rest = items
        other = None
        if rest:
            other = rest[0] if isinstance(rest[0], tuple) else (rest[0],)
        return A.If(cond, then, other, span=self._span(meta))

    @v_args(meta=True)
    def binder(self, meta: Meta, items: list[Any]) -> A.Binder:
        return A.Binder(str(items[0]), items[1], span=self._span(meta))

    def where(self, items: list[Any]) -> Any:
        return ("where", items[0])

    def _loop(self, items: list[Any]) -> Any:
        binder, *rest = items
        where = rest[0][1] if len(rest) == 2 else None
        return binder, where, rest[-1]

    @v_args(meta=True)
    def foreach_stmt(self, meta: Meta, items: list[Any]) -> A.Foreach:
        return A.Foreach(*self._loop(items), span=self._span(meta))

    @v_args(meta=True)
    def choose_stmt(self, meta: Meta, items: list[Any]) -> A.Choose:
        return A.Choose(*self._loop(items), span=self._span(meta))

    @v_args(meta=True)
    def call_stmt(self, meta: Meta, items: list[Any]) -> A.CallStmt:
        return A.CallStmt(str(items[0]), tuple(items[1]) if len(items) > 1 else (), span=self._span(meta))

    # ---- expressions
    @v_args(meta=True)
    def quant(self, meta: Meta, items: list[Any]) -> A.Quant:
        kind = str(items[0])
        binders, where = [], None
        for it in items[1:-1]:
            if isinstance(it, tuple) and it and it[0] == "where":
                where = it[1]
            else:
                binders.extend(it)
        return A.Quant(kind, tuple(binders), where, items[-1], span=self._span(meta))

    @v_args(meta=True)
    def bind_group(self, meta: Meta, items: list[Any]) -> Any:
        *names, typ = items
        return [A.Binder(str(n), typ, span=self._tspan(n)) for n in names]

    @v_args(meta=True)
    def temporal_unary(self, meta: Meta, items: list[Any]) -> A.Temporal:
        return A.Temporal(str(items[0]), (items[1],), span=self._span(meta))

    @v_args(meta=True)
    def leads_to(self, meta: Meta, items: list[Any]) -> A.Temporal:
        return A.Temporal("~>", (items[0], items[1]), span=self._span(meta))

    @v_args(meta=True)
    def ite(self, meta: Meta, items: list[Any]) -> A.Ite:
        return A.Ite(*items, span=self._span(meta))

    implies = _bin("=>")
    eq, ne, lt, le = _bin("=="), _bin("!="), _bin("<"), _bin("<=")
    gt, ge = _bin(">"), _bin(">=")
    member = _bin("in")

    # Operator chains arrive flat: [operand, op, operand, op, ...] (or without ops for || and &&).
    @v_args(meta=True)
    def or_(self, meta: Meta, items: list[Any]) -> Any:
        return self._chain(meta, items, ["||"] * (len(items) - 1))

    @v_args(meta=True)
    def and_(self, meta: Meta, items: list[Any]) -> Any:
        return self._chain(meta, items, ["&&"] * (len(items) - 1))

    @v_args(meta=True)
    def sum(self, meta: Meta, items: list[Any]) -> Any:
        return self._chain(meta, items[0::2], items[1::2])

    term = sum

    def addop(self, items: list[Any]) -> Any:
        return str(items[0])

    mulop = addop

    def _chain(self, meta: Meta, operands: list[A.Expr], ops: list[str]) -> A.Expr:
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

    def _nest(self, op: str, terms: list[A.Expr], start: int) -> A.Expr:
        if len(terms) > FLAT_CHAIN:
            half = len(terms) // 2
            left = self._nest(op, terms[:half], start)
            right = self._nest(op, terms[half:], _span_of(terms[half]).start)
            return A.Binary(op, left, right, span=Span(self.path, start, _span_of(right).end, self.src))
        acc = terms[0]
        for t in terms[1:]:
            acc = A.Binary(op, acc, t, span=Span(self.path, start, _span_of(t).end, self.src))
        return acc

    @v_args(meta=True)
    def not_(self, meta: Meta, items: list[Any]) -> A.Unary:
        return A.Unary("!", items[0], span=self._span(meta))

    @v_args(meta=True)
    def neg(self, meta: Meta, items: list[Any]) -> A.Unary:
        return A.Unary("-", items[0], span=self._span(meta))

    @v_args(meta=True)
    def index(self, meta: Meta, items: list[Any]) -> A.Index:
        return A.Index(items[0], items[1], span=self._span(meta))

    @v_args(meta=True)
    def field(self, meta: Meta, items: list[Any]) -> A.Field:
        return A.Field(items[0], str(items[1]), span=self._span(meta))

    @v_args(meta=True)
    def int_lit(self, meta: Meta, items: list[Any]) -> A.IntLit:
        digits = str(items[0])
        if len(digits) > MAX_DIGITS:
            self.diags.append(Diagnostic("XM014", f"an integer literal of {len(digits)} digits; the limit is "
                                                  f"{MAX_DIGITS}", self._span(meta),
                                         help="no model needs such a number: use a smaller constant"))
            return A.IntLit(0, span=self._span(meta))
        return A.IntLit(int(digits), span=self._span(meta))

    @v_args(meta=True)
    def true_lit(self, meta: Meta, items: list[Any]) -> A.BoolLit:
        return A.BoolLit(True, span=self._span(meta))

    @v_args(meta=True)
    def false_lit(self, meta: Meta, items: list[Any]) -> A.BoolLit:
        return A.BoolLit(False, span=self._span(meta))

    @v_args(meta=True)
    def none_lit(self, meta: Meta, items: list[Any]) -> A.NoneLit:
        return A.NoneLit(span=self._span(meta))

    @v_args(meta=True)
    def name(self, meta: Meta, items: list[Any]) -> A.Name:
        return A.Name(str(items[0]), span=self._span(meta))

    @v_args(meta=True)
    def call(self, meta: Meta, items: list[Any]) -> A.Call:
        func = items[0]
        args = tuple(items[1]) if len(items) > 1 else ()
        return A.Call(str(func).strip(), args, span=self._span(meta), func_span=self._tspan(func))

    def args(self, items: list[Any]) -> Any:
        return list(items)

    @v_args(meta=True)
    def set_lit(self, meta: Meta, items: list[Any]) -> A.SetLit:
        return A.SetLit(tuple(items), span=self._span(meta))

    @v_args(meta=True)
    def seq_lit(self, meta: Meta, items: list[Any]) -> A.SeqLit:
        return A.SeqLit(tuple(items), span=self._span(meta))

    @v_args(meta=True)
    def map_comp(self, meta: Meta, items: list[Any]) -> A.MapComp:
        name, typ, body = items
        return A.MapComp(A.Binder(str(name), typ, span=self._tspan(name)), body, span=self._span(meta))

    @v_args(meta=True)
    def record_lit(self, meta: Meta, items: list[Any]) -> A.RecordLit:
        opener, *fields = items
        m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", str(opener))
        assert m is not None  # the grammar's record opener starts with the name
        rec = m.group(0)
        return A.RecordLit(rec, tuple(fields), span=self._span(meta))

    @v_args(meta=True)
    def field_init(self, meta: Meta, items: list[Any]) -> A.FieldInit:
        return A.FieldInit(str(items[0]), items[1], span=self._span(meta))


def _span_of(e: A.Expr) -> Span:
    assert e.span is not None  # every parsed expression has a position
    return e.span


class _Params:
    def __init__(self, params: tuple[A.Param, ...]) -> None:
        self.params = params


def unquote(tok: Token) -> str:
    s = str(tok)[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)
