"""A cache of proved obligations, so that a re-run after an edit re-proves only what the edit touched.

Only "unsat" (proved) answers are stored, never sat or unknown: a cached entry can only let the proof
skip a query whose answer is known to be unsat. The key is a SHA-256 of everything the answer depends
on: a format version, the Z3 version, the source of the encoding modules (so a change of the encoder
invalidates everything), the instance's constants, the obligation's kind, and the canonical IR of what
the query encodes: for the consecution kinds the action, the property to prove, the assumed properties
and the declarations of the slice's variables; for the init kinds the init block, every variable's
declaration and the property. The canonical IR leaves out what does not change an answer (source
positions, doc comments, @ref) and numbers local binders by first occurrence and names state variables
by name, so an edit of one action does not change the keys of another (the front end's binder uids and
variable indices are global to the model).

Entries are files under `<dir>/v<FORMAT>/<2 hex>/<key>`, written atomically; deleting the directory
empties the cache. An entry that does not read back is ignored (asked again).
"""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import z3

from xenmodel import ir

from .queries import Obligation

FORMAT = 1
_ENCODER_MODULES = ("values", "runtime", "encode", "builtin_hooks", "encode_stmts", "unroll", "discharge", "queries",
                    "slicing")
_SKIP_FIELDS = frozenset({"span", "doc", "refs", "weight"})


def _engine_fingerprint() -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in _ENCODER_MODULES:
        h.update((here / f"{name}.py").read_bytes())
    return h.hexdigest()


def canonical(node: Any) -> str:
    """The IR under `node` as text, without positions or docs; local binders numbered by first
    occurrence, state variables by name. Iterative (a deeply nested model does not hit Python's
    recursion limit)."""
    uids: dict[int, int] = {}
    out: list[str] = []
    stack: list[Any] = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, _Text):
            out.append(x.text)
        elif dataclasses.is_dataclass(x) and not isinstance(x, type):
            out.append(type(x).__name__ + "(")
            stack.append(_Text(")"))
            items: list[Any] = []
            for f in dataclasses.fields(x):
                if f.name in _SKIP_FIELDS:
                    continue
                v = getattr(x, f.name)
                if f.name == "index" and isinstance(x, (ir.Var, ir.LVar, ir.VarDecl)):
                    continue  # a variable is its name (and type): indices shift when a variable is added
                if f.name == "uid" and isinstance(v, int):
                    v = _Text(f"u{uids.setdefault(v, len(uids))}")
                items.append(v)
            stack.extend(reversed(items))
        elif isinstance(x, (tuple, list)):
            out.append("[")
            stack.append(_Text("]"))
            stack.extend(reversed(x))
        elif isinstance(x, enum.Enum):
            out.append(f"{type(x).__name__}.{x.name},")
        else:
            out.append(repr(x) + ",")
    return "".join(out)


@dataclasses.dataclass(frozen=True)
class _Text:
    text: str


class ProofCache:
    """The proved obligations of one model, keyed as the module comment says."""

    def __init__(self, directory: str, model: ir.Model) -> None:
        self.root = Path(directory) / f"v{FORMAT}"
        self.model = model
        h = hashlib.sha256()
        for part in (str(FORMAT), z3.get_version_string(), _engine_fingerprint(), repr(sorted(model.consts))):
            h.update(part.encode() + b"\0")
        self.base = h.digest()
        self.props = {p.name: p for p in model.properties}
        self.decls = {v.name: v for v in model.vars}
        self.parts: dict[tuple[str, ...], str] = {}

    def key(self, ob: Obligation) -> str:
        h = hashlib.sha256(self.base)
        parts: list[str] = [ob.kind]
        if ob.kind in ("consecution", "consecution-errors"):
            action = self.model.action(ob.action or "")
            assert action is not None
            parts.append(self._part(("action", action.name), (action.params, action.body)))
            parts += [self._part(("var", v), self.decls[v]) for v in ob.vars]
            parts += [f"{p}=" + self._part(("prop", p), self.props[p].expr) for p in ob.assumed]
        else:
            parts.append(self._part(("init",), (self.model.init, self.model.vars)))
        if ob.prop is not None:
            parts.append(self._part(("prop", ob.prop), self.props[ob.prop].expr))
        for part in parts:
            h.update(part.encode() + b"\0")
        return h.hexdigest()

    def _part(self, what: tuple[str, ...], node: Any) -> str:
        """The digest of one piece of the IR, computed once per run (each piece binds its own locals)."""
        if what not in self.parts:
            self.parts[what] = hashlib.sha256(canonical(node).encode()).hexdigest()
        return self.parts[what]

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def proved(self, key: str) -> bool:
        try:
            data = json.loads(self._path(key).read_text())
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and data.get("answer") == "unsat"

    def store(self, key: str, label: str, seconds: float) -> None:
        """Record a proved obligation (atomically: a reader sees the whole entry or none)."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w") as f:
                json.dump({"answer": "unsat", "obligation": label, "seconds": seconds}, f)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written costs time on the next run, nothing else


def default_directory() -> str:
    """$XDG_CACHE_HOME/xenmodel/prove (~/.cache/xenmodel/prove without XDG_CACHE_HOME)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "xenmodel", "prove")
