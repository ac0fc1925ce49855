/// Bug variant modelled on XSA-241 (x86: stale TLB entry due to page type release race): when a
/// frame's last writable type reference went, _put_page_type stored the frame's TLB-flush time stamp
/// after dropping the count, so a pcpu that retyped the frame in between compared against a stale
/// stamp, judged the pcpus already flushed and skipped the flush: a pcpu kept a writable
/// translation to what had become a page table, and the guest could write its own page table. The
/// model keeps the TLB contents rather than the flush clock, so the lost flush is written directly.
/// The one change: mm_set_type's type change does not flush the pcpus that may still hold the frame.
/// Breaks: mm_tlb_writable (properties.md B48); a write through the stale entry would then break
/// mm_pt_written_validated (B49).
/// Expected shortest trace: 7 steps (dom0 populates two pages, pins the first as an L1 table, maps
/// the second writable in it, a pcpu caches that translation, dom0 gives the table back, which
/// drops its entries; dom0 pins the second page as an L1 table: the failing state).
model mem_type_release_stale_tlb

include "../memory.xm"

/// _get_page_type's type change whose flush is filtered away by a stale time stamp.
@ref("xen/arch/x86/mm.c:_get_page_type")
@ref("xen/arch/x86/mm.c:_put_page_type")
override proc mm_set_type(m: Mfn, t: MmType) {
  assert mm_frame[m].tcount == 0, "type changes only while the type count is 0"
  mm_frame[m].type := t
  mm_frame[m].validated := true
  if t == pgt_l2 {
    foreach s: MmSlot where mm_is_xen_slot(s) {
      mm_l2e[m][s] := mm_xen_entry()
    }
  }
}

/// One domain with two pfns (an L1 table and a frame it maps writable), L1 tables only (MM_L2 = false:
/// the trace takes no L2 table and no base), one pcpu, results not recorded: trimmed for the bug, so
/// that BMC reaches depth 7 and a random run is not spent on a second domain's pages or on a base
/// (measured in tests/spec_expectations.py; the explicit engine's shortest trace is the 7 steps above).
instance small { NDOM = 1, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 2, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 2, MM_MAXREF = 2, MM_RECORD_RC = false,
                 MM_STANDALONE_KILL = false, MM_L2 = false }
