"""A small event-channel port table in Python: the EVTCHNOP operations and their error codes.

Written from the structure of Xen's xen/common/event_channel.c (function names in the docstrings),
as an implementation a test suite might want to check: it knows nothing about the model. Each
hypercall returns 0 or -errno, like do_event_channel_op; allocating calls also return the port (the
OUT field of the argument struct).

Simplifications (the same as the model's, examples/evtchn_model.xm): a fixed number of ports per
domain, the control domain is domain 0, no dying domains, no VIRQ/PIRQ binding, one pending bit per
port (2-level ABI without the selector and mask words), no DOMID_SELF.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

EPERM, ENOENT, ESRCH, EINVAL, ENOSPC = 1, 2, 3, 22, 28


class State(enum.IntEnum):
    """ECS_* in xen/include/xen/sched.h."""
    ECS_FREE = 0
    ECS_RESERVED = 1
    ECS_UNBOUND = 2
    ECS_INTERDOMAIN = 3
    ECS_PIRQ = 4
    ECS_VIRQ = 5
    ECS_IPI = 6


@dataclass
class Evtchn:
    """struct evtchn, reduced: state, the remote end, notify_vcpu_id, and the port's pending bit."""
    state: State = State.ECS_FREE
    remote_domid: int = 0   # UNBOUND: who may bind; INTERDOMAIN: the peer domain
    remote_port: int = 0    # INTERDOMAIN: the peer port
    notify_vcpu_id: int = 0
    pending: bool = False

    def free(self) -> None:
        """evtchn_free: back to FREE, notify vcpu 0, pending cleared (so a re-bind starts clean)."""
        self.state = State.ECS_FREE
        self.remote_domid = 0
        self.remote_port = 0
        self.notify_vcpu_id = 0
        self.pending = False


@dataclass
class Domain:
    domain_id: int
    max_vcpus: int
    ports: list[Evtchn] = field(default_factory=list)
    is_privileged: bool = False


class EventChannels:
    """The hypervisor side: every domain's port table."""

    def __init__(self, ndomains: int = 2, nports: int = 4, vcpus: int = 2) -> None:
        self.domains: dict[int, Domain] = {}
        for domid in range(ndomains):
            d = Domain(domid, vcpus, [Evtchn() for _ in range(nports)], is_privileged=(domid == 0))
            d.ports[0].state = State.ECS_RESERVED  # evtchn_init: port 0 is never handed out
            self.domains[domid] = d

    # ---- helpers (names as in event_channel.c)
    def get_free_port(self, d: Domain) -> int:
        """The lowest FREE port, or -ENOSPC."""
        for port, chn in enumerate(d.ports):
            if chn.state == State.ECS_FREE:
                return port
        return -ENOSPC

    def port_is_valid(self, d: Domain, port: int) -> bool:
        return 0 <= port < len(d.ports)

    def set_pending(self, d: Domain, port: int) -> None:
        """evtchn_port_set_pending (2-level ABI reduced to the pending bit)."""
        d.ports[port].pending = True

    # ---- hypercalls: each returns 0 or -errno (and the port where Xen writes one back)
    def alloc_unbound(self, caller: int, dom: int, remote_dom: int) -> tuple[int, int | None]:
        """evtchn_alloc_unbound."""
        d = self.domains.get(dom)
        if d is None:
            return -ESRCH, None
        if dom != caller and not self.domains[caller].is_privileged:  # xsm_evtchn_unbound, XSM_TARGET
            return -EPERM, None
        port = self.get_free_port(d)
        if port < 0:
            return port, None
        chn = d.ports[port]
        chn.state = State.ECS_UNBOUND
        chn.remote_domid = remote_dom
        return 0, port

    def bind_interdomain(self, caller: int, remote_dom: int, remote_port: int) -> tuple[int, int | None]:
        """evtchn_bind_interdomain."""
        ld = self.domains[caller]
        rd = self.domains.get(remote_dom)
        if rd is None:
            return -ESRCH, None
        lport = self.get_free_port(ld)
        if lport < 0:
            return lport, None
        if not self.port_is_valid(rd, remote_port):
            return -EINVAL, None
        rchn = rd.ports[remote_port]
        if rchn.state != State.ECS_UNBOUND or rchn.remote_domid != caller:
            return -EINVAL, None
        lchn = ld.ports[lport]
        lchn.state = State.ECS_INTERDOMAIN
        lchn.remote_domid, lchn.remote_port = remote_dom, remote_port
        rchn.state = State.ECS_INTERDOMAIN
        rchn.remote_domid, rchn.remote_port = caller, lport
        # The local end is set pending: the guest may have missed a send while it was unbound.
        self.set_pending(ld, lport)
        return 0, lport

    def bind_ipi(self, caller: int, vcpu: int) -> tuple[int, int | None]:
        """evtchn_bind_ipi."""
        d = self.domains[caller]
        if not 0 <= vcpu < d.max_vcpus:  # domain_vcpu(d, vcpu) == NULL
            return -ENOENT, None
        port = self.get_free_port(d)
        if port < 0:
            return port, None
        chn = d.ports[port]
        chn.state = State.ECS_IPI
        chn.notify_vcpu_id = vcpu
        return 0, port

    def close(self, caller: int, port: int) -> int:
        """evtchn_close."""
        d = self.domains[caller]
        if not self.port_is_valid(d, port):
            return -EINVAL
        chn = d.ports[port]
        if chn.state in (State.ECS_FREE, State.ECS_RESERVED):
            return -EINVAL
        if chn.state == State.ECS_INTERDOMAIN:
            self.close_interdomain_peer(d, chn)
        chn.free()
        return 0

    def close_interdomain_peer(self, d: Domain, chn: Evtchn) -> None:
        """The peer end becomes UNBOUND, bindable again by the domain that closed."""
        rchn = self.domains[chn.remote_domid].ports[chn.remote_port]
        rchn.state = State.ECS_UNBOUND
        rchn.remote_domid = d.domain_id
        rchn.remote_port = 0

    def send(self, caller: int, port: int) -> int:
        """evtchn_send."""
        d = self.domains[caller]
        if not self.port_is_valid(d, port):
            return -EINVAL
        chn = d.ports[port]
        if chn.state == State.ECS_INTERDOMAIN:
            self.set_pending(self.domains[chn.remote_domid], chn.remote_port)
        elif chn.state == State.ECS_IPI:
            self.set_pending(d, port)
        elif chn.state == State.ECS_UNBOUND:
            pass  # silently dropped
        else:
            return -EINVAL
        return 0

    def bind_vcpu(self, caller: int, port: int, vcpu: int) -> int:
        """evtchn_bind_vcpu."""
        d = self.domains[caller]
        if not 0 <= vcpu < d.max_vcpus:
            return -ENOENT
        if not self.port_is_valid(d, port):
            return -EINVAL
        chn = d.ports[port]
        if chn.state not in (State.ECS_UNBOUND, State.ECS_INTERDOMAIN):
            return -EINVAL
        chn.notify_vcpu_id = vcpu
        return 0

    # ---- the guest side of the 2-level ABI
    def guest_clear_pending(self, domid: int, port: int) -> None:
        """The guest clears a pending bit in its shared_info page (not a hypercall)."""
        self.domains[domid].ports[port].pending = False
