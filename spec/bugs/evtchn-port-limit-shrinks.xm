/// Bug: XSA-338. Before the fix, port_is_valid also compared the port with a limit that can
/// shrink while ports are in use (d->max_evtchns / the toolstack's max_evtchn_port), so a port in
/// use could become invalid and then could no longer be closed or used.
/// The one change: evtchn_port_is_valid also requires the port to be at most max_evtchn_port.
/// Breaks: evtchn_inuse_ports_valid (a valid port stays valid, properties.md D15).
model evtchn_port_limit_shrinks

include "../evtchn.xm"

/// port_is_valid as before the XSA-338 fix: bounded by the shrinkable limit.
@ref("xen/include/xen/event.h:port_is_valid")
override def evtchn_port_is_valid(d: Dom, p: EvtchnPort): bool =
    ord(p) < EVTCHN_NPORTS && ord(p) <= evtchn_max_port[d]

/// Two usable ports and the toolstack's limit operation; nothing else.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 1, EVTCHN_VIRQS = false,
                 EVTCHN_MASKING = false, EVTCHN_DEATH = false, EVTCHN_BLOCKING = false, EVTCHN_IPIS = false }
