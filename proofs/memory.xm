/// Lemmas that should make memory.xm's invariants inductive (checked with
/// `xenmodel prove spec/memory.xm --lemmas proofs/memory.xm`). Most invariants talk about
/// reference counts, and a count can only be related to the objects that hold references if the
/// exact accounting is itself an invariant: these are the counting lemmas the issue expects.
model memory_proofs

include "../spec/memory.xm"

/// Counting lemma for the general reference count: it is exactly PGC_allocated + the pin + the base
/// pointers + the page-table entries that target the frame + grant mappings (0 standalone) + the
/// split pins in flight (MM_RACES: from their get_page to their end). Needed
/// for mm_free_frame_clean (count 0 => nothing maps it), mm_refcount_sane (put_page frees exactly
/// when the last holder goes) and the decrements in put_page never underflowing.
lemma mm_count_exact: forall m: Mfn :: !mm_is_xen(m) =>
  mm_frame[m].count ==
    (if mm_frame[m].allocated then 1 else 0) + (if mm_frame[m].pinned then 1 else 0) +
    (count v: VCpu :: mm_cr3[v] == m) +
    (count t: Mfn, i: MmL1Idx :: mm_l1e[t][i].present && mm_l1e[t][i].mfn == m) +
    (count t: Mfn, s: MmSlot :: mm_l2e[t][s].present && !mm_is_xen_slot(s) && mm_l2e[t][s].mfn == m) +
    mm_grant_refs(m) + mm_inflight_refs(m)

/// Counting lemma for the type count: the pin + base pointers (L2) + L2 entries (L1) + RW L1 entries
/// and writable grant mappings (writable) + the split pins in flight that won their cmpxchg. Needed so that a type change at count 0 cannot leave a
/// stale holder of the old type (mm_rw_maps_writable, mm_tables_typed) and put_page_type never
/// underflows.
lemma mm_tcount_exact: forall m: Mfn :: !mm_is_xen(m) =>
  mm_frame[m].tcount ==
    (if mm_frame[m].pinned then 1 else 0) +
    (count v: VCpu :: mm_cr3[v] == m) +
    (count t: Mfn, s: MmSlot :: mm_l2e[t][s].present && !mm_is_xen_slot(s) && mm_l2e[t][s].mfn == m) +
    (count t: Mfn, i: MmL1Idx :: mm_l1e[t][i].present && mm_l1e[t][i].rw && mm_l1e[t][i].mfn == m) +
    mm_grant_wrefs(m) + mm_inflight_trefs(m)

/// A page-table frame whose type count dropped to 0 is devalidated. Needed for mm_xen_slots_intact:
/// re-taking the L2 type must re-validate (and so rewrite Xen's slots) rather than reuse the type.
lemma mm_dead_tables_unvalidated: forall m: Mfn ::
  mm_is_pt(mm_frame[m].type) && mm_frame[m].tcount == 0 => !mm_frame[m].validated

/// Non-present entries are the canonical empty entry. Needed because the Z3 encoding sees every
/// field: an entry with present false but a stale target must not count as a mapping anywhere.
lemma mm_entries_canonical:
  (forall t: Mfn, i: MmL1Idx :: !mm_l1e[t][i].present => mm_l1e[t][i] == mm_empty()) &&
  (forall t: Mfn, s: MmSlot :: !mm_l2e[t][s].present => mm_l2e[t][s] == mm_empty())

/// Xen's frames never change: no owner, count 1 (Xen heap), no type, no entries, no M2P entry.
/// Needed for mm_xen_frames_unowned and so that the Xen-slot entry never looks like a guest mapping.
lemma mm_xen_frames_fixed: forall m: Mfn :: mm_is_xen(m) =>
  mm_frame[m] == MmFrame { owner: none, allocated: false, count: 1, type: pgt_none, tcount: 0,
                           validated: false, pinned: false } &&
  mm_m2p[m] == none &&
  (forall i: MmL1Idx :: !mm_l1e[m][i].present) && (forall s: MmSlot :: !mm_l2e[m][s].present)

/// A free guest frame is exactly the free record. Needed so that populate's fresh record is the
/// only way a free frame becomes owned (no stale type or validated flag survives freeing).
lemma mm_free_canonical: forall m: Mfn :: mm_is_free(m) =>
  mm_frame[m] == MmFrame { owner: none, allocated: false, count: 0, type: pgt_none, tcount: 0,
                           validated: false, pinned: false }

/// A populated pfn's frame still holds its allocation reference. Needed for mm_p2m_m2p_agree: a
/// frame can only be freed (and lose its owner) after it left the P2M.
lemma mm_p2m_allocated: forall d: Dom, p: Pfn :: mm_p2m[d][p] != none => mm_frame[get(mm_p2m[d][p])].allocated

/// Every M2P entry is the inverse of a P2M entry of the frame's owner. Needed for mm_p2m_m2p_agree
/// under machphys_update and transfer (the M2P entry of a moved frame is never stale).
lemma mm_m2p_inverse: forall m: Mfn :: mm_m2p[m] != none =>
  mm_frame[m].owner != none && mm_p2m[get(mm_frame[m].owner)][get(mm_m2p[m])] == m

/// A split pin in flight (MM_RACES) works on a guest frame its domain owns, for a page-table type:
/// its general reference keeps the frame d's (gnt_transfer's steal_page needs a count of exactly 1).
/// Needed for mm_refcount_sane and the counting lemmas when the call drops its references.
lemma mm_inflight_call_sane: forall p: PCpu :: mm_call[p].step != MM_IDLE =>
  mm_owns(mm_call[p].d, mm_call[p].m) && mm_is_pt(mm_call[p].t)
