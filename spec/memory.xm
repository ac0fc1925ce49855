/// Memory isolation in Xen (x86 PV): who owns each machine frame, how every address space is split
/// between the guest and Xen, how page types keep page tables out of writable mappings, and how the
/// P2M (pseudo-physical -> machine, the guest's view) and the M2P (machine -> pseudo-physical, Xen's
/// table, read-only for guests) stay in agreement.
///
/// Address space (x86-32 non-PAE, the seed era): every domain's 4 GB virtual address space is its own,
/// except for Xen's slice at the top, from HYPERVISOR_VIRT_START = 0xFC000000 (the top 64 MB = 16 of
/// the 1024 L2 slots of 4 MB each). The first 4 MB of that slice (0xFC000000-0xFC400000) hold the
/// read-only M2P table, which guests may read. Scaled down for checking: an L2 table has MM_NSLOT
/// slots, of which the last MM_NXSLOT are Xen's (default: 2 guest slots + 1 Xen slot, small: 1 + 1; the Xen slot
/// stands for 0xFC000000-0xFFFFFFFF); an L1 table has MM_NL1E entries.
///
/// Abstractions (and why):
/// - Frame contents are modelled only for frames that currently have a page-table type with a
///   non-zero type count (a "live" table). When a table loses its last type reference, Xen drops the
///   references its entries held (free_page_type); the model also clears the entries, so a table is
///   re-typed empty. Validating an empty table trivially succeeds and every later entry goes through
///   mod_l1_entry / mod_l2_entry, which run the same per-entry checks as validation
///   (get_page_from_l1e / get_page_from_l2e). This stands for "build, then pin" and keeps the state
///   space small; plain data contents are not modelled at all. What a write may not do is checked
///   where a write happens (mm_raw_write, property B49: no write outside validation lands in a live
///   page table).
/// - Page-table bases are per vcpu (v->arch.guest_table); what a pcpu has loaded in CR3 is
///   context_switch.xm's and spec/xen.xm's business (xen_ptbase_owned).
/// - TLBs: each pcpu's TLB is the set of frames it may still hold a writable translation to, with
///   the domain the translation was cached for (mm_tlb). Xen's TLB-flush clock (tlbflush_time per
///   pcpu, page->tlbflush_timestamp) serves to flush only the pcpus that may still hold a frame; the
///   model's set is exactly that, so filtered_flush_tlb_mask is "flush every pcpu whose set holds m".
///   Read-only translations of a domain's own frames are not tracked (a stale read-only entry leaks
///   data, the writable one breaks isolation: the model keeps the one that matters most); grant
///   mappings' translations are spec/grant.xm's (gnt_tlb, through mm_hook_tlb_holds and
///   mm_hook_tlb_flushed).
/// - L2 entries are always written with RW set: Xen puts no type on the target of an L2 RW bit
///   (it only restricts writes through it).
/// - Linear (recursive) page tables, superpages, L3/L4 and segment-descriptor pages are not
///   exercised by actions; pgt_seg_desc is declared for the type lattice only.
/// - The P2M is kept by the hypercalls that change it (as Xen does for a translated guest; a PV
///   guest keeps its own list and mirrors each change, which the model folds into the same step).
/// - One hypercall (or one iteration of a preemptible loop) is one action; refused calls record the
///   error in mm_rc and change nothing else. Only the last operation's result is kept: steps that
///   are not hypercalls (kill, relinquish) record MM_OK, and with grants, one subsystem's result
///   resets the other's (mm_set_rc / gnt_set_rc). Guest actions require the domain not to be dying (its
///   vcpus are paused then).
model memory

include "common.xm"
include "hooks.xm"

// ---------------------------------------------------------------------------------------------
// Sizes

/// Machine frames (struct page_info, frame_table[]). The first MM_NXEN belong to Xen.
const MM_NMFN: int[2..6] = 4
/// Frames that belong to Xen itself (the M2P table, Xen's own mappings); never given to a guest.
const MM_NXEN: int[1..2] = 1
/// Pseudo-physical frames per domain (the P2M's index space).
const MM_NPFN: int[1..3] = 2
/// Slots of an L2 table (each stands for a slice of the 4 GB address space).
const MM_NSLOT: int[2..4] = 3
/// The top MM_NXSLOT slots of every L2 table are Xen's (x86-32: 16 of 1024 slots from 0xFC000000).
const MM_NXSLOT: int[1..2] = 1
/// Entries of an L1 table.
const MM_NL1E: int[1..2] = 1
/// d->max_pages of every domain at creation (XEN_DOMCTL_max_mem is not modelled).
const MM_MAX_PAGES: int[0..6] = 2
/// Bound of the general and type reference counts; get_page / get_page_type fail at the bound as
/// Xen's do when count_info / type_info would overflow.
const MM_MAXREF: int[2..15] = 4
/// Page-table operations (pin, unpin, mmu_update, new_baseptr) enabled. spec/grant.xm turns them off
/// in its small instance to explore grants on top of plain allocation.
const MM_PT: bool = true
/// L2 page tables (pin as an L2, mmu_update of an L2 entry, new_baseptr) enabled when MM_PT is. An
/// instance for a bug that lives in L1 tables and the TLB alone turns them off (mem-alloc-no-flush,
/// mem-type-release-stale-tlb): fewer transitions per step for BMC, and no random run spends a frame
/// on a base it can never give back.
const MM_L2: bool = true
/// The standalone stand-in for domain_kill (mm_kill) is enabled. spec/xen.xm sets it false and
/// uses domain.xm's lifecycle through hook_dom_dying / hook_teardown_step.
const MM_STANDALONE_KILL: bool = true
/// Record operation results (mm_rc, gnt_rc). Each distinct result multiplies the reachable states;
/// an instance may turn recording off for an exhaustive search of the state-changing behaviour
/// (refusals then leave the whole state unchanged and are pure self-loops).
const MM_RECORD_RC: bool = true
/// Split hypercalls (docs/model.md, "Hypercalls that interleave"): MMUEXT_PIN_*_TABLE runs as the
/// steps _get_page_type takes between its atomic operations (get_page; read type_info; cmpxchg;
/// test_and_set PGT_pinned), one per pcpu at a time, so that two pcpus' calls interleave. Off: the
/// pin is one atomic step (every instance with one pcpu; the split form adds only intermediate
/// states there).
const MM_RACES: bool = false
/// Guest TLB fills, writes through the TLB and local flushes are actions (docs/model.md, "Stale TLB
/// entries"). The flushes Xen does on reuse and type change happen whatever this says.
const MM_TLB: bool = true

/// A machine frame number (mfn).
sort Mfn = mfn[MM_NMFN]
/// A pseudo-physical frame number (pfn / gfn) inside one domain.
sort Pfn = pfn[MM_NPFN]
/// A slot (entry index) of an L2 table; the last MM_NXSLOT are Xen's.
sort MmSlot = l2s[MM_NSLOT]
/// An entry index of an L1 table.
sort MmL1Idx = l1s[MM_NL1E]

/// The type of a frame (PGT_* in type_info): mutually exclusive uses.
@ref("xen/arch/x86/include/asm/mm.h:PGT_type_mask")
enum MmType { pgt_none, pgt_l1, pgt_l2, pgt_writable, pgt_seg_desc }

/// Where a pcpu is in a split MMUEXT_PIN_*_TABLE (MM_RACES): idle, in _get_page_type's loop
/// (general reference taken, type_info read), or type reference taken and PGT_pinned not yet set.
@ref("xen/arch/x86/mm.c:_get_page_type")
enum MmStep { MM_IDLE, MM_PIN_TYPE, MM_PIN_SET }

/// Result of the last memory hypercall (0 or a negative errno in Xen).
enum MmResult { MM_OK, MM_EINVAL, MM_EPERM, MM_ENOMEM, MM_E2BIG, MM_ENOENT }

/// A page-table entry: present bit, RW bit, target frame. A non-present entry is always the
/// canonical empty entry (present false, rw false, mfn0).
record MmPte { present: bool, rw: bool, mfn: Mfn }

/// struct page_info of a frame: owner (page_get_owner), general reference count and PGC_allocated
/// (count_info), type, type count, PGT_validated and PGT_pinned (type_info).
record MmFrame {
  owner: Dom?,
  allocated: bool,
  count: int[0..MM_MAXREF],
  type: MmType,
  tcount: int[0..MM_MAXREF],
  validated: bool,
  pinned: bool
}

/// A pcpu's in-progress pin and its locals: the domain, the frame, the table type wanted, and the
/// type_info word last read (x in _get_page_type: type, count, PGT_validated). Idle: all defaults.
@ref("xen/arch/x86/mm.c:_get_page_type")
record MmCall { step: MmStep, d: Dom, m: Mfn, t: MmType, seen_type: MmType, seen_count: int[0..MM_MAXREF],
                seen_valid: bool }

// ---------------------------------------------------------------------------------------------
// State

/// frame_table: one page_info per machine frame. A frame has at most one owner by construction.
@ref("xen/arch/x86/include/asm/mm.h:page_info")
@view("frames") var mm_frame: Mfn -> MmFrame
/// Entries of L2 tables (meaningful only while the frame is a live L2 table).
var mm_l2e: Mfn -> MmSlot -> MmPte
/// Entries of L1 tables (meaningful only while the frame is a live L1 table).
var mm_l1e: Mfn -> MmL1Idx -> MmPte
/// Each vcpu's page-table base (v->arch.guest_table, written to CR3 by write_ptbase when the vcpu
/// is switched in or sets a new base). It holds a general and a root-table type reference.
@ref("xen/arch/x86/mm.c:new_guest_cr3")
@ref("xen/include/xen/sched.h:vcpu")
var mm_cr3: VCpu -> Mfn?
/// P2M: the domain's pseudo-physical -> machine map.
@ref("xen/arch/x86/mm/p2m.c:guest_physmap_add_page")
var mm_p2m: Dom -> Pfn -> Mfn?
/// M2P: Xen's machine -> pseudo-physical table (machine_to_phys_mapping), read-only to guests.
@ref("xen/arch/x86/include/asm/mm.h:set_gpfn_from_mfn")
var mm_m2p: Mfn -> Pfn?
/// d->tot_pages: frames owned by d.
var mm_tot_pages: Dom -> int[0..MM_NMFN]
/// d->max_pages.
var mm_max_pages: Dom -> int[0..MM_NMFN]
/// d->is_dying as memory sees it standalone (set by mm_kill); see mm_is_dying.
var mm_dying: Dom -> bool
/// Result of the last memory operation.
var mm_rc: MmResult
/// Each pcpu's in-progress split pin (MM_RACES; always idle otherwise).
@ref("xen/arch/x86/mm.c:do_mmuext_op")
var mm_call: PCpu -> MmCall
/// Each pcpu's TLB: mm_tlb[p][m] == d when p may still hold a writable translation to frame m that
/// a vcpu of d cached (none: no such entry, or flushed since). Xen knows this only through the
/// flush clock (per_cpu(tlbflush_time) against page->tlbflush_timestamp); the model keeps the set.
@ref("xen/arch/x86/include/asm/flushtlb.h:tlbflush_filter")
var mm_tlb: PCpu -> Mfn -> Dom?

init {
  foreach d: Dom {
    mm_max_pages[d] := min(MM_MAX_PAGES, MM_NMFN)
  }
  foreach m: Mfn where mm_is_xen(m) {
    /// Xen's frames are Xen heap: in use by Xen from boot, never on a domain's list.
    mm_frame[m].count := 1
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Is m one of Xen's own frames (the M2P table and Xen's mappings)?
def mm_is_xen(m: Mfn): bool = ord(m) < MM_NXEN
/// Is s one of Xen's reserved L2 slots (x86-32: from 0xFC000000 up; is_guest_l2_slot is false)?
@ref("xen/arch/x86/include/asm/x86_32/page.h:is_guest_l2_slot")
def mm_is_xen_slot(s: MmSlot): bool = ord(s) >= MM_NSLOT - MM_NXSLOT
/// Is t a page-table type?
def mm_is_pt(t: MmType): bool = t == pgt_l1 || t == pgt_l2
/// Is m a live table of type t (type t with a non-zero type count)?
def mm_live(m: Mfn, t: MmType): bool = mm_frame[m].type == t && mm_frame[m].tcount > 0
/// The canonical empty page-table entry.
def mm_empty(): MmPte = MmPte { present: false, rw: false, mfn: Mfn(0) }
/// The entry Xen writes into its own slots of every L2 it validates: its frame, read-only for the
/// guest (the M2P table mapped at 0xFC000000).
@ref("xen/arch/x86/mm.c:init_xen_l2_slots")
def mm_xen_entry(): MmPte = MmPte { present: true, rw: false, mfn: Mfn(0) }
/// Is domain d dying (standalone: mm_dying; composed: domain.xm's state through the hook)?
def mm_is_dying(d: Dom): bool = mm_dying[d] || hook_dom_dying(d)
/// Is m a guest frame owned by d?
def mm_owns(d: Dom, m: Mfn): bool = !mm_is_xen(m) && mm_frame[m].owner == d
/// get_page(page, d) would succeed: the frame is d's and its count can grow.
@ref("xen/arch/x86/mm.c:get_page")
def mm_can_get_page(m: Mfn, d: Dom): bool =
  !mm_is_xen(m) && mm_frame[m].owner == d && mm_frame[m].count < MM_MAXREF
/// get_page_type(page, t) would succeed: the type is t already, or the type count is 0 so the type
/// may change ("a frame changes type only when its type count is 0").
@ref("xen/arch/x86/mm.c:_get_page_type")
def mm_can_get_type(m: Mfn, t: MmType): bool =
  (mm_frame[m].tcount == 0 || mm_frame[m].type == t) && mm_frame[m].tcount < MM_MAXREF
/// The lowest free frame, if any (the model's allocator is deterministic: which free frame Xen
/// picks does not matter to any property, and a fixed choice keeps the state space small).
def mm_is_free(m: Mfn): bool = !mm_is_xen(m) && mm_frame[m].owner == none
def mm_lowest_free(m: Mfn): bool = mm_is_free(m) && (forall k: Mfn :: ord(k) < ord(m) => !mm_is_free(k))
/// References that grant mappings hold on m (general / writable type). 0 standalone;
/// spec/grant.xm overrides these with the count of its maptrack entries.
def mm_grant_refs(m: Mfn): int = 0
def mm_grant_wrefs(m: Mfn): int = 0
/// An idle pcpu's call record (all defaults).
def mm_idle_call(): MmCall = MmCall { step: MM_IDLE, d: Dom(0), m: Mfn(0), t: pgt_none, seen_type: pgt_none,
  seen_count: 0, seen_valid: false }
/// General references that in-progress split pins hold on m (taken by get_page at their start).
def mm_inflight_refs(m: Mfn): int = count p: PCpu :: mm_call[p].step != MM_IDLE && mm_call[p].m == m
/// Type references that in-progress split pins hold on m (taken by their successful cmpxchg).
def mm_inflight_trefs(m: Mfn): int = count p: PCpu :: mm_call[p].step == MM_PIN_SET && mm_call[p].m == m
/// No pcpu is in the middle of a split pin for d (domain_kill's domain_pause waits for d's vcpus to
/// leave Xen, so a hypercall in flight completes before the relinquish loop ends).
@ref("xen/common/domain.c:domain_pause")
def mm_no_inflight(d: Dom): bool = forall p: PCpu :: mm_call[p].step == MM_IDLE || mm_call[p].d != d
/// _get_page_type's cmpxchg compares the whole type_info word with the value read: it succeeds only
/// if the type, the type count and PGT_validated are still what the pcpu read.
@ref("xen/arch/x86/mm.c:_get_page_type")
def mm_type_info_unchanged(c: MmCall): bool =
  mm_frame[c.m].type == c.seen_type && mm_frame[c.m].tcount == c.seen_count && mm_frame[c.m].validated == c.seen_valid

/// Migration's log-dirty: Xen or the guest wrote into d's frame m (paging_mark_dirty). Standalone:
/// nothing. xen.xm wires it to migration's dirty bitmap.
@ref("xen/arch/x86/mm/paging.c:paging_mark_dirty")
proc mm_hook_page_dirty(d: Dom, m: Mfn) { }
/// Ghost for the composition's H56: Xen or the guest is writing into d's frame m (called at each
/// write, before the write path's paging_mark_dirty). Standalone: nothing. xen.xm records a write
/// into a page of the migrating guest that the same step leaves unmarked.
proc mm_hook_frame_written(d: Dom, m: Mfn) { }
/// Vcpu v's page-table base changed (new_guest_cr3 runs on v itself and writes CR3 at once:
/// write_ptbase(curr)), before the old base's references are dropped. Standalone: nothing.
@ref("xen/arch/x86/mm.c:new_guest_cr3")
proc mm_hook_ptbase_changed(v: VCpu) { }
/// Does a vcpu of d run guest code on pcpu p (so that p's TLB may cache d's translations)?
/// Standalone: any domain on any pcpu. xen.xm: the scheduler's current vcpu of p, executing.
def mm_hook_runs_on(d: Dom, p: PCpu): bool = true

/// Record the result of a memory operation. spec/grant.xm overrides it to also reset the grant
/// result, so that only the last operation's result is kept (one result, not one per subsystem,
/// which would multiply the state space).
proc mm_set_rc(r: MmResult) {
  if MM_RECORD_RC {
    mm_rc := r
  }
}

// ---------------------------------------------------------------------------------------------
// Reference counting (procs are inlined; callers check mm_can_get_page / mm_can_get_type first)

// ---------------------------------------------------------------------------------------------
// TLBs and writes

/// Flush every pcpu whose TLB may still hold frame m (the whole TLB of each: flush_tlb_mask). Xen:
/// the owner's dirty cpus filtered by the flush clock against page->tlbflush_timestamp, i.e. the
/// pcpus that have not flushed since the last writable mapping of m went away.
@ref("xen/common/page_alloc.c:alloc_heap_pages")
@ref("xen/arch/x86/include/asm/flushtlb.h:tlbflush_filter")
proc mm_flush_tlbs_holding(m: Mfn) {
  foreach p: PCpu where mm_tlb_holds(p, m) {
    mm_flush_pcpu(p)
  }
}

/// Translations to frame m that pcpu p may hold besides the ones mm_tlb records (spec/grant.xm: the
/// mapper's translations of its host grant mappings). Standalone: none.
def mm_hook_tlb_holds(p: PCpu, m: Mfn): bool = false
/// Pcpu p's whole TLB was flushed: the TLB state other files keep for p goes too (spec/grant.xm: the
/// grant mappings' translations). Standalone: nothing.
proc mm_hook_tlb_flushed(p: PCpu) { }
/// May pcpu p still hold a translation to frame m (a writable one of mm_tlb, or another file's)?
def mm_tlb_holds(p: PCpu, m: Mfn): bool = mm_tlb[p][m] != none || mm_hook_tlb_holds(p, m)

/// Empty pcpu p's whole TLB (flush_area_local with FLUSH_TLB; a CR3 write drops every non-global
/// entry, which every guest translation is).
@ref("xen/arch/x86/flushtlb.c:flush_area_local")
proc mm_flush_pcpu(p: PCpu) {
  foreach k: Mfn {
    mm_tlb[p][k] := none
  }
  mm_hook_tlb_flushed(p)
}

/// Property B49 (a step property): a write that does not go through page-table validation (a
/// guest's store through a mapping, Xen's copy on the guest's behalf) never lands in a live page
/// table; page tables change only through mod_l1_entry / mod_l2_entry and validation.
@ref("xen/arch/x86/mm.c:get_page_from_l1e")
@ref("xen/common/grant_table.c:gnttab_copy_claim_buf")
proc mm_raw_write(m: Mfn) {
  assert !(mm_live(m, pgt_l1) || mm_live(m, pgt_l2)), "mm_pt_written_validated: a page table was written outside validation"
}

/// Take a general reference (count_info + 1).
@ref("xen/arch/x86/mm.c:get_page")
proc mm_get_page(m: Mfn) {
  mm_frame[m].count := mm_frame[m].count + 1
}

/// Change a frame's type. Property 6 (a step property): the type changes only while the type count
/// is 0. A new page-table type is validated (alloc_page_type); a new L2 gets Xen's slots.
@ref("xen/arch/x86/mm.c:_get_page_type")
proc mm_set_type(m: Mfn, t: MmType) {
  assert mm_frame[m].tcount == 0, "type changes only while the type count is 0"
  if mm_frame[m].type != t {
    // "On type change we check to flush stale TLB entries": a writable translation cached before
    // the last writable reference went must not outlive the change.
    mm_flush_tlbs_holding(m)
  }
  mm_frame[m].type := t
  mm_frame[m].validated := true
  if t == pgt_l2 {
    foreach s: MmSlot where mm_is_xen_slot(s) {
      mm_l2e[m][s] := mm_xen_entry()
    }
  }
}

/// Take a type reference of type t; if the type has to change (or the table was devalidated), the
/// frame is (re)validated first.
@ref("xen/arch/x86/mm.c:_get_page_type")
proc mm_get_type(m: Mfn, t: MmType) {
  if mm_frame[m].type != t || !mm_frame[m].validated {
    mm_set_type(m, t)
  }
  mm_frame[m].tcount := mm_frame[m].tcount + 1
}

/// Free a frame whose last reference went away: back to the heap, no owner; the owner's tot_pages
/// shrinks and the M2P entry is invalidated.
@ref("xen/common/page_alloc.c:free_domheap_pages")
proc mm_free_frame(m: Mfn) {
  assert mm_frame[m].tcount == 0 && !mm_frame[m].allocated, "freeing a frame still in use"
  let d = get(mm_frame[m].owner)
  mm_tot_pages[d] := mm_tot_pages[d] - 1
  mm_frame[m] := MmFrame { owner: none, allocated: false, count: 0, type: pgt_none, tcount: 0,
                           validated: false, pinned: false }
  mm_m2p[m] := none
}

/// Drop a general reference; the last one frees the frame. Only guest frames are ever put: no
/// guest reference reaches one of Xen's frames (mm_xen_slots_intact).
@ref("xen/arch/x86/mm.c:put_page")
proc mm_put_page(m: Mfn) {
  mm_frame[m].count := mm_frame[m].count - 1
  if mm_frame[m].count == 0 {
    mm_free_frame(m)
  }
}

/// Drop a writable (or other leaf) type reference. The type stays; a new type may be taken at 0.
@ref("xen/arch/x86/mm.c:_put_page_type")
proc mm_put_type_leaf(m: Mfn) {
  mm_frame[m].tcount := mm_frame[m].tcount - 1
}

/// Drop an L1 type reference; the last one devalidates the table, which drops the references its
/// entries held (free_l1_table: put_page_from_l1e for each entry).
@ref("xen/arch/x86/mm.c:free_l1_table")
proc mm_put_type_l1(m: Mfn) {
  mm_frame[m].tcount := mm_frame[m].tcount - 1
  if mm_frame[m].tcount == 0 {
    mm_frame[m].validated := false
    foreach i: MmL1Idx {
      let e = mm_l1e[m][i]
      if e.present {
        mm_l1e[m][i] := mm_empty()
        if e.rw {
          mm_put_type_leaf(e.mfn)
        }
        mm_put_page(e.mfn)
      }
    }
  }
}

/// Drop an L2 type reference; the last one devalidates the table: every guest slot drops its L1
/// type and general reference (free_l2_table), Xen's slots are simply cleared.
@ref("xen/arch/x86/mm.c:free_l2_table")
proc mm_put_type_l2(m: Mfn) {
  mm_frame[m].tcount := mm_frame[m].tcount - 1
  if mm_frame[m].tcount == 0 {
    mm_frame[m].validated := false
    foreach s: MmSlot {
      let e = mm_l2e[m][s]
      if e.present {
        mm_l2e[m][s] := mm_empty()
        if !mm_is_xen_slot(s) {
          mm_put_type_l1(e.mfn)
          mm_put_page(e.mfn)
        }
      }
    }
  }
}

/// Drop a type reference of whatever type the frame has.
@ref("xen/arch/x86/mm.c:put_page_type")
proc mm_put_type(m: Mfn) {
  if mm_frame[m].type == pgt_l2 {
    mm_put_type_l2(m)
  } else if mm_frame[m].type == pgt_l1 {
    mm_put_type_l1(m)
  } else {
    mm_put_type_leaf(m)
  }
}

/// put_page_and_type: type first, then the general reference (so a table never frees itself while
/// dropping its own entries).
@ref("xen/arch/x86/mm.c:put_page_and_type")
proc mm_put_page_and_type(m: Mfn) {
  mm_put_type(m)
  mm_put_page(m)
}

/// Unpin a frame whose pin is set: clear PGT_pinned and drop the pin's type and general reference.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
proc mm_do_unpin(m: Mfn) {
  mm_frame[m].pinned := false
  mm_put_page_and_type(m)
}

/// Remove pfn's frame from the P2M and M2P (guest_physmap_remove_page).
@ref("xen/arch/x86/mm/p2m.c:guest_physmap_remove_page")
proc mm_physmap_remove(d: Dom, pfn: Pfn) {
  let m = get(mm_p2m[d][pfn])
  mm_p2m[d][pfn] := none
  mm_m2p[m] := none
}

// ---------------------------------------------------------------------------------------------
// Allocation and release

/// XENMEM_populate_physmap of one page at pfn: take a frame from the heap and assign it to d
/// (assign_pages: refused for a dying domain, and when tot_pages would exceed max_pages), then
/// enter it in the P2M and M2P. The guest asks only for holes in its physmap.
@ref("xen/common/memory.c:populate_physmap")
@ref("xen/common/page_alloc.c:assign_pages")
action mm_populate(d: Dom, pfn: Pfn) {
  let xen_rc = mm_xen_rc_populate(d)
  require !mm_is_dying(d)
  require mm_p2m[d][pfn] == none
  if !(exists m: Mfn :: mm_is_free(m)) {
    mm_set_rc(MM_ENOMEM)
  } else if mm_tot_pages[d] + 1 > mm_max_pages[d] {
    mm_set_rc(MM_E2BIG)
  } else {
    choose m: Mfn where mm_lowest_free(m) {
      // alloc_heap_pages: a pcpu that has not flushed since the frame's last use is flushed now.
      mm_flush_tlbs_holding(m)
      mm_frame[m] := MmFrame { owner: d, allocated: true, count: 1, type: pgt_none, tcount: 0,
                               validated: false, pinned: false }
      mm_tot_pages[d] := mm_tot_pages[d] + 1
      mm_p2m[d][pfn] := m
      mm_m2p[m] := pfn
      mm_set_rc(MM_OK)
    }
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}

/// XENMEM_decrease_reservation of the page at pfn (guest_remove_page): remove it from the physmap,
/// drop a pin if it has one and drop the allocation reference (PGC_allocated). The frame returns to
/// the heap only when its last reference goes: other mappings keep it alive (still owned by d).
@ref("xen/common/memory.c:guest_remove_page")
action mm_decrease_reservation(d: Dom, pfn: Pfn) {
  let xen_rc = mm_xen_rc_decrease(d, pfn)
  require !mm_is_dying(d)
  if mm_p2m[d][pfn] == none {
    mm_set_rc(MM_EINVAL)
  } else {
    let m = get(mm_p2m[d][pfn])
    mm_physmap_remove(d, pfn)
    if mm_frame[m].pinned {
      mm_do_unpin(m)
    }
    if mm_frame[m].allocated {
      mm_frame[m].allocated := false
      mm_put_page(m)
    }
    mm_set_rc(MM_OK)
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}

// ---------------------------------------------------------------------------------------------
// Page tables

/// MMUEXT_PIN_L1_TABLE / MMUEXT_PIN_L2_TABLE: take a general and a type reference of the table type
/// (validating it if its type changes) and set PGT_pinned. Refused (-EINVAL) if the frame is not
/// d's, the type conflicts (type count > 0 with another type), or it is already pinned.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
action mm_pin(d: Dom, m: Mfn, l2: bool) {
  let xen_rc = mm_xen_rc_pin(d, m, if l2 then pgt_l2 else pgt_l1)
  require MM_PT && !MM_RACES && !mm_is_dying(d) && (MM_L2 || !l2)
  let t = if l2 then pgt_l2 else pgt_l1
  if !mm_can_get_page(m, d) || !mm_can_get_type(m, t) || mm_frame[m].pinned {
    mm_set_rc(MM_EINVAL)
  } else {
    mm_get_page(m)
    mm_get_type(m, t)
    mm_frame[m].pinned := true
    mm_set_rc(MM_OK)
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}

// Split form of MMUEXT_PIN_*_TABLE (MM_RACES), step by step as Xen takes it on one pcpu:
// get_page_and_type_from_mfn -> get_page (count_info cmpxchg), then _get_page_type's loop (read
// type_info into x; compute nx; cmpxchg(&type_info, x, nx), retried with the value it returns), then
// test_and_set_bit(_PGT_pinned). Each step is one atomic operation of Xen's, so another pcpu's call
// may fall between any two of them. Validation (alloc_page_type after a type change) is folded into
// the successful cmpxchg step: every other taker of that type waits for PGT_validated (the
// "Someone else is updating validation" loop), so none can observe the window.

/// Pin, step 1 (get_page, then the first read of type_info): refused (-EINVAL) if the frame is not
/// d's or its count is at the bound.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
@ref("xen/arch/x86/mm.c:get_page")
action mm_pin_begin(p: PCpu, d: Dom, m: Mfn, l2: bool) {
  require MM_PT && MM_RACES && !mm_is_dying(d) && mm_call[p].step == MM_IDLE && (MM_L2 || !l2)
  let t = if l2 then pgt_l2 else pgt_l1
  if !mm_can_get_page(m, d) {
    mm_set_rc(MM_EINVAL)
  } else {
    mm_get_page(m)
    mm_call[p] := MmCall { step: MM_PIN_TYPE, d: d, m: m, t: t, seen_type: mm_frame[m].type,
                           seen_count: mm_frame[m].tcount, seen_valid: mm_frame[m].validated }
  }
}

/// Pin, step 2 (one turn of _get_page_type's loop): decide from the word read (x) as Xen does: a
/// count of 0 lets the type change, another type with a count > 0 fails (-EINVAL, the general
/// reference dropped), as does a count at the bound. Then the cmpxchg: if type_info still equals x,
/// it becomes nx (type t, count + 1; a new type is validated here) and the type reference is held;
/// otherwise the pcpu goes round the loop with the value the cmpxchg returned.
@ref("xen/arch/x86/mm.c:_get_page_type")
action mm_pin_type(p: PCpu) {
  require mm_call[p].step == MM_PIN_TYPE
  let c = mm_call[p]
  if !(c.seen_count == 0 || c.seen_type == c.t) || c.seen_count >= MM_MAXREF {
    mm_put_page(c.m)
    mm_call[p] := mm_idle_call()
    mm_set_rc(MM_EINVAL)
  } else if mm_type_info_unchanged(c) {
    if c.seen_type != c.t || !c.seen_valid {
      mm_set_type(c.m, c.t)
    }
    mm_frame[c.m].tcount := c.seen_count + 1
    mm_call[p].step := MM_PIN_SET
    mm_call[p].seen_type := pgt_none
    mm_call[p].seen_count := 0
    mm_call[p].seen_valid := false
  } else {
    mm_call[p].seen_type := mm_frame[c.m].type
    mm_call[p].seen_count := mm_frame[c.m].tcount
    mm_call[p].seen_valid := mm_frame[c.m].validated
  }
}

/// Pin, step 3 (test_and_set_bit(_PGT_pinned)): if another call pinned the frame meanwhile, drop
/// both references again (put_page_and_type) and fail with -EINVAL; else the pin holds them.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
action mm_pin_set(p: PCpu) {
  require mm_call[p].step == MM_PIN_SET
  let m = mm_call[p].m
  mm_call[p] := mm_idle_call()
  if mm_frame[m].pinned {
    mm_put_page_and_type(m)
    mm_set_rc(MM_EINVAL)
  } else {
    mm_frame[m].pinned := true
    mm_set_rc(MM_OK)
  }
}

/// MMUEXT_UNPIN_TABLE: refused (-EINVAL) unless the frame is d's and pinned.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
action mm_unpin(d: Dom, m: Mfn) {
  let xen_rc = mm_xen_rc_unpin(d, m)
  require MM_PT && !mm_is_dying(d)
  if !mm_owns(d, m) || !mm_frame[m].pinned {
    mm_set_rc(MM_EINVAL)
  } else {
    mm_do_unpin(m)
    mm_set_rc(MM_OK)
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}

/// MMU_NORMAL_PT_UPDATE of entry i of d's L1 table t (mod_l1_entry). If nothing changes, the fast
/// path writes without re-validation (Xen's fast path is taken only when no bit outside a whitelist
/// of harmless bits changed; RW and the frame are never in it since XSA-182). Otherwise the new
/// entry is validated (get_page_from_l1e: the target must be d's; RW needs a writable type
/// reference, which fails on a live page table), written, and the old entry's references dropped.
@ref("xen/arch/x86/mm.c:mod_l1_entry")
@ref("xen/arch/x86/mm.c:get_page_from_l1e")
@ref("xen/arch/x86/mm/shadow/common.c:sh_validate_guest_entry")
action mm_update_l1e(d: Dom, t: Mfn, i: MmL1Idx, present: bool, rw: bool, target: Mfn) {
  let xen_rc = mm_xen_rc_update_l1e(d, t, i, MmPte { present: present, rw: rw, mfn: target })
  require MM_PT && !mm_is_dying(d) && hook_dom_executes(d)
  require present || (!rw && target == Mfn(0))
  let old = mm_l1e[t][i]
  let nw = MmPte { present: present, rw: rw, mfn: target }
  if !mm_owns(d, t) || !mm_live(t, pgt_l1) {
    mm_set_rc(MM_EINVAL)
  } else if nw == old {
    mm_set_rc(MM_OK)
  } else if present && (!mm_can_get_page(target, d) || (rw && !mm_can_get_type(target, pgt_writable))) {
    mm_set_rc(MM_EINVAL)
  } else {
    if present {
      mm_get_page(target)
      if rw {
        mm_get_type(target, pgt_writable)
      }
    }
    mm_l1e[t][i] := nw
    if old.present {
      if old.rw {
        mm_put_type_leaf(old.mfn)
      }
      mm_put_page(old.mfn)
    }
    mm_hook_frame_written(d, t)
    mm_hook_page_dirty(d, t)
    mm_set_rc(MM_OK)
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}

/// MMU_NORMAL_PT_UPDATE of slot s of d's L2 table t (mod_l2_entry). Xen's slots are refused
/// (-EPERM, "Bad L2 update in Xen-private area"; error code UNVERIFIED). A present entry needs the
/// target to be d's and to take an L1 type reference (get_page_from_l2e), which fails if the target
/// has another live type. Entries are written with RW set (see the model's doc comment).
@ref("xen/arch/x86/mm.c:mod_l2_entry")
@ref("xen/arch/x86/mm.c:get_page_from_l2e")
@ref("xen/arch/x86/mm/shadow/common.c:sh_validate_guest_entry")
action mm_update_l2e(d: Dom, t: Mfn, s: MmSlot, present: bool, target: Mfn) {
  let xen_rc = mm_xen_rc_update_l2e(d, t, s, MmPte { present: present, rw: present, mfn: target })
  require MM_PT && MM_L2 && !mm_is_dying(d) && hook_dom_executes(d)
  require present || target == Mfn(0)
  let old = mm_l2e[t][s]
  let nw = MmPte { present: present, rw: present, mfn: target }
  if !mm_owns(d, t) || !mm_live(t, pgt_l2) {
    mm_set_rc(MM_EINVAL)
  } else if mm_is_xen_slot(s) {
    mm_set_rc(MM_EPERM)
  } else if nw == old {
    mm_set_rc(MM_OK)
  } else if present && (!mm_can_get_page(target, d) || !mm_can_get_type(target, pgt_l1)) {
    mm_set_rc(MM_EINVAL)
  } else {
    if present {
      mm_get_page(target)
      mm_get_type(target, pgt_l1)
    }
    mm_l2e[t][s] := nw
    if old.present {
      mm_put_type_l1(old.mfn)
      mm_put_page(old.mfn)
    }
    mm_hook_frame_written(d, t)
    mm_hook_page_dirty(d, t)
    mm_set_rc(MM_OK)
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}

/// MMUEXT_NEW_BASEPTR issued by vcpu v on itself (new_guest_cr3 works on `current`): take a
/// general and a root-table type reference on m (get_page_and_type_from_mfn), install it as v's
/// base (curr->arch.guest_table), load it (write_ptbase), and only then drop the old base's
/// references (put_page_and_type, or put_old_guest_table when preempted). Other vcpus of the same
/// domain keep their own bases. Refused (-EINVAL) if m is not v's domain's or cannot be an L2.
@ref("xen/arch/x86/mm.c:new_guest_cr3")
@ref("xen/arch/x86/mm.c:put_old_guest_table")
action mm_new_baseptr(v: VCpu, m: Mfn) {
  let d = dom_of(v)
  let xen_rc = mm_xen_rc_new_baseptr(d, m)
  require MM_PT && MM_L2 && !mm_is_dying(d)
  require mm_cr3[v] != m
  if !mm_can_get_page(m, d) || !mm_can_get_type(m, pgt_l2) {
    mm_set_rc(MM_EINVAL)
  } else {
    mm_get_page(m)
    mm_get_type(m, pgt_l2)
    let old = mm_cr3[v]
    mm_cr3[v] := m
    mm_hook_ptbase_changed(v)
    if old != none {
      mm_put_page_and_type(get(old))
    }
    mm_set_rc(MM_OK)
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}

/// MMU_MACHPHYS_UPDATE: the guest moves its frame m to pseudo-physical frame pfn. Xen checks that m
/// is the guest's (get_page_from_mfn, else -EINVAL) and writes M2P[m] = pfn (set_gpfn_from_mfn) and
/// marks the pfn dirty; the guest's own P2M change (old pfn emptied, pfn -> m) is the same step.
/// The guest moves only a frame it still holds (PGC_allocated, i.e. not given back with
/// decrease_reservation) and only into a hole of its physmap; Xen itself does not check the
/// former for a PV guest, whose P2M is its own business, but the model's P2M is Xen-kept.
@ref("xen/arch/x86/mm.c:do_mmu_update")
action mm_machphys_update(d: Dom, m: Mfn, pfn: Pfn) {
  let xen_rc = mm_xen_rc_machphys(d, m)
  require !mm_is_dying(d) && hook_dom_executes(d)
  require mm_p2m[d][pfn] == none
  if !mm_owns(d, m) {
    mm_set_rc(MM_EINVAL)
  } else {
    require mm_frame[m].allocated
    foreach q: Pfn where mm_p2m[d][q] == m {
      mm_p2m[d][q] := none
    }
    mm_p2m[d][pfn] := m
    mm_m2p[m] := pfn
    mm_hook_frame_written(d, m)
    mm_hook_page_dirty(d, m)
    mm_set_rc(MM_OK)
  }
  assert !MM_RECORD_RC || mm_rc == xen_rc, "mm_xen_result: the result is not the one Xen returns in that state"
}

// ---------------------------------------------------------------------------------------------
// The guest's TLB (MM_TLB): what a vcpu caches, writes through and flushes itself

/// A vcpu of d running on p touches the frame that entry i of d's live L1 table t maps writable:
/// p's TLB caches the translation. Which of d's tables the vcpu's base reaches is not followed
/// (every live L1 table of d counts): more cached entries than Xen's, so a property that holds here
/// holds for the fewer real ones.
@ref("xen/arch/x86/mm.c:get_page_from_l1e")
action mm_tlb_fill(p: PCpu, t: Mfn, i: MmL1Idx) {
  require MM_TLB && mm_live(t, pgt_l1) && mm_l1e[t][i].present && mm_l1e[t][i].rw
  let d = get(mm_frame[t].owner)
  require !mm_is_dying(d) && mm_hook_runs_on(d, p)
  require mm_tlb[p][mm_l1e[t][i].mfn] != d
  mm_tlb[p][mm_l1e[t][i].mfn] := d
}

/// The vcpu of d running on p stores through a translation p's TLB holds (a stale one included: the
/// hardware does not look at the page tables again). Nothing of Xen checks this write: it must not
/// land in a live page table (B49), and it dirties the frame for log-dirty.
@ref("xen/arch/x86/mm/paging.c:paging_mark_dirty")
action mm_tlb_write(p: PCpu, m: Mfn) {
  require MM_TLB && mm_tlb[p][m] != none
  let d = get(mm_tlb[p][m])
  require !mm_is_dying(d) && mm_hook_runs_on(d, p) && hook_dom_executes(d)
  mm_raw_write(m)
  mm_hook_page_dirty(d, m)
}

/// p flushes its TLB on its own: the guest's MMUEXT_TLB_FLUSH_LOCAL, or a CR3 write (write_ptbase
/// on a context switch; spec/xen.xm also flushes there). Enabled only when something is cached.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
@ref("xen/arch/x86/flushtlb.c:flush_area_local")
action mm_tlb_flush_local(p: PCpu) {
  require MM_TLB && (exists m: Mfn :: mm_tlb_holds(p, m))
  mm_flush_pcpu(p)
}

// ---------------------------------------------------------------------------------------------
// Xen's results (properties.md K42): what each atomic memory call returns in Xen, in Xen's order of
// checks, written from Xen's source next to (not through) the actions' checks; each action takes
// `xen_rc` before it runs and asserts `mm_xen_result` after (when results are recorded). Every
// refusal of get_page / get_page_type on these paths is -EINVAL in Xen (get_page_from_mfn,
// get_page_and_type_from_mfn, the "already pinned" test). The split pin (MM_RACES) is not covered:
// its outcome depends on the interleaving; mm_inflight_type_held checks it.

/// XENMEM_populate_physmap (one page): alloc_domheap_pages takes a free frame first (none: the
/// extent fails, -ENOMEM in the model) and only then assign_pages checks max_pages (-E2BIG).
@ref("xen/common/page_alloc.c:alloc_domheap_pages")
@ref("xen/common/page_alloc.c:assign_pages")
def mm_xen_rc_populate(d: Dom): MmResult =
  if !(exists m: Mfn :: !mm_is_xen(m) && mm_frame[m].owner == none) then MM_ENOMEM
  else if mm_tot_pages[d] + 1 > mm_max_pages[d] then MM_E2BIG
  else MM_OK

/// XENMEM_decrease_reservation: guest_remove_page on a pfn with no frame is -EINVAL.
@ref("xen/common/memory.c:guest_remove_page")
def mm_xen_rc_decrease(d: Dom, pfn: Pfn): MmResult = if mm_p2m[d][pfn] == none then MM_EINVAL else MM_OK

/// MMUEXT_PIN_L?_TABLE: get_page_and_type_from_mfn (the frame is d's and its count can grow; the
/// type is t or its count is 0), then test_and_set_bit(_PGT_pinned) ("already pinned"): -EINVAL.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
def mm_xen_rc_pin(d: Dom, m: Mfn, t: MmType): MmResult =
  if mm_is_xen(m) || mm_frame[m].owner != d || mm_frame[m].count >= MM_MAXREF then MM_EINVAL
  else if !(mm_frame[m].tcount == 0 || mm_frame[m].type == t) || mm_frame[m].tcount >= MM_MAXREF then MM_EINVAL
  else if mm_frame[m].pinned then MM_EINVAL
  else MM_OK

/// MMUEXT_UNPIN_TABLE: get_page_from_mfn(mfn, pg_owner) (the frame must be the caller's: -EINVAL),
/// then test_and_clear_bit(_PGT_pinned) ("not pinned": -EINVAL).
@ref("xen/arch/x86/mm.c:do_mmuext_op")
def mm_xen_rc_unpin(d: Dom, m: Mfn): MmResult =
  if mm_is_xen(m) || mm_frame[m].owner != d then MM_EINVAL
  else if !mm_frame[m].pinned then MM_EINVAL
  else MM_OK

/// MMU_NORMAL_PT_UPDATE on an L1 entry: the table must be d's live L1 (-EINVAL); an unchanged
/// entry takes the fast path (0); a new present entry needs get_page_from_l1e: the target d's with
/// room for a reference, and for RW the writable type (-EINVAL).
@ref("xen/arch/x86/mm.c:do_mmu_update")
@ref("xen/arch/x86/mm.c:mod_l1_entry")
def mm_xen_rc_update_l1e(d: Dom, t: Mfn, i: MmL1Idx, nw: MmPte): MmResult =
  if mm_is_xen(t) || mm_frame[t].owner != d || mm_frame[t].type != pgt_l1 || mm_frame[t].tcount == 0 then MM_EINVAL
  else if nw == mm_l1e[t][i] then MM_OK
  else if nw.present && (mm_is_xen(nw.mfn) || mm_frame[nw.mfn].owner != d || mm_frame[nw.mfn].count >= MM_MAXREF) then MM_EINVAL
  else if nw.present && nw.rw && (!(mm_frame[nw.mfn].tcount == 0 || mm_frame[nw.mfn].type == pgt_writable)
                                   || mm_frame[nw.mfn].tcount >= MM_MAXREF) then MM_EINVAL
  else MM_OK

/// MMU_NORMAL_PT_UPDATE on an L2 entry: the table must be d's live L2 (-EINVAL); mod_l2_entry then
/// refuses Xen's slots before anything else (-EPERM, "Bad L2 update in Xen-private area"), then the
/// unchanged fast path (0), then get_page_from_l2e: the target d's, taking an L1 type (-EINVAL).
@ref("xen/arch/x86/mm.c:mod_l2_entry")
def mm_xen_rc_update_l2e(d: Dom, t: Mfn, s: MmSlot, nw: MmPte): MmResult =
  if mm_is_xen(t) || mm_frame[t].owner != d || mm_frame[t].type != pgt_l2 || mm_frame[t].tcount == 0 then MM_EINVAL
  else if mm_is_xen_slot(s) then MM_EPERM
  else if nw == mm_l2e[t][s] then MM_OK
  else if nw.present && (mm_is_xen(nw.mfn) || mm_frame[nw.mfn].owner != d || mm_frame[nw.mfn].count >= MM_MAXREF
                         || !(mm_frame[nw.mfn].tcount == 0 || mm_frame[nw.mfn].type == pgt_l1)
                         || mm_frame[nw.mfn].tcount >= MM_MAXREF) then MM_EINVAL
  else MM_OK

/// MMUEXT_NEW_BASEPTR: new_guest_cr3's get_page_and_type_from_mfn(mfn, root table type): -EINVAL.
@ref("xen/arch/x86/mm.c:new_guest_cr3")
def mm_xen_rc_new_baseptr(d: Dom, m: Mfn): MmResult =
  if mm_is_xen(m) || mm_frame[m].owner != d || mm_frame[m].count >= MM_MAXREF then MM_EINVAL
  else if !(mm_frame[m].tcount == 0 || mm_frame[m].type == pgt_l2) || mm_frame[m].tcount >= MM_MAXREF then MM_EINVAL
  else MM_OK

/// MMU_MACHPHYS_UPDATE: get_page_from_mfn(mfn, pg_owner): the frame must be the caller's (-EINVAL).
@ref("xen/arch/x86/mm.c:do_mmu_update")
def mm_xen_rc_machphys(d: Dom, m: Mfn): MmResult =
  if mm_is_xen(m) || mm_frame[m].owner != d then MM_EINVAL else MM_OK

// ---------------------------------------------------------------------------------------------
// Domain death (memory's part of domain_kill)

/// Mark d dying as far as memory is concerned (called by mm_kill standalone; xen.xm may call it
/// from hook_domain_dying).
@ref("xen/common/domain.c:domain_kill")
proc mm_domain_dying(d: Dom) {
  mm_dying[d] := true
}

/// Standalone stand-in for domain_kill: a guest (never the control domain) starts dying.
@ref("xen/common/domain.c:domain_kill")
action mm_kill(d: Dom) {
  require MM_STANDALONE_KILL && !is_privileged(d) && !mm_dying[d]
  mm_domain_dying(d)
  mm_set_rc(MM_OK)
}

/// Has d released all memory references it holds itself (base pointer, pins, allocations)? Frames
/// that others still reference stay owned by d (a zombie) until those references go.
@ref("xen/arch/x86/domain.c:relinquish_memory")
def mm_relinquish_done(d: Dom): bool =
  mm_no_inflight(d) && (forall v: VCpu :: dom_of(v) == d => mm_cr3[v] == none) &&
  (forall m: Mfn :: mm_frame[m].owner == d => !mm_frame[m].pinned && !mm_frame[m].allocated)

/// One preemptible step of relinquish_memory: first each vcpu's page-table base, lowest vcpu first
/// (vcpu_destroy_pagetables), then per frame: drop its pin (put_page_and_type), else its
/// allocation reference (clear PGC_allocated, put_page) and its physmap entry.
@ref("xen/arch/x86/domain.c:relinquish_memory")
@ref("xen/arch/x86/mm.c:vcpu_destroy_pagetables")
proc mm_relinquish_one(d: Dom) {
  if exists v: VCpu :: dom_of(v) == d && mm_cr3[v] != none {
    choose v: VCpu where dom_of(v) == d && mm_cr3[v] != none
                         && (forall k: VCpu :: ord(k) < ord(v) => !(dom_of(k) == d && mm_cr3[k] != none)) {
      let b = get(mm_cr3[v])
      mm_cr3[v] := none
      mm_put_page_and_type(b)
    }
  } else if exists m: Mfn :: mm_frame[m].owner == d && mm_frame[m].pinned {
    choose m: Mfn where mm_frame[m].owner == d && mm_frame[m].pinned
                        && (forall k: Mfn :: ord(k) < ord(m) => !(mm_frame[k].owner == d && mm_frame[k].pinned)) {
      mm_do_unpin(m)
    }
  } else if exists m: Mfn :: mm_frame[m].owner == d && mm_frame[m].allocated {
    choose m: Mfn where mm_frame[m].owner == d && mm_frame[m].allocated
                        && (forall k: Mfn :: ord(k) < ord(m) => !(mm_frame[k].owner == d && mm_frame[k].allocated)) {
      foreach q: Pfn where mm_p2m[d][q] == m {
        mm_physmap_remove(d, q)
      }
      mm_frame[m].allocated := false
      mm_put_page(m)
    }
  }
}

/// The relinquish loop, one step per action (Xen returns -ERESTART between steps).
@ref("xen/arch/x86/domain.c:domain_relinquish_resources")
action mm_relinquish_step(d: Dom) {
  require MM_STANDALONE_KILL && mm_is_dying(d) && !mm_relinquish_done(d)
  mm_relinquish_one(d)
  mm_set_rc(MM_OK)
}

// ---------------------------------------------------------------------------------------------
// Properties, group A (memory isolation) and B (page types)

/// A1. A free frame (no owner) has no references, no allocation, no type references, no pin, no
/// M2P entry, and nothing maps it. (At most one owner holds by construction: owner is one field.)
@ref("xen/common/page_alloc.c:free_domheap_pages")
invariant mm_free_frame_clean: forall m: Mfn :: mm_is_free(m) =>
  mm_frame[m].count == 0 && !mm_frame[m].allocated && mm_frame[m].tcount == 0 &&
  !mm_frame[m].pinned && mm_m2p[m] == none &&
  (forall t: Mfn, i: MmL1Idx :: !(mm_l1e[t][i].present && mm_l1e[t][i].mfn == m)) &&
  (forall t: Mfn, s: MmSlot :: !(mm_l2e[t][s].present && mm_l2e[t][s].mfn == m)) &&
  (forall v: VCpu :: mm_cr3[v] != m)

/// Xen's frames are never handed to a guest.
invariant mm_xen_frames_unowned: forall m: Mfn :: mm_is_xen(m) => mm_frame[m].owner == none

/// A2. Every guest page-table mapping of domain d (entries of d's tables, its vcpus' bases) targets
/// a frame d owns (Xen's slots excepted: they are Xen's). Grant mappings: see spec/grant.xm.
@ref("xen/arch/x86/mm.c:get_page_from_l1e")
invariant mm_mappings_owned:
  (forall t: Mfn, i: MmL1Idx :: mm_l1e[t][i].present =>
     mm_frame[t].owner != none && mm_frame[mm_l1e[t][i].mfn].owner == mm_frame[t].owner) &&
  (forall t: Mfn, s: MmSlot :: mm_l2e[t][s].present && !mm_is_xen_slot(s) =>
     mm_frame[t].owner != none && mm_frame[mm_l2e[t][s].mfn].owner == mm_frame[t].owner) &&
  (forall v: VCpu :: mm_cr3[v] != none => mm_frame[get(mm_cr3[v])].owner == dom_of(v))

/// A3. No guest mapping covers Xen's reserved slice: in every live L2 table, Xen's slots hold
/// exactly Xen's own read-only entry, and no guest-controlled entry targets a Xen frame (so no guest
/// maps a Xen frame writable).
@ref("xen/arch/x86/mm.c:mod_l2_entry")
invariant mm_xen_slots_intact:
  (forall t: Mfn, s: MmSlot :: mm_is_xen_slot(s) =>
     (if mm_live(t, pgt_l2) then mm_l2e[t][s] == mm_xen_entry() else !mm_l2e[t][s].present)) &&
  (forall t: Mfn, s: MmSlot :: mm_l2e[t][s].present && !mm_is_xen_slot(s) => !mm_is_xen(mm_l2e[t][s].mfn)) &&
  (forall t: Mfn, i: MmL1Idx :: mm_l1e[t][i].present => !mm_is_xen(mm_l1e[t][i].mfn))

/// A4. tot_pages(d) equals the number of frames d owns and never exceeds max_pages(d).
@ref("xen/common/page_alloc.c:assign_pages")
invariant mm_tot_pages_exact: forall d: Dom ::
  mm_tot_pages[d] == (count m: Mfn :: mm_frame[m].owner == d) && mm_tot_pages[d] <= mm_max_pages[d]

/// A5. P2M and M2P agree: a populated pfn of d maps a frame d owns whose M2P entry is that pfn.
@ref("xen/arch/x86/mm/p2m.c:guest_physmap_add_page")
invariant mm_p2m_m2p_agree: forall d: Dom, p: Pfn :: mm_p2m[d][p] != none =>
  mm_frame[get(mm_p2m[d][p])].owner == d && mm_m2p[get(mm_p2m[d][p])] == p

/// B6 (state part; the step part is the assert in mm_set_type). A pinned frame has a page-table
/// type, a type count >= 1 and is validated; a live table is validated.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
invariant mm_pinned_validated: forall m: Mfn ::
  (mm_frame[m].pinned => mm_is_pt(mm_frame[m].type) && mm_frame[m].tcount >= 1 && mm_frame[m].validated) &&
  (mm_frame[m].tcount > 0 => mm_frame[m].validated)

/// B7. A frame that is writably mapped has the writable type with a non-zero count, so no page
/// table (or descriptor page) is ever writable by a guest.
@ref("xen/arch/x86/mm.c:get_page_from_l1e")
invariant mm_rw_maps_writable: forall t: Mfn, i: MmL1Idx :: mm_l1e[t][i].present && mm_l1e[t][i].rw =>
  mm_live(mm_l1e[t][i].mfn, pgt_writable)

/// B7 (tables): an L2 entry points to a live L1 table and each vcpu's base to a live L2 table, and
/// only live tables have entries.
@ref("xen/arch/x86/mm.c:get_page_from_l2e")
invariant mm_tables_typed:
  (forall t: Mfn, s: MmSlot :: mm_l2e[t][s].present && !mm_is_xen_slot(s) => mm_live(mm_l2e[t][s].mfn, pgt_l1)) &&
  (forall v: VCpu :: mm_cr3[v] != none => mm_live(get(mm_cr3[v]), pgt_l2)) &&
  (forall t: Mfn, i: MmL1Idx :: mm_l1e[t][i].present => mm_live(t, pgt_l1)) &&
  (forall t: Mfn, s: MmSlot :: mm_l2e[t][s].present => mm_live(t, pgt_l2))

/// B8 (the XSA-287 hardening): refcount > 0 => an owner; PGC_allocated => refcount > 0;
/// type count > 0 => refcount > 0. Xen's own frames are excepted (Xen heap, no owner).
@ref("xen/arch/x86/mm.c:put_page")
invariant mm_refcount_sane: forall m: Mfn :: !mm_is_xen(m) =>
  (mm_frame[m].count > 0 => mm_frame[m].owner != none) &&
  (mm_frame[m].allocated => mm_frame[m].count > 0) &&
  (mm_frame[m].tcount > 0 => mm_frame[m].count > 0)

/// Races (MM_RACES): a pin in flight that holds its type reference sees the frame keep the type it
/// took, validated, with a non-zero count (a type reference pins the type: the XSA-401 class breaks
/// this when two pcpus' type changes cross). An idle pcpu's record is all defaults.
@ref("xen/arch/x86/mm.c:_get_page_type")
invariant mm_inflight_type_held: forall p: PCpu ::
  (mm_call[p].step == MM_PIN_SET =>
     mm_frame[mm_call[p].m].type == mm_call[p].t && mm_frame[mm_call[p].m].tcount >= 1 &&
     mm_frame[mm_call[p].m].validated) &&
  (mm_call[p].step == MM_IDLE => mm_call[p] == mm_idle_call())

/// A47. A writable translation a pcpu's TLB may still hold for domain d is to a frame d owns, or to
/// a free frame not yet given to anyone: a frame is handed to a domain only after every pcpu that
/// may hold a stale translation to it has flushed (alloc_heap_pages; gnttab_transfer flushes the
/// sender's cpus). A missing flush before reuse breaks it (mem-alloc-no-flush).
@ref("xen/common/page_alloc.c:alloc_heap_pages")
invariant mm_tlb_owner: forall p: PCpu, m: Mfn :: mm_tlb[p][m] != none =>
  mm_frame[m].owner == mm_tlb[p][m] || mm_frame[m].owner == none

/// B48. A frame that some pcpu may still hold a writable translation to is untyped or has the
/// writable type: a frame becomes a page table (or descriptor page) only after the pcpus that may
/// hold it flushed (_get_page_type's flush on a type change).
@ref("xen/arch/x86/mm.c:_get_page_type")
invariant mm_tlb_writable: forall p: PCpu, m: Mfn :: mm_tlb[p][m] != none =>
  mm_frame[m].type == pgt_writable || mm_frame[m].type == pgt_none

/// races: two pcpus running split pins next to every atomic memory operation; 1 guest frame + 1
/// Xen frame, 1 pfn, 1-entry tables (see docs/model.md for the measured states).
instance races { NDOM = 2, VPD = 2, NPCPU = 2, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_RACES = true }

// ---------------------------------------------------------------------------------------------
// Instances (state counts and times: docs/model.md and tests/test_spec.py)

/// small: 2 domains, 2 guest frames + 1 Xen frame, 1 pfn each, L2 with 1 guest slot + 1 Xen slot,
/// 1-entry L1s, max_pages 2. Measured: 2,999 states, depth 17, 0.5 s (explicit engine).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 2, MM_MAXREF = 3 }
/// default: 2 domains, 3 guest frames + 1 Xen frame, 2 pfns each, L2 with 2 guest slots + 1 Xen
/// slot, 1-entry L1s, max_pages 2. Measured: > 140,000 states by depth 7: meant for BMC / induction.
instance default { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 4, MM_NPFN = 2, MM_NSLOT = 3, MM_NL1E = 1,
                   MM_MAX_PAGES = 2, MM_MAXREF = 4 }
/// large: 2 domains, 4 guest frames, 2-entry L1s, max_pages 3.
instance large { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 5, MM_NPFN = 2, MM_NSLOT = 3, MM_NL1E = 2,
                 MM_MAX_PAGES = 3, MM_MAXREF = 5 }
/// Coverage (tests/test_spec_coverage.py): with `small` and `races`, these reach the branches listed in
/// docs/model.md's coverage section. Fewer pages allowed than frames (the E2BIG refusal).
instance cover_e2big { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                       MM_MAX_PAGES = 1, MM_MAXREF = 3 }
/// Results not recorded.
instance cover_norc { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                      MM_MAX_PAGES = 2, MM_MAXREF = 3, MM_RECORD_RC = false }
/// tlb: stale TLB entries, the flushes on reuse and type change, and per-vcpu bases (docs/model.md,
/// "Stale TLB entries"): 2 domains of 2 vcpus, 2 pcpus, 2 guest frames + 1 Xen frame, 2 pfns per
/// domain (so that a domain holds an L1 table and a frame it maps writable). Measured: 46,237
/// states, depth 15, 12 s (explicit engine).
instance tlb { NDOM = 2, VPD = 2, NPCPU = 2, MM_NMFN = 3, MM_NPFN = 2, MM_NSLOT = 2, MM_NL1E = 1,
               MM_MAX_PAGES = 2, MM_MAXREF = 3 }
