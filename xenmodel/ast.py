"""The syntax tree of a .xm file: frozen dataclasses, spans left out of equality.

The tree is what the parser produced, names unresolved. `checker.py` turns it into the IR.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .source import Span


@dataclass(frozen=True)
class Node:
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


# ---------------------------------------------------------------- types
@dataclass(frozen=True)
class TBool(Node):
    pass


@dataclass(frozen=True)
class TInt(Node):
    """Unbounded int: only for constants."""


@dataclass(frozen=True)
class TRange(Node):
    lo: "Expr"
    hi: "Expr"


@dataclass(frozen=True)
class TSet(Node):
    elem: "TypeExpr"


@dataclass(frozen=True)
class TSeq(Node):
    elem: "TypeExpr"
    cap: "Expr"


@dataclass(frozen=True)
class TOption(Node):
    inner: "TypeExpr"


@dataclass(frozen=True)
class TMap(Node):
    key: "TypeExpr"
    value: "TypeExpr"


@dataclass(frozen=True)
class TNamed(Node):
    name: str


TypeExpr = TBool | TInt | TRange | TSet | TSeq | TOption | TMap | TNamed


# ---------------------------------------------------------------- expressions
@dataclass(frozen=True)
class IntLit(Node):
    value: int


@dataclass(frozen=True)
class BoolLit(Node):
    value: bool


@dataclass(frozen=True)
class NoneLit(Node):
    pass


@dataclass(frozen=True)
class Name(Node):
    id: str


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple["Expr", ...]
    func_span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Index(Node):
    base: "Expr"
    index: "Expr"


@dataclass(frozen=True)
class Field(Node):
    base: "Expr"
    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-" or "!"
    operand: "Expr"


@dataclass(frozen=True)
class Binary(Node):
    op: str  # + - * / % & ++ == != < <= > >= in && || =>
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Ite(Node):
    cond: "Expr"
    then: "Expr"
    other: "Expr"


@dataclass(frozen=True)
class Binder(Node):
    name: str
    type: TypeExpr


@dataclass(frozen=True)
class Quant(Node):
    kind: str  # forall exists count sum
    binders: tuple[Binder, ...]
    where: "Expr | None"
    body: "Expr"


@dataclass(frozen=True)
class SetLit(Node):
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class SeqLit(Node):
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class MapComp(Node):
    binder: Binder
    body: "Expr"


@dataclass(frozen=True)
class FieldInit(Node):
    name: str
    value: "Expr"


@dataclass(frozen=True)
class RecordLit(Node):
    record: str
    fields: tuple[FieldInit, ...]


@dataclass(frozen=True)
class Temporal(Node):
    """A temporal operator: `eventually e`, `always e` (one operand) or `a ~> b` (leads-to, two).
    Only a `temporal` declaration accepts them, outermost; anywhere else the type checker refuses them."""
    op: str  # eventually | always | ~>
    operands: tuple["Expr", ...]


Expr = IntLit | BoolLit | NoneLit | Name | Call | Index | Field | Unary | Binary | Ite | Quant \
    | SetLit | SeqLit | MapComp | RecordLit | Temporal


# ---------------------------------------------------------------- statements
@dataclass(frozen=True)
class Require(Node):
    cond: Expr


@dataclass(frozen=True)
class Assert(Node):
    cond: Expr
    message: str | None


@dataclass(frozen=True)
class Assign(Node):
    target: Expr  # Name, Index or Field
    value: Expr


@dataclass(frozen=True)
class Let(Node):
    name: str
    value: Expr


@dataclass(frozen=True)
class If(Node):
    cond: Expr
    then: tuple["Stmt", ...]
    other: tuple["Stmt", ...] | None


@dataclass(frozen=True)
class Foreach(Node):
    binder: Binder
    where: Expr | None
    body: tuple["Stmt", ...]


@dataclass(frozen=True)
class Choose(Node):
    binder: Binder
    where: Expr | None
    body: tuple["Stmt", ...]


@dataclass(frozen=True)
class CallStmt(Node):
    proc: str
    args: tuple[Expr, ...]


Stmt = Require | Assert | Assign | Let | If | Foreach | Choose | CallStmt


# ---------------------------------------------------------------- declarations
@dataclass(frozen=True)
class Param(Node):
    name: str
    type: TypeExpr


@dataclass(frozen=True)
class Decl(Node):
    """Fields every declaration has."""


@dataclass(frozen=True)
class Meta:
    """Documentation and attributes: not part of a declaration's meaning."""
    doc: str = ""
    name_span: Span | None = None
    # every attribute as written, (name, value, span); the parser has checked them (XM009, XM114, XM117)
    attrs: tuple[tuple[str, str | int, Span], ...] = ()

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(str(v) for name, v, _ in self.attrs if name == "ref")

    @property
    def weight(self) -> int | None:
        """The @weight, None without one."""
        return next((v for name, v, _ in self.attrs if name == "weight" and isinstance(v, int)), None)


def _meta() -> Meta:
    return Meta()


@dataclass(frozen=True)
class Include(Node):
    path: str
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class ConstDecl(Node):
    name: str
    type: TypeExpr
    value: Expr
    override: bool = False
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class SortDecl(Node):
    name: str
    prefix: str
    size: Expr
    symmetric: bool = False
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class EnumDecl(Node):
    name: str
    members: tuple[str, ...]
    member_spans: tuple[Span | None, ...] = field(default=(), compare=False, kw_only=True)
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class TypeDecl(Node):
    name: str
    type: TypeExpr
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class RecordDecl(Node):
    name: str
    fields: tuple[Param, ...]
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class VarDecl(Node):
    name: str
    type: TypeExpr
    init: Expr | None = None
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class InitDecl(Node):
    body: tuple[Stmt, ...]
    override: bool = False
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)

    @property
    def name(self) -> str:
        return "init"


@dataclass(frozen=True)
class DefDecl(Node):
    name: str
    params: tuple[Param, ...]
    result: TypeExpr
    body: Expr
    override: bool = False
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class ProcDecl(Node):
    name: str
    params: tuple[Param, ...]
    body: tuple[Stmt, ...]
    override: bool = False
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class ActionDecl(Node):
    name: str
    params: tuple[Param, ...]
    body: tuple[Stmt, ...]
    override: bool = False
    fairness: str | None = None  # `fair weak action` / `fair strong action`: "weak" or "strong"
    # `@weight(N) override action NAME` (no parameters, no body): the included action with these attributes
    attrs_only: bool = False
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class PropDecl(Node):
    kind: str  # invariant | lemma | temporal
    name: str
    expr: Expr
    override: bool = False
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class FairnessDecl(Node):
    """`fairness weak a, b`: fairness for every instance of actions declared anywhere in the model."""
    kind: str  # weak | strong
    actions: tuple[str, ...]
    action_spans: tuple[Span | None, ...] = field(default=(), compare=False, kw_only=True)
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


@dataclass(frozen=True)
class Binding(Node):
    name: str
    value: Expr


@dataclass(frozen=True)
class InstanceDecl(Node):
    name: str
    bindings: tuple[Binding, ...]
    meta: Meta = field(default_factory=_meta, compare=False, kw_only=True)


Declaration = Include | ConstDecl | SortDecl | EnumDecl | TypeDecl | RecordDecl | VarDecl | InitDecl \
    | DefDecl | ProcDecl | ActionDecl | PropDecl | InstanceDecl | FairnessDecl


@dataclass(frozen=True)
class Module(Node):
    name: str | None
    decls: tuple[Declaration, ...]
    doc: str = field(default="", compare=False, kw_only=True)
    path: str = field(default="", compare=False, kw_only=True)
