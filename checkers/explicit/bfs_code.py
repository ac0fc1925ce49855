"""The breadth-first expansion function's source (`ModelCode.build_bfs`): per state, every transition's
next state is built, looked up in `seen`, stored with its parent link and checked against the
properties its transition may affect.

Two memo tables make the common case cheap where states are tuples of component ids (no symmetry, no
liveness graph):
  - successors: an action's successors depend only on the variables it reads or writes (the others are
    copied from the parent), so its list of successors is remembered per tuple of those variables' ids,
    as the ids of the variables it writes. A hit replaces the guards, the building of the new components
    and their id lookups by one dict lookup. The table of an action stops being filled when fewer than
    half of the lookups hit (it would cost memory for nothing): it is then cleared and the action runs
    its code for every state. A miss runs the action's code exactly as without the memo, so the order of
    transitions, the counts, the first violation and the first model error are unchanged (an expansion
    that raises stores nothing; a hit only replays a list completed without error);
  - property verdicts: the properties a transition may affect are a function of the ids of the
    variables they read, remembered per id tuple.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xenmodel import ir_walk

from .codegen import Compiler
from .codegen_expr import Ctx
from .store import Store

if TYPE_CHECKING:
    from .model_code import Canon, EdgeSink, ModelCode, Owner

MEMO = True  # the successor memo (off: every action runs its code for every state; the tests compare both)
MEMO_CHECK = 65535  # the hit rate of a successor table is looked at each time its size is a multiple of 65536


class BfsWriter:
    """Writes `_expand(_states, _lo, _hi, _seen, _parent)` (see ModelCode.build_bfs) into a Compiler."""

    def __init__(self, code: ModelCode, store: Store, canon: Canon | None, max_states: int | None,
                 deadlock: bool, edges: EdgeSink | None, owner: Owner | None = None) -> None:
        self.code = code
        self.store = store
        self.canon = canon
        self.max_states = max_states
        self.deadlock = deadlock
        self.edges = edges
        self.cp = Compiler(code.model)
        self.nv = code.nvars
        # the memo tables need states as id tuples and no edge to record per transition
        self.ids = canon is None and not store.raw
        self.memo = MEMO and self.ids and edges is None
        # the partitioned search's owner test (Owner): on packed states only
        self.owner = owner if self.ids and edges is None else None
        self.prop_fns: dict[frozenset[int], str | None] = {}  # per set of changed variables
        self.prop_src: list[str] = []
        self.locals: dict[str, str] = {}  # local name -> its value, bound once per call (one line: see write)

    # ------------------------------------------------------------ property checkers
    def props_for(self, changed: set[int]) -> str | None:
        """The name of the function checking the properties that read a variable in `changed`."""
        key = frozenset(changed)
        if key in self.prop_fns:
            return self.prop_fns[key]
        subset = self.code.props_subset(set(changed))
        if not subset:
            self.prop_fns[key] = None
            return None
        cp = self.cp
        sub = Compiler(self.code.model)
        sub.ns = cp.ns
        sub._n = cp._n
        sub._consts = cp._consts
        name = cp.fresh("_props")
        sub.properties_fn(name, subset)
        self.prop_src.extend(sub.lines)
        self.prop_fns[key] = name
        return name

    def check_props(self, changed: set[int], values: str, uncount: str = "") -> None:
        """Check the new state (`values`: the code of its value tuple) against the affected properties."""
        cp = self.cp
        pf = self.props_for(changed)
        if pf is None:
            return
        if not self.ids:
            cp.emit(f"_r = {pf}({'_c' if self.canon is not None else values})")
            cp.emit("if _r is not None: raise _Stop('inv', (len(_states) - 1, _r[0], _r[1]))")
            return
        # the verdict is a function of the ids of the variables the properties read: many states share
        # those (they differ elsewhere), so it is remembered per id tuple (0: all hold)
        assert self.code.prop_reads is not None  # props_subset built them
        reads = frozenset().union(*(self.code.prop_reads[i] for i, _ in self.code.props_subset(changed)))
        key = f"_t & {self.store.bits(reads)}"
        cp.emit(f"_r = _M{pf}_get({key})")
        self.locals[f"_M{pf}_get"] = f"_M{pf}.get"
        cp.emit(f"if _r is None: _r = _M{pf}[{key}] = {pf}(_DEC(_t)) or 0")
        cp.emit(f"if _r: {uncount}raise _Stop('inv', (len(_states) - 1, _r[0], _r[1]))")
        cp.ns[f"_M{pf}"] = {}

    # ------------------------------------------------------------ packed states (store.Store)
    def unpack(self, ix: int, state: str) -> str:
        """The code of variable ix's id in the packed state `state`."""
        off, mask = self.store.off[ix], self.store.mask[ix]
        return f"{state} & {mask}" if off == 0 else f"{state} >> {off} & {mask}"

    def packed(self, changed: list[int] | set[int], parent: str) -> str:
        """The code of the packed state: `parent` with the ids `_x{ix}` of the changed variables."""
        st = self.store
        keep = st.bits(set(range(self.nv)) - set(changed))
        parts = [f"{parent} & {keep}" if changed else parent]
        parts += [f"_x{ix}" if st.off[ix] == 0 else f"_x{ix} << {st.off[ix]}" for ix in sorted(changed)]
        return " | ".join(parts)

    # ------------------------------------------------------------ one transition
    def visit(self, aid: int, changed: set[int], comps: list[str], args: str, uncount: str = "") -> None:
        """`_t` holds the next state (`comps`: the code of its values): count it, store it if new, check it.
        `uncount`: the transitions were counted beforehand, this statement takes back those after `_t`
        before a stop."""
        cp = self.cp
        if not uncount:
            cp.emit(f"_g{aid} += 1; _en = 1" if self.deadlock else f"_g{aid} += 1")
        if self.edges is not None:
            cp.emit("_j = _seen_get(_t)")
            cp.emit("if _j is None:")
        else:
            cp.emit("if _t not in _seen:")
        cp.indent += 1
        if self.owner is not None:
            # another partition's state: listed for its owner (a negative parent link marks it), not
            # kept in _seen nor checked here; its owner does both (partition.py)
            cp.emit("_o = _OWN_get(_t & _KB)")
            cp.emit("if _o is None: _o = _own_miss(_t)")
            cp.emit("if _o != _ME:")
            cp.emit("    _st_append(_t); _par_append(~_i)")
            cp.emit("else:")
            cp.indent += 1
        if self.store.raw and self.canon is None and changed:
            # intern the rebuilt components: equal components of different states share one object
            cp.emit("_t = (" + "".join(f"_in{ix}({comps[ix]}, {comps[ix]}), " if ix in changed
                                       else f"_s{ix}, " for ix in range(self.nv)) + ")")
        if self.edges is not None:
            cp.emit(f"_j = len(_states); _seen[_t] = _j; _st_append(_t); _par_append(_i); _d{aid} += 1")
        else:
            cp.emit(f"_seen_add(_t); _st_append(_t); _par_append(_i); _d{aid} += 1")
        # only the properties that read a variable the transition may have written: the parent
        # satisfied all of them (under symmetry too: properties are invariant under the group)
        self.check_props(changed, "(" + "".join(c + ", " for c in comps) + ")", uncount)
        if self.max_states is not None:
            cp.emit(f"if len(_states) >= {self.max_states}: {uncount}raise _Stop('limit', _i)")
        cp.indent -= 1 if self.owner is None else 2
        if self.edges is not None:  # inline: a call per transition would cost more than the search
            cp.emit(f"_k = ({aid}, {args}); _l = _lab_get(_k)")
            cp.emit("if _l is None: _l = _new_label(_k)")
            cp.emit("_tg_append(_j); _lb_append(_l)")

    def sink(self, ctx: Ctx, written: list[int] | None) -> None:
        """The end of one path of an action: its next state. `written`: with the successor memo, the
        variables whose ids the memo entry records."""
        cp, nv = self.cp, self.nv
        # variables whose SSA name differs from the parent's may have changed
        changed = [ix for ix in range(nv) if ctx.vars[ix] != f"_s{ix}"]
        values = cp.state_tuple(ctx)
        if self.canon is not None:
            cp.emit(f"_c = _canon({values})")
            cp.emit("_t = _enc(_c)" if not self.store.raw else "_t = _c")
        elif self.store.raw:
            cp.emit(f"_t = {values}")
        else:
            # a state is stored as the tuple of its components' ids: only the components this
            # transition rebuilt are hashed (to find their ids); the others keep the parent's
            for ix in changed:
                v = ctx.vars[ix]
                cp.emit(f"_x{ix} = _G{ix}({v})")
                cp.emit(f"if _x{ix} is None: _x{ix} = _new({ix}, {v})")
            cp.emit(f"_t = {self.packed(changed, '_p')}")
        if written is not None:
            cp.emit(f"_ml.append(_t & {self.store.bits(written)})")
        self.visit(ctx.aid, set(changed), ctx.vars, ctx.args)

    # ------------------------------------------------------------ one action
    def unpack_values(self, ixs: list[int]) -> None:
        """The values of variables ixs of the state being expanded, in `_s{ix}` (an action's code reads
        only the variables it touches, and runs only when its memo has no entry)."""
        if self.ids:
            for ix in ixs:
                self.cp.emit(f"_s{ix} = _V{ix}[{self.unpack(ix, '_p')}]")

    def action(self, aid: int, action: Any) -> None:
        cp, nv = self.cp, self.nv
        written = sorted(ir_walk.vars_written(action.body))
        touched = sorted(ir_walk.vars_touched(action.body))
        cp.cur_site = None  # no model error can come from the lines written here
        if not (self.memo and written):
            self.unpack_values(touched)
            cp.action(aid, action, nv, lambda ctx: self.sink(ctx, None))
            return
        self.locals[f"_M{aid}_get"] = f"_M{aid}.get"
        key = f"_p & {self.store.bits(touched)}"
        # (a table switched off is empty and stays so: its lookups miss)
        cp.emit(f"_mh = _M{aid}_get({key})")
        cp.emit("if _mh:")  # a hit with successors (a hit without any, (), does nothing)
        cp.indent += 1
        # counted at once; the parent's other components, then each remembered successor's written ids
        cp.emit(f"_g{aid} += len(_mh); _en = 1" if self.deadlock else f"_g{aid} += len(_mh)")
        cp.emit(f"_pk = _p & {self.store.bits(set(range(nv)) - set(written))}")
        cp.emit("for _w in _mh:")
        cp.indent += 1
        cp.emit("_t = _pk | _w")
        comps = [f"_V{ix}[{self.unpack(ix, '_t')}]" if ix in written else f"_s{ix}" for ix in range(nv)]
        # a stop is at a new state, the first occurrence of its _w in the list: the rest were not taken
        self.visit(aid, set(written), comps, "()", uncount=f"_g{aid} -= len(_mh) - 1 - _mh.index(_w); ")
        cp.indent -= 2
        cp.emit("elif _mh is None:")  # a miss, or the table is off
        cp.indent += 1
        self.unpack_values(touched)
        cp.emit("_ml = []")
        mark = len(cp.lines)
        cp.action(aid, action, nv, lambda ctx: self.sink(ctx, written))
        cp.cur_site = None
        if len(cp.lines) == mark:
            cp.emit("pass")
        cp.emit(f"if _on{aid}:")
        cp.emit(f"    _M{aid}[{key}] = tuple(_ml)")
        # lookups so far = states expanded (_i): fewer than half hit, the table is not worth its memory
        cp.emit(f"    if not len(_M{aid}) & {MEMO_CHECK} and 2 * len(_M{aid}) > _i + 1:")
        cp.emit(f"        _on{aid} = _ON[{aid}] = False; _M{aid}.clear()")
        cp.indent -= 1
        cp.ns[f"_M{aid}"] = {}

    # ------------------------------------------------------------ the function
    def write(self) -> Compiler:
        cp, nv, store, edges = self.cp, self.nv, self.store, self.edges
        cp.ns["_ONE"] = (0,)
        na = len(self.code.model.actions)
        counts = "(" + "".join(f"_g{a}, " for a in range(na)) + "), (" + "".join(f"_d{a}, " for a in range(na)) + ")"
        cp.emit("def _expand(_states, _lo, _hi, _seen, _parent):")
        cp.indent += 1
        cp.emit(("_seen_get = _seen.get" if edges is not None else "_seen_add = _seen.add")
                + "; _st_append = _states.append; _par_append = _parent.append")
        if edges is not None:
            cp.emit("_lab_get = _LABELS.get; _tg_append = _TARGETS.append; _lb_append = _LABS.append")
        for ix in range(nv):
            cp.emit(f"_G{ix} = _IDS[{ix}].get; _V{ix} = _VALS[{ix}]; _in{ix} = _IDS[{ix}].setdefault")
        if self.owner is not None:  # read per call: the partition sets its key after compiling
            cp.emit("_OWN_get = _OWNER.table.get; _own_miss = _OWNER.miss; _KB = _OWNER.bits; _ME = _OWNER.me")
            cp.ns["_OWNER"] = self.owner
        for a in range(na):
            cp.emit(f"_g{a} = 0; _d{a} = 0; _on{a} = _ON[{a}]")
        bind_at = len(cp.lines)
        cp.emit("pass")  # the memo tables' bound methods, written once they are all known
        cp.emit("_i = _lo")
        cp.emit("try:")
        cp.indent += 1
        cp.emit("while _i < _hi:")
        cp.indent += 1
        if nv and store.raw:
            cp.emit("(" + "".join(f"_s{j}, " for j in range(nv)) + ") = _states[_i]")
        elif not store.raw:
            cp.emit("_p = _states[_i]")
        if self.deadlock:
            cp.emit("_en = 0")
        for aid, action in enumerate(self.code.model.actions):
            self.action(aid, action)
        if self.locals:
            cp.lines[bind_at] = cp.lines[bind_at].replace(
                "pass", "; ".join(f"{k} = {v}" for k, v in self.locals.items()))
        cp.cur_site = None
        if self.deadlock:
            cp.emit("if not _en: raise _Stop('deadlock', _i)")
        if edges is not None:
            cp.emit("_close(_i)")
        cp.emit("_i += 1")
        cp.indent -= 2
        self.code._handler(cp, f"return 'error', (_i, _a, _g, _k, _e), {counts}")
        cp.emit("except _Stop as _x:")
        cp.emit(f"    return _x.args[0], _x.args[1], {counts}")
        # Ctrl-C, --timeout (SIGALRM), out of memory: the caller reports the counts so far
        cp.emit("except BaseException as _x:")
        cp.emit(f"    _x.counts = {counts}")
        cp.emit("    raise")
        cp.emit(f"return 'done', _hi, {counts}")
        cp.indent -= 1
        cp.ns["_ON"] = [True] * na
        if self.canon is not None:
            cp.ns["_canon"] = self.canon
        cp.ns["_IDS"] = store.ids
        cp.ns["_VALS"] = store.vals
        cp.ns["_new"] = store.new
        cp.ns["_enc"] = store.encode
        cp.ns["_DEC"] = store.decode
        if edges is not None:
            cp.ns["_LABELS"] = edges.instance_ids
            cp.ns["_new_label"] = edges.new_label
            cp.ns["_TARGETS"] = edges.target
            cp.ns["_LABS"] = edges.label
            cp.ns["_close"] = edges.close
        # property functions go after _expand (line numbers of _expand must stay as recorded: append)
        cp.lines.extend(self.prop_src)
        cp.line_site.extend([None] * len(self.prop_src))
        return cp
