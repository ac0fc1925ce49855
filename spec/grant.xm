/// Grant tables (v1, x86 PV): how a domain lets another map, copy into or receive one of its frames
/// without giving up isolation. The granter writes entries {flags, domid, frame} in its shared grant
/// table; Xen keeps an active entry per granted reference (the pins: host/device x read/write
/// counters, the mapper and the frame) and, per mapper, a maptrack table of handles; mapping takes
/// the page references and (for a writable map) a writable type reference through spec/memory.xm.
///
/// Abstractions (and why):
/// - The guest side of the shared table is the protocol of the guest's gnttab library: an entry is
///   written only while invalid (gnttab_grant_foreign_access / _transfer) and revoked with the
///   compare-and-swap of gnttab_end_foreign_access_ref, which fails while reading / writing is set.
///   Arbitrary guest writes to its own entries are not modelled (Xen's _set_status_v1 re-reads the
///   entry with cmpxchg and the active entry keeps its own copy of domid and frame).
/// - A host mapping's page-table entry in the mapper (create_grant_pv_mapping, host_addr) is
///   represented by its maptrack entry: the model's grant mappings are the maptrack entries.
/// - Grant table v2 (GNT_V2) only as far as it changes behaviour: GNTTABOP_set_version, the status
///   array that holds GTF_reading / GTF_writing under v2, and one status frame per domain that the
///   guest may map (PV: a page reference) or have entered in its physmap (translated: a p2m entry
///   and the gfn Xen records for it). A real domain is either PV or translated; the model lets one
///   domain do both, so each of Xen's two release paths is exercised. The v2 entry's other fields
///   (sub-page, 64-bit frames) change nothing here. The guest's v2 revoke is modelled as v1's checked
///   revoke (Linux's gnttab_end_foreign_access_ref_v2 clears the type first and then reads the status).
/// - The mapper's TLB (GNT_TLB) holds one entry per pcpu, mapper and frame (none, read-only or
///   writable): two host mappings of one frame by one mapper share it, and every flush is of whole
///   pcpus, so what one of them caches is flushed with the other.
/// - Transitive grants and sub-page copies are not modelled.
/// - A mapper does not map its own grants (Xen allows it; it adds nothing to isolation).
model grant

include "memory.xm"

/// Grant references per domain (entries of its grant table).
const GNT_NREF: int[1..2] = 1
/// Maptrack handles per domain (mappings it may hold at once).
const GNT_NHANDLE: int[1..3] = 2
/// Split hypercalls (docs/model.md, "Hypercalls that interleave"): GNTTABOP_unmap_grant_ref runs as
/// the steps Xen takes between the active entry's spinlock and its lock-free reads (read the maptrack
/// flags; take act->lock; unmap_common's critical section; unmap_common_complete's critical section),
/// one per pcpu at a time. Off: the unmap is one atomic step (every instance with one pcpu).
const GNT_RACES: bool = false
/// Grant table version 2 (GNTTABOP_set_version, status frames). Off: every domain stays at v1 (as a
/// Xen booted with gnttab=max-ver:1, the XSA-226 mitigation).
@ref("xen/common/grant_table.c:parse_gnttab")
const GNT_V2: bool = false

/// The mapper's TLB holds the translations of its host grant mappings (docs/model.md, "Stale TLB
/// entries"): gnt_tlb_fill and gnt_tlb_write are actions. The flush the unmap does before it drops
/// the mapping's references happens whatever this says. Off by default (every grant file's instance
/// keeps its measured size); on in grant.xm's default, large, tlb and tlb_races and in spec/xen.xm.
const GNT_TLB: bool = false

/// A grant reference (an index into the granter's grant table).
sort GntRef = gref[GNT_NREF]
/// A maptrack handle (the mapper's index of one of its grant mappings).
sort GntHandle = gh[GNT_NHANDLE]

/// The type of a shared grant entry (GTF_type_mask). Transitive (3) is not modelled.
@ref("xen/include/public/grant_table.h:grant_entry_v1")
enum GntType { gtf_invalid, gtf_permit_access, gtf_accept_transfer }

/// Status of the last grant operation (GNTST_*). GNT_END_BUSY is the guest-side failure of
/// gnttab_end_foreign_access_ref (the entry is still in use), not a Xen status.
/// GNT_EBUSY is set_version's -EBUSY (a return code, not a GNTST status).
enum GntResult { GNTST_okay, GNTST_general_error, GNTST_bad_handle,
                 GNTST_no_device_space, GNTST_bad_page, GNT_END_BUSY, GNT_EBUSY }

/// A domain's grant table version (gt->gt_version).
@ref("xen/common/grant_table.c:gnttab_set_version")
enum GntVer { gnt_v1, gnt_v2 }

/// A v2 status entry (grant_status_t): GTF_reading and GTF_writing, which v2 keeps out of the shared
/// entry (status_entry).
@ref("xen/common/grant_table.c:_set_status_v2")
record GntStatus { reading: bool, writing: bool }

/// A domain's status frame (v2, nr_status_frames = 1): shared with the domain (a Xen heap page
/// owned by d, gnttab_populate_status_frames); the guest's page references to it (PV mappings:
/// count_info beyond the allocation reference); the physmap entries that map it (translated:
/// XENMAPSPACE_grant_table with XENMAPIDX_grant_table_status); whether Xen recorded its gfn
/// (gnttab_set_frame_gfn: Xen tracks one place per frame).
@ref("xen/common/grant_table.c:gnttab_populate_status_frames")
record GntStFrame { shared: bool, maps: int[0..2], p2m: int[0..2], gfn_rec: bool }

/// A shared grant entry: type, the domain it is for, the frame (an mfn for permit_access, the pfn
/// where the page should arrive for accept_transfer), GTF_readonly (guest), GTF_reading and
/// GTF_writing (Xen), GTF_transfer_completed (Xen). An invalid entry is all defaults.
record GntEntry { gtype: GntType, domid: Dom, mfn: Mfn, pfn: Pfn, readonly: bool,
                  reading: bool, writing: bool, completed: bool }

/// An active grant entry: the mapper, the frame, and the pins per kind (GNTPIN_hstr, hstw, devr,
/// devw). All defaults while unpinned.
record GntActive { domid: Dom, mfn: Mfn, hr: int[0..3], hw: int[0..3], dr: int[0..3], dw: int[0..3] }

/// A maptrack entry: which granter's reference is mapped, host or device, writable or not.
record GntMap { in_use: bool, granter: Dom, gref: GntRef, host: bool, rw: bool }

/// Where a pcpu is in a split unmap (GNT_RACES): idle; the maptrack flags read without a lock and
/// waiting for the active entry's lock (GU_LOCK); holding it (GU_LOCKED, in unmap_common); between
/// unmap_common and unmap_common_complete (GU_COMPLETE: the maptrack entry is free, the pin and the
/// page references are still held, the TLB flush is under way).
@ref("xen/common/grant_table.c:unmap_common")
enum GntStep { GU_IDLE, GU_LOCK, GU_LOCKED, GU_COMPLETE }

/// A pcpu's in-progress unmap and its locals: the mapper d and handle h, the granter g and reference
/// r read from the maptrack entry (op->rd, op->ref), and the kind of mapping unmap_common took off it
/// (op->done: host or device, writable or not). Idle: all defaults.
@ref("xen/common/grant_table.c:gnttab_unmap_common")
record GntCall { step: GntStep, d: Dom, h: GntHandle, g: Dom, r: GntRef, host: bool, rw: bool }

/// What a pcpu's TLB may still hold of a mapper's translations to a granted frame: nothing, a
/// read-only translation, or a writable one (a read-only and a writable mapping of the same frame
/// cached together count as writable).
@ref("xen/arch/x86/pv/grant_table.c:create_grant_pv_mapping")
enum GntTlbEntry { GTLB_NONE, GTLB_RO, GTLB_RW }

/// Each domain's shared grant table (as the granter).
@ref("xen/common/grant_table.c:shared_entry_v1")
var gnt_sha: Dom -> GntRef -> GntEntry
/// Each domain's active grant entries (Xen's, as the granter).
@ref("xen/common/grant_table.c:active_entry_acquire")
var gnt_act: Dom -> GntRef -> GntActive
/// Each domain's maptrack table (as the mapper).
@ref("xen/common/grant_table.c:get_maptrack_handle")
var gnt_maptrack: Dom -> GntHandle -> GntMap
/// Result of the last grant operation.
var gnt_rc: GntResult
/// Each domain's grant table version (v1 at creation).
@ref("xen/common/grant_table.c:grant_table_init")
var gnt_ver: Dom -> GntVer
/// Each domain's status array (v2: GTF_reading / GTF_writing of each entry).
@ref("xen/common/grant_table.c:status_entry")
var gnt_sts: Dom -> GntRef -> GntStatus
/// Each domain's status frame (v2).
@ref("xen/common/grant_table.c:gnttab_unpopulate_status_frames")
var gnt_stf: Dom -> GntStFrame
/// Each pcpu's in-progress split unmap (GNT_RACES; always idle otherwise).
@ref("xen/common/grant_table.c:gnttab_unmap_grant_ref")
var gnt_call: PCpu -> GntCall
/// Each pcpu's TLB, grant mappings' part: gnt_tlb[p][d][m] is what p may still hold of mapper d's
/// translations to frame m (another domain's frame that d maps through a grant). memory.xm's mm_tlb
/// keeps the owners' own translations; a flush of p empties both (mm_flush_pcpu).
@ref("xen/common/grant_table.c:gnttab_flush_tlb")
var gnt_tlb: PCpu -> Dom -> Mfn -> GntTlbEntry

// ---------------------------------------------------------------------------------------------
// Helpers

/// GTF_reading / GTF_writing of granter g's entry r, read from the array of g's current version
/// (the shared entry under v1, the status array under v2).
@ref("xen/common/grant_table.c:_set_status")
def gnt_reading(g: Dom, r: GntRef): bool =
  if gnt_ver[g] == gnt_v2 then gnt_sts[g][r].reading else gnt_sha[g][r].reading
def gnt_writing(g: Dom, r: GntRef): bool =
  if gnt_ver[g] == gnt_v2 then gnt_sts[g][r].writing else gnt_sha[g][r].writing
/// The total pin count of granter g's reference r (act->pin != 0).
def gnt_pins(g: Dom, r: GntRef): int = gnt_act[g][r].hr + gnt_act[g][r].hw + gnt_act[g][r].dr + gnt_act[g][r].dw
/// The write pins (GNTPIN_hstw_mask | GNTPIN_devw_mask).
def gnt_wpins(g: Dom, r: GntRef): int = gnt_act[g][r].hw + gnt_act[g][r].dw
/// The frame mapped by mapper d's handle h (the active entry's frame).
def gnt_frame(d: Dom, h: GntHandle): Mfn = gnt_act[gnt_maptrack[d][h].granter][gnt_maptrack[d][h].gref].mfn
/// The number of mapper handles of a given kind on granter g's reference r.
def gnt_maps(g: Dom, r: GntRef, host: bool, rw: bool): int =
  sum d: Dom :: count h: GntHandle :: gnt_maptrack[d][h].in_use && gnt_maptrack[d][h].granter == g &&
    gnt_maptrack[d][h].gref == r && gnt_maptrack[d][h].host == host && gnt_maptrack[d][h].rw == rw
/// The lowest free maptrack handle of d.
def gnt_lowest_free_handle(d: Dom, h: GntHandle): bool =
  !gnt_maptrack[d][h].in_use && (forall k: GntHandle :: ord(k) < ord(h) => gnt_maptrack[d][k].in_use)
/// The canonical unused entries.
def gnt_invalid_entry(): GntEntry = GntEntry { gtype: gtf_invalid, domid: Dom(0), mfn: Mfn(0), pfn: Pfn(0),
  readonly: false, reading: false, writing: false, completed: false }
def gnt_idle_active(): GntActive = GntActive { domid: Dom(0), mfn: Mfn(0), hr: 0, hw: 0, dr: 0, dw: 0 }
def gnt_free_map(): GntMap = GntMap { in_use: false, granter: Dom(0), gref: GntRef(0), host: false, rw: false }
def gnt_idle_call(): GntCall = GntCall { step: GU_IDLE, d: Dom(0), h: GntHandle(0), g: Dom(0), r: GntRef(0),
  host: false, rw: false }
/// Does pcpu p hold granter g's active entry r's spinlock (act->lock)? Only a split unmap holds it
/// across steps; every atomic operation that takes it does so within its one step.
@ref("xen/common/grant_table.c:active_entry_acquire")
def gnt_act_held(p: PCpu, g: Dom, r: GntRef): bool =
  gnt_call[p].step == GU_LOCKED && gnt_call[p].g == g && gnt_call[p].r == r
/// Is act->lock of (g, r) free (so an operation that takes it does not spin)?
def gnt_act_free(g: Dom, r: GntRef): bool = forall p: PCpu :: !gnt_act_held(p, g, r)
/// Unmaps between unmap_common and unmap_common_complete on (g, r) of a given kind: they still hold
/// the pin, the page reference and (writable) the type reference of a mapping whose maptrack entry
/// is already free.
@ref("xen/common/grant_table.c:unmap_common_complete")
def gnt_inflight(g: Dom, r: GntRef, host: bool, rw: bool): int =
  count p: PCpu :: gnt_call[p].step == GU_COMPLETE && gnt_call[p].g == g && gnt_call[p].r == r &&
    gnt_call[p].host == host && gnt_call[p].rw == rw
/// No pcpu is in the middle of an unmap by mapper d (domain_kill's domain_pause waits for d's
/// vcpus to leave Xen, so gnttab_release_mappings starts after the call completed).
@ref("xen/common/domain.c:domain_pause")
def gnt_no_inflight(d: Dom): bool = forall p: PCpu :: gnt_call[p].step == GU_IDLE || gnt_call[p].d != d
/// The frame of an unmap in flight (GU_COMPLETE: op->mfn, the active entry's frame).
def gnt_call_frame(p: PCpu): Mfn = gnt_act[gnt_call[p].g][gnt_call[p].r].mfn

/// Does mapper d hold a host mapping of frame m that still holds its reference: a live maptrack
/// entry, or an unmap in flight before unmap_common_complete (GU_COMPLETE: its PTE is gone, the TLB
/// flush not done)? With `rw`, a writable one.
@ref("xen/common/grant_table.c:unmap_common_complete")
def gnt_host_maps(d: Dom, m: Mfn, rw: bool): bool =
  (exists h: GntHandle :: gnt_maptrack[d][h].in_use && gnt_maptrack[d][h].host && (gnt_maptrack[d][h].rw || !rw)
     && gnt_frame(d, h) == m) ||
  (exists p: PCpu :: gnt_call[p].step == GU_COMPLETE && gnt_call[p].d == d && gnt_call[p].host
     && (gnt_call[p].rw || !rw) && gnt_call_frame(p) == m)

/// A pcpu that holds a grant translation to m is one memory.xm's flushes must reach (the type
/// change's and the allocation's filtered flush).
override def mm_hook_tlb_holds(p: PCpu, m: Mfn): bool = exists d: Dom :: gnt_tlb[p][d][m] != GTLB_NONE

/// A flush of p's whole TLB drops the grant translations too.
override proc mm_hook_tlb_flushed(p: PCpu) {
  foreach d: Dom {
    foreach k: Mfn {
      gnt_tlb[p][d][k] := GTLB_NONE
    }
  }
}

/// gnttab_flush_tlb(ld): flush_tlb_mask(ld->dirty_cpumask), the pcpus mapper d may have run on since
/// their last flush; the model flushes those that may hold one of d's translations to m (the others
/// hold nothing the unmap changes).
@ref("xen/common/grant_table.c:gnttab_flush_tlb")
proc gnt_flush_mapper_tlbs(d: Dom, m: Mfn) {
  foreach p: PCpu where gnt_tlb[p][d][m] != GTLB_NONE {
    mm_flush_pcpu(p)
  }
}

/// Grant mappings hold one general reference each on their frame, and a writable map one writable
/// type reference (memory.xm's counting lemma includes these).
/// Unmaps in flight (GU_COMPLETE) still hold theirs until unmap_common_complete.
override def mm_grant_refs(m: Mfn): int =
  (sum d: Dom :: count h: GntHandle :: gnt_maptrack[d][h].in_use && gnt_frame(d, h) == m) +
  (count p: PCpu :: gnt_call[p].step == GU_COMPLETE && gnt_call_frame(p) == m)
override def mm_grant_wrefs(m: Mfn): int =
  (sum d: Dom :: count h: GntHandle :: gnt_maptrack[d][h].in_use && gnt_maptrack[d][h].rw && gnt_frame(d, h) == m) +
  (count p: PCpu :: gnt_call[p].step == GU_COMPLETE && gnt_call[p].rw && gnt_call_frame(p) == m)

/// Record the result of a grant operation; the memory result is reset (only the last operation's
/// result is kept).
proc gnt_set_rc(r: GntResult) {
  if MM_RECORD_RC {
    gnt_rc := r
    mm_rc := MM_OK
  }
}

/// A memory operation's result also resets the grant result.
override proc mm_set_rc(r: MmResult) {
  if MM_RECORD_RC {
    mm_rc := r
    gnt_rc := GNTST_okay
  }
}

// ---------------------------------------------------------------------------------------------
// The granter's side (guest writes to its own shared table)

/// The granter d offers its frame at pfn to domain to (gnttab_grant_foreign_access): the entry is
/// written while invalid; the frame written is the one at pfn now.
@ref("xen/include/public/grant_table.h:grant_entry_v1")
action gnt_grant_access(d: Dom, r: GntRef, to: Dom, pfn: Pfn, ro: bool) {
  require !mm_is_dying(d) && to != d
  require gnt_sha[d][r].gtype == gtf_invalid && mm_p2m[d][pfn] != none
  gnt_sha[d][r] := GntEntry { gtype: gtf_permit_access, domid: to, mfn: get(mm_p2m[d][pfn]), pfn: Pfn(0),
                              readonly: ro, reading: false, writing: false, completed: false }
  gnt_set_rc(GNTST_okay)
}

/// The receiver d accepts a page from domain from, to arrive at its pfn
/// (gnttab_grant_foreign_transfer); the pfn is a hole of its physmap.
@ref("xen/include/public/grant_table.h:grant_entry_v1")
action gnt_accept_transfer(d: Dom, r: GntRef, from: Dom, pfn: Pfn) {
  require !mm_is_dying(d) && from != d
  require gnt_sha[d][r].gtype == gtf_invalid && mm_p2m[d][pfn] == none
  gnt_sha[d][r] := GntEntry { gtype: gtf_accept_transfer, domid: from, mfn: Mfn(0), pfn: pfn,
                              readonly: false, reading: false, writing: false, completed: false }
  gnt_set_rc(GNTST_okay)
}

/// The granter revokes entry r (gnttab_end_foreign_access_ref / _transfer_ref): a compare-and-swap
/// of the flags to 0 that fails while GTF_reading or GTF_writing is set, so an in-use grant cannot
/// be revoked. An accept_transfer entry is simply ended (a completed transfer's page is the
/// receiver's already).
@ref("xen/include/public/grant_table.h:grant_entry_v1")
action gnt_end_access(d: Dom, r: GntRef) {
  require !mm_is_dying(d)
  require gnt_sha[d][r].gtype != gtf_invalid
  if gnt_reading(d, r) || gnt_writing(d, r) {
    gnt_set_rc(GNT_END_BUSY)
  } else {
    gnt_sha[d][r] := gnt_invalid_entry()
    gnt_set_rc(GNTST_okay)
  }
}

// ---------------------------------------------------------------------------------------------
// Xen's side

/// GNTTABOP_map_grant_ref of granter g's reference r by mapper d (host or device, read or write).
/// Needs a free maptrack handle (GNTST_no_device_space); an entry of type permit_access for d, and
/// not readonly for a writable map (_set_status_v1: GNTST_general_error); the frame still g's
/// (page reference) and, for a writable map, a writable type reference (fails on a live page table).
/// On success: pin, GTF_reading (and GTF_writing), references, maptrack entry. Any failure undoes
/// everything (the model checks first, then commits).
@ref("xen/common/grant_table.c:map_grant_ref")
@ref("xen/common/grant_table.c:_set_status_v1")
action gnt_map(d: Dom, g: Dom, r: GntRef, host: bool, rw: bool) {
  let xen_rc = gnt_xen_rc_map(d, g, r, rw)
  require !mm_is_dying(d) && d != g
  require gnt_act_free(g, r)
  let e = gnt_sha[g][r]
  let m = if gnt_pins(g, r) > 0 then gnt_act[g][r].mfn else e.mfn
  if !(exists h: GntHandle :: !gnt_maptrack[d][h].in_use) {
    gnt_set_rc(GNTST_no_device_space)
  } else if e.gtype != gtf_permit_access || e.domid != d || (rw && e.readonly) {
    gnt_set_rc(GNTST_general_error)
  } else if !mm_can_get_page(m, g) || (rw && !mm_can_get_type(m, pgt_writable)) {
    gnt_set_rc(GNTST_general_error)
  } else {
    choose h: GntHandle where gnt_lowest_free_handle(d, h) {
      gnt_act[g][r].domid := d
      gnt_act[g][r].mfn := m
      if host && rw {
        gnt_act[g][r].hw := gnt_act[g][r].hw + 1
      } else if host {
        gnt_act[g][r].hr := gnt_act[g][r].hr + 1
      } else if rw {
        gnt_act[g][r].dw := gnt_act[g][r].dw + 1
      } else {
        gnt_act[g][r].dr := gnt_act[g][r].dr + 1
      }
      gnt_set_flags(g, r, true, rw || gnt_writing(g, r))
      mm_get_page(m)
      if rw {
        mm_get_type(m, pgt_writable)
      }
      gnt_maptrack[d][h] := GntMap { in_use: true, granter: g, gref: r, host: host, rw: rw }
      gnt_set_rc(GNTST_okay)
    }
  }
  assert !MM_RECORD_RC || gnt_rc == xen_rc, "gnt_xen_result: the result is not the one Xen returns in that state"
}

/// Undo one mapping: unmap_common takes the mapping out of d's page tables, gnttab_flush_tlb flushes
/// the pcpus that may still hold its translation, and only then unmap_common_complete releases it
/// (gnt_unmap_release). For a dying mapper (gnttab_release_mappings) the flush stands for
/// domain_kill's domain_pause: no pcpu still runs on d's page tables once its vcpus are paused.
@ref("xen/common/grant_table.c:gnttab_unmap_grant_ref")
@ref("xen/common/grant_table.c:gnttab_flush_tlb")
proc gnt_do_unmap(d: Dom, h: GntHandle) {
  gnt_flush_mapper_tlbs(d, gnt_frame(d, h))
  gnt_unmap_release(d, h)
}

/// Release one mapping (unmap_common_complete, after the flush): drop the pin of its kind, mark the
/// frame dirty if it was writable, drop the writable type and page references, then, in the same
/// critical section as the pin change (XSA-218, XSA-230), clear GTF_writing when no write pins remain
/// and GTF_reading when no pins remain; free the handle.
@ref("xen/common/grant_table.c:unmap_common_complete")
proc gnt_unmap_release(d: Dom, h: GntHandle) {
  let mt = gnt_maptrack[d][h]
  let g = mt.granter
  let r = mt.gref
  let m = gnt_act[g][r].mfn
  if mt.host && mt.rw {
    gnt_act[g][r].hw := gnt_act[g][r].hw - 1
  } else if mt.host {
    gnt_act[g][r].hr := gnt_act[g][r].hr - 1
  } else if mt.rw {
    gnt_act[g][r].dw := gnt_act[g][r].dw - 1
  } else {
    gnt_act[g][r].dr := gnt_act[g][r].dr - 1
  }
  if mt.rw {
    mm_hook_frame_written(g, m)
    mm_hook_page_dirty(g, m)
    mm_put_type(m)
  }
  mm_put_page(m)
  gnt_clear_flags(g, r)
  gnt_maptrack[d][h] := gnt_free_map()
}

/// Clear GTF_writing / GTF_reading to match the pins (unmap_common_complete); an unpinned active
/// entry returns to its idle value.
@ref("xen/common/grant_table.c:unmap_common_complete")
proc gnt_clear_flags(g: Dom, r: GntRef) {
  gnt_set_flags(g, r, gnt_reading(g, r) && gnt_pins(g, r) > 0, gnt_writing(g, r) && gnt_wpins(g, r) > 0)
  if gnt_pins(g, r) == 0 {
    gnt_act[g][r] := gnt_idle_active()
  }
}

/// Write GTF_reading / GTF_writing of granter g's entry r into the array of g's current version
/// (_set_status_v1 / gnttab_clear_flag on the shared entry; _set_status_v2 / gnttab_clear_flag on
/// status_entry).
@ref("xen/common/grant_table.c:_set_status_v2")
@ref("xen/common/grant_table.c:unmap_common_complete")
proc gnt_set_flags(g: Dom, r: GntRef, reading: bool, writing: bool) {
  if gnt_ver[g] == gnt_v2 {
    gnt_sts[g][r] := GntStatus { reading: reading, writing: writing }
  } else {
    gnt_sha[g][r].reading := reading
    gnt_sha[g][r].writing := writing
  }
}

/// GNTTABOP_unmap_grant_ref of mapper d's handle h (GNTST_bad_handle if unused).
@ref("xen/common/grant_table.c:unmap_common")
action gnt_unmap(d: Dom, h: GntHandle) {
  let xen_rc = gnt_xen_rc_unmap(d, h)
  require !GNT_RACES && !mm_is_dying(d)
  if !gnt_maptrack[d][h].in_use {
    gnt_set_rc(GNTST_bad_handle)
  } else {
    gnt_do_unmap(d, h)
    gnt_set_rc(GNTST_okay)
  }
  assert !MM_RECORD_RC || gnt_rc == xen_rc, "gnt_xen_result: the result is not the one Xen returns in that state"
}

// Split form of GNTTABOP_unmap_grant_ref (GNT_RACES), step by step as Xen takes it on one pcpu
// (unmap_grant_ref -> unmap_common; gnttab_flush_tlb; unmap_common_complete). The active entry's
// spinlock (act->lock, active_entry_acquire / active_entry_release) is the lock that serialises map,
// unmap, copy and release on one grant reference; Xen (ab)uses it to protect against two unmaps of
// one maptrack entry ("We can't assume there was no racing unmap for this maptrack entry").

/// Unmap, step 1 (unmap_common, before any lock): read_atomic(&map->flags); zero flags is
/// GNTST_bad_handle; else map->domid and map->ref are read (op->rd, op->ref) and the pcpu goes for
/// the active entry's lock.
@ref("xen/common/grant_table.c:unmap_common")
action gnt_unmap_begin(p: PCpu, d: Dom, h: GntHandle) {
  require GNT_RACES && !mm_is_dying(d) && gnt_call[p].step == GU_IDLE
  if !gnt_maptrack[d][h].in_use {
    gnt_set_rc(GNTST_bad_handle)
  } else {
    gnt_call[p] := GntCall { step: GU_LOCK, d: d, h: h, g: gnt_maptrack[d][h].granter,
                             r: gnt_maptrack[d][h].gref, host: false, rw: false }
  }
}

/// Unmap, step 2: active_entry_acquire(rgt, op->ref) (spin_lock(&act->lock): waits while another
/// pcpu holds it).
@ref("xen/common/grant_table.c:active_entry_acquire")
action gnt_unmap_lock(p: PCpu) {
  require gnt_call[p].step == GU_LOCK && gnt_act_free(gnt_call[p].g, gnt_call[p].r)
  gnt_call[p].step := GU_LOCKED
}

/// The re-check under act->lock (unmap_common: "Unstable handle"): the maptrack entry read before
/// the lock must still be in use and still name the same granter and reference; another pcpu's
/// unmap of the same handle may have freed it meanwhile.
@ref("xen/common/grant_table.c:unmap_common")
def gnt_unmap_recheck(p: PCpu): bool =
  gnt_maptrack[gnt_call[p].d][gnt_call[p].h].in_use &&
  gnt_maptrack[gnt_call[p].d][gnt_call[p].h].granter == gnt_call[p].g &&
  gnt_maptrack[gnt_call[p].d][gnt_call[p].h].gref == gnt_call[p].r

/// Unmap, step 3 (unmap_common's critical section, then active_entry_release): after the re-check
/// (GNTST_bad_handle if it fails), take the mapping off the maptrack entry (map->flags = 0,
/// op->done = its kind; put_maptrack_handle right after the unlock), release the lock, and mark the
/// frame dirty if the mapping was writable (gnttab_mark_dirty). The pin and the references stay
/// until unmap_common_complete.
@ref("xen/common/grant_table.c:unmap_common")
@ref("xen/common/grant_table.c:put_maptrack_handle")
action gnt_unmap_common(p: PCpu) {
  require gnt_call[p].step == GU_LOCKED
  let c = gnt_call[p]
  if !gnt_unmap_recheck(p) {
    gnt_call[p] := gnt_idle_call()
    gnt_set_rc(GNTST_bad_handle)
  } else {
    let mt = gnt_maptrack[c.d][c.h]
    gnt_maptrack[c.d][c.h] := gnt_free_map()
    gnt_call[p].host := mt.host
    gnt_call[p].rw := mt.rw
    gnt_call[p].step := GU_COMPLETE
    if mt.rw {
      mm_hook_frame_written(c.g, gnt_act[c.g][c.r].mfn)
      mm_hook_page_dirty(c.g, gnt_act[c.g][c.r].mfn)
    }
  }
}

/// Unmap, step 4 (gnttab_flush_tlb, then unmap_common_complete; one critical section under act->lock,
/// which must be free): flush the pcpus that may still hold the mapper's translation, drop the page references (put_page_and_type for a writable mapping), drop
/// the pin of its kind and, in the same critical section (the XSA-218 fix), clear GTF_writing /
/// GTF_reading to match the pins left.
@ref("xen/common/grant_table.c:unmap_common_complete")
action gnt_unmap_complete(p: PCpu) {
  require gnt_call[p].step == GU_COMPLETE && gnt_act_free(gnt_call[p].g, gnt_call[p].r)
  let c = gnt_call[p]
  let m = gnt_act[c.g][c.r].mfn
  gnt_flush_mapper_tlbs(c.d, m)
  gnt_call[p] := gnt_idle_call()
  if c.rw {
    mm_put_type(m)
  }
  mm_put_page(m)
  if c.host && c.rw {
    gnt_act[c.g][c.r].hw := gnt_act[c.g][c.r].hw - 1
  } else if c.host {
    gnt_act[c.g][c.r].hr := gnt_act[c.g][c.r].hr - 1
  } else if c.rw {
    gnt_act[c.g][c.r].dw := gnt_act[c.g][c.r].dw - 1
  } else {
    gnt_act[c.g][c.r].dr := gnt_act[c.g][c.r].dr - 1
  }
  gnt_clear_flags(c.g, c.r)
  gnt_set_rc(GNTST_okay)
}

// ---------------------------------------------------------------------------------------------
// The mapper's TLB (GNT_TLB): what a vcpu of the mapper caches of its host grant mappings

/// A vcpu of mapper d running on p touches its host mapping h (create_grant_pv_mapping wrote the PTE
/// into d's page tables, without _PAGE_RW for GNTMAP_readonly): p's TLB caches the translation,
/// writable only for a writable mapping. A device mapping has no CPU translation.
@ref("xen/arch/x86/pv/grant_table.c:create_grant_pv_mapping")
action gnt_tlb_fill(p: PCpu, d: Dom, h: GntHandle) {
  require GNT_TLB && gnt_maptrack[d][h].in_use && gnt_maptrack[d][h].host
  require !mm_is_dying(d) && mm_hook_runs_on(d, p)
  let m = gnt_frame(d, h)
  let e = if gnt_maptrack[d][h].rw then GTLB_RW else GTLB_RO
  require gnt_tlb[p][d][m] == GTLB_NONE || (e == GTLB_RW && gnt_tlb[p][d][m] == GTLB_RO)
  gnt_tlb[p][d][m] := e
}

/// The vcpu of d running on p stores through a writable grant translation p holds (a stale one
/// included). Nothing of Xen checks the store: it must not land in a live page table (B49). (Xen
/// marks the granter's page dirty when the mapping goes, gnttab_mark_dirty in unmap_common, not at
/// each store.)
@ref("xen/common/grant_table.c:gnttab_flush_tlb")
action gnt_tlb_write(p: PCpu, d: Dom, m: Mfn) {
  require GNT_TLB && gnt_tlb[p][d][m] == GTLB_RW
  require !mm_is_dying(d) && mm_hook_runs_on(d, p) && hook_dom_executes(d)
  mm_raw_write(m)
}

/// GNTTABOP_copy from granter g's reference r into d's own frame at pfn: like a transient read map
/// of the source (acquire_grant_for_copy: permit_access for d, frame still g's) and a transient
/// write map of the destination (it must take the writable type); the destination is marked dirty.
/// Nothing else changes once the copy is done (the transient pins are released in the same call).
@ref("xen/common/grant_table.c:gnttab_copy")
@ref("xen/common/grant_table.c:acquire_grant_for_copy")
@ref("xen/common/grant_table.c:gnttab_copy_buf")
action gnt_copy(d: Dom, g: Dom, r: GntRef, pfn: Pfn) {
  let xen_rc = gnt_xen_rc_copy(d, g, r, pfn)
  require !mm_is_dying(d) && hook_dom_executes(d) && d != g
  require gnt_act_free(g, r)
  let e = gnt_sha[g][r]
  let m = if gnt_pins(g, r) > 0 then gnt_act[g][r].mfn else e.mfn
  if e.gtype != gtf_permit_access || e.domid != d {
    gnt_set_rc(GNTST_general_error)
  } else if !mm_can_get_page(m, g) || mm_p2m[d][pfn] == none {
    gnt_set_rc(GNTST_bad_page)
  } else if !mm_can_get_type(get(mm_p2m[d][pfn]), pgt_writable) {
    gnt_set_rc(GNTST_general_error)
  } else {
    mm_hook_frame_written(d, get(mm_p2m[d][pfn]))
    mm_raw_write(get(mm_p2m[d][pfn]))
    mm_hook_page_dirty(d, get(mm_p2m[d][pfn]))
    gnt_set_rc(GNTST_okay)
  }
  assert !MM_RECORD_RC || gnt_rc == xen_rc, "gnt_xen_result: the result is not the one Xen returns in that state"
}

/// GNTTABOP_transfer of sender d's page at pfn to receiver e, whose reference r must be exactly an
/// accept_transfer entry for d (gnttab_prepare_for_transfer). steal_page needs the page to be d's
/// with only the allocation reference and no type reference (else GNTST_bad_page, nothing changes).
/// Once stolen, a receiver that is dying, has no headroom (tot_pages >= max_pages) or a bad entry
/// makes the call fail with GNTST_general_error and the stolen page is freed (as Xen does).
/// On success the page is e's, entered in e's physmap at the entry's pfn (guest_physmap_add_page
/// sets the M2P), and the entry gets the frame and GTF_transfer_completed.
@ref("xen/common/grant_table.c:gnttab_transfer")
@ref("xen/arch/x86/mm.c:steal_page")
action gnt_transfer(d: Dom, pfn: Pfn, e: Dom, r: GntRef) {
  let xen_rc = gnt_xen_rc_transfer(d, pfn, e, r)
  require !mm_is_dying(d) && d != e
  if mm_p2m[d][pfn] == none {
    gnt_set_rc(GNTST_bad_page)
  } else {
    let m = get(mm_p2m[d][pfn])
    if !(mm_frame[m].owner == d && mm_frame[m].allocated && mm_frame[m].count == 1 && mm_frame[m].tcount == 0) {
      gnt_set_rc(GNTST_bad_page)
    } else {
      // steal_page: the page leaves d (its list and tot_pages) and d's physmap.
      mm_physmap_remove(d, pfn)
      mm_tot_pages[d] := mm_tot_pages[d] - 1
      let ok = !mm_is_dying(e) && mm_tot_pages[e] < mm_max_pages[e] &&
               gnt_sha[e][r].gtype == gtf_accept_transfer && gnt_sha[e][r].domid == d &&
               !gnt_sha[e][r].completed && mm_p2m[e][gnt_sha[e][r].pfn] == none
      if ok {
        // gnttab_flush_tlb(d): the sender's cpus drop their translations before e gets the page.
        mm_flush_tlbs_holding(m)
        mm_frame[m].owner := e
        mm_frame[m].type := pgt_none
        mm_frame[m].validated := false
        mm_tot_pages[e] := mm_tot_pages[e] + 1
        gnt_transfer_physmap_add(e, gnt_sha[e][r].pfn, m)
        gnt_sha[e][r].mfn := m
        gnt_sha[e][r].completed := true
        gnt_set_rc(GNTST_okay)
      } else {
        // The stolen page is freed (free_domheap_page after the failure).
        mm_frame[m] := MmFrame { owner: none, allocated: false, count: 0, type: pgt_none, tcount: 0,
                                 validated: false, pinned: false }
        mm_m2p[m] := none
        gnt_set_rc(GNTST_general_error)
      }
    }
  }
  assert !MM_RECORD_RC || gnt_rc == xen_rc, "gnt_xen_result: the result is not the one Xen returns in that state"
}

/// The receiver's physmap gains the transferred page: P2M[pfn] = m and M2P[m] = pfn
/// (guest_physmap_add_page; for a PV guest it is the M2P update, set_gpfn_from_mfn).
@ref("xen/arch/x86/mm/p2m.c:guest_physmap_add_page")
proc gnt_transfer_physmap_add(e: Dom, pfn: Pfn, m: Mfn) {
  mm_p2m[e][pfn] := m
  mm_m2p[m] := pfn
}

// ---------------------------------------------------------------------------------------------
// Xen's results (properties.md K42): the GNTST_* status Xen writes for each grant operation, in Xen's
// order of checks, written from grant_table.c next to (not through) the actions' checks; each action
// takes `xen_rc` before it runs and asserts `gnt_xen_result` after (when results are recorded:
// MM_RECORD_RC). The granter's own table writes (grant_access, accept_transfer, end_access) are
// guest code, not hypercalls, and have no Xen status.

/// The frame behind granter g's entry r as map and copy see it: the pinned frame, else the entry's.
def gnt_xen_frame(g: Dom, r: GntRef): Mfn = if gnt_pins(g, r) > 0 then gnt_act[g][r].mfn else gnt_sha[g][r].mfn

/// get_page(page, rd) on the granted frame: g's and its count can grow (Xen frames never are).
def gnt_xen_page_ok(m: Mfn, g: Dom): bool = !mm_is_xen(m) && mm_frame[m].owner == g && mm_frame[m].count < MM_MAXREF

/// get_page_type(page, PGT_writable_page): no other type is live, and the count can grow.
def gnt_xen_writable_ok(m: Mfn): bool =
  (mm_frame[m].tcount == 0 || mm_frame[m].type == pgt_writable) && mm_frame[m].tcount < MM_MAXREF

/// GNTTABOP_map_grant_ref: get_maptrack_handle first (GNTST_no_device_space), then under the active
/// entry's lock _set_status_v1 (permit_access for the mapper, not GTF_readonly for a write map:
/// GNTST_general_error), then get_page / get_page_type on the frame (GNTST_general_error).
@ref("xen/common/grant_table.c:map_grant_ref")
@ref("xen/common/grant_table.c:_set_status_v1")
def gnt_xen_rc_map(d: Dom, g: Dom, r: GntRef, rw: bool): GntResult =
  if forall h: GntHandle :: gnt_maptrack[d][h].in_use then GNTST_no_device_space
  else if gnt_sha[g][r].gtype != gtf_permit_access || gnt_sha[g][r].domid != d || (rw && gnt_sha[g][r].readonly)
    then GNTST_general_error
  else if !gnt_xen_page_ok(gnt_xen_frame(g, r), g) || (rw && !gnt_xen_writable_ok(gnt_xen_frame(g, r)))
    then GNTST_general_error
  else GNTST_okay

/// GNTTABOP_unmap_grant_ref: unmap_common's read of map->flags; zero is GNTST_bad_handle.
@ref("xen/common/grant_table.c:unmap_common")
def gnt_xen_rc_unmap(d: Dom, h: GntHandle): GntResult =
  if !gnt_maptrack[d][h].in_use then GNTST_bad_handle else GNTST_okay

/// GNTTABOP_copy from granter g's entry r to the caller's pfn: the source first
/// (acquire_grant_for_copy: the entry is permit_access for d, GNTST_general_error; its frame still
/// g's, GNTST_bad_page), then the destination (gnttab_copy_claim_buf: get_paged_frame of the pfn,
/// GNTST_bad_page; get_page_type(PGT_writable_page), GNTST_general_error).
@ref("xen/common/grant_table.c:gnttab_copy_claim_buf")
@ref("xen/common/grant_table.c:acquire_grant_for_copy")
def gnt_xen_rc_copy(d: Dom, g: Dom, r: GntRef, pfn: Pfn): GntResult =
  if gnt_sha[g][r].gtype != gtf_permit_access || gnt_sha[g][r].domid != d then GNTST_general_error
  else if !gnt_xen_page_ok(gnt_xen_frame(g, r), g) || mm_p2m[d][pfn] == none then GNTST_bad_page
  else if !gnt_xen_writable_ok(get(mm_p2m[d][pfn])) then GNTST_general_error
  else GNTST_okay

/// GNTTABOP_transfer: the sender's pfn must hold a frame and steal_page must succeed (the sender's,
/// only the allocation reference, no type reference): GNTST_bad_page; only then the receiver: dying,
/// no headroom, or gnttab_prepare_for_transfer refusing the entry: GNTST_general_error.
@ref("xen/common/grant_table.c:gnttab_transfer")
@ref("xen/arch/x86/mm.c:steal_page")
def gnt_xen_rc_transfer(d: Dom, pfn: Pfn, e: Dom, r: GntRef): GntResult =
  if mm_p2m[d][pfn] == none then GNTST_bad_page
  else if !(mm_frame[get(mm_p2m[d][pfn])].owner == d && mm_frame[get(mm_p2m[d][pfn])].allocated
            && mm_frame[get(mm_p2m[d][pfn])].count == 1 && mm_frame[get(mm_p2m[d][pfn])].tcount == 0) then GNTST_bad_page
  else if mm_is_dying(e) || mm_tot_pages[e] >= mm_max_pages[e] then GNTST_general_error
  else if gnt_sha[e][r].gtype != gtf_accept_transfer || gnt_sha[e][r].domid != d || gnt_sha[e][r].completed
          || mm_p2m[e][gnt_sha[e][r].pfn] != none then GNTST_general_error
  else GNTST_okay

// ---------------------------------------------------------------------------------------------
// Grant table v2 (GNT_V2): the version switch and the status frames

/// An unused status frame (v1, or v2 before the guest mapped it).
def gnt_no_stf(): GntStFrame = GntStFrame { shared: false, maps: 0, p2m: 0, gfn_rec: false }

/// GNTTABOP_set_version by d (for its own table). Same version: nothing to do. Else, under the grant
/// table's write lock: any pinned active entry is -EBUSY; v1 -> v2 populates the status frame;
/// v2 -> v1 unpopulates it (gnttab_unpopulate_status_frames), which can fail with -EBUSY and then
/// leaves the table at v2; on success the shared entries are cleared ("no crud left over from the
/// old version"; the 8 reserved entries Xen preserves are the toolstack's, not modelled).
@ref("xen/common/grant_table.c:gnttab_set_version")
action gnt_set_version(d: Dom, v: GntVer) {
  let xen_rc = gnt_xen_rc_set_version(d, v)
  require GNT_V2 && !mm_is_dying(d)
  if gnt_ver[d] == v {
    gnt_set_rc(GNTST_okay)
  } else if exists r: GntRef :: gnt_pins(d, r) > 0 {
    gnt_set_rc(GNT_EBUSY)
  } else if v == gnt_v2 {
    gnt_stf[d] := GntStFrame { shared: true, maps: 0, p2m: 0, gfn_rec: false }
    gnt_switch(d, v)
  } else {
    gnt_unpopulate_status(d)
    if gnt_stf[d].shared {
      gnt_set_rc(GNT_EBUSY)
    } else {
      gnt_switch(d, v)
    }
  }
  assert !MM_RECORD_RC || gnt_rc == xen_rc, "gnt_xen_result: the result is not the one Xen returns in that state"
}

/// The switch itself (C53: only with no active entry): clear d's shared entries and status array,
/// then gt_version := v.
@ref("xen/common/grant_table.c:gnttab_set_version")
proc gnt_switch(d: Dom, v: GntVer) {
  assert forall r: GntRef :: gnt_pins(d, r) == 0,
    "gnt_version_switch_idle: the grant table version changed while an entry was pinned"
  foreach r: GntRef {
    gnt_sha[d][r] := gnt_invalid_entry()
    gnt_sts[d][r] := GntStatus { reading: false, writing: false }
  }
  gnt_ver[d] := v
  gnt_set_rc(GNTST_okay)
}

/// gnttab_unpopulate_status_frames: a translated guest's physmap entry at the recorded gfn is
/// removed first (guest_physmap_remove_page; the XSA-379 fix); then the allocation reference is
/// dropped and any reference left (a PV guest's mapping: count_info beyond PGC_xen_heap) is -EBUSY
/// and leaves the frame shared (the XSA-255 fix; Xen re-shares it and the table stays v2); else the
/// frame is freed (no longer shared).
@ref("xen/common/grant_table.c:gnttab_unpopulate_status_frames")
proc gnt_unpopulate_status(d: Dom) {
  if gnt_stf[d].gfn_rec {
    gnt_stf[d].p2m := gnt_stf[d].p2m - 1
    gnt_stf[d].gfn_rec := false
  }
  if gnt_stf[d].maps == 0 {
    gnt_stf[d].shared := false
  }
}

/// GNTTABOP_get_status_frames and the PV guest's mapping of the frame it returns (a page
/// reference through its page tables); under v1 there is no status frame (GNTST_general_error).
@ref("xen/common/grant_table.c:gnttab_get_status_frames")
action gnt_map_status(d: Dom) {
  require GNT_V2 && !mm_is_dying(d) && gnt_stf[d].maps == 0
  if gnt_ver[d] != gnt_v2 {
    gnt_set_rc(GNTST_general_error)
  } else {
    gnt_stf[d].maps := 1
    gnt_set_rc(GNTST_okay)
  }
}

/// The PV guest unmaps its status frame (put_page of its mapping).
@ref("xen/arch/x86/mm.c:put_page_from_l1e")
action gnt_unmap_status(d: Dom) {
  require GNT_V2 && !mm_is_dying(d) && gnt_stf[d].maps > 0
  gnt_stf[d].maps := 0
  gnt_set_rc(GNTST_okay)
}

/// XENMEM_add_to_physmap(XENMAPSPACE_grant_table, XENMAPIDX_grant_table_status) by a translated
/// guest (gnttab_map_frame): only under v2 (-EINVAL, recorded as GNTST_general_error); a frame
/// already mapped at the recorded gfn is removed from there first, then mapped at the new gfn,
/// which Xen records (one place per frame, so p2m stays at most 1).
@ref("xen/common/grant_table.c:gnttab_map_frame")
action gnt_add_status_physmap(d: Dom) {
  require GNT_V2 && !mm_is_dying(d)
  if gnt_ver[d] != gnt_v2 {
    gnt_set_rc(GNTST_general_error)
  } else {
    gnt_stf_physmap_add(d)
    gnt_set_rc(GNTST_okay)
  }
}

/// Map the status frame at a new gfn: the old place (if recorded) is removed, the new one recorded.
@ref("xen/common/grant_table.c:gnttab_map_frame")
proc gnt_stf_physmap_add(d: Dom) {
  if !gnt_stf[d].gfn_rec {
    gnt_stf[d].p2m := gnt_stf[d].p2m + 1
  }
  gnt_stf[d].gfn_rec := true
}

/// GNTTABOP_set_version's result: same version 0; a pinned entry -EBUSY; v2 -> v1 with the status
/// frame still mapped by the guest -EBUSY (after the physmap entry is gone); else 0.
@ref("xen/common/grant_table.c:gnttab_set_version")
@ref("xen/common/grant_table.c:gnttab_unpopulate_status_frames")
def gnt_xen_rc_set_version(d: Dom, v: GntVer): GntResult =
  if gnt_ver[d] == v then GNTST_okay
  else if exists r: GntRef :: gnt_pins(d, r) > 0 then GNT_EBUSY
  else if v == gnt_v1 && gnt_stf[d].maps > 0 then GNT_EBUSY
  else GNTST_okay

/// C54 (XSA-255, XSA-379, XSA-387). A domain has a status frame exactly while its table is v2, and a
/// status frame that is not (or no longer) shared is neither mapped by the guest nor in its physmap:
/// a switch back to v1 leaves nothing pointing at the freed page.
@ref("xen/common/grant_table.c:gnttab_unpopulate_status_frames")
invariant gnt_status_frames_owned: forall d: Dom ::
  gnt_stf[d].shared == (gnt_ver[d] == gnt_v2) &&
  (!gnt_stf[d].shared => gnt_stf[d].maps == 0 && gnt_stf[d].p2m == 0 && !gnt_stf[d].gfn_rec)

/// C55. A grant's GTF_reading / GTF_writing live in the array of its table's current version: under
/// v1 the status array is clear, under v2 the shared entries' flags are.
@ref("xen/common/grant_table.c:_set_status")
invariant gnt_status_current_array: forall g: Dom, r: GntRef ::
  (gnt_ver[g] == gnt_v1 => !gnt_sts[g][r].reading && !gnt_sts[g][r].writing) &&
  (gnt_ver[g] == gnt_v2 => !gnt_sha[g][r].reading && !gnt_sha[g][r].writing)

// ---------------------------------------------------------------------------------------------
// A dying mapper's mappings (gnttab_release_mappings), one per step

/// Has d released all its grant mappings?
@ref("xen/common/grant_table.c:gnttab_release_mappings")
def gnt_release_done(d: Dom): bool = gnt_no_inflight(d) && (forall h: GntHandle :: !gnt_maptrack[d][h].in_use)

/// Release the lowest mapping of dying domain d (one step of gnttab_release_mappings), under the
/// active entry's lock (waits while it is held), once no unmap of d's is in flight.
@ref("xen/common/grant_table.c:gnttab_release_mappings")
proc gnt_release_one(d: Dom) {
  choose h: GntHandle where gnt_no_inflight(d) && gnt_maptrack[d][h].in_use &&
                            (forall k: GntHandle :: ord(k) < ord(h) => !gnt_maptrack[d][k].in_use) &&
                            gnt_act_free(gnt_maptrack[d][h].granter, gnt_maptrack[d][h].gref) {
    gnt_do_unmap(d, h)
  }
}

/// One preemptible step of gnttab_release_mappings (Xen does this before relinquishing memory).
@ref("xen/common/grant_table.c:gnttab_release_mappings")
action gnt_release_step(d: Dom) {
  require MM_STANDALONE_KILL && mm_is_dying(d) && !gnt_release_done(d)
  gnt_release_one(d)
  gnt_set_rc(GNTST_okay)
}

// ---------------------------------------------------------------------------------------------
// Properties, group C (and A2 / B7 / A1 for grant mappings)

/// C9. A pinned grant has type permit_access, names the mapper, has the active entry's frame, and
/// has no write pin if it is readonly.
@ref("xen/common/grant_table.c:_set_status_v1")
invariant gnt_pinned_entry_valid: forall g: Dom, r: GntRef :: gnt_pins(g, r) > 0 =>
  gnt_sha[g][r].gtype == gtf_permit_access && gnt_sha[g][r].domid == gnt_act[g][r].domid &&
  gnt_sha[g][r].mfn == gnt_act[g][r].mfn && (gnt_sha[g][r].readonly => gnt_wpins(g, r) == 0)

/// C10 (pins). Each pin counter equals the number of live mappings of its kind plus the unmaps of
/// that kind in flight between unmap_common and unmap_common_complete (GNT_RACES; none otherwise),
/// all by the active entry's mapper.
@ref("xen/common/grant_table.c:map_grant_ref")
invariant gnt_pins_match_maps: forall g: Dom, r: GntRef ::
  gnt_act[g][r].hr == gnt_maps(g, r, true, false) + gnt_inflight(g, r, true, false) &&
  gnt_act[g][r].hw == gnt_maps(g, r, true, true) + gnt_inflight(g, r, true, true) &&
  gnt_act[g][r].dr == gnt_maps(g, r, false, false) + gnt_inflight(g, r, false, false) &&
  gnt_act[g][r].dw == gnt_maps(g, r, false, true) + gnt_inflight(g, r, false, true) &&
  (forall d: Dom, h: GntHandle :: gnt_maptrack[d][h].in_use && gnt_maptrack[d][h].granter == g &&
     gnt_maptrack[d][h].gref == r => gnt_act[g][r].domid == d) &&
  (forall p: PCpu :: gnt_call[p].step == GU_COMPLETE && gnt_call[p].g == g && gnt_call[p].r == r =>
     gnt_act[g][r].domid == gnt_call[p].d)

/// C10 (flags; XSA-218, XSA-230). GTF_reading <=> some pin; GTF_writing <=> some write pin.
@ref("xen/common/grant_table.c:unmap_common_complete")
invariant gnt_flags_match_pins: forall g: Dom, r: GntRef ::
  (gnt_reading(g, r) == (gnt_pins(g, r) > 0)) && (gnt_writing(g, r) == (gnt_wpins(g, r) > 0))

/// C11 (revocation). An entry in use (reading or writing) is still a permit_access entry: it has not
/// been revoked.
@ref("xen/include/public/grant_table.h:grant_entry_v1")
invariant gnt_in_use_not_revoked: forall g: Dom, r: GntRef ::
  (gnt_reading(g, r) || gnt_writing(g, r)) => gnt_sha[g][r].gtype == gtf_permit_access

/// C11 (zombie frames; XSA-255) and A2 for grant mappings: a frame mapped through a grant is still
/// owned by the granter (even a dying one) and referenced, and the grant is active for the mapper.
@ref("xen/common/grant_table.c:map_grant_ref")
invariant gnt_mapped_frame_live: forall d: Dom, h: GntHandle :: gnt_maptrack[d][h].in_use =>
  mm_frame[gnt_frame(d, h)].owner == gnt_maptrack[d][h].granter &&
  mm_frame[gnt_frame(d, h)].count > 0 &&
  gnt_pins(gnt_maptrack[d][h].granter, gnt_maptrack[d][h].gref) > 0 &&
  gnt_sha[gnt_maptrack[d][h].granter][gnt_maptrack[d][h].gref].domid == d

/// B7 for grant mappings (XSA-224): a writable grant mapping's frame has the writable type.
@ref("xen/common/grant_table.c:map_grant_ref")
invariant gnt_rw_map_writable: forall d: Dom, h: GntHandle ::
  gnt_maptrack[d][h].in_use && gnt_maptrack[d][h].rw => mm_live(gnt_frame(d, h), pgt_writable)

/// A57. A grant translation that a pcpu's TLB may still hold for mapper d is to a frame that is not
/// free, is owned by another domain (the granter), and that d still maps through a host grant mapping
/// holding its reference (a live maptrack entry, or an unmap in flight before its flush): the unmap
/// flushes the mapper's pcpus before unmap_common_complete drops the reference and clears
/// GTF_reading / GTF_writing, so the granter never sees a grant unused (and revokes and reuses the
/// frame) while the grantee can still reach it. Broken by grant-unmap-release-before-flush.
@ref("xen/common/grant_table.c:gnttab_flush_tlb")
@ref("xen/common/grant_table.c:unmap_common_complete")
invariant gnt_tlb_mapped: forall p: PCpu, d: Dom, m: Mfn :: gnt_tlb[p][d][m] != GTLB_NONE =>
  mm_frame[m].owner != none && mm_frame[m].owner != d && gnt_host_maps(d, m, false)

/// B58. A writable grant translation is backed by a writable host mapping of the same mapper (a
/// read-only grant mapping is never cached writable) and its frame has the writable type (B48 for
/// grant translations: a granted frame becomes a page table only after the flush).
@ref("xen/arch/x86/pv/grant_table.c:create_grant_pv_mapping")
invariant gnt_tlb_ro_not_writable: forall p: PCpu, d: Dom, m: Mfn :: gnt_tlb[p][d][m] == GTLB_RW =>
  gnt_host_maps(d, m, true) && mm_live(m, pgt_writable)

/// Lock discipline (GNT_RACES): an active entry's spinlock has at most one holder, and only a pcpu
/// inside unmap_common holds it; an idle pcpu's record is all defaults.
@ref("xen/common/grant_table.c:active_entry_acquire")
invariant gnt_act_lock_one_holder: forall g: Dom, r: GntRef, p: PCpu, q: PCpu ::
  (p != q => !(gnt_act_held(p, g, r) && gnt_act_held(q, g, r))) &&
  (gnt_call[p].step == GU_IDLE => gnt_call[p] == gnt_idle_call())

/// Races (GNT_RACES): an unmap in flight between unmap_common and unmap_common_complete still holds
/// the pin of its kind on a frame the granter owns (the references it holds keep the frame), and the
/// grant's flags still say it is in use; a pcpu about to take the lock read a live maptrack entry of
/// another domain's grant.
@ref("xen/common/grant_table.c:unmap_common_complete")
invariant gnt_inflight_unmap_pinned: forall p: PCpu ::
  (gnt_call[p].step == GU_COMPLETE =>
     gnt_pins(gnt_call[p].g, gnt_call[p].r) > 0 && gnt_reading(gnt_call[p].g, gnt_call[p].r) &&
     mm_frame[gnt_call_frame(p)].owner == gnt_call[p].g && mm_frame[gnt_call_frame(p)].count > 0) &&
  (gnt_call[p].step != GU_IDLE => gnt_call[p].g != gnt_call[p].d)

/// races: two pcpus running split unmaps next to the atomic map, copy, transfer and release; 2
/// domains, 1 guest frame + 1 Xen frame, 1 grant reference, 1 maptrack handle per domain (see
/// docs/model.md for the measured states).
instance races { NDOM = 2, VPD = 2, NPCPU = 2, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 GNT_NREF = 1, GNT_NHANDLE = 1, GNT_RACES = true}

// ---------------------------------------------------------------------------------------------
// Instances (state counts and times: docs/model.md and tests/test_spec.py). Page-table operations are off in small (MM_PT):
// grants are explored over allocation, release, transfer and death. The grant translations (GNT_TLB) are on in default,
// large, tlb and tlb_races, off in the others (small would grow from 52,772 to 130,916 states with them).

/// small: 2 domains, 2 guest frames + 1 Xen frame, 1 pfn, max_pages 1, 1 grant ref, 2 handles, no
/// page tables, results not recorded (with them the space is > 50,000 states: each refusal code
/// copies every state). Measured: 52,772 states, depth 21, 5 s (explicit engine).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 GNT_NREF = 1, GNT_NHANDLE = 2}
/// default: as small with max_pages 2 and results recorded (for BMC; not exhaustive in Python).
instance default { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                   MM_MAX_PAGES = 2, MM_MAXREF = 3, MM_PT = false, GNT_NREF = 1, GNT_NHANDLE = 2, GNT_TLB = true }
/// large: page tables on, 3 guest frames, 2 pfns.
instance large { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 4, MM_NPFN = 2, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 2, MM_MAXREF = 4, MM_PT = true, GNT_NREF = 1, GNT_NHANDLE = 2, GNT_TLB = true }
/// cover_v2: grant table v2 on, results recorded: 2 domains, 1 guest frame + 1 Xen frame, 1 grant
/// reference, 1 maptrack handle (the version switch, the status frame's PV and physmap mappings
/// next to map, unmap, copy, transfer and death). Measured: 104,920 states, depth 19, 2.4 s (explicit
/// engine; with the coverage pass it reaches every v2 action and every recorded result).
instance cover_v2 { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                    MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = true,
                    GNT_NREF = 1, GNT_NHANDLE = 1, GNT_V2 = true}
/// two_refs: two grant references per domain and a guest frame for each domain (pages of two
/// domains granted at once, cross-domain misuse of the wrong reference), 1 maptrack handle (so a
/// reference count never passes 2: MM_MAXREF 2 gives the same states as 3). Measured: 940,484 states,
/// depth 27, 73 s (explicit engine; a slow test).
instance two_refs { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                    MM_MAX_PAGES = 1, MM_MAXREF = 2, MM_PT = false, MM_RECORD_RC = false,
                    GNT_NREF = 2, GNT_NHANDLE = 1}
/// cover_pt: page tables on (a copy's destination can be a live page table: GNTST_general_error),
/// 2 domains, 2 guest frames, 1 grant reference, 1 maptrack handle, results not recorded.
/// Measured: 73,852 states, depth 21, 14 s under load (explicit engine).
instance cover_pt { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                    MM_MAX_PAGES = 1, MM_MAXREF = 2, MM_PT = true, MM_RECORD_RC = false,
                    GNT_NREF = 1, GNT_NHANDLE = 1}
/// tlb: the mapper's TLB (docs/model.md, "Stale TLB entries"): grant translations filled, written
/// through and flushed on two pcpus, with the atomic unmap; 2 domains, 1 guest frame + 1 Xen frame,
/// 1 grant reference, 2 maptrack handles (a read-only and a writable mapping of one frame), no page
/// tables, results not recorded. Measured: 6,250 states, depth 17, 3.7 s (explicit engine).
instance tlb { NDOM = 2, VPD = 1, NPCPU = 2, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
               MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
               GNT_NREF = 1, GNT_NHANDLE = 2, GNT_TLB = true }
/// tlb_races: as tlb with the split unmap (a translation cached before unmap_common is flushed between
/// it and unmap_common_complete) and 1 maptrack handle. Measured: 84,510 states, depth 33, 6.6 s.
instance tlb_races { NDOM = 2, VPD = 1, NPCPU = 2, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                     MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                     GNT_NREF = 1, GNT_NHANDLE = 1, GNT_RACES = true, GNT_TLB = true }
