"""Text -> syntax tree. Lark LALR with positions; parse errors become diagnostics.

The grammar's parser is in grammar.py, the tree-to-AST builder in parse_tree.py, and parse errors in
plain words (learned from the known-bad inputs `BAD_INPUTS`) in parse_errors.py.
"""
from __future__ import annotations

import dataclasses

from lark.exceptions import UnexpectedInput

from . import ast as A
from .diagnostics import Diagnostic, DiagnosticError
from .grammar import lark_parser
from .limits import DEFAULT, MAX_NESTING, Limits
from .parse_errors import check_attrs, parse_error
from .parse_tree import ToAst
from .source import SourceFile, Span


def parse_text(text: str, path: str = "<input>", limits: Limits = DEFAULT) -> A.Module:
    """Parse one file's text. Raises DiagnosticError with one parse diagnostic."""
    src = SourceFile(path, text)
    try:
        tree = lark_parser().parse(text)
    except UnexpectedInput as err:
        raise DiagnosticError([parse_error(err, src)]) from None
    to_ast = ToAst(src)
    module = to_ast.run(tree)
    deep = _too_deep(module, limits.nesting)
    if deep is not None:
        raise DiagnosticError([nesting_error(deep.span.point() if deep.span else None, limits.nesting)])
    diags = to_ast.diags + check_attrs(tree, src)
    if diags:
        raise DiagnosticError(diags)
    return module


def nesting_error(span: Span | None, limit: int, what: str = "") -> Diagnostic:
    return Diagnostic("XM013", f"nested more than {limit} levels deep{what}", span,
                      help=f"split it with `let`, a def or a proc, or a flatter shape; the limit is `--limit "
                           f"nesting={limit}` (at most {MAX_NESTING}); a chain of one of + * && || may be of "
                           "any length")


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
