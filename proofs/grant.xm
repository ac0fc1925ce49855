/// Lemmas that should make grant.xm's invariants (and memory.xm's, with grant mappings counted
/// through mm_grant_refs / mm_grant_wrefs) inductive:
/// `xenmodel prove spec/grant.xm --lemmas proofs/grant.xm`.
model grant_proofs

include "../spec/grant.xm"
include "memory.xm"

/// An unpinned active entry is the idle record. Needed so a fresh map's act->domid / act->mfn are
/// determined by the shared entry (gnt_pinned_entry_valid after the first pin).
lemma gnt_idle_canonical: forall g: Dom, r: GntRef :: gnt_pins(g, r) == 0 => gnt_act[g][r] == gnt_idle_active()

/// A free maptrack handle is the free record. Needed so gnt_maps counts only live mappings.
lemma gnt_free_map_canonical: forall d: Dom, h: GntHandle ::
  !gnt_maptrack[d][h].in_use => gnt_maptrack[d][h] == gnt_free_map()

/// An invalid shared entry is the invalid record; a non-permit_access entry has no Xen flags.
/// Needed for gnt_in_use_not_revoked after gnt_grant_access / gnt_accept_transfer.
lemma gnt_entries_canonical: forall g: Dom, r: GntRef ::
  (gnt_sha[g][r].gtype == gtf_invalid => gnt_sha[g][r] == gnt_invalid_entry()) &&
  (gnt_sha[g][r].gtype != gtf_permit_access => !gnt_sha[g][r].reading && !gnt_sha[g][r].writing)

/// A pinned grant's frame is still the granter's. Needed for gnt_mapped_frame_live: the maptrack
/// entries of one reference share the active entry's frame, and the references they hold keep it.
lemma gnt_pinned_frame_owned: forall g: Dom, r: GntRef :: gnt_pins(g, r) > 0 =>
  mm_frame[gnt_act[g][r].mfn].owner == g && !mm_is_xen(gnt_act[g][r].mfn)

/// A maptrack entry never names the mapper itself as granter. Needed because gnt_map refuses d == g
/// and the counting of pins per mapper assumes it.
lemma gnt_no_self_maps: forall d: Dom, h: GntHandle :: gnt_maptrack[d][h].in_use => gnt_maptrack[d][h].granter != d

/// An unmap in flight (GNT_RACES) past unmap_common holds the pin of the kind it took off the
/// maptrack entry, so that kind's counter is at least 1. Needed for gnt_pins_match_maps at
/// gnt_unmap_complete (the decrement never goes below the live mappings).
lemma gnt_inflight_kind_pinned: forall p: PCpu :: gnt_call[p].step == GU_COMPLETE =>
  (if gnt_call[p].host && gnt_call[p].rw then gnt_act[gnt_call[p].g][gnt_call[p].r].hw
   else if gnt_call[p].host then gnt_act[gnt_call[p].g][gnt_call[p].r].hr
   else if gnt_call[p].rw then gnt_act[gnt_call[p].g][gnt_call[p].r].dw
   else gnt_act[gnt_call[p].g][gnt_call[p].r].dr) >= 1
