/// Bug: closing one end of an interdomain channel forgets the peer. Modelled on the bug class the
/// BUG_ONs of evtchn_close guard against (a stale peer pointing at a freed port; compare the
/// teardown bugs around XSA-343/XSA-344). The one change: evtchn_close_port frees the local end
/// but leaves the peer INTERDOMAIN, still pointing at the now-free port.
/// Breaks: evtchn_interdomain_symmetric (and the step assert evtchn_close_peer_unbound).
model evtchn_close_peer_kept

include "../evtchn.xm"

/// evtchn_close without the peer update of the INTERDOMAIN case.
@ref("xen/common/event_channel.c:evtchn_close")
override proc evtchn_close_port(d: Dom, p: EvtchnPort) {
    let c = evtchn_chan[d][p]
    if c.state == ECS_PIRQ {
        evtchn_pirq_unbind(d, c.pirq)
    } else if c.state == ECS_VIRQ {
        foreach v: VCpu where dom_of(v) == d && evtchn_virq_port[v][c.virq] == p {
            evtchn_virq_port[v][c.virq] := EvtchnPort(0)
        }
    }
    evtchn_chan[d][p] := evtchn_free_chan()
}

/// One usable port, interdomain channels only.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_VIRQS = false,
                 EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = false,
                 EVTCHN_IPIS = false }
