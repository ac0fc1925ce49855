"""The worked conformance example: evtchn_impl.EventChannels tested against evtchn_model.xm.

    python examples/evtchn_conformance.py            # the honest implementation: passes
    python examples/evtchn_conformance.py --broken   # evtchn_broken: fails with a readable report

The adapter below is all the glue a conformance test needs: how to build the implementation, one
method per model action, the abstraction function from the implementation to the model's
variables, and how its return values map to the model's `rc` variable. See docs/testing.md.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from evtchn_impl import EINVAL, ENOENT, ENOSPC, EPERM, ESRCH, EventChannels  # noqa: E402

from checkers.testing import Adapter, ConformanceReport, check_conformance, load  # noqa: E402
from xenmodel import ir  # noqa: E402

MODEL = os.path.join(HERE, "evtchn_model.xm")

RC_NAMES = {0: "RC_OK", -EPERM: "RC_EPERM", -ENOENT: "RC_ENOENT", -ESRCH: "RC_ESRCH",
            -EINVAL: "RC_EINVAL", -ENOSPC: "RC_ENOSPC"}


class EvtchnAdapter(Adapter):
    """Maps evtchn_model.xm's actions to EventChannels' hypercalls."""

    def __init__(self, model: ir.Model, impl_class: type[EventChannels] = EventChannels) -> None:
        consts = dict(model.consts)
        self.nd, self.nport, self.vpd = consts["ND"], consts["NPORT"], consts["VPD"]
        self.impl_class = impl_class

    def make(self) -> EventChannels:
        return self.impl_class(self.nd, self.nport, self.vpd)

    # one method per action; arguments arrive by name, sorts as indexes, ints as ints
    def alloc_unbound(self, impl: EventChannels, caller: int, dom: int, remote: int) -> int:
        return impl.alloc_unbound(caller, dom, remote)[0]

    def bind_interdomain(self, impl: EventChannels, caller: int, rdom: int, rport: int) -> int:
        return impl.bind_interdomain(caller, rdom, rport)[0]

    def bind_ipi(self, impl: EventChannels, caller: int, vcpu: int) -> int:
        return impl.bind_ipi(caller, vcpu)[0]

    def close(self, impl: EventChannels, caller: int, port: int) -> int:
        return impl.close(caller, port)

    def send(self, impl: EventChannels, caller: int, port: int) -> int:
        return impl.send(caller, port)

    def bind_vcpu(self, impl: EventChannels, caller: int, port: int, vcpu: int) -> int:
        return impl.bind_vcpu(caller, port, vcpu)

    def guest_clear(self, impl: EventChannels, d: int, p: int) -> None:
        return impl.guest_clear_pending(d, p)

    # the abstraction function: the implementation's state as the model's variables
    def abstract(self, impl: EventChannels) -> dict[str, Any]:
        return {"chan": {
            domid: {port: {"state": chn.state.name, "remote_dom": chn.remote_domid,
                           "remote_port": chn.remote_port, "notify": chn.notify_vcpu_id,
                           "pending": chn.pending}
                    for port, chn in enumerate(d.ports)}
            for domid, d in impl.domains.items()}}

    # error codes are results here, not refusals: every call must return what the model's `rc` says
    def returned(self, action: str, args: dict[str, Any], ret: Any) -> dict[str, Any]:
        if action == "guest_clear":
            return {}
        return {"rc": RC_NAMES.get(ret, f"unexpected return value {ret!r}")}


def run(broken: bool = False, instance: str | None = None, **kw: Any) -> ConformanceReport:
    model = load(MODEL, instance=instance)
    impl_class = EventChannels
    if broken:
        from evtchn_broken import BrokenEventChannels
        impl_class = BrokenEventChannels
    return check_conformance(model, EvtchnAdapter(model, impl_class), **kw)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--broken", action="store_true", help="test the broken variant")
    ap.add_argument("--instance", default=None)
    ap.add_argument("--max-examples", type=int, default=200)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    report = run(a.broken, a.instance, max_examples=a.max_examples, steps=a.steps, seed=a.seed)
    print(report.text())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
