/// Lemmas for spec/pt64.xm (x86-64 PV page tables). Both are about the life cycle of a table's type:
/// `xenmodel prove spec/pt64.xm --lemmas proofs/pt64.xm` holds at `default` with them.
model pt64_proofs

include "../spec/pt64.xm"

/// A frame with a type reference is validated, and a page table with none is not: _get_page_type
/// validates a frame when it takes the first reference of a new type (or of a type not yet
/// validated), and the last type reference of a page table devalidates it (_put_page_type clears
/// PGT_validated: page-table pages must be unvalidated when their type count is zero). Needed for
/// pt_xen_l4_slots_intact under pt_pin and pt_new_baseptr (the CTI: a validated L4 with no type
/// reference and no Xen entries in its slots, which get_page_type takes as it is, without
/// init_xen_l4_slots), and for the asserts of pt_pin, pt_new_baseptr and pt_mmu_update ("type changes
/// only while the type count is 0": a live frame that is not validated would be re-typed).
@ref("xen/arch/x86/mm.c:_get_page_type")
@ref("xen/arch/x86/mm.c:_put_page_type")
lemma pt_validated_iff: forall m: Mfn ::
  (pt_frame[m].tcount > 0 => pt_frame[m].validated) &&
  (pt_is_table(pt_frame[m].type) && pt_frame[m].tcount == 0 => !pt_frame[m].validated)

/// An L4 with no type reference (being demoted, or dead) has nothing in Xen's slots: its last type
/// reference takes Xen's entries out at once (they hold no references), and only validation puts
/// them back. Needed for pt_entries_typed under pt_demote_step (the CTI: a demotion that drops the
/// last guest entry of an L4 whose Xen slot is still present, so the frame stops being a table being
/// demoted while it still holds an entry).
@ref("xen/arch/x86/mm.c:_put_page_type")
@ref("xen/arch/x86/mm.c:demote_l4_table")
lemma pt_dead_l4_no_xen_slots: forall t: Mfn, s: PtIdx ::
  pt_frame[t].type == pgt_l4 && pt_frame[t].tcount == 0 && pt_is_xen_slot(s) => !pt_ent[t][s].present
