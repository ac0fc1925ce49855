"""Run-time support of the generated code: the exceptions it raises and the helpers it calls.

The helpers raise model errors exactly as xenmodel.semantics does (same code, message and span).
"""
from __future__ import annotations

from xenmodel.semantics import ModelError
from xenmodel.types import show


class Unsupported(Exception):
    """A construct the compiler does not handle; the engine falls back to the reference semantics."""


class _Stop(Exception):
    """Ends a BFS expansion early, args = (status, info): one exit that reports the per-action counts
    (a `return` with the counts at every transition site made the source quadratic in the actions)."""


# ----------------------------------------------------------------- run-time helpers (raise like semantics.py)
def _e_seq_index(k, q, span):
    raise ModelError("XM505", f"index {k} outside a seq of length {len(q)}", span)


def _seq_index(q, k, span):
    if not 0 <= k < len(q):
        raise ModelError("XM505", f"index {k} outside a seq of length {len(q)}", span)
    return q[k]


def _seq_store_index(q, k, span):
    if not 0 <= k < len(q):
        raise ModelError("XM505", f"index {k} outside a seq of length {len(q)}", span)
    return k


def _e_empty(name, span):
    raise ModelError("XM502", f"{name}() of an empty seq", span)


def _e_get(span):
    raise ModelError("XM501", "get() of none", span)


def _div(a, b, span):
    if b == 0:
        raise ModelError("XM506", "division by zero", span)
    return a // b


def _mod(a, b, span):
    if b == 0:
        raise ModelError("XM506", "modulo by zero", span)
    return a % b


def _e_overflow(v, t, span):
    raise ModelError("XM503", f"value {show(t, v)} is outside {t}", span)  # as semantics.narrow says it


def _e_cap(v, t, span):
    raise ModelError("XM504", f"a seq of length {len(v)} does not fit capacity {t.cap}", span)


def _e_sortval(i, t, span):
    raise ModelError("XM508", f"{t.name}({i}) is outside the sort (0..{t.size - 1})", span)


def _e_assert(message, span):
    raise ModelError("XM507", message, span)


def _remove(q, x):
    if x in q:
        i = q.index(x)
        return q[:i] + q[i + 1:]
    return q


def _remove_at(q, i, span):
    if not 0 <= i < len(q):
        raise ModelError("XM505", f"remove_at index {i} outside a seq of length {len(q)}", span)
    return q[:i] + q[i + 1:]


def _insert(q, i, x, cap, span):
    if not 0 <= i <= len(q):
        raise ModelError("XM505", f"insert index {i} outside 0..{len(q)}", span)
    if len(q) + 1 > cap:
        raise ModelError("XM504", f"insert into a full seq (capacity {cap})", span)
    return q[:i] + (x,) + q[i:]


HELPERS = {name: obj for name, obj in globals().items() if name.startswith(("_e_", "_seq_", "_div", "_mod",
                                                                             "_remove", "_insert"))}
