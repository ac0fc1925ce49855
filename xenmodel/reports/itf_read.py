"""Reading ITF JSON traces (the format: xenmodel.reports.itf, docs/traces.md): typed, lenient, bounded.

The model says what each value must be, so the reader checks shapes and ranges and names the first bad
value (TraceFileError, XM603/XM604/XM606). The format's names and the error live here too, so the writer
(xenmodel.reports.itf) imports them from this module and re-exports the reader.
"""
from __future__ import annotations

import json
import re
from typing import Any

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.ir import block_of
from xenmodel.ir import choose_domains as choose_types
from xenmodel.safetext import MAX_INT_DIGITS
from xenmodel.trace import Trace, TraceStep, Violation
from xenmodel.types import (
    BoolT,
    EnumT,
    IntT,
    MapT,
    OptionT,
    RecordT,
    SeqT,
    SetT,
    SortT,
    Type,
    cardinality,
    key_index,
    show,
    values,
)

FORMAT = "ITF"
FORMAT_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html"
XM_FORMAT = "xenmodel-itf/1"
ACTION_TAKEN = "mbt::actionTaken"
NONDET_PICKS = "mbt::nondetPicks"
ACTION_ARGS = "xm::actionArgs"
SPECIAL_VARS = (ACTION_TAKEN, NONDET_PICKS, ACTION_ARGS)


# Limits of the reader (docs/traces.md): a value nests as deep as its type (a few levels in any model), and
# integers are bounded below Python's int-to-str limit (4300 digits), so every value read can be printed
# and written back. A file beyond them is refused with XM606 instead of exhausting the stack or int().
MAX_NESTING = 200
_DIGITS = re.compile(r"-?[0-9]+")  # ASCII only: int() would also take "١٢", " 12", "1_2" and "+12"


class TraceFileError(Exception):
    """A trace file that cannot be used: code XM603 (unreadable, not ITF), XM604 (does not fit the model),
    XM606 (beyond the reader's limits: nesting, integer size; or a value too large to write)."""

    def __init__(self, code: str, message: str, help: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.help = help



# ------------------------------------------------------------------ ITF JSON -> values (typed, lenient)
def decode(t: Type | None, j: Any, where: str) -> Any:
    """ITF JSON of a value of type t -> the runtime value. Raises TraceFileError (XM604) naming `where`."""
    assert t is not None, "a checked model has no open types"
    def bad(expected: str) -> TraceFileError:
        got = json.dumps(j, separators=(",", ":"))
        if len(got) > 80:
            got = got[:77] + "..."
        return TraceFileError("XM604", f"{where}: expected {expected}, got {got}")

    if isinstance(t, BoolT):
        if isinstance(j, bool):
            return j
        raise bad("true or false")
    if isinstance(t, IntT):
        n = _int_at(j, where)
        if n is None:
            raise bad("an integer ({\"#bigint\": \"...\"})")
        if t.lo is not None and t.hi is not None and not t.lo <= n <= t.hi:
            raise bad(f"an integer in {t.lo}..{t.hi}")
        return n
    if isinstance(t, SortT):
        if isinstance(j, str) and j.startswith(t.prefix) and _DIGITS.fullmatch(j[len(t.prefix):]) \
                and len(j) - len(t.prefix) <= len(str(t.size)):
            n = int(j[len(t.prefix):])
        else:
            n = _int_at(j, where)
        if n is None or not 0 <= n < t.size:
            raise bad(f"a {t.name} value ({t.prefix}0..{t.prefix}{t.size - 1})")
        return n
    if isinstance(t, EnumT):
        name = j.get("tag") if isinstance(j, dict) and set(j) <= {"tag", "value"} else j
        if isinstance(name, str) and name in t.members:
            return t.members.index(name)
        raise bad(f"a member of {t.name} ({', '.join(t.members)})")
    if isinstance(t, OptionT):
        if j is None:
            return None
        if isinstance(j, dict) and set(j) == {"#set"} and isinstance(j["#set"], list) and len(j["#set"]) <= 1:
            return decode(t.inner, j["#set"][0], where) if j["#set"] else None
        if isinstance(j, dict) and j.get("tag") == "None" and set(j) <= {"tag", "value"}:
            return None
        if isinstance(j, dict) and j.get("tag") == "Some" and set(j) == {"tag", "value"}:
            return decode(t.inner, j["value"], where)
        raise bad(f"an option of {t.inner} ({{\"#set\": []}} or {{\"#set\": [v]}})")
    if isinstance(t, SetT):
        if isinstance(j, dict) and set(j) == {"#set"} and isinstance(j["#set"], list):
            return frozenset(decode(t.elem, x, f"{where} element") for x in j["#set"])
        raise bad("a set ({\"#set\": [...]})")
    if isinstance(t, SeqT):
        if isinstance(j, dict) and set(j) == {"#tup"}:
            j = j["#tup"]
        if isinstance(j, list):
            if t.cap is not None and len(j) > t.cap:
                raise bad(f"a list of at most {t.cap} element(s)")
            return tuple(decode(t.elem, x, f"{where}[{i}]") for i, x in enumerate(j))
        raise bad("a list")
    if isinstance(t, MapT):
        if not (isinstance(j, dict) and set(j) == {"#map"} and isinstance(j["#map"], list)):
            raise bad("a map ({\"#map\": [[key, value], ...]})")
        out: list[Any] = [None] * cardinality(t.key)
        seen = [False] * len(out)
        for pair in j["#map"]:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise bad("a map whose entries are [key, value] pairs")
            k = decode(t.key, pair[0], f"{where} key")
            idx = key_index(t.key, k)
            if seen[idx]:
                raise TraceFileError("XM604", f"{where}: the key {show(t.key, k)} appears twice")
            seen[idx] = True
            out[idx] = decode(t.value, pair[1], f"{where}[{show(t.key, k)}]")
        missing = [show(t.key, k) for k, s in zip(values(t.key), seen, strict=False) if not s]
        if missing:
            raise TraceFileError("XM604", f"{where}: the map has no value for key(s) {', '.join(missing)}")
        return tuple(out)
    if isinstance(t, RecordT):
        if not isinstance(j, dict) or any(k.startswith("#") for k in j):
            raise bad(f"a {t.name} record (a JSON object)")
        names = [f for f, _ in t.fields]
        extra = [k for k in j if k not in names]
        missing = [f for f in names if f not in j]
        if extra or missing:
            what = (f"unknown field(s) {', '.join(extra)}" if extra else "") + \
                   ("; " if extra and missing else "") + \
                   (f"missing field(s) {', '.join(missing)}" if missing else "")
            raise TraceFileError("XM604", f"{where}: a {t.name} record with {what}")
        return tuple(decode(ft, j[f], f"{where}.{f}") for f, ft in t.fields)
    raise TypeError(f"cannot decode a value of type {t}")


def _int_of(j: Any) -> int | None:
    if isinstance(j, bool):
        return None
    if isinstance(j, int):
        return j
    if isinstance(j, dict) and set(j) == {"#bigint"} and isinstance(j["#bigint"], str):
        digits = j["#bigint"]
        if not _DIGITS.fullmatch(digits):
            return None
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise _too_many_digits(len(digits.lstrip("-")))
        return int(digits)
    return None


def _int_at(j: Any, where: str) -> int | None:
    try:
        return _int_of(j)
    except TraceFileError as err:
        raise TraceFileError(err.code, f"{where}: {err.message}", err.help) from err


def _too_many_digits(n: int) -> TraceFileError:
    return TraceFileError("XM606", f"an integer of {n} digits is too large (the limit is {MAX_INT_DIGITS} digits)",
                          help="a model's values stay far below this; the file was not written by xenmodel")


def _json_int(text: str) -> int:
    """json.loads's parse_int: a plain JSON integer, bounded before int() sees it."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _too_many_digits(len(text.lstrip("-")))
    return int(text)


def _too_deep() -> TraceFileError:
    return TraceFileError("XM606", f"nested deeper than {MAX_NESTING} levels",
                          help="an ITF value nests as deep as its type; the file was not written by xenmodel")


def _check_nesting(doc: Any) -> None:
    """Refuse a document nested deeper than MAX_NESTING (walked with a stack, not recursion)."""
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise _too_deep()
        if isinstance(node, dict):
            stack.extend((x, depth + 1) for x in node.values())
        elif isinstance(node, list):
            stack.extend((x, depth + 1) for x in node)


def decode_picks(model: ir.Model, action: str, j: Any, where: str) -> tuple[Any, ...]:
    if j is None:
        return ()
    if not isinstance(j, dict):
        raise TraceFileError("XM604", f"{where}: {NONDET_PICKS} must be an object name -> value")
    types = choose_types(block_of(model, action) or ())
    out = []
    for key, raw in j.items():
        name = key
        if name not in types and re.fullmatch(r".+__[0-9]+", key):
            name = key.rsplit("__", 1)[0]
        cands = types.get(name)
        if not cands:
            raise TraceFileError("XM604", f"{where}: `{action}` has no choose named `{name}`")
        err: TraceFileError | None = None
        for t in cands:
            try:
                out.append((name, decode(t, raw, f"{where}, pick `{key}`")))
                break
            except TraceFileError as e:
                err = err or e
        else:
            raise err  # type: ignore[misc]
    return tuple(out)


def decode_args(action: ir.Action, j: Any, where: str) -> tuple[Any, ...]:
    if j is None:
        j = {}
    if not isinstance(j, dict):
        raise TraceFileError("XM604", f"{where}: {ACTION_ARGS} must be an object parameter -> value")
    names = [p.name for p in action.params]
    extra = [k for k in j if k not in names]
    missing = [n for n in names if n not in j]
    if extra:
        raise TraceFileError("XM604", f"{where}: `{action.name}` has no parameter {', '.join(extra)}")
    if missing:
        raise TraceFileError("XM604", f"{where}: no value for `{action.name}`'s parameter(s) {', '.join(missing)}")
    return tuple(decode(p.type, j[p.name], f"{where}, argument `{p.name}`") for p in action.params)


def loads(text: str, origin: str) -> dict[Any, Any]:
    """Parse a file's text as an ITF trace object. Raises TraceFileError XM603."""
    try:
        doc = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as err:
        raise TraceFileError("XM603", f"{origin} is not JSON: {err.msg} at line {err.lineno} column {err.colno}",
                             help="an ITF trace is a JSON file written by `--trace-out FILE.itf.json`") from err
    except RecursionError:
        raise _too_deep() from None
    _check_nesting(doc)
    if not isinstance(doc, dict) or "states" not in doc:
        raise TraceFileError("XM603", f"{origin} is JSON but not an ITF trace (it has no \"states\")",
                             help="an ITF trace is an object with \"#meta\", \"vars\" and \"states\"")
    if not isinstance(doc["states"], list) or not all(isinstance(s, dict) for s in doc["states"]):
        raise TraceFileError("XM603", f"{origin}: \"states\" must be a list of objects")
    meta = doc.get("#meta", {})
    if not isinstance(meta, dict):
        raise TraceFileError("XM603", f"{origin}: \"#meta\" must be an object")
    fmt = meta.get("format")
    if fmt is not None and fmt != FORMAT:
        raise TraceFileError("XM603", f"{origin}: the trace format is {fmt!r}, not {FORMAT!r}")
    loop = doc.get("loop")
    loop_at = None if loop is None else _int_at(loop, "\"loop\"")
    if loop is not None and (loop_at is None or not 0 <= loop_at < max(1, len(doc["states"]))):
        raise TraceFileError("XM603", f"{origin}: \"loop\" must be the index of a state")
    return doc


def read(path: str) -> dict[Any, Any]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise TraceFileError("XM603", f"cannot read the trace file {path}: {err.strerror or err}") from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TraceFileError("XM603", f"{path} is not a text file (not UTF-8)",
                             help="an ITF trace is a JSON file written by `--trace-out FILE.itf.json`") from None
    return loads(text, path)


def binding(doc: dict[Any, Any]) -> tuple[str | None, dict[str, Any]]:
    """The instance and constants recorded in a trace's #meta (or, failing that, its params)."""
    meta = doc.get("#meta") or {}
    instance = meta.get("instance")
    if instance is not None and not isinstance(instance, str):
        raise TraceFileError("XM603", "\"#meta\".instance must be a string or null")
    consts: dict[str, Any] = {}
    raw = meta.get("consts")
    if raw is None and doc.get("params") and doc["states"]:
        raw = {p: doc["states"][0].get(p) for p in doc["params"] if isinstance(p, str)}
    if raw is not None:
        if not isinstance(raw, dict):
            raise TraceFileError("XM603", "\"#meta\".consts must be an object name -> value")
        for k, val in raw.items():
            if isinstance(val, bool):
                consts[k] = val
            elif _int_at(val, f"constant `{k}`") is not None:
                consts[k] = _int_of(val)
            else:
                raise TraceFileError("XM603", f"constant `{k}` has a value that is neither an integer nor a bool")
    return instance, consts


def from_itf(model: ir.Model, doc: dict[Any, Any]) -> Trace:
    """An ITF trace object -> Trace, every value checked against the model's types.

    States without "mbt::actionTaken" (traces from other tools) get their action by search: the first
    transition, in the reference semantics' order, that leads to the recorded state.
    Raises TraceFileError (XM603 shape, XM604 names or values the model does not have).
    """
    meta = doc.get("#meta") or {}
    raw_states = doc["states"]
    if not raw_states:
        raise TraceFileError("XM603", "the trace has no states")
    known = {d.name for d in model.vars} | set(SPECIAL_VARS) | {c for c, _ in model.consts} | {"#meta"}
    steps: list[TraceStep] = []
    prev: tuple[Any, ...] | None = None
    for i, raw in enumerate(raw_states):
        where = f"state {i}"
        for k in raw:
            if k not in known:
                raise TraceFileError("XM604", f"{where}: the model has no variable `{k}`")
        missing = [d.name for d in model.vars if d.name not in raw]
        if missing:
            raise TraceFileError("XM604", f"{where}: no value for variable(s) {', '.join(missing)}")
        state = tuple(decode(d.type, raw[d.name], f"{where}, variable `{d.name}`") for d in model.vars)
        action_name = raw.get(ACTION_TAKEN)
        if action_name is None:
            steps.append(_search_step(model, prev, state, i))
        else:
            if not isinstance(action_name, str):
                raise TraceFileError("XM604", f"{where}: {ACTION_TAKEN} must be a string")
            if i == 0 and action_name != "init":
                raise TraceFileError("XM604", f"{where}: the first state's action must be `init`, "
                                              f"not `{action_name}`")
            if i == 0:
                steps.append(TraceStep("init", (), decode_picks(model, "init", raw.get(NONDET_PICKS), where),
                                       state))
            else:
                action = model.action(action_name)
                if action is None:
                    raise TraceFileError("XM604", f"{where}: the model has no action `{action_name}`")
                args = decode_args(action, raw.get(ACTION_ARGS), where)
                picks = decode_picks(model, action_name, raw.get(NONDET_PICKS), where)
                steps.append(TraceStep(action_name, args, picks, state))
        prev = state
    loop = doc.get("loop")
    loop_at = _int_of(loop) if loop is not None else None
    closing = None if loop_at is None else _closing(model, meta, steps, loop_at)
    trace = Trace(tuple(steps), None, loop_at, closing)
    v = _decode_violation(model, trace, meta.get("violation"))
    return Trace(trace.steps, v, trace.loop, closing)


def _closing(model: ir.Model, meta: dict[Any, Any], steps: list[TraceStep], loop: int) -> TraceStep | None:
    """A lasso's step from the last state back to steps[loop]: from "#meta".closing (null: the last
    state is a deadlock that stutters), or, without one (traces of other tools), the first transition
    of the model that leads there (none: a stutter, which replay accepts only on a deadlock)."""
    back = steps[loop].state
    if "closing" not in meta:
        for o in S.successors(model, steps[-1].state):
            if isinstance(o, S.Step) and o.state == back:
                return TraceStep(o.action, o.args, o.picks, back)
        return None
    c = meta["closing"]
    if c is None:
        return None
    if not isinstance(c, dict) or not isinstance(c.get("action"), str):
        raise TraceFileError("XM603", "\"#meta\".closing must be null or an object naming an action")
    action = model.action(c["action"])
    if action is None:
        raise TraceFileError("XM604", f"the closing step: the model has no action `{c['action']}`")
    return TraceStep(action.name, decode_args(action, c.get("args"), "the closing step"),
                     decode_picks(model, action.name, c.get("picks"), "the closing step"), back)


def _search_step(model: ir.Model, prev: tuple[Any, ...] | None, state: tuple[Any, ...], i: int) -> TraceStep:
    if prev is None:
        for o in S.initial_states(model):
            if isinstance(o, S.Step) and o.state == state:
                return TraceStep("init", (), o.picks, state)
        return TraceStep("init", (), (), state)  # replay reports the mismatch
    for o in S.successors(model, prev):
        if isinstance(o, S.Step) and o.state == state:
            return TraceStep(o.action, o.args, o.picks, state)
    raise TraceFileError("XM601", f"state {i}: no action of the model leads from state {i - 1} to state {i} "
                                  f"(the trace does not record {ACTION_TAKEN}, so it was searched for)")


def _decode_violation(model: ir.Model, trace: Trace, j: Any) -> Violation | None:
    """The violation a trace claims, with the span re-derived from the model where it really happens."""
    if j is None:
        return None
    if not isinstance(j, dict) or not isinstance(j.get("kind"), str):
        raise TraceFileError("XM603", "\"#meta\".violation must be an object with a \"kind\"")
    kind, name = j["kind"], j.get("name") or j["kind"]
    code, message = j.get("code") or "XM509", j.get("message") or ""
    failing = None
    if j.get("failing") is not None:
        f = j["failing"]
        if not isinstance(f, dict) or not isinstance(f.get("action"), str):
            raise TraceFileError("XM603", "\"#meta\".violation.failing must name an action")
        action = model.action(f["action"])
        if action is None:
            raise TraceFileError("XM604", f"the failing step: the model has no action `{f['action']}`")
        failing = (action.name, decode_args(action, f.get("args"), "the failing step"),
                   decode_picks(model, action.name, f.get("picks"), "the failing step"))
    if kind == "temporal":
        t = model.temporal(name)
        if t is None:
            raise TraceFileError("XM604", f"the model has no temporal property `{name}`")
        raw = j.get("instance") or {}
        if not isinstance(raw, dict):
            raise TraceFileError("XM603", "\"#meta\".violation.instance must be an object name -> value")
        inst = tuple(decode(p.type, raw.get(p.name), f"the instance of `{name}`") for p in t.params)
        return Violation.of_temporal(t, inst, message)
    claimed = Violation(kind, name, message, None, failing, code)
    last = trace.steps[-1].state
    try:
        if kind in ("invariant", "lemma"):
            for prop, err in S.check_properties(model, last):
                if prop.name == name and prop.kind == kind:
                    return Violation.of_property(prop, err)
        elif kind in ("assert", "model-error") and failing is not None:
            action = model.action(failing[0])
            assert action is not None, "decoded with the model's actions"
            for o in S.successors_of(model, action, failing[1], last):
                if isinstance(o, S.StepError) and tuple(o.picks) == failing[2] and o.error.code == code:
                    return Violation.of_error(o)
    except Exception:  # a state the model cannot evaluate: keep the claim, replay reports it
        pass
    return claimed
