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
/// - Transitive grants, grant table v2, sub-page copies and status frames are not modelled.
/// - A mapper does not map its own grants (Xen allows it; it adds nothing to isolation).
model grant

include "memory.xm"

/// Grant references per domain (entries of its grant table).
const GNT_NREF: int[1..2] = 1
/// Maptrack handles per domain (mappings it may hold at once).
const GNT_NHANDLE: int[1..3] = 2

/// A grant reference (an index into the granter's grant table).
sort GntRef = gref[GNT_NREF]
/// A maptrack handle (the mapper's index of one of its grant mappings).
sort GntHandle = gh[GNT_NHANDLE]

/// The type of a shared grant entry (GTF_type_mask). Transitive (3) is not modelled.
@ref("xen/include/public/grant_table.h:grant_entry_v1")
enum GntType { gtf_invalid, gtf_permit_access, gtf_accept_transfer }

/// Status of the last grant operation (GNTST_*). GNT_END_BUSY is the guest-side failure of
/// gnttab_end_foreign_access_ref (the entry is still in use), not a Xen status.
enum GntResult { GNTST_okay, GNTST_general_error, GNTST_bad_handle,
                 GNTST_no_device_space, GNTST_bad_page, GNT_END_BUSY }

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

// ---------------------------------------------------------------------------------------------
// Helpers

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

/// Grant mappings hold one general reference each on their frame, and a writable map one writable
/// type reference (memory.xm's counting lemma includes these).
override def mm_grant_refs(m: Mfn): int =
  sum d: Dom :: count h: GntHandle :: gnt_maptrack[d][h].in_use && gnt_frame(d, h) == m
override def mm_grant_wrefs(m: Mfn): int =
  sum d: Dom :: count h: GntHandle :: gnt_maptrack[d][h].in_use && gnt_maptrack[d][h].rw && gnt_frame(d, h) == m

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
  if gnt_sha[d][r].reading || gnt_sha[d][r].writing {
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
  require !mm_is_dying(d) && d != g
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
      gnt_sha[g][r].reading := true
      if rw {
        gnt_sha[g][r].writing := true
      }
      mm_get_page(m)
      if rw {
        mm_get_type(m, pgt_writable)
      }
      gnt_maptrack[d][h] := GntMap { in_use: true, granter: g, gref: r, host: host, rw: rw }
      gnt_set_rc(GNTST_okay)
    }
  }
}

/// Undo one mapping (unmap_common + unmap_common_complete): drop the pin of its kind, mark the frame
/// dirty if it was writable, drop the writable type and page references, then, in the same critical
/// section as the pin change (XSA-218, XSA-230), clear GTF_writing when no write pins remain and
/// GTF_reading when no pins remain; free the handle.
@ref("xen/common/grant_table.c:unmap_common_complete")
proc gnt_do_unmap(d: Dom, h: GntHandle) {
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
  if gnt_wpins(g, r) == 0 {
    gnt_sha[g][r].writing := false
  }
  if gnt_pins(g, r) == 0 {
    gnt_sha[g][r].reading := false
    gnt_act[g][r] := gnt_idle_active()
  }
}

/// GNTTABOP_unmap_grant_ref of mapper d's handle h (GNTST_bad_handle if unused).
@ref("xen/common/grant_table.c:unmap_common")
action gnt_unmap(d: Dom, h: GntHandle) {
  require !mm_is_dying(d)
  if !gnt_maptrack[d][h].in_use {
    gnt_set_rc(GNTST_bad_handle)
  } else {
    gnt_do_unmap(d, h)
    gnt_set_rc(GNTST_okay)
  }
}

/// GNTTABOP_copy from granter g's reference r into d's own frame at pfn: like a transient read map
/// of the source (acquire_grant_for_copy: permit_access for d, frame still g's) and a transient
/// write map of the destination (it must take the writable type); the destination is marked dirty.
/// Nothing else changes once the copy is done (the transient pins are released in the same call).
@ref("xen/common/grant_table.c:gnttab_copy")
@ref("xen/common/grant_table.c:acquire_grant_for_copy")
@ref("xen/common/grant_table.c:gnttab_copy_buf")
action gnt_copy(d: Dom, g: Dom, r: GntRef, pfn: Pfn) {
  require !mm_is_dying(d) && hook_dom_executes(d) && d != g
  let e = gnt_sha[g][r]
  let m = if gnt_pins(g, r) > 0 then gnt_act[g][r].mfn else e.mfn
  if e.gtype != gtf_permit_access || e.domid != d {
    gnt_set_rc(GNTST_general_error)
  } else if !mm_can_get_page(m, g) || mm_p2m[d][pfn] == none {
    gnt_set_rc(GNTST_bad_page)
  } else if !mm_can_get_type(get(mm_p2m[d][pfn]), pgt_writable) {
    gnt_set_rc(GNTST_general_error)
  } else {
    mm_hook_page_dirty(d, get(mm_p2m[d][pfn]))
    gnt_set_rc(GNTST_okay)
  }
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
}

/// The receiver's physmap gains the transferred page: P2M[pfn] = m and M2P[m] = pfn
/// (guest_physmap_add_page; for a PV guest it is the M2P update, set_gpfn_from_mfn).
@ref("xen/arch/x86/mm/p2m.c:guest_physmap_add_page")
proc gnt_transfer_physmap_add(e: Dom, pfn: Pfn, m: Mfn) {
  mm_p2m[e][pfn] := m
  mm_m2p[m] := pfn
}

// ---------------------------------------------------------------------------------------------
// A dying mapper's mappings (gnttab_release_mappings), one per step

/// Has d released all its grant mappings?
@ref("xen/common/grant_table.c:gnttab_release_mappings")
def gnt_release_done(d: Dom): bool = forall h: GntHandle :: !gnt_maptrack[d][h].in_use

/// Release the lowest mapping of dying domain d (one step of gnttab_release_mappings).
@ref("xen/common/grant_table.c:gnttab_release_mappings")
proc gnt_release_one(d: Dom) {
  choose h: GntHandle where gnt_maptrack[d][h].in_use &&
                            (forall k: GntHandle :: ord(k) < ord(h) => !gnt_maptrack[d][k].in_use) {
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

/// C10 (pins). Each pin counter equals the number of live mappings of its kind, all by the active
/// entry's mapper.
@ref("xen/common/grant_table.c:map_grant_ref")
invariant gnt_pins_match_maps: forall g: Dom, r: GntRef ::
  gnt_act[g][r].hr == gnt_maps(g, r, true, false) && gnt_act[g][r].hw == gnt_maps(g, r, true, true) &&
  gnt_act[g][r].dr == gnt_maps(g, r, false, false) && gnt_act[g][r].dw == gnt_maps(g, r, false, true) &&
  (forall d: Dom, h: GntHandle :: gnt_maptrack[d][h].in_use && gnt_maptrack[d][h].granter == g &&
     gnt_maptrack[d][h].gref == r => gnt_act[g][r].domid == d)

/// C10 (flags; XSA-218, XSA-230). GTF_reading <=> some pin; GTF_writing <=> some write pin.
@ref("xen/common/grant_table.c:unmap_common_complete")
invariant gnt_flags_match_pins: forall g: Dom, r: GntRef ::
  (gnt_sha[g][r].reading == (gnt_pins(g, r) > 0)) && (gnt_sha[g][r].writing == (gnt_wpins(g, r) > 0))

/// C11 (revocation). An entry in use (reading or writing) is still a permit_access entry: it has not
/// been revoked.
@ref("xen/include/public/grant_table.h:grant_entry_v1")
invariant gnt_in_use_not_revoked: forall g: Dom, r: GntRef ::
  (gnt_sha[g][r].reading || gnt_sha[g][r].writing) => gnt_sha[g][r].gtype == gtf_permit_access

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

// ---------------------------------------------------------------------------------------------
// Instances (state counts and times: docs/model.md and tests/test_spec.py). Page-table operations are off in small (MM_PT):
// grants are explored over allocation, release, transfer and death.

/// small: 2 domains, 2 guest frames + 1 Xen frame, 1 pfn, max_pages 1, 1 grant ref, 2 handles, no
/// page tables, results not recorded (with them the space is > 50,000 states: each refusal code
/// copies every state). Measured: 52,772 states, depth 21, 5 s (explicit engine).
instance small { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 GNT_NREF = 1, GNT_NHANDLE = 2 }
/// default: as small with max_pages 2 and results recorded (for BMC; not exhaustive in Python).
instance default { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                   MM_MAX_PAGES = 2, MM_MAXREF = 3, MM_PT = false, GNT_NREF = 1, GNT_NHANDLE = 2 }
/// large: page tables on, 3 guest frames, 2 pfns.
instance large { NDOM = 2, VPD = 1, NPCPU = 1, MM_NMFN = 4, MM_NPFN = 2, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 2, MM_MAXREF = 4, MM_PT = true, GNT_NREF = 1, GNT_NHANDLE = 2 }
