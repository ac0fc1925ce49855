"""Syntax tree -> source text. Parsing the printed text gives back an equal tree (tested).

Expressions are printed fully parenthesised where precedence could matter, so the printer
stays small and the round trip is exact.
"""
from __future__ import annotations

import json

from . import ast as A


def type_text(t: A.TypeExpr) -> str:
    if isinstance(t, A.TBool):
        return "bool"
    if isinstance(t, A.TInt):
        return "int"
    if isinstance(t, A.TRange):
        return f"int[{expr_text(t.lo)}..{expr_text(t.hi)}]"
    if isinstance(t, A.TSet):
        return f"set<{type_text(t.elem)}>"
    if isinstance(t, A.TSeq):
        return f"seq<{type_text(t.elem)}, {_sum_text(t.cap)}>"
    if isinstance(t, A.TOption):
        inner = type_text(t.inner)
        return f"({inner})?" if isinstance(t.inner, A.TMap) else f"{inner}?"
    if isinstance(t, A.TMap):
        key = type_text(t.key)
        if isinstance(t.key, A.TMap):
            key = f"({key})"
        return f"{key} -> {type_text(t.value)}"
    if isinstance(t, A.TNamed):
        return t.name
    raise AssertionError(f"printer: unknown type {t!r}")


def _sum_text(e: A.Expr) -> str:
    # seq capacities and int bounds are parsed at the additive level: parenthesise anything else
    text = expr_text(e)
    return text if isinstance(e, (A.IntLit, A.Name, A.Call)) else f"({text})"


def _binder(b: A.Binder) -> str:
    return f"{b.name}: {type_text(b.type)}"


def expr_text(e: A.Expr) -> str:
    if isinstance(e, A.IntLit):
        return str(e.value)
    if isinstance(e, A.BoolLit):
        return "true" if e.value else "false"
    if isinstance(e, A.NoneLit):
        return "none"
    if isinstance(e, A.Name):
        return e.id
    if isinstance(e, A.Call):
        return f"{e.func}({', '.join(expr_text(a) for a in e.args)})"
    if isinstance(e, A.Index):
        return f"{_postfix(e.base)}[{expr_text(e.index)}]"
    if isinstance(e, A.Field):
        return f"{_postfix(e.base)}.{e.name}"
    if isinstance(e, A.Unary):
        # `!` binds looser than comparisons, so it needs parentheses of its own as an operand
        return f"(!({expr_text(e.operand)}))" if e.op == "!" else f"-({expr_text(e.operand)})"
    if isinstance(e, A.Binary):
        return f"({expr_text(e.left)} {e.op} {expr_text(e.right)})"
    if isinstance(e, A.Ite):
        return f"(if {expr_text(e.cond)} then {expr_text(e.then)} else {expr_text(e.other)})"
    if isinstance(e, A.Quant):
        where = f" where {expr_text(e.where)}" if e.where is not None else ""
        return f"({e.kind} {', '.join(_binder(b) for b in e.binders)}{where} :: {expr_text(e.body)})"
    if isinstance(e, A.SetLit):
        return "{" + ", ".join(expr_text(i) for i in e.items) + "}"
    if isinstance(e, A.SeqLit):
        return "[" + ", ".join(expr_text(i) for i in e.items) + "]"
    if isinstance(e, A.MapComp):
        return f"[{_binder(e.binder)} -> {expr_text(e.body)}]"
    if isinstance(e, A.RecordLit):
        return f"{e.record} {{ " + ", ".join(f"{f.name}: {expr_text(f.value)}" for f in e.fields) + " }"
    if isinstance(e, A.Temporal):
        if e.op == "~>":
            return f"({expr_text(e.operands[0])} ~> {expr_text(e.operands[1])})"
        return f"({e.op} {expr_text(e.operands[0])})"
    raise AssertionError(f"printer: unknown expression {e!r}")


def _postfix(e: A.Expr) -> str:
    text = expr_text(e)
    return text if isinstance(e, (A.Name, A.Call, A.Index, A.Field)) else f"({text})"


def _lvalue(e: A.Expr) -> str:
    if isinstance(e, A.Name):
        return e.id
    if isinstance(e, A.Index):
        return f"{_lvalue(e.base)}[{expr_text(e.index)}]"
    if isinstance(e, A.Field):
        return f"{_lvalue(e.base)}.{e.name}"
    return expr_text(e)


def block_text(stmts: tuple[A.Stmt, ...], indent: int) -> str:
    pad = "  " * (indent + 1)
    lines = ["{"]
    for s in stmts:
        lines.append(pad + stmt_text(s, indent + 1))
    lines.append("  " * indent + "}")
    return "\n".join(lines)


def stmt_text(s: A.Stmt, indent: int) -> str:
    if isinstance(s, A.Require):
        return f"require {expr_text(s.cond)}"
    if isinstance(s, A.Assert):
        return f"assert {expr_text(s.cond)}" + (f", {json.dumps(s.message)}" if s.message is not None else "")
    if isinstance(s, A.Assign):
        return f"{_lvalue(s.target)} := {expr_text(s.value)}"
    if isinstance(s, A.Let):
        return f"let {s.name} = {expr_text(s.value)}"
    if isinstance(s, A.If):
        text = f"if {expr_text(s.cond)} {block_text(s.then, indent)}"
        if s.other is not None:
            if len(s.other) == 1 and isinstance(s.other[0], A.If):
                text += " else " + stmt_text(s.other[0], indent)
            else:
                text += " else " + block_text(s.other, indent)
        return text
    if isinstance(s, (A.Foreach, A.Choose)):
        kw = "foreach" if isinstance(s, A.Foreach) else "choose"
        where = f" where {expr_text(s.where)}" if s.where is not None else ""
        return f"{kw} {_binder(s.binder)}{where} {block_text(s.body, indent)}"
    if isinstance(s, A.CallStmt):
        return f"{s.proc}({', '.join(expr_text(a) for a in s.args)})"
    raise AssertionError(f"printer: unknown statement {s!r}")


def _params(ps: tuple[A.Param, ...]) -> str:
    return ", ".join(f"{p.name}: {type_text(p.type)}" for p in ps)


def decl_text(d: A.Declaration) -> str:
    ov = "override " if getattr(d, "override", False) else ""
    if isinstance(d, A.Include):
        return f"include {json.dumps(d.path)}"
    if isinstance(d, A.ConstDecl):
        return f"{ov}const {d.name}: {type_text(d.type)} = {expr_text(d.value)}"
    if isinstance(d, A.SortDecl):
        sym = "symmetric " if d.symmetric else ""
        return f"{sym}sort {d.name} = {d.prefix}[{expr_text(d.size)}]"
    if isinstance(d, A.EnumDecl):
        return f"enum {d.name} {{ {', '.join(d.members)} }}"
    if isinstance(d, A.TypeDecl):
        return f"type {d.name} = {type_text(d.type)}"
    if isinstance(d, A.RecordDecl):
        return f"record {d.name} {{ {_params(d.fields)} }}"
    if isinstance(d, A.VarDecl):
        init = f" = {expr_text(d.init)}" if d.init is not None else ""
        return f"var {d.name}: {type_text(d.type)}{init}"
    if isinstance(d, A.InitDecl):
        return f"{ov}init {block_text(d.body, 0)}"
    if isinstance(d, A.DefDecl):
        return f"{ov}def {d.name}({_params(d.params)}): {type_text(d.result)} = {expr_text(d.body)}"
    if isinstance(d, A.ProcDecl):
        return f"{ov}proc {d.name}({_params(d.params)}) {block_text(d.body, 0)}"
    if isinstance(d, A.ActionDecl):
        if d.attrs_only:
            return f"{ov}action {d.name}"
        fair = f"fair {d.fairness} " if d.fairness else ""
        return f"{ov}{fair}action {d.name}({_params(d.params)}) {block_text(d.body, 0)}"
    if isinstance(d, A.PropDecl):
        return f"{ov}{d.kind} {d.name}: {expr_text(d.expr)}"
    if isinstance(d, A.FairnessDecl):
        return f"fairness {d.kind} {', '.join(d.actions)}"
    if isinstance(d, A.InstanceDecl):
        return f"instance {d.name} {{ " + ", ".join(f"{b.name} = {expr_text(b.value)}" for b in d.bindings) + " }"
    raise AssertionError(f"printer: unknown declaration {d!r}")


def module_text(m: A.Module) -> str:
    parts = []
    if m.name is not None:
        parts.append(f"model {m.name}")
    for d in m.decls:
        meta = getattr(d, "meta", None)
        prefix = ""
        if meta is not None and meta.doc:
            prefix += "".join(f"/// {line}\n" for line in meta.doc.splitlines())
        if meta is not None:
            prefix += "".join(f"@{name}({json.dumps(value)})\n" for name, value, _ in meta.attrs)
        parts.append(prefix + decl_text(d))
    return "\n\n".join(parts) + "\n"
