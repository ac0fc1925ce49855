"""The intermediate representation every engine consumes.

A bound model: constants folded, every type concrete, names resolved (state variables by index,
locals by a unique id), defs and procs inlined, every expression typed. Nodes are frozen and
closed: a traversal that meets a node it does not know must fail loudly.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from .source import Span
from .types import Type


@dataclass(frozen=True)
class Node:
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


# ---------------------------------------------------------------- operators
# String enums: a member equals its spelling (BinOp.ADD == "+"), so tables keyed by the spelling and
# generated code that prints an operator keep working, while a misspelt operator fails at construction.
class UnOp(enum.StrEnum):
    NEG = "-"
    NOT = "!"


class BinOp(enum.StrEnum):
    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    MOD = "%"
    CONCAT = "++"  # seqs
    UNION = "union"  # sets
    DIFF = "diff"
    INTER = "inter"
    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "in"  # membership in a set or seq
    AND = "&&"
    OR = "||"
    IMPLIES = "=>"


class QuantKind(enum.StrEnum):
    FORALL = "forall"
    EXISTS = "exists"
    COUNT = "count"  # how many values satisfy the body
    SUM = "sum"  # the sum of the body over the values


# ---------------------------------------------------------------- expressions
@dataclass(frozen=True)
class Lit(Node):
    value: Any
    type: Type


@dataclass(frozen=True)
class Var(Node):
    """A state variable, by its index in Model.vars."""
    index: int
    name: str
    type: Type


@dataclass(frozen=True)
class Local(Node):
    """A parameter, let, quantifier, choose or foreach binding, by its unique id."""
    uid: int
    name: str
    type: Type


@dataclass(frozen=True)
class Index(Node):
    """m[k] on a map (key looked up by key_index) or q[i] on a seq (model error out of range)."""
    base: "Expr"
    index: "Expr"
    type: Type


@dataclass(frozen=True)
class Field(Node):
    base: "Expr"
    field_index: int
    name: str
    type: Type


@dataclass(frozen=True)
class Unary(Node):
    op: UnOp
    operand: "Expr"
    type: Type

    def __post_init__(self) -> None:
        object.__setattr__(self, "op", UnOp(self.op))


@dataclass(frozen=True)
class Binary(Node):
    op: BinOp
    left: "Expr"
    right: "Expr"
    type: Type

    def __post_init__(self) -> None:
        object.__setattr__(self, "op", BinOp(self.op))


@dataclass(frozen=True)
class Ite(Node):
    cond: "Expr"
    then: "Expr"
    other: "Expr"
    type: Type


@dataclass(frozen=True)
class Quant(Node):
    """forall / exists / count / sum over every value of `domain` satisfying `where`."""
    kind: QuantKind
    uid: int
    name: str
    domain: Type
    where: "Expr | None"
    body: "Expr"
    type: Type

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", QuantKind(self.kind))


@dataclass(frozen=True)
class SetLit(Node):
    items: tuple["Expr", ...]
    type: Type


@dataclass(frozen=True)
class SeqLit(Node):
    items: tuple["Expr", ...]
    type: Type


@dataclass(frozen=True)
class MapComp(Node):
    uid: int
    name: str
    key: Type
    body: "Expr"
    type: Type


@dataclass(frozen=True)
class RecordLit(Node):
    values: tuple["Expr", ...]  # in the record's field order
    type: Type


# Builtins: len head tail last count remove insert remove_at size get ord min max
@dataclass(frozen=True)
class Builtin(Node):
    name: str
    args: tuple["Expr", ...]
    type: Type


@dataclass(frozen=True)
class SortVal(Node):
    """S(i): the sort value with index i (model error outside the sort)."""
    index: "Expr"
    type: Type


@dataclass(frozen=True)
class Some(Node):
    """A T used where T? is expected. At run time the value is unchanged."""
    operand: "Expr"
    type: Type


@dataclass(frozen=True)
class Narrow(Node):
    """A value stored into a bounded position: int range or seq capacity checked (model error)."""
    operand: "Expr"
    type: Type


@dataclass(frozen=True)
class LetIn(Node):
    """Binding introduced by inlining a def call: `body` with `uid` bound to `value`."""
    uid: int
    name: str
    value: "Expr"
    body: "Expr"
    type: Type


Expr = Lit | Var | Local | Index | Field | Unary | Binary | Ite | Quant | SetLit | SeqLit | MapComp \
    | RecordLit | Builtin | SortVal | Some | Narrow | LetIn


# ---------------------------------------------------------------- statements
@dataclass(frozen=True)
class LVar(Node):
    index: int
    name: str
    type: Type


@dataclass(frozen=True)
class LIndex(Node):
    base: "LValue"
    index: Expr
    type: Type


@dataclass(frozen=True)
class LField(Node):
    base: "LValue"
    field_index: int
    name: str
    type: Type


LValue = LVar | LIndex | LField


@dataclass(frozen=True)
class Require(Node):
    cond: Expr


@dataclass(frozen=True)
class Assert(Node):
    cond: Expr
    message: str


@dataclass(frozen=True)
class Assign(Node):
    target: LValue
    value: Expr


@dataclass(frozen=True)
class Let(Node):
    uid: int
    name: str
    value: Expr


@dataclass(frozen=True)
class If(Node):
    cond: Expr
    then: tuple["Stmt", ...]
    other: tuple["Stmt", ...]


@dataclass(frozen=True)
class Foreach(Node):
    uid: int
    name: str
    domain: Type
    where: Expr | None
    body: tuple["Stmt", ...]


@dataclass(frozen=True)
class Choose(Node):
    """Nondeterministic pick: one transition per value of `domain` satisfying `where`."""
    uid: int
    name: str
    domain: Type
    where: Expr | None
    body: tuple["Stmt", ...]


Stmt = Require | Assert | Assign | Let | If | Foreach | Choose


# ---------------------------------------------------------------- declarations
@dataclass(frozen=True)
class Param(Node):
    uid: int
    name: str
    type: Type


@dataclass(frozen=True)
class VarDecl(Node):
    index: int
    name: str
    type: Type
    init: Expr | None
    doc: str = ""
    refs: tuple[str, ...] = ()


class Fairness(enum.StrEnum):
    """Fairness of every instance `a(args)` of an action (TLA+'s WF/SF of that instance): on an infinite
    behaviour, WEAK: if the instance is enabled from some point on, it is taken infinitely often;
    STRONG: if it is enabled infinitely often, it is taken infinitely often."""
    WEAK = "weak"
    STRONG = "strong"


DEFAULT_WEIGHT = 10  # the weight of an action without @weight
MAX_WEIGHT = 1000


@dataclass(frozen=True)
class Action(Node):
    name: str
    params: tuple[Param, ...]
    body: tuple[Stmt, ...]
    doc: str = ""
    refs: tuple[str, ...] = ()
    # @weight: how often random runs (simulate, the Hypothesis machine) pick this action relative to
    # the others; exhaustive engines ignore it.
    weight: int = DEFAULT_WEIGHT
    # `fair weak action` / `fair strong action` / a `fairness` declaration; None: no fairness
    fairness: Fairness | None = None


def action_weights(model: "Model") -> dict[str, int] | None:
    """Each action's @weight for random runs, or None when all are equal (then random runs pick
    uniformly, exactly as in a model without weights)."""
    if len({a.weight for a in model.actions}) <= 1:
        return None
    return {a.name: a.weight for a in model.actions}


@dataclass(frozen=True)
class Property(Node):
    kind: str  # "invariant" | "lemma"
    name: str
    expr: Expr
    doc: str = ""
    refs: tuple[str, ...] = ()


class TemporalKind(enum.StrEnum):
    """The shapes of a temporal property (P, Q state predicates)."""
    EVENTUALLY = "eventually"  # eventually P: every behaviour reaches a P state
    ALWAYS = "always"  # always P: every state of every behaviour is a P state
    ALWAYS_EVENTUALLY = "always eventually"  # P infinitely often
    EVENTUALLY_ALWAYS = "eventually always"  # from some point on, P forever
    LEADS_TO = "leads to"  # P ~> Q: every P state is followed (now or later) by a Q state


@dataclass(frozen=True)
class Temporal(Node):
    """`temporal NAME: forall x: T, ... where c :: <kind>`: one property per instance of `params` (every
    tuple of their values, the first varying slowest, for which `where`, which reads no state, holds),
    each checked on every behaviour under the model's fairness. `p` is the operand (the premise of
    leads-to), `q` the conclusion of leads-to (None otherwise); both are bool state predicates over the
    state and the params (no temporal operator inside)."""
    name: str
    params: tuple[Param, ...]
    where: Expr | None
    kind: TemporalKind
    p: Expr
    q: Expr | None = None
    doc: str = ""
    refs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TemporalKind(self.kind))


@dataclass(frozen=True)
class Model:
    name: str
    path: str
    instance: str | None
    consts: tuple[tuple[str, Any], ...]
    vars: tuple[VarDecl, ...]
    init: tuple[Stmt, ...]
    actions: tuple[Action, ...]
    properties: tuple[Property, ...]
    types: tuple[Type, ...]  # declared sorts, enums and records, for explain and exporters
    doc: str = ""
    # Descriptions of declarations (defs, procs) for `explain` and infer's def atoms: (kind, name, signature
    # `(p: T, ...)` with `: R` after a def's, doc, refs)
    helpers: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = ()
    # @view hints for the HTML trace page: (declaration kind: sort/var/action/const, name, hint)
    views: tuple[tuple[str, str, str], ...] = ()
    # `temporal` properties (liveness), checked under the actions' fairness
    temporals: tuple[Temporal, ...] = ()

    def var(self, name: str) -> VarDecl | None:
        for v in self.vars:
            if v.name == name:
                return v
        return None

    def action(self, name: str) -> Action | None:
        for a in self.actions:
            if a.name == name:
                return a
        return None

    @property
    def invariants(self) -> tuple[Property, ...]:
        return tuple(p for p in self.properties if p.kind == "invariant")

    @property
    def lemmas(self) -> tuple[Property, ...]:
        return tuple(p for p in self.properties if p.kind == "lemma")

    def temporal(self, name: str) -> Temporal | None:
        return next((t for t in self.temporals if t.name == name), None)

    @property
    def fair_actions(self) -> tuple[Action, ...]:
        """The actions with fairness, in declaration order."""
        return tuple(a for a in self.actions if a.fairness is not None)


def lvalue_path(lv: LValue) -> tuple[LVar, list[LIndex | LField]]:
    """The variable an assignment target starts from, and the index/field steps down from it, in order."""
    path: list[LIndex | LField] = []
    node = lv
    while not isinstance(node, LVar):
        path.append(node)
        node = node.base
    path.reverse()
    return node, path


def choose_domains(stmts: tuple[Stmt, ...]) -> dict[str, list[Type]]:
    """The domain types of every `choose` in a block, by binder name (a name may be used with several
    types), so a step's picks can be shown and encoded as values."""
    from .ir_walk import walk  # ir_walk imports this module
    out: dict[str, list[Type]] = {}
    for s in walk(stmts):
        if isinstance(s, Choose):
            ts = out.setdefault(s.name, [])
            if s.domain not in ts:
                ts.append(s.domain)
    return out


def block_of(model: Model, action: str) -> tuple[Stmt, ...] | None:
    """The statements of an action, or of the init block for the pseudo-action "init"."""
    if action == "init":
        return model.init
    a = model.action(action)
    return a.body if a is not None else None
