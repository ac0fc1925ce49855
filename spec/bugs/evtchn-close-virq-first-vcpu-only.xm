/// Bug variant (caught only at evtchn.xm's `bugs2x2`: two vcpus per domain): closing a VIRQ port
/// clears the virq_to_evtchn entry of the domain's first vcpu only, while Xen's evtchn_close walks
/// every vcpu (for_each_vcpu(d1, v): the entry that names the port is cleared). A per-vcpu VIRQ
/// bound on a second vcpu keeps a stale entry naming a freed port, which a later allocation reuses
/// for another binding: a VIRQ then signals the wrong channel. Modelled on the "only the BSP" class of Xen bugs (Xen commit 92666fdd6e,
/// "set coherent MTRR state for all vCPUs: instead of just doing it for the BSP"); with one vcpu per
/// domain it cannot be seen.
/// The one change: evtchn_close_locked's VIRQ loop runs over vcpu 0 of d only.
/// Breaks: evtchn_virq_table_agrees (properties.md D16). Shortest trace: 2 steps at `bugs2x2` (bind
/// a per-vcpu VIRQ on vcpu 1, close its port); at `small` it holds.
model evtchn_close_virq_first_vcpu_only

include "../evtchn.xm"

/// evtchn_close whose VIRQ loop stops after vcpu 0 (the bug).
@ref("xen/common/event_channel.c:evtchn_close")
override proc evtchn_close_locked(d: Dom, p: EvtchnPort) {
    let c = evtchn_chan[d][p]
    if c.state == ECS_PIRQ {
        evtchn_pirq_unbind(d, c.pirq)
    } else if c.state == ECS_VIRQ {
        foreach v: VCpu where dom_of(v) == d && vcpu_id(v) == 0 && evtchn_virq_port[v][c.virq] == p {
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
}
