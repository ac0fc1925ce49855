/// The event-channel port table of a few domains and the EVTCHNOP operations on it, as the oracle
/// for the Python implementation in evtchn_impl.py (the worked conformance example; see
/// docs/testing.md). Written from Xen's
/// xen/common/event_channel.c and xen/include/xen/sched.h. Every operation is total: it records Xen's return value in `rc`
/// and, when that is not 0, changes nothing else, so the conformance test checks error codes too.
///
/// Abstractions: NPORT ports per domain (port 0 reserved), all below the ABI limit; the control
/// domain is dom0 (privileged); no domain is dying; VIRQ and PIRQ ports exist as states but no
/// operation here creates them; the 2-level ABI is reduced to one pending bit per port, which the
/// guest clears by writing shared memory (`guest_clear`); DOMID_SELF is not modelled.
model evtchn_example

/// Domains (domain ids 0..ND-1; dom0 is the control domain).
const ND: int[1..3] = 2
/// Ports per domain, port 0 included (it is reserved).
const NPORT: int[2..6] = 4
/// Vcpus per domain.
@view("vcpus_per_domain") const VPD: int[1..3] = 2

@view("domain") sort Dom = dom[ND]
sort Port = port[NPORT]
/// A domain id as a guest passes it: ND stands for an id no domain has (-ESRCH).
type DomId = int[0..ND]
/// A port number as a guest passes it: NPORT stands for a port beyond the table (-EINVAL).
type PortNo = int[0..NPORT]
/// A vcpu id as a guest passes it: VPD stands for a vcpu the domain does not have (-ENOENT).
type VcpuId = int[0..VPD]

/// Port states (ECS_*), in Xen's order.
@ref("xen/include/xen/sched.h:evtchn")
enum EState { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_PIRQ, ECS_VIRQ, ECS_IPI }

/// Return values of the operations: 0 or -errno.
enum Rc { RC_OK, RC_EPERM, RC_ENOENT, RC_ESRCH, RC_EINVAL, RC_ENOSPC }

/// One port. remote_dom: UNBOUND: the domain allowed to bind (u.unbound.remote_domid, not checked
/// to exist); INTERDOMAIN: the peer domain. remote_port: INTERDOMAIN only. notify: notify_vcpu_id.
/// Fields without meaning in the port's state are 0 (canonical states).
@ref("xen/include/xen/sched.h:evtchn")
record Chan { state: EState, remote_dom: DomId, remote_port: int[0..NPORT - 1],
              notify: int[0..VPD - 1], pending: bool }

def free_chan(): Chan = Chan { state: ECS_FREE, remote_dom: 0, remote_port: 0, notify: 0, pending: false }

/// Every domain's port table: port 0 RESERVED, the rest FREE.
@ref("xen/common/event_channel.c:evtchn_init")
var chan: Dom -> Port -> Chan =
    [d: Dom -> [p: Port -> if ord(p) == 0
        then Chan { state: ECS_RESERVED, remote_dom: 0, remote_port: 0, notify: 0, pending: false }
        else free_chan()]]
/// The return value of the last operation.
var rc: Rc

/// The control domain (XSM dummy policy: privileged).
def privileged(d: Dom): bool = ord(d) == 0
/// get_free_port: the lowest FREE port (port 0 is RESERVED, so never handed out).
@ref("xen/common/event_channel.c:get_free_port")
def has_free(d: Dom): bool = exists p: Port :: chan[d][p].state == ECS_FREE
def is_lowest_free(d: Dom, p: Port): bool =
    chan[d][p].state == ECS_FREE && (forall q: Port :: ord(q) < ord(p) => chan[d][q].state != ECS_FREE)

/// EVTCHNOP_alloc_unbound: a new UNBOUND port in `dom` that `remote` may bind to.
@ref("xen/common/event_channel.c:evtchn_alloc_unbound")
action alloc_unbound(caller: Dom, dom: DomId, remote: DomId) {
    if dom == ND {
        rc := RC_ESRCH
    } else if Dom(dom) != caller && !privileged(caller) {
        rc := RC_EPERM
    } else if !has_free(Dom(dom)) {
        rc := RC_ENOSPC
    } else {
        choose p: Port where is_lowest_free(Dom(dom), p) {
            chan[Dom(dom)][p] := Chan { state: ECS_UNBOUND, remote_dom: remote, remote_port: 0, notify: 0,
                                        pending: false }
        }
        rc := RC_OK
    }
}

/// EVTCHNOP_bind_interdomain: connect a new local port to rdom's UNBOUND port rport, which must
/// name the caller as its remote; both ends become INTERDOMAIN and the local end is set pending.
/// Order of checks as in Xen: unknown domain, then the local port, then the remote port.
@ref("xen/common/event_channel.c:evtchn_bind_interdomain")
action bind_interdomain(caller: Dom, rdom: DomId, rport: PortNo) {
    if rdom == ND {
        rc := RC_ESRCH
    } else if !has_free(caller) {
        rc := RC_ENOSPC
    } else if rport == NPORT {
        rc := RC_EINVAL
    } else if chan[Dom(rdom)][Port(rport)].state != ECS_UNBOUND
              || chan[Dom(rdom)][Port(rport)].remote_dom != ord(caller) {
        rc := RC_EINVAL
    } else {
        choose lp: Port where is_lowest_free(caller, lp) {
            chan[caller][lp] := Chan { state: ECS_INTERDOMAIN, remote_dom: rdom, remote_port: rport,
                                       notify: 0, pending: true }
            chan[Dom(rdom)][Port(rport)].state := ECS_INTERDOMAIN
            chan[Dom(rdom)][Port(rport)].remote_dom := ord(caller)
            chan[Dom(rdom)][Port(rport)].remote_port := ord(lp)
        }
        rc := RC_OK
    }
}

/// EVTCHNOP_bind_ipi: a new IPI port notifying one of the caller's vcpus.
@ref("xen/common/event_channel.c:evtchn_bind_ipi")
action bind_ipi(caller: Dom, vcpu: VcpuId) {
    if vcpu == VPD {
        rc := RC_ENOENT
    } else if !has_free(caller) {
        rc := RC_ENOSPC
    } else {
        choose p: Port where is_lowest_free(caller, p) {
            chan[caller][p] := Chan { state: ECS_IPI, remote_dom: 0, remote_port: 0, notify: vcpu,
                                      pending: false }
        }
        rc := RC_OK
    }
}

/// EVTCHNOP_close: free a port; the peer of an INTERDOMAIN port becomes UNBOUND, bindable again by
/// the closer. A freed port is FREE with notify vcpu 0 and nothing pending (evtchn_free).
@ref("xen/common/event_channel.c:evtchn_close")
action close(caller: Dom, port: PortNo) {
    if port == NPORT {
        rc := RC_EINVAL
    } else if chan[caller][Port(port)].state == ECS_FREE || chan[caller][Port(port)].state == ECS_RESERVED {
        rc := RC_EINVAL
    } else {
        let c = chan[caller][Port(port)]
        if c.state == ECS_INTERDOMAIN {
            chan[Dom(c.remote_dom)][Port(c.remote_port)].state := ECS_UNBOUND
            chan[Dom(c.remote_dom)][Port(c.remote_port)].remote_dom := ord(caller)
            chan[Dom(c.remote_dom)][Port(c.remote_port)].remote_port := 0
        }
        chan[caller][Port(port)] := free_chan()
        rc := RC_OK
    }
}

/// EVTCHNOP_send: INTERDOMAIN sets the peer port pending, IPI the port itself; on an UNBOUND port
/// the event is dropped and the call succeeds; any other state is -EINVAL.
@ref("xen/common/event_channel.c:evtchn_send")
@view("send") action send(caller: Dom, port: PortNo) {
    if port == NPORT {
        rc := RC_EINVAL
    } else {
        let c = chan[caller][Port(port)]
        if c.state == ECS_INTERDOMAIN {
            chan[Dom(c.remote_dom)][Port(c.remote_port)].pending := true
            rc := RC_OK
        } else if c.state == ECS_IPI {
            chan[caller][Port(port)].pending := true
            rc := RC_OK
        } else if c.state == ECS_UNBOUND {
            rc := RC_OK
        } else {
            rc := RC_EINVAL
        }
    }
}

/// EVTCHNOP_bind_vcpu: change the vcpu an UNBOUND or INTERDOMAIN port notifies (IPI ports are fixed).
@ref("xen/common/event_channel.c:evtchn_bind_vcpu")
action bind_vcpu(caller: Dom, port: PortNo, vcpu: VcpuId) {
    if vcpu == VPD {
        rc := RC_ENOENT
    } else if port == NPORT {
        rc := RC_EINVAL
    } else if chan[caller][Port(port)].state == ECS_UNBOUND
              || chan[caller][Port(port)].state == ECS_INTERDOMAIN {
        chan[caller][Port(port)].notify := vcpu
        rc := RC_OK
    } else {
        rc := RC_EINVAL
    }
}

/// The guest clears a port's pending bit in shared memory (no hypercall: `rc` is unchanged).
@ref("xen/include/public/xen.h:shared_info")
action guest_clear(d: Dom, p: Port) {
    chan[d][p].pending := false
}

/// Port 0 is reserved in every domain, and no other port is.
invariant port0_reserved: forall d: Dom, p: Port :: (chan[d][p].state == ECS_RESERVED) == (ord(p) == 0)
/// An INTERDOMAIN port's peer is an INTERDOMAIN port pointing back at it.
invariant interdomain_symmetric: forall d: Dom, p: Port :: chan[d][p].state == ECS_INTERDOMAIN =>
    chan[d][p].remote_dom < ND
    && chan[Dom(chan[d][p].remote_dom)][Port(chan[d][p].remote_port)].state == ECS_INTERDOMAIN
    && chan[Dom(chan[d][p].remote_dom)][Port(chan[d][p].remote_port)].remote_dom == ord(d)
    && chan[Dom(chan[d][p].remote_dom)][Port(chan[d][p].remote_port)].remote_port == ord(p)
/// A FREE port is in its canonical state (nothing pending, vcpu 0).
invariant free_is_clean: forall d: Dom, p: Port :: chan[d][p].state == ECS_FREE => chan[d][p] == free_chan()

instance small { ND = 2, NPORT = 3, VPD = 1 }
instance default { ND = 2, NPORT = 4, VPD = 2 }
