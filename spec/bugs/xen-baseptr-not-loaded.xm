/// Bug variant (composed model): MMUEXT_NEW_BASEPTR installs the vcpu's new base and drops the old
/// one's references without loading the new base (new_guest_cr3 without its write_ptbase(curr)),
/// so the pcpu keeps running on the old top-level table after its root-table type reference is
/// gone: the frame may be retyped, given back and reused while it is still the pcpu's CR3 (the
/// class of a page table used after its reference is dropped). Memory's own invariants see only
/// the vcpu's base (v->arch.guest_table), which is right; only what the pcpu has loaded is wrong.
/// The one change: mm_hook_ptbase_changed does not write CR3 on the vcpu's pcpu.
/// Breaks: xen_ptbase_owned (properties.md F29, the composed per-vcpu form).
/// Expected shortest trace: 6 steps (dom0's vcpu is scheduled and switched in: four steps; dom0
/// populates a page; the vcpu sets that page as its base: the failing state, where the pcpu's CR3
/// still holds the idle page tables' none).
model xen_baseptr_not_loaded

include "../xen.xm"

/// new_guest_cr3 without write_ptbase(curr): the pcpu's CR3 keeps the old base.
@ref("xen/arch/x86/mm.c:new_guest_cr3")
override proc mm_hook_ptbase_changed(v: VCpu) {
  require dom_vcpu_executing(v)
}

// ---- @weight(1) for the Hypothesis machine only (random runs; the exhaustive engines ignore weights):
// the controller's pause/unpause ping-pong, migration's stand-in backend (mig_gnt_*) and transfer
// entries, enabled in nearly every state, took about 60% of the steps of HYP_BUDGET's runs (measured),
// which then found the 6-step switch-in, populate and base change only after 263 to 647 test cases
// (seeds 1 and 0).
// A bodyless `override action` keeps the included action and changes only its @weight.
@weight(1)
override action domctl_pausedomain
@weight(1)
override action domctl_unpausedomain
@weight(1)
override action mig_gnt_copy_in
@weight(1)
override action mig_gnt_map
@weight(1)
override action mig_gnt_unmap
@weight(1)
override action mig_gnt_write
@weight(1)
override action gnt_accept_transfer

/// Two domains (dom1 is the migrating guest), one pcpu, one guest frame, everything the trace does not
/// need switched off.
instance small { NDOM = 2, VPD = 1, NPCPU = 1,
                 CTRL_PAUSE_MAX = 1, DOM_REFUSALS = false,
                 CREDIT_MAX = 1, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                 SCHED_AFFINITY_OPS = false,
                 EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_MASKING = false, EVTCHN_ADMIN = false,
                 EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_BLOCKING = false,
                 MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 1, MM_MAXREF = 3,
                 MM_STANDALONE_KILL = false, MM_RECORD_RC = false, MM_TLB = false, GNT_NREF = 1, GNT_NHANDLE = 1,
                 MIG_NPAGE = 1, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 1, MIG_DIRTY_THRESHOLD = 1 }
