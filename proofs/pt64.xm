/// Lemmas for spec/pt64.xm.
model pt64_proofs

include "../spec/pt64.xm"

/// Xen's frame never changes: count 1 (Xen heap), no type, no entries.
lemma pt_xen_frame_fixed: forall m: Mfn :: pt_is_xen(m) =>
  pt_frame[m] == PtFrame { count: 1, type: pgt_none, tcount: 0, validated: false, partial: false, pinned: false } &&
  (forall i: PtIdx :: !pt_ent[m][i].present)

/// Non-present entries are the canonical empty one.
lemma pt_entries_canonical: forall t: Mfn, i: PtIdx :: !pt_ent[t][i].present => pt_ent[t][i] == pt_empty()

/// No entry has PSE.
lemma pt_no_pse: forall t: Mfn, i: PtIdx :: !pt_ent[t][i].pse

/// A frame with no type has no type reference.
lemma pt_untyped_clear: forall m: Mfn :: pt_frame[m].type == pgt_none =>
  pt_frame[m].tcount == 0 && !pt_frame[m].validated && !pt_frame[m].partial

/// A type reference implies validated; a table with none is devalidated.
lemma pt_validated_iff: forall m: Mfn ::
  (pt_frame[m].tcount > 0 => pt_frame[m].validated) &&
  (pt_is_table(pt_frame[m].type) && pt_frame[m].tcount == 0 => !pt_frame[m].validated)

/// A demotion in progress is on a table with no type reference.
lemma pt_partial_dead_table: forall m: Mfn :: pt_frame[m].partial =>
  pt_is_table(pt_frame[m].type) && pt_frame[m].tcount == 0

/// A dead L4 has no Xen slot entries.
lemma pt_dead_l4_no_xen_slots: forall t: Mfn, s: PtIdx ::
  pt_frame[t].type == pgt_l4 && pt_frame[t].tcount == 0 && pt_is_xen_slot(s) => !pt_ent[t][s].present
