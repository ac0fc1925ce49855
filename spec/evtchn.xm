/// Event channels: per-domain port tables, interdomain channels, VIRQs and IPIs, and the 2-level
/// delivery ABI (pending and mask bits per port, a pending selector, upcall-pending and upcall-mask
/// per vcpu). Every EVTCHNOP is one action that records Xen's result in `evtchn_result`; a refused
/// operation changes nothing else. Physical interrupts (PIRQ ports) are added by spec/irq.xm, which
/// includes this file; here the PIRQ state exists but no port can reach it.
///
/// Abstractions (each also said where it is used):
/// - EVTCHN_NPORTS ports per domain (port 0 reserved), instead of 1024/4096; all of them are below
///   d->max_evtchns, so "valid" means "below EVTCHN_NPORTS". The toolstack limit max_evtchn_port can
///   still move below ports in use (XSA-338).
/// - One selector word: with so few ports, every port lives in word 0, so the selector is one bool.
/// - Three VIRQs stand for their classes: TIMER (per-vcpu), DOM_EXC (global, one handler domain),
///   ARGO (per-domain). Out-of-range virq numbers are not modelled.
/// - Standalone, a vcpu runs unless it blocked (`evtchn_standin_blocked`, a stand-in for _VPF_blocked),
///   and a guest domain can be killed by a stand-in action; spec/xen.xm replaces both (see
///   docs/model.md, "How the subsystems compose").
/// - Xen-consumed ports (consumer_is_xen), device models (XSM_TARGET via a device model) and
///   XEN_DOMCTL_set_virq_handler are not modelled. The FIFO ABI is spec/evtchn_fifo.xm, which
///   overrides the port-level hooks (evtchn_port_ops_*, evtchn_guest_handle_events, evtchn_port_freed).
model evtchn

include "common.xm"
include "hooks.xm"
include "xsm.xm"

/// Ports per domain, port 0 included (it is reserved). Tiny on purpose.
const EVTCHN_NPORTS: int[2..8] = 3
/// Physical interrupt lines (used by spec/irq.xm; here only the type of a PIRQ port's field).
const NIRQ: int[1..4] = 2

/// Feature switches, so that each instance explores a part of the model exhaustively (every
/// bug variant turns on what it needs in its own instances). All on by default.
/// VIRQs: EVTCHNOP_bind_virq and Xen raising VIRQs.
const EVTCHN_VIRQS: bool = true
/// Masking: the guest's mask bits and upcall mask, EVTCHNOP_unmask and EVTCHNOP_bind_vcpu.
const EVTCHN_MASKING: bool = true
/// Toolstack operations: XEN_DOMCTL_set_max_evtchn, EVTCHNOP_status and EVTCHNOP_reset.
const EVTCHN_ADMIN: bool = true
/// Domain death: the stand-in kill and evtchn_destroy's steps.
const EVTCHN_DEATH: bool = true
/// Blocking: the stand-in SCHEDOP_block (without it no vcpu ever blocks). Turn it on only with
/// EVTCHN_VIRQS: Xen raising VIRQs is what keeps "every vcpu blocked" from being a deadlock.
const EVTCHN_BLOCKING: bool = true
/// IPIs: EVTCHNOP_bind_ipi.
const EVTCHN_IPIS: bool = true
/// Split hypercalls (docs/model.md, "Hypercalls that interleave"): EVTCHNOP_send runs as two steps
/// on its pcpu, taking the sending channel's per-channel lock (evtchn_read_trylock) and reading its
/// binding, then setting the target pending and unlocking, so that calls on other pcpus (close,
/// reset, bind) fall between them. Every operation that changes a channel's binding takes that
/// channel's lock (and the peer's: double_evtchn_lock), i.e. waits while a sender holds it. Off:
/// the send is one atomic step (every instance with one pcpu).
const EVTCHN_RACES: bool = false

/// A port number of one domain's table (evtchn_port_t).
@ref("xen/common/event_channel.c:evtchn_from_port")
sort EvtchnPort = port[EVTCHN_NPORTS]
/// A physical interrupt line; pirq numbers are identity-mapped to lines (see spec/irq.xm).
@ref("xen/arch/x86/irq.c:domain_pirq_to_irq")
sort Irq = irq[NIRQ]
/// A vcpu number inside a domain; the value VPD names a vcpu that does not exist (-ENOENT).
type EvtchnVcpuId = int[0..VPD]

/// Port states (ECS_*), in Xen's numbering order.
@ref("xen/include/xen/sched.h:evtchn")
enum EvtchnState { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_PIRQ, ECS_VIRQ, ECS_IPI }

/// The VIRQs of the model, one per class: TIMER per-vcpu, DOM_EXC global, ARGO per-domain.
@ref("xen/include/public/xen.h:VIRQ_TIMER")
enum EvtchnVirq { VIRQ_TIMER, VIRQ_DOM_EXC, VIRQ_ARGO }

/// Results of the event-channel hypercalls (0 or -errno). ERESTART: a preempted reset that will
/// continue.
enum EvtchnResult { EVTCHN_OK, EVTCHN_EINVAL, EVTCHN_EPERM, EVTCHN_ENOSPC, EVTCHN_EEXIST, EVTCHN_EBUSY,
                    EVTCHN_ESRCH, EVTCHN_ENOENT, EVTCHN_EAGAIN, EVTCHN_ERESTART }

/// Where a pcpu is in a split EVTCHNOP_send (EVTCHN_RACES): idle, or holding the sending channel's
/// lock with its binding read.
@ref("xen/common/event_channel.c:evtchn_send")
enum EvtchnStep { EV_IDLE, EV_SEND_LOCKED }

/// One port (struct evtchn plus its 2-level pending and mask bits in shared_info).
/// remote_dom: UNBOUND: the domain allowed to bind (u.unbound.remote_domid); INTERDOMAIN: the peer.
/// remote_port: INTERDOMAIN only. virq: VIRQ only. pirq: PIRQ only. notify: notify_vcpu_id.
/// Fields that mean nothing in the port's state are kept at their defaults (canonical states).
@ref("xen/include/xen/sched.h:evtchn")
record EvtchnChan { state: EvtchnState, remote_dom: Dom, remote_port: EvtchnPort, virq: EvtchnVirq,
                    pirq: Irq, notify: EvtchnVcpuId, pending: bool, masked: bool }

/// A pcpu's in-progress send and its locals: the sending domain and port (whose lock it holds), the
/// channel's state read under the lock, and the target it names (the peer for INTERDOMAIN, the
/// port itself for IPI; port 0 of dom0 otherwise). Idle: all defaults.
@ref("xen/common/event_channel.c:evtchn_send")
record EvtchnCall { step: EvtchnStep, d: Dom, port: EvtchnPort, kind: EvtchnState, td: Dom, tp: EvtchnPort }

/// A vcpu's event state in vcpu_info: the pending selector (one word here), evtchn_upcall_pending
/// and evtchn_upcall_mask.
@ref("xen/include/public/xen.h:vcpu_info")
record EvtchnVcpu { sel: bool, upcall_pending: bool, upcall_mask: bool }

/// A free port: state FREE, notify vcpu 0, nothing pending (what evtchn_free leaves). The mask bit
/// is guest memory Xen does not clear; the model clears it to keep states canonical.
@ref("xen/common/event_channel.c:evtchn_free")
def evtchn_free_chan(): EvtchnChan = EvtchnChan { state: ECS_FREE, remote_dom: Dom(0),
    remote_port: EvtchnPort(0), virq: VIRQ_TIMER, pirq: Irq(0), notify: 0, pending: false, masked: false }

/// Every domain's port table: port 0 RESERVED, the rest FREE.
@ref("xen/common/event_channel.c:evtchn_init")
@view("channels") var evtchn_chan: Dom -> EvtchnPort -> EvtchnChan =
    [d: Dom -> [p: EvtchnPort -> if ord(p) == 0
        then EvtchnChan { state: ECS_RESERVED, remote_dom: Dom(0), remote_port: EvtchnPort(0),
                          virq: VIRQ_TIMER, pirq: Irq(0), notify: 0, pending: false, masked: false }
        else evtchn_free_chan()]]
/// Each vcpu's selector, upcall-pending and upcall-mask (all clear at start).
@ref("xen/include/public/xen.h:vcpu_info")
var evtchn_vcpu: VCpu -> EvtchnVcpu
/// v->virq_to_evtchn[virq]; port 0 means "not bound". Global and per-domain VIRQs live on vcpu 0.
@ref("xen/include/xen/sched.h:vcpu")
var evtchn_virq_port: VCpu -> EvtchnVirq -> EvtchnPort
/// d->max_evtchn_port, the toolstack's limit for new ports (XEN_DOMCTL_set_max_evtchn).
@ref("xen/common/event_channel.c:evtchn_init")
var evtchn_max_port: Dom -> int[1..EVTCHN_NPORTS - 1] = [d: Dom -> EVTCHN_NPORTS - 1]
/// d->next_evtchn: the next port an EVTCHNOP_reset in progress will close; 0 = no reset running.
@ref("xen/common/event_channel.c:evtchn_reset")
var evtchn_reset_next: Dom -> int[0..EVTCHN_NPORTS]
/// The result of the last event-channel operation (0 or -errno).
var evtchn_result: EvtchnResult
/// Ghost (properties.md D17): an event was raised on a masked port and set a selector or an
/// upcall-pending flag (never, in Xen's 2-level ABI).
var evtchn_raised_masked: bool
/// Each pcpu's in-progress split send (EVTCHN_RACES; always idle otherwise).
@ref("xen/common/event_channel.c:evtchn_send")
var evtchn_call: PCpu -> EvtchnCall
/// Stand-in for the _VPF_blocked pause flag of a vcpu (sched owns the real one; see
/// evtchn_is_blocked, which spec/xen.xm overrides).
@ref("xen/include/xen/sched.h:_VPF_blocked")
var evtchn_standin_blocked: VCpu -> bool
/// Stand-in for d->is_dying, set by the stand-in kill action (spec/xen.xm uses hook_dom_dying).
@ref("xen/include/xen/sched.h:domain")
var evtchn_standin_dying: Dom -> bool

// ---------------------------------------------------------------------------------------------
// Helpers

/// The vcpu with number id of domain d (d->vcpu[id]); id must be below VPD.
def evtchn_vcpu_of(d: Dom, id: int): VCpu = VCpu(ord(d) * VPD + id)
/// virq_is_global: global and per-domain VIRQs are bound on vcpu 0 only.
@ref("xen/common/event_channel.c:virq_is_global")
def evtchn_virq_on_vcpu0(q: EvtchnVirq): bool = q != VIRQ_TIMER
/// A global VIRQ (one handler domain for the whole host).
@ref("xen/common/event_channel.c:get_global_virq_handler")
def evtchn_virq_is_global(q: EvtchnVirq): bool = q == VIRQ_DOM_EXC
/// The handler domain of a global VIRQ: the hardware domain (dom0) unless set_virq_handler moved it
/// (not modelled).
@ref("xen/common/event_channel.c:get_global_virq_handler")
def evtchn_virq_handler(q: EvtchnVirq): Dom = Dom(0)
/// port_is_valid: since the XSA-338 fix it checks only d->valid_evtchns, never the shrinkable
/// max_evtchn_port; every port of the model is below valid_evtchns.
@ref("xen/include/xen/event.h:port_is_valid")
def evtchn_port_is_valid(d: Dom, p: EvtchnPort): bool = ord(p) < EVTCHN_NPORTS
/// Is d dying? The domain model's flag (hook) or the standalone stand-in.
@ref("xen/include/xen/sched.h:domain")
def evtchn_is_dying(d: Dom): bool = hook_dom_dying(d) || evtchn_standin_dying[d]
/// Is v blocked (_VPF_blocked)? Standalone: the stand-in flag; spec/xen.xm overrides this def.
@ref("xen/common/sched/core.c:vcpu_block")
def evtchn_is_blocked(v: VCpu): bool = evtchn_standin_blocked[v]
/// Can v execute guest code (issue hypercalls, run its upcall handler)? Standalone: not blocked.
/// spec/xen.xm overrides this def with "v is running on some pcpu".
def evtchn_vcpu_runs(v: VCpu): bool = !evtchn_is_blocked(v)
/// Can domain d issue a hypercall now: alive and some vcpu of d runs.
def evtchn_dom_active(d: Dom): bool =
    !evtchn_is_dying(d) && (exists v: VCpu :: dom_of(v) == d && evtchn_vcpu_runs(v))
/// local_events_need_delivery: the upcall is pending and not masked.
@ref("xen/include/xen/event.h:local_events_need_delivery")
def evtchn_local_events_need_delivery(v: VCpu): bool =
    evtchn_vcpu[v].upcall_pending && !evtchn_vcpu[v].upcall_mask
/// A port get_free_port may hand out: not port 0, not above max_evtchn_port, FREE.
@ref("xen/common/event_channel.c:get_free_port")
def evtchn_port_allocatable(d: Dom, p: EvtchnPort): bool =
    ord(p) != 0 && ord(p) <= evtchn_max_port[d] && evtchn_chan[d][p].state == ECS_FREE
/// The port get_free_port returns: the lowest allocatable one.
@ref("xen/common/event_channel.c:get_free_port")
def evtchn_lowest_free(d: Dom, p: EvtchnPort): bool =
    evtchn_port_allocatable(d, p) && (forall q: EvtchnPort :: ord(q) < ord(p) => !evtchn_port_allocatable(d, q))
/// get_free_port's error: -EINVAL for a dying domain, -ENOSPC when no port is left below the limit.
@ref("xen/common/event_channel.c:get_free_port")
def evtchn_alloc_error(d: Dom): EvtchnResult =
    if evtchn_is_dying(d) then EVTCHN_EINVAL
    else if (exists p: EvtchnPort :: evtchn_port_allocatable(d, p)) then EVTCHN_OK
    else EVTCHN_ENOSPC
/// The other end of an INTERDOMAIN port.
def evtchn_peer(d: Dom, p: EvtchnPort): EvtchnChan =
    evtchn_chan[evtchn_chan[d][p].remote_dom][evtchn_chan[d][p].remote_port]
/// Is port p of d open (neither FREE nor the reserved port 0)?
def evtchn_open(d: Dom, p: EvtchnPort): bool =
    evtchn_chan[d][p].state != ECS_FREE && evtchn_chan[d][p].state != ECS_RESERVED
/// XSM_TARGET under the dummy policy (the target itself, its device model, or the control domain),
/// as the results below (evtchn_xen_rc_*) state it: the class written out, not read from the table.
@ref("xen/include/xsm/dummy.h:xsm_default_action")
def evtchn_xsm_target(caller: Dom, target: Dom): bool = xsm_default_action(XSM_TARGET, caller, target)
/// Is d paused by the toolstack (controller_pause_count > 0)? Standalone: assume yes, so a
/// privileged caller may reset any domain; spec/xen.xm overrides it with domain.xm's count.
@ref("xen/common/event_channel.c:evtchn_reset")
def evtchn_ctrl_paused(d: Dom): bool = true
/// An idle pcpu's call record (all defaults).
def evtchn_idle_call(): EvtchnCall = EvtchnCall { step: EV_IDLE, d: Dom(0), port: EvtchnPort(0), kind: ECS_FREE,
    td: Dom(0), tp: EvtchnPort(0) }
/// Does pcpu p hold port `port` of d's per-channel lock (chn->lock)? Only a split send holds it
/// across steps; every atomic operation that takes it does so within its one step.
@ref("xen/common/event_channel.c:evtchn_read_trylock")
def evtchn_lock_held(p: PCpu, d: Dom, port: EvtchnPort): bool =
    evtchn_call[p].step == EV_SEND_LOCKED && evtchn_call[p].d == d && evtchn_call[p].port == port
/// Is the per-channel lock of d's port free (an operation that takes it does not wait)?
def evtchn_lock_free(d: Dom, port: EvtchnPort): bool = forall p: PCpu :: !evtchn_lock_held(p, d, port)
/// evtchn_close takes the port's lock and, for an INTERDOMAIN port, the peer's (double_evtchn_lock):
/// can it take them now?
@ref("xen/common/event_channel.c:double_evtchn_lock")
def evtchn_close_lockable(d: Dom, p: EvtchnPort): bool =
    evtchn_lock_free(d, p) &&
    (evtchn_chan[d][p].state == ECS_INTERDOMAIN => evtchn_lock_free(evtchn_chan[d][p].remote_dom, evtchn_chan[d][p].remote_port))
/// No pcpu is in the middle of a send by d (domain_kill's domain_pause waits for d's vcpus to leave
/// Xen, so evtchn_destroy starts after the call completed).
@ref("xen/common/domain.c:domain_pause")
def evtchn_no_inflight(d: Dom): bool = forall p: PCpu :: evtchn_call[p].step == EV_IDLE || evtchn_call[p].d != d

// ---------------------------------------------------------------------------------------------
// Delivery (2-level ABI)

/// vcpu_kick: unblock v if it is blocked (the stand-in flag here; the real vcpu_unblock through
/// hook_vcpu_kick in spec/xen.xm).
@ref("xen/arch/x86/domain.c:vcpu_kick")
proc evtchn_vcpu_kick(v: VCpu) {
    evtchn_standin_blocked[v] := false
    hook_vcpu_kick(v)
}

/// vcpu_mark_events_pending: set upcall-pending; only a newly set flag kicks the vcpu.
@ref("xen/arch/x86/domain.c:vcpu_mark_events_pending")
proc evtchn_mark_events_pending(v: VCpu) {
    if !evtchn_vcpu[v].upcall_pending {
        evtchn_vcpu[v].upcall_pending := true
        evtchn_vcpu_kick(v)
    }
}

/// evtchn_port_set_pending: every path that raises an event on a port comes here. Around the 2-level
/// ABI's own code it keeps the ghost of properties.md D17 ("a masked port never raises an
/// interrupt"): the call on a port whose mask bit is set must leave every vcpu's selector and
/// upcall-pending flag as they were.
@ref("xen/common/event_channel.c:evtchn_port_set_pending")
proc evtchn_set_pending(d: Dom, p: EvtchnPort) {
    let was_masked = evtchn_chan[d][p].masked
    let sel = [v: VCpu -> evtchn_vcpu[v].sel]
    let upc = [v: VCpu -> evtchn_vcpu[v].upcall_pending]
    evtchn_port_ops_set_pending(d, p)
    evtchn_raised_masked := evtchn_raised_masked
        || (was_masked && (exists v: VCpu :: evtchn_vcpu[v].sel != sel[v] || evtchn_vcpu[v].upcall_pending != upc[v]))
}

/// d->evtchn_port_ops->set_pending: the 2-level ABI here; spec/evtchn_fifo.xm overrides it to pick
/// the domain's ABI (likewise evtchn_port_ops_unmask, evtchn_guest_handle_events, evtchn_port_freed).
@ref("xen/common/event_channel.c:evtchn_port_set_pending")
proc evtchn_port_ops_set_pending(d: Dom, p: EvtchnPort) { evtchn_2l_set_pending(d, p) }

/// evtchn_2l_set_pending: test-and-set the pending bit (nothing more if it was set); if the port
/// is unmasked and the selector bit is newly set, mark the notify vcpu's upcall pending.
@ref("xen/common/event_2l.c:evtchn_2l_set_pending")
proc evtchn_2l_set_pending(d: Dom, p: EvtchnPort) {
    let v = evtchn_vcpu_of(d, evtchn_chan[d][p].notify)
    if !evtchn_chan[d][p].pending {
        evtchn_chan[d][p].pending := true
        if !evtchn_chan[d][p].masked && !evtchn_vcpu[v].sel {
            evtchn_vcpu[v].sel := true
            evtchn_mark_events_pending(v)
        }
    }
}

/// d->evtchn_port_ops->unmask (the 2-level ABI here).
@ref("xen/common/event_channel.c:evtchn_unmask")
proc evtchn_port_ops_unmask(d: Dom, p: EvtchnPort) { evtchn_unmask_port(d, p) }

/// evtchn_2l_unmask: clear the mask bit; if it was set and the port is pending, re-raise the
/// selector bit and the upcall (an edge that arrived while masked is not lost).
@ref("xen/common/event_2l.c:evtchn_2l_unmask")
proc evtchn_unmask_port(d: Dom, p: EvtchnPort) {
    let v = evtchn_vcpu_of(d, evtchn_chan[d][p].notify)
    if evtchn_chan[d][p].masked {
        evtchn_chan[d][p].masked := false
        if evtchn_chan[d][p].pending && !evtchn_vcpu[v].sel {
            evtchn_vcpu[v].sel := true
            evtchn_mark_events_pending(v)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Closing a port (shared by EVTCHNOP_close, reset and domain destruction)

/// What closing a PIRQ port does to the physical-interrupt side (pirq_guest_unbind). Standalone:
/// nothing (no PIRQ port exists); spec/irq.xm overrides it.
@ref("xen/arch/x86/irq.c:pirq_guest_unbind")
proc evtchn_pirq_unbind(d: Dom, i: Irq) { }

/// evtchn_close on an open port: PIRQ unbinds the irq; VIRQ clears virq_to_evtchn; INTERDOMAIN
/// leaves the peer UNBOUND, reserved for the closer (both ends must point at each other: Xen's
/// BUG_ONs); then evtchn_free clears the pending bit and resets the notify vcpu.
@ref("xen/common/event_channel.c:evtchn_close")
@ref("xen/common/event_channel.c:double_evtchn_lock")
proc evtchn_close_port(d: Dom, p: EvtchnPort) {
    require evtchn_close_lockable(d, p)
    evtchn_close_locked(d, p)
}

/// evtchn_close's work once the channel locks are held (double_evtchn_lock(chn1, chn2) .. unlock).
@ref("xen/common/event_channel.c:evtchn_close")
proc evtchn_close_locked(d: Dom, p: EvtchnPort) {
    let c = evtchn_chan[d][p]
    if c.state == ECS_PIRQ {
        evtchn_pirq_unbind(d, c.pirq)
    } else if c.state == ECS_VIRQ {
        foreach v: VCpu where dom_of(v) == d && evtchn_virq_port[v][c.virq] == p {
            evtchn_virq_port[v][c.virq] := EvtchnPort(0)
        }
    } else if c.state == ECS_INTERDOMAIN {
        assert evtchn_peer(d, p).state == ECS_INTERDOMAIN && evtchn_peer(d, p).remote_dom == d
            && evtchn_peer(d, p).remote_port == p, "evtchn_close: BUG_ON peer does not point back"
        evtchn_chan[c.remote_dom][c.remote_port].state := ECS_UNBOUND
        evtchn_chan[c.remote_dom][c.remote_port].remote_dom := d
        evtchn_chan[c.remote_dom][c.remote_port].remote_port := EvtchnPort(0)
    }
    evtchn_chan[d][p] := evtchn_free_chan()
    evtchn_port_freed(d, p)
}

/// What the port's ABI keeps beyond the free channel (nothing for the 2-level ABI).
@ref("xen/common/event_channel.c:evtchn_free")
proc evtchn_port_freed(d: Dom, p: EvtchnPort) { }

// ---------------------------------------------------------------------------------------------
// Hypercalls (EVTCHNOP_*)

/// EVTCHNOP_alloc_unbound: caller allocates, in domain dom, a port that domain `remote` may later
/// bind. dom = none stands for a domid that names no domain (-ESRCH); then a free port (-EINVAL
/// dying, -ENOSPC); then XSM_TARGET (-EPERM): Xen takes the port before it asks the policy.
/// The remote domid is not checked to exist in Xen; the model lets it range over real domains.
@ref("xen/common/event_channel.c:evtchn_alloc_unbound")
action evtchn_alloc_unbound(caller: Dom, dom: Dom?, remote: Dom) {
    require evtchn_dom_active(caller)
    let xen_rc = evtchn_xen_rc_alloc_unbound(caller, dom)
    if dom == none {
        evtchn_result := EVTCHN_ESRCH
    } else if evtchn_alloc_error(get(dom)) != EVTCHN_OK {
        evtchn_result := evtchn_alloc_error(get(dom))
    } else if !xsm_allows(XSMOP_EVTCHN_UNBOUND, caller, get(dom)) { // xsm_evtchn_unbound
        evtchn_result := EVTCHN_EPERM
    } else {
        let d = get(dom)
        xsm_granted(XSMOP_EVTCHN_UNBOUND, caller, d)
        choose p: EvtchnPort where evtchn_lowest_free(d, p) {
            evtchn_chan[d][p].state := ECS_UNBOUND
            evtchn_chan[d][p].remote_dom := remote
            evtchn_result := EVTCHN_OK
        }
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// The checks of EVTCHNOP_bind_interdomain, in Xen's order: a free local port (-EINVAL dying,
/// -ENOSPC), a valid remote port (-EINVAL), remote UNBOUND (-EINVAL), reserved for the caller
/// (remote_domid == caller, -EINVAL).
@ref("xen/common/event_channel.c:evtchn_bind_interdomain")
proc evtchn_bind_interdomain_check(ld: Dom, rd: Dom, rp: EvtchnPort) {
    if evtchn_alloc_error(ld) != EVTCHN_OK {
        evtchn_result := evtchn_alloc_error(ld)
    } else if !evtchn_port_is_valid(rd, rp) {
        evtchn_result := EVTCHN_EINVAL
    } else if evtchn_chan[rd][rp].state != ECS_UNBOUND {
        evtchn_result := EVTCHN_EINVAL
    } else if evtchn_chan[rd][rp].remote_dom != ld {
        evtchn_result := EVTCHN_EINVAL
    } else {
        evtchn_result := EVTCHN_OK
    }
}

/// EVTCHNOP_bind_interdomain: ld connects a new local port to port rp of domain rdom (none: an
/// unknown domid, -ESRCH). Both ends become INTERDOMAIN, pointing at each other, and the local end
/// is set pending. Step property (properties.md D13): success only on an UNBOUND remote port
/// reserved for the caller.
@ref("xen/common/event_channel.c:evtchn_bind_interdomain")
action evtchn_bind_interdomain(ld: Dom, rdom: Dom?, rp: EvtchnPort) {
    require evtchn_dom_active(ld)
    let xen_rc = evtchn_xen_rc_bind_interdomain(ld, rdom, rp)
    if rdom == none {
        evtchn_result := EVTCHN_ESRCH
    } else {
        let rd = get(rdom)
        let before = evtchn_chan[rd][rp]
        evtchn_bind_interdomain_check(ld, rd, rp)
        if evtchn_result == EVTCHN_OK {
            require evtchn_lock_free(rd, rp)
            assert before.state == ECS_UNBOUND && before.remote_dom == ld,
                "evtchn_bind_reserved: bound a remote port that was not UNBOUND and reserved for the caller"
            choose lp: EvtchnPort where evtchn_lowest_free(ld, lp) {
                evtchn_chan[ld][lp].state := ECS_INTERDOMAIN
                evtchn_chan[ld][lp].remote_dom := rd
                evtchn_chan[ld][lp].remote_port := rp
                evtchn_chan[rd][rp].state := ECS_INTERDOMAIN
                evtchn_chan[rd][rp].remote_dom := ld
                evtchn_chan[rd][rp].remote_port := lp
                evtchn_set_pending(ld, lp)
            }
        }
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// The checks of EVTCHNOP_bind_virq: a global or per-domain VIRQ only on vcpu 0 (-EINVAL), an
/// existing vcpu (-ENOENT), a global VIRQ only by its handler domain (-EBUSY), not yet bound on
/// that vcpu (-EEXIST), a free port (-EINVAL dying, -ENOSPC).
@ref("xen/common/event_channel.c:evtchn_bind_virq")
proc evtchn_bind_virq_check(d: Dom, q: EvtchnVirq, id: EvtchnVcpuId) {
    if evtchn_virq_on_vcpu0(q) && id != 0 {
        evtchn_result := EVTCHN_EINVAL
    } else if id >= VPD {
        evtchn_result := EVTCHN_ENOENT
    } else if evtchn_virq_is_global(q) && evtchn_virq_handler(q) != d {
        evtchn_result := EVTCHN_EBUSY
    } else if ord(evtchn_virq_port[evtchn_vcpu_of(d, id)][q]) != 0 {
        evtchn_result := EVTCHN_EEXIST
    } else {
        evtchn_result := evtchn_alloc_error(d)
    }
}

/// EVTCHNOP_bind_virq: bind VIRQ q of vcpu id to a new port whose notify vcpu is that vcpu, and
/// record it in virq_to_evtchn.
@ref("xen/common/event_channel.c:evtchn_bind_virq")
action evtchn_bind_virq(d: Dom, q: EvtchnVirq, id: EvtchnVcpuId) {
    require EVTCHN_VIRQS
    require evtchn_dom_active(d)
    let xen_rc = evtchn_xen_rc_bind_virq(d, q, id)
    evtchn_bind_virq_check(d, q, id)
    if evtchn_result == EVTCHN_OK {
        choose p: EvtchnPort where evtchn_lowest_free(d, p) {
            evtchn_chan[d][p].state := ECS_VIRQ
            evtchn_chan[d][p].virq := q
            evtchn_chan[d][p].notify := id
            evtchn_virq_port[evtchn_vcpu_of(d, id)][q] := p
        }
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// EVTCHNOP_bind_ipi: a port for signalling vcpu id of the caller's own domain (-ENOENT, -ENOSPC).
@ref("xen/common/event_channel.c:evtchn_bind_ipi")
action evtchn_bind_ipi(d: Dom, id: EvtchnVcpuId) {
    require EVTCHN_IPIS
    require evtchn_dom_active(d)
    let xen_rc = evtchn_xen_rc_bind_ipi(d, id)
    if id >= VPD {
        evtchn_result := EVTCHN_ENOENT
    } else if evtchn_alloc_error(d) != EVTCHN_OK {
        evtchn_result := evtchn_alloc_error(d)
    } else {
        choose p: EvtchnPort where evtchn_lowest_free(d, p) {
            evtchn_chan[d][p].state := ECS_IPI
            evtchn_chan[d][p].notify := id
            evtchn_result := EVTCHN_OK
        }
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// EVTCHNOP_close by the owning domain: -EINVAL for an invalid, FREE or RESERVED port. Step
/// property (D13): closing an INTERDOMAIN end leaves the peer UNBOUND, reserved for the closer.
@ref("xen/common/event_channel.c:evtchn_close")
action evtchn_close(d: Dom, p: EvtchnPort) {
    require evtchn_dom_active(d)
    let xen_rc = evtchn_xen_rc_close(d, p)
    let before = evtchn_chan[d][p]
    if !evtchn_port_is_valid(d, p) || !evtchn_open(d, p) {
        evtchn_result := EVTCHN_EINVAL
    } else {
        evtchn_close_port(d, p)
        evtchn_result := EVTCHN_OK
        if before.state == ECS_INTERDOMAIN {
            assert evtchn_chan[before.remote_dom][before.remote_port].state == ECS_UNBOUND
                && evtchn_chan[before.remote_dom][before.remote_port].remote_dom == d,
                "evtchn_close_peer_unbound: the peer of a closed interdomain port is not UNBOUND for the closer"
        }
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// The effect of EVTCHNOP_send on an open port: INTERDOMAIN sets the peer port pending (at the
/// peer's notify vcpu), IPI sets the port itself pending, UNBOUND drops the event silently.
/// Returns -EINVAL for VIRQ and PIRQ ports (and for invalid or free ports).
@ref("xen/common/event_channel.c:evtchn_send")
proc evtchn_do_send(d: Dom, p: EvtchnPort) {
    let c = evtchn_chan[d][p]
    if !evtchn_port_is_valid(d, p) {
        evtchn_result := EVTCHN_EINVAL
    } else if c.state == ECS_INTERDOMAIN {
        evtchn_set_pending(c.remote_dom, c.remote_port)
        evtchn_result := EVTCHN_OK
    } else if c.state == ECS_IPI {
        evtchn_set_pending(d, p)
        evtchn_result := EVTCHN_OK
    } else if c.state == ECS_UNBOUND {
        evtchn_result := EVTCHN_OK
    } else {
        evtchn_result := EVTCHN_EINVAL
    }
}

/// EVTCHNOP_send. Step property (D14, noninterference): the only pending bit that may change is
/// the one of the bound target port (the peer for INTERDOMAIN, the port itself for IPI), and only
/// the target domain's vcpus may see their selector or upcall flag change.
@ref("xen/common/event_channel.c:evtchn_send")
@view("send") action evtchn_send(d: Dom, p: EvtchnPort) {
    require !EVTCHN_RACES && evtchn_dom_active(d)
    let c = evtchn_chan[d][p]
    let td = if c.state == ECS_INTERDOMAIN then c.remote_dom else d
    let tp = if c.state == ECS_INTERDOMAIN then c.remote_port else p
    let pend = [e: Dom -> [q: EvtchnPort -> evtchn_chan[e][q].pending]]
    let sel = [v: VCpu -> evtchn_vcpu[v].sel]
    let upc = [v: VCpu -> evtchn_vcpu[v].upcall_pending]
    let xen_rc = evtchn_xen_rc_send(d, p)
    evtchn_do_send(d, p)
    assert forall e: Dom, q: EvtchnPort :: (e != td || q != tp) => evtchn_chan[e][q].pending == pend[e][q],
        "evtchn_send_only_peer: send changed a pending bit other than the bound target port's"
    assert forall v: VCpu :: dom_of(v) != td => (evtchn_vcpu[v].sel == sel[v] && evtchn_vcpu[v].upcall_pending == upc[v]),
        "evtchn_send_only_peer: send changed the event state of a domain other than the target"
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

// Split form of EVTCHNOP_send (EVTCHN_RACES), step by step as Xen takes it on one pcpu.

/// Send, step 1 (evtchn_send up to the switch): an invalid port is -EINVAL at once; else take the
/// channel's lock (evtchn_read_trylock(lchn); the model waits rather than dropping the event while a
/// writer holds it, and a writer's whole critical section is one step) and read its state and, for
/// INTERDOMAIN, u.interdomain.remote_dom / remote_port. A port in any state but INTERDOMAIN, IPI and
/// UNBOUND is -EINVAL within the same critical section (the switch's default), so the lock is held
/// across steps only on an open, sendable port. K41: a refusal is Xen's result for the state read;
/// a call that goes on to deliver (and return 0) is one Xen lets through (the binding cannot change
/// while the lock is held: evtchn_locked_binding_stable).
@ref("xen/common/event_channel.c:evtchn_send")
@ref("xen/common/event_channel.c:evtchn_read_trylock")
action evtchn_send_lock(cpu: PCpu, d: Dom, p: EvtchnPort) {
    let xen_rc = evtchn_xen_rc_send(d, p)
    require EVTCHN_RACES && evtchn_dom_active(d) && evtchn_call[cpu].step == EV_IDLE
    if !evtchn_port_is_valid(d, p) {
        evtchn_result := EVTCHN_EINVAL
    } else if !(evtchn_chan[d][p].state == ECS_INTERDOMAIN || evtchn_chan[d][p].state == ECS_IPI
                || evtchn_chan[d][p].state == ECS_UNBOUND) {
        require evtchn_lock_free(d, p)
        evtchn_result := EVTCHN_EINVAL
    } else {
        require evtchn_lock_free(d, p)
        let c = evtchn_chan[d][p]
        evtchn_call[cpu] := EvtchnCall { step: EV_SEND_LOCKED, d: d, port: p, kind: c.state,
            td: if c.state == ECS_INTERDOMAIN then c.remote_dom else if c.state == ECS_IPI then d else Dom(0),
            tp: if c.state == ECS_INTERDOMAIN then c.remote_port else if c.state == ECS_IPI then p else EvtchnPort(0) }
    }
    assert if evtchn_call[cpu].step == EV_SEND_LOCKED then xen_rc == EVTCHN_OK else evtchn_result == xen_rc,
        "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// Send, step 2 (the switch on the state read, then evtchn_read_unlock(lchn)): INTERDOMAIN and IPI
/// set the target port pending (evtchn_port_set_pending at the target's current notify vcpu),
/// UNBOUND drops the event. Step property (D14): only the target's
/// pending bit, and only the target domain's vcpus' flags, may change.
@ref("xen/common/event_channel.c:evtchn_send")
@ref("xen/common/event_channel.c:evtchn_port_set_pending")
action evtchn_send_deliver(cpu: PCpu) {
    require evtchn_call[cpu].step == EV_SEND_LOCKED
    let c = evtchn_call[cpu]
    let pend = [e: Dom -> [q: EvtchnPort -> evtchn_chan[e][q].pending]]
    let sel = [v: VCpu -> evtchn_vcpu[v].sel]
    let upc = [v: VCpu -> evtchn_vcpu[v].upcall_pending]
    evtchn_call[cpu] := evtchn_idle_call()
    if c.kind == ECS_INTERDOMAIN || c.kind == ECS_IPI {
        evtchn_set_pending(c.td, c.tp)
    }
    evtchn_result := EVTCHN_OK
    assert forall e: Dom, q: EvtchnPort :: (e != c.td || q != c.tp) => evtchn_chan[e][q].pending == pend[e][q],
        "evtchn_send_only_peer: send changed a pending bit other than the bound target port's"
    assert forall v: VCpu :: dom_of(v) != c.td => (evtchn_vcpu[v].sel == sel[v] && evtchn_vcpu[v].upcall_pending == upc[v]),
        "evtchn_send_only_peer: send changed the event state of a domain other than the target"
}

/// EVTCHNOP_status: read a port's state (domain dom, none = unknown: -ESRCH; invalid port: -EINVAL;
/// then XSM_TARGET: -EPERM, in Xen's order). Only the result is recorded.
@ref("xen/common/event_channel.c:evtchn_status")
action evtchn_status(caller: Dom, dom: Dom?, p: EvtchnPort) {
    require EVTCHN_ADMIN
    require evtchn_dom_active(caller)
    let xen_rc = evtchn_xen_rc_status(caller, dom, p)
    if dom == none {
        evtchn_result := EVTCHN_ESRCH
    } else if !evtchn_port_is_valid(get(dom), p) {
        evtchn_result := EVTCHN_EINVAL
    } else if !xsm_allows(XSMOP_EVTCHN_STATUS, caller, get(dom)) { // xsm_evtchn_status
        evtchn_result := EVTCHN_EPERM
    } else {
        xsm_granted(XSMOP_EVTCHN_STATUS, caller, get(dom))
        evtchn_result := EVTCHN_OK
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// EVTCHNOP_bind_vcpu: change the notify vcpu of a global or per-domain VIRQ, UNBOUND,
/// INTERDOMAIN or PIRQ port (-ENOENT no such vcpu; -EINVAL for IPI, per-vcpu VIRQ, FREE, RESERVED).
@ref("xen/common/event_channel.c:evtchn_bind_vcpu")
action evtchn_bind_vcpu(d: Dom, p: EvtchnPort, id: EvtchnVcpuId) {
    require EVTCHN_MASKING
    require evtchn_dom_active(d)
    let xen_rc = evtchn_xen_rc_bind_vcpu(d, p, id)
    let c = evtchn_chan[d][p]
    if id >= VPD {
        evtchn_result := EVTCHN_ENOENT
    } else if !evtchn_port_is_valid(d, p) {
        evtchn_result := EVTCHN_EINVAL
    } else if (c.state == ECS_VIRQ && evtchn_virq_on_vcpu0(c.virq)) || c.state == ECS_UNBOUND
              || c.state == ECS_INTERDOMAIN || c.state == ECS_PIRQ {
        require evtchn_lock_free(d, p)
        evtchn_chan[d][p].notify := id
        evtchn_result := EVTCHN_OK
    } else {
        evtchn_result := EVTCHN_EINVAL
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// EVTCHNOP_unmask: clear the mask bit and re-deliver a pending event (-EINVAL invalid port).
@ref("xen/common/event_channel.c:evtchn_unmask")
action evtchn_unmask(d: Dom, p: EvtchnPort) {
    require EVTCHN_MASKING
    require evtchn_dom_active(d)
    let xen_rc = evtchn_xen_rc_unmask(d, p)
    if !evtchn_port_is_valid(d, p) {
        evtchn_result := EVTCHN_EINVAL
    } else {
        evtchn_port_ops_unmask(d, p)
        evtchn_result := EVTCHN_OK
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// The end of a reset (all ports visited): clear next_evtchn; -EAGAIN if any port is open again
/// (a bind raced with the reset: the XSA-343 fix), else success.
@ref("xen/common/event_channel.c:evtchn_reset")
proc evtchn_reset_finish(d: Dom) {
    evtchn_reset_next[d] := 0
    if exists p: EvtchnPort :: evtchn_open(d, p) {
        evtchn_result := EVTCHN_EAGAIN
    } else {
        evtchn_result := EVTCHN_OK
    }
}

/// One bounded step of a reset: close the port at next_evtchn and move on (Xen checks for
/// preemption every 64 ports; the model may be preempted after every port: -ERESTART), or finish.
@ref("xen/common/event_channel.c:evtchn_reset")
proc evtchn_reset_step(d: Dom) {
    let i = evtchn_reset_next[d]
    if i < EVTCHN_NPORTS {
        if evtchn_open(d, EvtchnPort(i)) {
            evtchn_close_port(d, EvtchnPort(i))
        }
        evtchn_reset_next[d] := i + 1
        evtchn_result := EVTCHN_ERESTART
    } else {
        evtchn_reset_finish(d)
    }
}

/// EVTCHNOP_reset (first call): XSM_TARGET (-EPERM); another domain may be reset only while the
/// toolstack keeps it paused (-EINVAL); -EBUSY if a reset of d is already running. Starts at port 1
/// and does the first step. Step property (XSA-343): a reset that reports success leaves no port
/// open.
@ref("xen/common/event_channel.c:evtchn_reset")
action evtchn_reset(caller: Dom, d: Dom) {
    require EVTCHN_ADMIN
    require evtchn_dom_active(caller)
    let xen_rc = evtchn_xen_rc_reset(caller, d)
    if !xsm_allows(XSMOP_EVTCHN_RESET, caller, d) { // xsm_evtchn_reset
        evtchn_result := EVTCHN_EPERM
    } else if caller != d && !evtchn_ctrl_paused(d) {
        evtchn_result := EVTCHN_EINVAL
    } else if evtchn_reset_next[d] != 0 {
        evtchn_result := EVTCHN_EBUSY
    } else {
        xsm_granted(XSMOP_EVTCHN_RESET, caller, d)
        evtchn_reset_next[d] := 1
        evtchn_reset_step(d)
        assert evtchn_result != EVTCHN_OK || !(exists p: EvtchnPort :: evtchn_open(d, p)),
            "evtchn_reset_complete: reset reported success with ports still open"
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// The continuation of a preempted EVTCHNOP_reset (resuming = true: start at next_evtchn).
@ref("xen/common/event_channel.c:evtchn_reset")
action evtchn_reset_continue(d: Dom) {
    require EVTCHN_ADMIN
    require evtchn_reset_next[d] != 0 && !evtchn_is_dying(d)
    let xen_rc = evtchn_xen_rc_reset_from(d, evtchn_reset_next[d])
    evtchn_reset_step(d)
    assert evtchn_result != EVTCHN_OK || !(exists p: EvtchnPort :: evtchn_open(d, p)),
        "evtchn_reset_complete: reset reported success with ports still open"
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

/// XEN_DOMCTL_set_max_evtchn: the control domain sets d's limit for new ports; it may go below
/// ports already in use (those stay valid: XSA-338).
@ref("xen/common/domctl.c:do_domctl")
action evtchn_set_max_port(caller: Dom, d: Dom, m: int[1..EVTCHN_NPORTS - 1]) {
    require EVTCHN_ADMIN
    require evtchn_dom_active(caller) && evtchn_max_port[d] != m
    let xen_rc = evtchn_xen_rc_set_max_port(caller)
    if !xsm_allows(XSMOP_DOMCTL, caller, d) { // do_domctl: xsm_domctl
        evtchn_result := EVTCHN_EPERM
    } else {
        xsm_granted(XSMOP_DOMCTL, caller, d)
        evtchn_max_port[d] := m
        evtchn_result := EVTCHN_OK
    }
    assert evtchn_result == xen_rc, "evtchn_xen_result: the result is not the one Xen returns in that state"
}

// ---------------------------------------------------------------------------------------------
// Xen raising VIRQs

/// A per-vcpu VIRQ fires (the vcpu's timer): set its port pending if bound, else nothing.
@ref("xen/common/event_channel.c:send_guest_vcpu_virq")
@view("send") action evtchn_send_vcpu_virq(v: VCpu) {
    require EVTCHN_VIRQS
    let p = evtchn_virq_port[v][VIRQ_TIMER]
    if ord(p) != 0 {
        evtchn_set_pending(dom_of(v), p)
    }
}

/// Send a global VIRQ to its handler domain (bound on the handler's vcpu 0; delivered to the
/// port's notify vcpu). Also the target of hook_domain_shutdown_done in spec/xen.xm.
@ref("xen/common/event_channel.c:send_guest_global_virq")
proc evtchn_send_global_virq(q: EvtchnVirq) {
    let d = evtchn_virq_handler(q)
    let p = evtchn_virq_port[evtchn_vcpu_of(d, 0)][q]
    if ord(p) != 0 {
        evtchn_set_pending(d, p)
    }
}

/// A global VIRQ fires (a domain finished shutting down: VIRQ_DOM_EXC to the handler domain).
@ref("xen/common/event_channel.c:send_guest_global_virq")
@view("send") action evtchn_send_dom_exc() {
    require EVTCHN_VIRQS
    evtchn_send_global_virq(VIRQ_DOM_EXC)
}

/// A per-domain VIRQ fires for d (VIRQ_ARGO): bound on vcpu 0, delivered to the notify vcpu.
@ref("xen/common/event_channel.c:send_guest_domain_virq")
@view("send") action evtchn_send_domain_virq(d: Dom) {
    require EVTCHN_VIRQS
    let p = evtchn_virq_port[evtchn_vcpu_of(d, 0)][VIRQ_ARGO]
    if ord(p) != 0 {
        evtchn_set_pending(d, p)
    }
}

// ---------------------------------------------------------------------------------------------
// The guest side (shared memory, no hypercall)

/// The guest's upcall handler on v: clear upcall-pending and the selector, then handle (clear the
/// pending bit of) every unmasked pending port of its domain (one selector word covers them all).
@ref("xen/include/public/xen.h:vcpu_info")
action evtchn_guest_upcall(v: VCpu) {
    require evtchn_vcpu_runs(v) && !evtchn_is_dying(dom_of(v))
    require evtchn_local_events_need_delivery(v)
    evtchn_guest_handle_events(v)
}

/// The 2-level handler's work (the ABI's part of the upcall).
@ref("xen/include/public/xen.h:vcpu_info")
proc evtchn_guest_handle_events(v: VCpu) {
    evtchn_vcpu[v].upcall_pending := false
    evtchn_vcpu[v].sel := false
    foreach p: EvtchnPort where evtchn_chan[dom_of(v)][p].pending && !evtchn_chan[dom_of(v)][p].masked {
        evtchn_chan[dom_of(v)][p].pending := false
    }
}

/// The guest masks an open port by setting its mask bit in shared_info.
@ref("xen/include/public/xen.h:shared_info")
action evtchn_guest_mask(d: Dom, p: EvtchnPort) {
    require EVTCHN_MASKING
    require evtchn_dom_active(d) && evtchn_open(d, p) && !evtchn_chan[d][p].masked
    evtchn_chan[d][p].masked := true
}

/// The guest disables or enables event delivery on v (evtchn_upcall_mask, the PV "cli"/"sti").
@ref("xen/include/public/xen.h:vcpu_info")
action evtchn_guest_upcall_mask(v: VCpu, m: bool) {
    require EVTCHN_MASKING
    require evtchn_vcpu_runs(v) && !evtchn_is_dying(dom_of(v)) && evtchn_vcpu[v].upcall_mask != m
    evtchn_vcpu[v].upcall_mask := m
}

// ---------------------------------------------------------------------------------------------
// Stand-ins for part 1 (blocking, domain death); spec/xen.xm disables these actions.

/// vcpu_block's re-check: after setting the blocked flag, look for pending events again and clear
/// the flag if there are any (this closes the lost-wake-up window).
@ref("xen/common/sched/core.c:vcpu_block")
proc evtchn_block_recheck(v: VCpu) {
    if evtchn_local_events_need_delivery(v) {
        evtchn_standin_blocked[v] := false
    }
}

/// Stand-in for SCHEDOP_block: enable event delivery (local_event_delivery_enable), set
/// _VPF_blocked, then re-check for pending events.
@ref("xen/common/sched/core.c:vcpu_block_enable_events")
action evtchn_vcpu_block(v: VCpu) {
    require EVTCHN_BLOCKING
    require evtchn_vcpu_runs(v) && !evtchn_is_dying(dom_of(v))
    evtchn_vcpu[v].upcall_mask := false
    evtchn_standin_blocked[v] := true
    evtchn_block_recheck(v)
}

/// Stand-in for domain_kill of a guest: d becomes dying (monotone); an unfinished reset is dropped.
@ref("xen/common/domain.c:domain_kill")
action evtchn_standin_domain_kill(d: Dom) {
    require EVTCHN_DEATH
    require !is_privileged(d) && !evtchn_standin_dying[d]
    evtchn_standin_dying[d] := true
    evtchn_reset_next[d] := 0
}

/// One preemptible step of evtchn_destroy: close the highest open port of a dying domain (Xen
/// walks the table top-down and checks for preemption every 64 ports; XSA-344).
@ref("xen/common/event_channel.c:evtchn_destroy")
proc evtchn_destroy_one(d: Dom) {
    choose p: EvtchnPort where evtchn_no_inflight(d) && evtchn_open(d, p)
            && (forall q: EvtchnPort :: ord(q) > ord(p) => !evtchn_open(d, q)) {
        evtchn_close_port(d, p)
    }
}

/// Have all of d's ports been closed (only the reserved port 0 left)?
@ref("xen/common/event_channel.c:evtchn_destroy")
def evtchn_all_closed(d: Dom): bool = evtchn_no_inflight(d) && (forall p: EvtchnPort :: !evtchn_open(d, p))

/// Domain destruction, one port per step (standalone driver of evtchn_destroy_one).
@ref("xen/common/event_channel.c:evtchn_destroy")
action evtchn_destroy_step(d: Dom) {
    require EVTCHN_DEATH
    require evtchn_is_dying(d) && !evtchn_all_closed(d)
    evtchn_destroy_one(d)
}

// ---------------------------------------------------------------------------------------------
// Invariants (properties.md group D)

/// D15: port 0 of every domain is RESERVED, and no other port ever is.
@ref("xen/common/event_channel.c:evtchn_init")
invariant evtchn_port0_reserved: forall d: Dom, p: EvtchnPort ::
    (evtchn_chan[d][p].state == ECS_RESERVED) == (ord(p) == 0)

/// D15: every port in use is valid (a valid port never becomes invalid while in use: XSA-338).
@ref("xen/include/xen/event.h:port_is_valid")
invariant evtchn_inuse_ports_valid: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state != ECS_FREE => evtchn_port_is_valid(d, p)

/// D12: interdomain channels are symmetric: d.p -> (e, q) iff e.q -> (d, p).
@ref("xen/common/event_channel.c:evtchn_bind_interdomain")
invariant evtchn_interdomain_symmetric: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state == ECS_INTERDOMAIN =>
        (evtchn_peer(d, p).state == ECS_INTERDOMAIN && evtchn_peer(d, p).remote_dom == d
         && evtchn_peer(d, p).remote_port == p)

/// D16: virq_to_evtchn agrees with the port table: an entry names a VIRQ port of that virq,
/// notifying that vcpu (per-vcpu VIRQs) or held on vcpu 0 (global and per-domain VIRQs).
@ref("xen/common/event_channel.c:evtchn_bind_virq")
invariant evtchn_virq_table_agrees: forall v: VCpu, q: EvtchnVirq ::
    ord(evtchn_virq_port[v][q]) != 0 =>
        (evtchn_chan[dom_of(v)][evtchn_virq_port[v][q]].state == ECS_VIRQ
         && evtchn_chan[dom_of(v)][evtchn_virq_port[v][q]].virq == q
         && (evtchn_virq_on_vcpu0(q) => vcpu_id(v) == 0)
         && (!evtchn_virq_on_vcpu0(q) => evtchn_chan[dom_of(v)][evtchn_virq_port[v][q]].notify == vcpu_id(v)))

/// D16: every VIRQ port is the one recorded in virq_to_evtchn, so there is one port per
/// (vcpu, virq).
@ref("xen/common/event_channel.c:evtchn_close")
invariant evtchn_virq_port_registered: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state == ECS_VIRQ =>
        evtchn_virq_port[evtchn_vcpu_of(d, if evtchn_virq_on_vcpu0(evtchn_chan[d][p].virq) then 0
                                            else evtchn_chan[d][p].notify)][evtchn_chan[d][p].virq] == p

/// D16: a global VIRQ is bound only in its handler domain, so in at most one domain.
@ref("xen/common/event_channel.c:get_global_virq_handler")
invariant evtchn_global_virq_owner: forall d: Dom, p: EvtchnPort ::
    (evtchn_chan[d][p].state == ECS_VIRQ && evtchn_virq_is_global(evtchn_chan[d][p].virq))
        => d == evtchn_virq_handler(evtchn_chan[d][p].virq)

/// Every port's notify vcpu exists.
@ref("xen/common/event_channel.c:evtchn_bind_vcpu")
invariant evtchn_notify_exists: forall d: Dom, p: EvtchnPort :: evtchn_chan[d][p].notify < VPD

/// Delivery: an unmasked pending port is seen by its domain: some vcpu of the domain has its
/// selector bit set (so an unmask that forgets to re-raise breaks this).
@ref("xen/common/event_2l.c:evtchn_2l_unmask")
invariant evtchn_pending_reaches_upcall: forall d: Dom, p: EvtchnPort ::
    (evtchn_chan[d][p].pending && !evtchn_chan[d][p].masked) =>
        (exists v: VCpu :: dom_of(v) == d && evtchn_vcpu[v].sel)

/// D17 (ports): a masked port never raises an interrupt: setting it pending (evtchn_2l_set_pending) sets no
/// selector bit and no upcall-pending flag; only the unmask re-raises it (evtchn_2l_unmask).
@ref("xen/common/event_2l.c:evtchn_2l_set_pending")
invariant evtchn_masked_never_raises: !evtchn_raised_masked

/// Delivery: a set selector bit always comes with upcall-pending.
@ref("xen/common/event_2l.c:evtchn_2l_set_pending")
invariant evtchn_sel_raises_upcall: forall v: VCpu :: evtchn_vcpu[v].sel => evtchn_vcpu[v].upcall_pending

/// D18: no lost wake-up: a blocked vcpu never has an unmasked pending upcall (the event that set
/// it would have kicked the vcpu, or vcpu_block's re-check saw it).
@ref("xen/common/sched/core.c:vcpu_block")
invariant evtchn_no_lost_wakeup: forall v: VCpu ::
    evtchn_is_blocked(v) => !evtchn_local_events_need_delivery(v)

/// A free port carries nothing: not pending, not masked, notify vcpu 0 (evtchn_free).
@ref("xen/common/event_channel.c:evtchn_free")
invariant evtchn_free_is_clear: forall d: Dom, p: EvtchnPort ::
    evtchn_chan[d][p].state == ECS_FREE => evtchn_chan[d][p] == evtchn_free_chan()

/// Lock discipline (EVTCHN_RACES): a per-channel lock has at most one holder; an idle pcpu's record
/// is all defaults.
@ref("xen/common/event_channel.c:evtchn_read_trylock")
invariant evtchn_lock_one_holder: forall d: Dom, port: EvtchnPort, p: PCpu, q: PCpu ::
    (p != q => !(evtchn_lock_held(p, d, port) && evtchn_lock_held(q, d, port))) &&
    (evtchn_call[p].step == EV_IDLE => evtchn_call[p] == evtchn_idle_call())

/// Races (EVTCHN_RACES): the channel a sender holds locked keeps the binding the sender read (its
/// state, and for INTERDOMAIN its peer): every change of a binding takes the channel's lock, so the
/// target the send will signal is still bound to it (the XSA-343 class breaks this).
@ref("xen/common/event_channel.c:evtchn_send")
invariant evtchn_locked_binding_stable: forall p: PCpu :: evtchn_call[p].step == EV_SEND_LOCKED =>
    evtchn_chan[evtchn_call[p].d][evtchn_call[p].port].state == evtchn_call[p].kind &&
    (evtchn_call[p].kind == ECS_INTERDOMAIN =>
        evtchn_chan[evtchn_call[p].d][evtchn_call[p].port].remote_dom == evtchn_call[p].td &&
        evtchn_chan[evtchn_call[p].d][evtchn_call[p].port].remote_port == evtchn_call[p].tp)

/// races: two pcpus, senders split, next to interdomain binding, close and the toolstack's reset;
/// one usable port per domain (see docs/model.md for the measured states).
instance races { NDOM = 2, VPD = 2, NPCPU = 2, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = false,
                 EVTCHN_MASKING = false, EVTCHN_BLOCKING = false, EVTCHN_IPIS = false, EVTCHN_RACES = true }

// ---------------------------------------------------------------------------------------------
// Liveness (properties.md D19)

/// Xen injects the event upcall on every return to a guest vcpu whose upcall is pending and not
/// masked (xen/arch/x86/x86_64/entry.S, test_all_events: evtchn_upcall_pending and
/// evtchn_upcall_mask, then the bounce frame to the guest's event callback), and the guest's
/// handler then runs: strongly fair per vcpu, because in the composed model the vcpu runs only while
/// it is scheduled, so the upcall is possible again and again rather than all the time.
fairness strong evtchn_guest_upcall

/// The event on port p of d waits for delivery with nothing in the way: pending, the port unmasked,
/// the domain alive, and no vcpu of d that has the event's selector bit set has events disabled (a
/// guest that keeps events masked, by port or by upcall mask, gets nothing: that is its choice).
def evtchn_deliverable(d: Dom, p: EvtchnPort): bool =
    evtchn_chan[d][p].pending && !evtchn_chan[d][p].masked && !evtchn_is_dying(d)
    && !(exists v: VCpu :: dom_of(v) == d && evtchn_vcpu[v].sel && evtchn_vcpu[v].upcall_mask)

/// D19: a pending, unmasked event is eventually delivered: it never stays deliverable forever (the
/// guest's upcall handler clears its pending bit, or the guest masks it). What makes it true: the
/// selector and upcall flags raised by set_pending and by unmask (evtchn_pending_reaches_upcall,
/// evtchn_sel_raises_upcall, the safety half), the kick that unblocks the vcpu (no lost wake-up), and
/// the upcall injected on the way back to the guest.
@ref("xen/common/event_2l.c:evtchn_2l_set_pending")
@ref("xen/common/event_2l.c:evtchn_2l_unmask")
temporal evtchn_event_delivered: forall d: Dom, p: EvtchnPort ::
    evtchn_deliverable(d, p) ~> !evtchn_deliverable(d, p)

// ---------------------------------------------------------------------------------------------
// Xen's results (properties.md J39): what each EVTCHNOP returns in Xen for the state it is called in,
// written from Xen's source in Xen's order of checks, independently of the checks above. Each action
// takes `xen_rc` before it runs and asserts `evtchn_xen_result` after, so a check done in the wrong
// order, or not at all, returns something else and is caught.

/// EVTCHNOP_alloc_unbound: -ESRCH for an unknown domid (rcu_lock_domain_by_any_id); then the port:
/// get_free_port's -EINVAL (dying) or -ENOSPC; only then XSM_TARGET (-EPERM): Xen allocates before
/// it asks the policy, so an unprivileged caller learns -ENOSPC of a full table.
@ref("xen/common/event_channel.c:evtchn_alloc_unbound")
def evtchn_xen_rc_alloc_unbound(caller: Dom, dom: Dom?): EvtchnResult =
    if dom == none then EVTCHN_ESRCH
    else if evtchn_alloc_error(get(dom)) != EVTCHN_OK then evtchn_alloc_error(get(dom))
    else if !evtchn_xsm_target(caller, get(dom)) then EVTCHN_EPERM
    else EVTCHN_OK

/// EVTCHNOP_bind_interdomain: -ESRCH (rcu_lock_domain_by_id), get_free_port(ld), port_is_valid(rd,
/// rport) (-EINVAL), the remote port UNBOUND and reserved for ld (-EINVAL).
@ref("xen/common/event_channel.c:evtchn_bind_interdomain")
def evtchn_xen_rc_bind_interdomain(ld: Dom, rdom: Dom?, rp: EvtchnPort): EvtchnResult =
    if rdom == none then EVTCHN_ESRCH
    else if evtchn_alloc_error(ld) != EVTCHN_OK then evtchn_alloc_error(ld)
    else if !evtchn_port_is_valid(get(rdom), rp) then EVTCHN_EINVAL
    else if evtchn_chan[get(rdom)][rp].state != ECS_UNBOUND || evtchn_chan[get(rdom)][rp].remote_dom != ld
        then EVTCHN_EINVAL
    else EVTCHN_OK

/// EVTCHNOP_bind_virq: a non-per-vcpu VIRQ on a vcpu other than 0 (-EINVAL), no such vcpu
/// (domain_vcpu: -ENOENT), a global VIRQ by another than its handler (-EBUSY), already bound on that
/// vcpu (virq_to_evtchn: -EEXIST), then get_free_port.
@ref("xen/common/event_channel.c:evtchn_bind_virq")
def evtchn_xen_rc_bind_virq(d: Dom, q: EvtchnVirq, id: EvtchnVcpuId): EvtchnResult =
    if q != VIRQ_TIMER && id != 0 then EVTCHN_EINVAL
    else if id >= VPD then EVTCHN_ENOENT
    else if q == VIRQ_DOM_EXC && d != evtchn_virq_handler(q) then EVTCHN_EBUSY
    else if ord(evtchn_virq_port[VCpu(ord(d) * VPD + id)][q]) != 0 then EVTCHN_EEXIST
    else evtchn_alloc_error(d)

/// EVTCHNOP_bind_ipi: no such vcpu (-ENOENT), then get_free_port.
@ref("xen/common/event_channel.c:evtchn_bind_ipi")
def evtchn_xen_rc_bind_ipi(d: Dom, id: EvtchnVcpuId): EvtchnResult =
    if id >= VPD then EVTCHN_ENOENT else evtchn_alloc_error(d)

/// EVTCHNOP_close: an invalid port, or one FREE or RESERVED, is -EINVAL (evtchn_close's switch).
@ref("xen/common/event_channel.c:evtchn_close")
def evtchn_xen_rc_close(d: Dom, p: EvtchnPort): EvtchnResult =
    if !evtchn_port_is_valid(d, p) then EVTCHN_EINVAL
    else if evtchn_chan[d][p].state == ECS_FREE || evtchn_chan[d][p].state == ECS_RESERVED then EVTCHN_EINVAL
    else EVTCHN_OK

/// EVTCHNOP_send: -EINVAL for an invalid port; INTERDOMAIN, IPI and UNBOUND (dropped) succeed;
/// every other state (VIRQ, PIRQ, FREE, RESERVED) is -EINVAL (evtchn_send's default case).
@ref("xen/common/event_channel.c:evtchn_send")
def evtchn_xen_rc_send(d: Dom, p: EvtchnPort): EvtchnResult =
    if !evtchn_port_is_valid(d, p) then EVTCHN_EINVAL
    else if evtchn_chan[d][p].state == ECS_INTERDOMAIN || evtchn_chan[d][p].state == ECS_IPI
        || evtchn_chan[d][p].state == ECS_UNBOUND then EVTCHN_OK
    else EVTCHN_EINVAL

/// EVTCHNOP_status: -ESRCH, then port_is_valid (-EINVAL), then XSM_TARGET on the channel (-EPERM).
@ref("xen/common/event_channel.c:evtchn_status")
def evtchn_xen_rc_status(caller: Dom, dom: Dom?, p: EvtchnPort): EvtchnResult =
    if dom == none then EVTCHN_ESRCH
    else if !evtchn_port_is_valid(get(dom), p) then EVTCHN_EINVAL
    else if !evtchn_xsm_target(caller, get(dom)) then EVTCHN_EPERM
    else EVTCHN_OK

/// EVTCHNOP_bind_vcpu: no such vcpu (-ENOENT), an invalid port (-EINVAL); a global or per-domain
/// VIRQ, UNBOUND, INTERDOMAIN or PIRQ port is rebound; every other state is -EINVAL.
@ref("xen/common/event_channel.c:evtchn_bind_vcpu")
def evtchn_xen_rc_bind_vcpu(d: Dom, p: EvtchnPort, id: EvtchnVcpuId): EvtchnResult =
    if id >= VPD then EVTCHN_ENOENT
    else if !evtchn_port_is_valid(d, p) then EVTCHN_EINVAL
    else if (evtchn_chan[d][p].state == ECS_VIRQ && evtchn_chan[d][p].virq != VIRQ_TIMER)
        || evtchn_chan[d][p].state == ECS_UNBOUND || evtchn_chan[d][p].state == ECS_INTERDOMAIN
        || evtchn_chan[d][p].state == ECS_PIRQ then EVTCHN_OK
    else EVTCHN_EINVAL

/// EVTCHNOP_unmask: -EINVAL for an invalid port, else 0.
@ref("xen/common/event_channel.c:evtchn_unmask")
def evtchn_xen_rc_unmask(d: Dom, p: EvtchnPort): EvtchnResult =
    if !evtchn_port_is_valid(d, p) then EVTCHN_EINVAL else EVTCHN_OK

/// One pass of evtchn_reset's loop from port i: -ERESTART while ports are left (the model is
/// preempted after every port), then -EAGAIN if a port is open again, else 0.
@ref("xen/common/event_channel.c:evtchn_reset")
def evtchn_xen_rc_reset_from(d: Dom, i: int): EvtchnResult =
    if i < EVTCHN_NPORTS then EVTCHN_ERESTART
    else if (exists p: EvtchnPort :: evtchn_open(d, p)) then EVTCHN_EAGAIN
    else EVTCHN_OK

/// EVTCHNOP_reset: XSM_TARGET (do_event_channel_op: -EPERM), another domain not paused by the
/// toolstack (-EINVAL), a reset already running (next_evtchn set: -EBUSY), then the loop from port 1.
@ref("xen/common/event_channel.c:evtchn_reset")
def evtchn_xen_rc_reset(caller: Dom, d: Dom): EvtchnResult =
    if !evtchn_xsm_target(caller, d) then EVTCHN_EPERM
    else if caller != d && !evtchn_ctrl_paused(d) then EVTCHN_EINVAL
    else if evtchn_reset_next[d] != 0 then EVTCHN_EBUSY
    else evtchn_xen_rc_reset_from(d, 1)

/// XEN_DOMCTL_set_max_evtchn: a domctl, so the caller must be the control domain (-EPERM).
@ref("xen/common/domctl.c:do_domctl")
def evtchn_xen_rc_set_max_port(caller: Dom): EvtchnResult =
    if !is_privileged(caller) then EVTCHN_EPERM else EVTCHN_OK

// ---------------------------------------------------------------------------------------------
// Instances (state counts and times: docs/model.md and tests/test_spec.py)

/// Exhaustive core: 2 domains, 1 vcpu each, one usable port each (port 1); interdomain channels
/// VIRQs, IPIs, delivery, blocking, domain death; no masking, no toolstack ops.
/// Explicit: 7,949 states, depth 9 (holds; 8,989 before alloc_unbound took Xen's order of checks).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1,
                 EVTCHN_MASKING = false, EVTCHN_ADMIN = false }
/// Chosen for bugs, not for speed: `small` with two vcpus per domain, so a VIRQ or an IPI is bound to
/// a vcpu other than the first and every per-vcpu loop (the VIRQ table, the upcall flags, the kick)
/// runs over two. No sort is symmetric (no symmetry reduction). Explicit, deadlock on: 126,321 states,
/// depth 15, about 16 s (holds); evtchn-close-virq-first-vcpu-only is caught here only.
instance bugs2x2 { NDOM = 2, VPD = 2, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1,
                   EVTCHN_MASKING = false, EVTCHN_ADMIN = false }
/// Everything on, two usable ports per domain (BMC / simulation; too large for the explicit engine).
instance default { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 1 }
/// 3 domains with 2 vcpus each, three usable ports (benchmarks).
instance large { NDOM = 3, VPD = 2, NPCPU = 1, EVTCHN_NPORTS = 4, NIRQ = 1 }
/// Coverage (tests/test_spec_coverage.py), with `small`: the toolstack operations with two usable
/// ports (set_max_evtchn can move); masking with domain death; every feature switch off.
instance cover_admin { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 1, EVTCHN_ADMIN = true,
                       EVTCHN_MASKING = false, EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_DEATH = false,
                       EVTCHN_BLOCKING = false }
instance cover_mask { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_ADMIN = false,
                      EVTCHN_MASKING = true, EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_DEATH = true,
                      EVTCHN_BLOCKING = false }
instance cover_off { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_ADMIN = false,
                     EVTCHN_MASKING = false, EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_DEATH = false,
                     EVTCHN_BLOCKING = false }
