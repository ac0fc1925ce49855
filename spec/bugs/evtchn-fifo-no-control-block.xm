/// Bug variant (XSA-107: mishandling of uninitialised FIFO-based event channel control blocks): the
/// FIFO set_pending does not check that the target vcpu has a control block, so an event bound to a
/// vcpu on which the guest never called EVTCHNOP_init_control is linked on a queue that has no head
/// and its READY bit is written through a NULL control-block pointer (in Xen: a host crash).
/// The one change: evtchn_fifo_cb_visible is true for every vcpu.
/// Breaks: evtchn_fifo_queue_well_formed (properties.md D52: only a vcpu whose control block is
/// mapped has a non-empty queue).
/// Expected shortest trace: 6 steps (dom1 initialises vcpu 0's control block in two steps, adds an
/// event-array page in two steps, binds an IPI port to vcpu 1, sends on it), in `vcpus`.
model evtchn_fifo_no_control_block

include "../evtchn_fifo.xm"

/// set_pending sees a control block on every vcpu (the check Xen added for XSA-107 is gone).
@ref("xen/common/event_fifo.c:evtchn_fifo_set_pending")
override def evtchn_fifo_cb_visible(v: VCpu): bool = true

/// Two vcpus per domain and IPIs (the `vcpus` instance).
instance small { NDOM = 2, VPD = 2, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                 EVTCHN_FIFO_WPP = 2, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false, EVTCHN_MASKING = false, EVTCHN_IPIS = true }
