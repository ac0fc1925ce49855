/// Bug variant (XSA-358: FIFO event channels control block related ordering): map_control_block
/// publishes the control-block pointer before it has written the queue heads, so a set_pending on
/// another pcpu between the two writes sees the control block and links an event on a queue whose
/// head pointer is not set (in Xen: a write through a NULL head).
/// The one change: set_pending sees a control block as soon as map_control_block has started
/// (evtchn_fifo_cb_visible: not CB_NONE rather than CB_READY).
/// Breaks: evtchn_fifo_queue_well_formed (properties.md D52: only a vcpu whose control block is
/// mapped has a non-empty queue).
/// Expected shortest trace: 7 steps (dom1 initialises vcpu 0 and adds a page, two steps each, binds an
/// IPI port to vcpu 1, starts init_control for vcpu 1, sends on the port), in `vcpus`.
model evtchn_fifo_cb_before_heads

include "../evtchn_fifo.xm"

/// The control block is visible between map_control_block's two writes.
@ref("xen/common/event_fifo.c:map_control_block")
override def evtchn_fifo_cb_visible(v: VCpu): bool = evtchn_fifo_cb[v] != CB_NONE

/// Two vcpus per domain and IPIs (the `vcpus` instance).
instance small { NDOM = 2, VPD = 2, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_FIFO_PRIOS = 1,
                 EVTCHN_FIFO_WPP = 2, EVTCHN_VIRQS = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false, EVTCHN_MASKING = false, EVTCHN_IPIS = true }
