"""Printing a syntax tree and parsing the text gives back an equal tree (spans aside)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xenmodel import ast as A
from xenmodel.parser import parse_text
from xenmodel.printer import module_text

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILES = sorted(set((ROOT / "tests" / "fixtures").glob("*.xm")) | set((ROOT / "spec").glob("**/*.xm"))
                     | set((ROOT / "tests" / "golden" / "diagnostics" / "lib").glob("*.xm")))

names = st.sampled_from(["x", "y", "pcpu", "runq", "credit", "v", "d0", "NPCPU"])
types_ = st.recursive(
    st.one_of(st.just(A.TBool()), st.just(A.TInt()), names.map(A.TNamed),
              st.builds(A.TRange, st.integers(0, 3).map(A.IntLit), st.integers(0, 9).map(A.IntLit))),
    lambda inner: st.one_of(st.builds(A.TSet, inner), st.builds(A.TOption, inner),
                            st.builds(A.TSeq, inner, st.integers(1, 5).map(A.IntLit)),
                            st.builds(A.TMap, inner, inner)),
    max_leaves=4)
simple_types = st.one_of(st.just(A.TBool()), names.map(A.TNamed), st.builds(A.TOption, names.map(A.TNamed)))
binders = st.builds(A.Binder, names, simple_types)


def _exprs():
    leaves = st.one_of(st.integers(0, 99).map(A.IntLit), st.booleans().map(A.BoolLit), st.just(A.NoneLit()),
                       names.map(A.Name))

    def extend(inner):
        ops = st.sampled_from(["+", "-", "*", "/", "%", "&", "++", "==", "!=", "<", "<=", ">", ">=", "in",
                               "&&", "||", "=>"])
        return st.one_of(
            st.builds(A.Binary, ops, inner, inner),
            st.builds(A.Unary, st.sampled_from(["-", "!"]), inner),
            st.builds(A.Ite, inner, inner, inner),
            st.builds(A.Index, inner, inner),
            st.builds(A.Field, inner, names),
            st.builds(A.Call, st.sampled_from(["len", "count", "f", "PCpu"]), st.lists(inner, max_size=3).map(tuple)),
            st.builds(A.Quant, st.sampled_from(["forall", "exists", "count", "sum"]),
                      st.lists(binders, min_size=1, max_size=2).map(tuple), st.none() | inner, inner),
            st.builds(A.SetLit, st.lists(inner, max_size=3).map(tuple)),
            st.builds(A.SeqLit, st.lists(inner, max_size=3).map(tuple)),
            st.builds(A.MapComp, binders, inner),
            st.builds(A.RecordLit, st.just("Cell"),
                      st.lists(st.builds(A.FieldInit, names, inner), min_size=1, max_size=2).map(tuple)),
        )
    return st.recursive(leaves, extend, max_leaves=8)


exprs = _exprs()
lvalues = st.recursive(names.map(A.Name), lambda inner: st.one_of(st.builds(A.Index, inner, exprs),
                                                                  st.builds(A.Field, inner, names)), max_leaves=3)


def _stmts():
    leaves = st.one_of(st.builds(A.Require, exprs), st.builds(A.Assert, exprs, st.none() | st.just("msg \"q\"")),
                       st.builds(A.Assign, lvalues, exprs), st.builds(A.Let, names, exprs),
                       st.builds(A.CallStmt, names, st.lists(exprs, max_size=2).map(tuple)))

    def extend(inner):
        block = st.lists(inner, max_size=3).map(tuple)
        return st.one_of(st.builds(A.If, exprs, block, st.none() | block),
                         st.builds(A.Foreach, binders, st.none() | exprs, block),
                         st.builds(A.Choose, binders, st.none() | exprs, block))
    return st.recursive(leaves, extend, max_leaves=5)


stmts = _stmts()
params = st.lists(st.builds(A.Param, names, types_), max_size=2).map(tuple)
decls = st.one_of(
    st.builds(A.ConstDecl, names, st.just(A.TInt()), exprs, st.booleans()),
    st.builds(A.SortDecl, names, names, exprs, st.booleans()),
    st.builds(A.EnumDecl, names, st.lists(names, min_size=1, max_size=3).map(tuple)),
    st.builds(A.TypeDecl, names, types_),
    st.builds(A.RecordDecl, names, st.lists(st.builds(A.Param, names, types_), min_size=1, max_size=3).map(tuple)),
    st.builds(A.VarDecl, names, types_, st.none() | exprs),
    st.builds(A.InitDecl, st.lists(stmts, max_size=3).map(tuple), st.booleans()),
    st.builds(A.DefDecl, names, params, types_, exprs, st.booleans()),
    st.builds(A.ProcDecl, names, params, st.lists(stmts, max_size=3).map(tuple), st.booleans()),
    st.builds(A.ActionDecl, names, params, st.lists(stmts, max_size=3).map(tuple), st.booleans()),
    st.builds(A.PropDecl, st.sampled_from(["invariant", "lemma"]), names, exprs, st.booleans()),
    st.builds(A.InstanceDecl, names, st.lists(st.builds(A.Binding, names, exprs), max_size=2).map(tuple)),
    st.builds(A.Include, st.just("lib/x.xm")),
)
modules = st.builds(A.Module, st.none() | names, st.lists(decls, max_size=4).map(tuple))


@settings(max_examples=150, deadline=None)
@given(modules)
def test_print_then_parse_gives_the_same_tree(module):
    text = module_text(module)
    assert parse_text(text, "<roundtrip>.xm") == module, text


@pytest.mark.parametrize("path", MODEL_FILES, ids=[str(p.relative_to(ROOT)) for p in MODEL_FILES])
def test_real_models_round_trip(path):
    module = parse_text(path.read_text(), str(path))
    again = parse_text(module_text(module), str(path) + ".printed")
    assert again == module
