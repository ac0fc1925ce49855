/// x86-64 PV page tables: the 4-level address space of today's Xen next to the x86-32 one of
/// spec/memory.xm. Every machine frame has a type (PGT_l1..PGT_l4_page_table, PGT_writable_page) with a
/// type count and PGT_validated / PGT_pinned; an entry of an Ln table (n >= 2) points to a frame the
/// domain may use with type L(n-1) (get_page_from_l2e / l3e / l4e), an L1 entry to a data frame, with
/// the writable type if it has RW (get_page_from_l1e). Every guest L4 table holds Xen's entries in its
/// slots ROOT_PAGETABLE_FIRST_XEN_SLOT..ROOT_PAGETABLE_LAST_XEN_SLOT (256..271, written by
/// init_xen_l4_slots; is_guest_l4_slot is false there), which the guest can never change. Linear
/// (recursive) page tables: an entry of an Ln table may point to an Ln table (itself, or another of the
/// domain's validated Ln tables) only read-only, and since XSA-240 a table that has such entries to
/// other tables may not itself be the target of one (Xen's linear_pt_count), so chains of linear tables
/// cannot form.
///
/// Scaled down for checking: a table has PT_NE entries; in an L4 table the last PT_NXSLOT of them are
/// Xen's (the slice 256..271 of 512). Frame 0 is Xen's (the frames its slots map); guest frames are
/// allocated to their domains at boot (frames 1..PT_NDOM0 to dom0, the rest to the last domain).
///
/// Abstractions (and why; docs/model.md, "The x86-64 PV address space"):
/// - Allocation, the P2M / M2P, grants and domain death are spec/memory.xm's: here every guest frame is
///   allocated from the start (PGC_allocated holds one general reference) and is never freed, so that
///   the state space goes to page tables.
/// - Frame contents are modelled for page tables only, and a table is typed empty: its entries are
///   then written through mod_l1_entry..mod_l4_entry, which run the same per-entry checks as promotion
///   of a pre-built table (promote_l1_table..promote_l4_table call get_page_from_l*e per entry).
/// - When a table loses its last type reference it is devalidated at once and its entries are dropped
///   one per step (pt_demote_step), as Xen's preemptible demote_l*_table does between its -ERESTART
///   continuations (PGT_partial): there is no recursion, and the frame cannot take a type until the
///   demotion is complete (Xen waits on it).
/// - Flags: present, RW, PSE; _PAGE_USER is what the guest sets on all its entries (adjust_guest_l*e)
///   and Xen's entries lack, so "the guest can use this entry" is "it does not map a Xen frame".
///   Superpages: PV guests may not set PSE in an L2 or L3 entry (L2_DISALLOW_MASK; L3_DISALLOW_MASK);
///   the model keeps the bit in L2 entries so that a superpage mapping (a leaf one level early, the
///   XSA-148 class) can be expressed; an L3 PSE (1 GB) is not modelled.
/// - One page-table base per domain (v->arch.guest_table of its vcpus; guest_table_user, the kernel /
///   user split of 64-bit PV, is not modelled).
model pt64

include "common.xm"

// ---------------------------------------------------------------------------------------------
// Sizes

/// Machine frames; frame 0 is Xen's.
const PT_NMFN: int[2..6] = 4
/// Guest frames of dom0 (frames 1..PT_NDOM0); the rest belong to the last domain.
const PT_NDOM0: int[1..5] = 2
/// Entries of a page table (512 in Xen).
const PT_NE: int[2..4] = 2
/// The last PT_NXSLOT entries of an L4 table are Xen's (slots 256..271 of 512).
const PT_NXSLOT: int[1..2] = 1
/// Bound of the general and type reference counts (get_page / get_page_type fail at it, as Xen's do
/// when count_info / type_info would overflow).
const PT_MAXREF: int[2..15] = 3

/// A machine frame.
sort Mfn = mfn[PT_NMFN]
/// An entry index of a page table (any level).
sort PtIdx = pte[PT_NE]
/// A page-table level, 1..4 (MMUEXT_PIN_L1_TABLE .. MMUEXT_PIN_L4_TABLE).
sort PtLvl = lvl[4]

/// The type of a frame (PGT_* in type_info).
@ref("xen/arch/x86/include/asm/mm.h:PGT_type_mask")
enum PtType { pgt_none, pgt_l1, pgt_l2, pgt_l3, pgt_l4, pgt_writable }

/// Result of the last page-table hypercall (0 or -EINVAL: every refusal on these paths is -EINVAL in
/// Xen: get_page_and_type_from_mfn, "Bad L4 flags", "L4 update in Xen-private area", the pin tests).
enum PtResult { PT_OK, PT_EINVAL }

/// A page-table entry. A non-present entry is always the canonical empty one.
record PtPte { present: bool, rw: bool, pse: bool, mfn: Mfn }

/// type_info and count_info of a frame: general reference count, type, type count, PGT_validated,
/// PGT_partial (a demotion in progress) and PGT_pinned. The owner is fixed (pt_owner).
record PtFrame { count: int[0..PT_MAXREF], type: PtType, tcount: int[0..PT_MAXREF], validated: bool,
                 partial: bool, pinned: bool }

// ---------------------------------------------------------------------------------------------
// State

/// frame_table: type and reference counts of every frame.
@ref("xen/arch/x86/include/asm/mm.h:page_info")
@view("frames") var pt_frame: Mfn -> PtFrame
/// Entries of every frame (meaningful only while it is a table: live, or being demoted).
var pt_ent: Mfn -> PtIdx -> PtPte
/// Each domain's page-table base (v->arch.guest_table, an L4 table for a 64-bit PV guest).
@ref("xen/arch/x86/mm.c:new_guest_cr3")
var pt_cr3: Dom -> Mfn?
/// Result of the last operation.
var pt_rc: PtResult

init {
  foreach m: Mfn {
    /// Xen's frame is Xen heap (count 1, no owner); a guest frame holds its PGC_allocated reference.
    pt_frame[m].count := 1
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Is m Xen's frame (the frames Xen's L4 slots map)?
def pt_is_xen(m: Mfn): bool = ord(m) == 0
/// The owner of guest frame m (page_get_owner; fixed in the model).
def pt_owner(m: Mfn): Dom = if ord(m) <= PT_NDOM0 then Dom(0) else Dom(NDOM - 1)
/// Is m a guest frame of d?
def pt_owns(d: Dom, m: Mfn): bool = !pt_is_xen(m) && pt_owner(m) == d
/// Is slot s of an L4 table one of Xen's (is_guest_l4_slot false: 256..271)?
@ref("xen/arch/x86/include/asm/x86_64/page.h:is_guest_l4_slot")
def pt_is_xen_slot(s: PtIdx): bool = ord(s) >= PT_NE - PT_NXSLOT
/// Is entry i of table t written by Xen rather than the guest (a Xen slot of an L4)?
def pt_xen_pos(t: Mfn, i: PtIdx): bool = pt_frame[t].type == pgt_l4 && pt_is_xen_slot(i)
/// The table type of a level.
def pt_type_of(l: PtLvl): PtType =
  if ord(l) == 0 then pgt_l1 else if ord(l) == 1 then pgt_l2 else if ord(l) == 2 then pgt_l3 else pgt_l4
/// Is t a page-table type? Is it one whose entries point to tables (L2..L4)?
def pt_is_table(t: PtType): bool = t == pgt_l1 || t == pgt_l2 || t == pgt_l3 || t == pgt_l4
def pt_is_dir(t: PtType): bool = t == pgt_l2 || t == pgt_l3 || t == pgt_l4
/// The type an entry of a table of type t asks of its target (PGT_l(n-1)_page_table).
def pt_child(t: PtType): PtType = if t == pgt_l4 then pgt_l3 else if t == pgt_l3 then pgt_l2 else pgt_l1
/// Is m a live table of type t (type t, type count > 0)?
def pt_live(m: Mfn, t: PtType): bool = pt_frame[m].type == t && pt_frame[m].tcount > 0
/// Does m's frame hold entries with references (a live table, or one being demoted)?
def pt_holds(m: Mfn): bool = pt_is_table(pt_frame[m].type) && (pt_frame[m].tcount > 0 || pt_frame[m].partial)
/// The canonical empty entry, and Xen's entry in its L4 slots (init_xen_l4_slots: Xen's mappings,
/// supervisor-only: no _PAGE_USER, so no guest access).
def pt_empty(): PtPte = PtPte { present: false, rw: false, pse: false, mfn: Mfn(0) }
@ref("xen/arch/x86/mm.c:init_xen_l4_slots")
def pt_xen_entry(): PtPte = PtPte { present: true, rw: true, pse: false, mfn: Mfn(0) }
/// Can the guest use entry e (present and user-accessible: it does not map a Xen frame)?
def pt_acc(e: PtPte): bool = e.present && !pt_is_xen(e.mfn)
/// get_page(m, d) would succeed.
@ref("xen/arch/x86/mm.c:get_page")
def pt_can_get_page(m: Mfn, d: Dom): bool = pt_owns(d, m) && pt_frame[m].count < PT_MAXREF
/// get_page_type(m, t) would succeed: the type is t (and not being torn down), or the type count is 0
/// and no demotion is in progress (Xen waits for it).
@ref("xen/arch/x86/mm.c:_get_page_type")
def pt_can_get_type(m: Mfn, t: PtType): bool =
  !pt_frame[m].partial && (pt_frame[m].tcount == 0 || pt_frame[m].type == t) && pt_frame[m].tcount < PT_MAXREF
/// get_page_and_type_from_mfn(m, t, d).
@ref("xen/arch/x86/mm.c:get_page_and_type_from_mfn")
def pt_can_get_both(m: Mfn, t: PtType, d: Dom): bool = pt_can_get_page(m, d) && pt_can_get_type(m, t)

/// Entry i of table t is a linear entry to another table: present, written by the guest, not a
/// superpage, and its target has t's own table type (Xen's test in _put_page_type:
/// PGT_type_equal(x, ptpg->u.inuse.type_info)). A self-map (target t) takes no reference and is not
/// counted.
@ref("xen/arch/x86/mm.c:_put_page_type")
def pt_lin(t: Mfn, i: PtIdx): bool =
  pt_ent[t][i].present && !pt_xen_pos(t, i) && !pt_ent[t][i].pse && pt_is_dir(pt_frame[t].type) &&
  pt_ent[t][i].mfn != t && pt_frame[pt_ent[t][i].mfn].type == pt_frame[t].type
/// linear_pt_count > 0: m has linear entries to other tables.
def pt_has_lin_entries(m: Mfn): bool = exists i: PtIdx :: pt_lin(m, i)
/// linear_pt_count < 0: m is the target of another table's linear entry.
def pt_lin_used(m: Mfn): bool = exists t: Mfn, i: PtIdx :: pt_lin(t, i) && pt_ent[t][i].mfn == m

/// get_page_from_l2e / l3e / l4e for entry nw of d's table t (of type ty): the target takes the child
/// type; failing that (-EINVAL), get_l*_linear_pagetable: read-only; a self-map needs nothing more;
/// another table must be t's owner's, a validated table of t's own type with room for a reference,
/// t may not be a linear target itself (inc_linear_entries) and the target may not have linear entries
/// (inc_linear_uses). A PSE bit is refused at every level (L2_DISALLOW_MASK, L3_DISALLOW_MASK,
/// L4_DISALLOW_MASK: no superpages for PV guests).
@ref("xen/arch/x86/mm.c:get_page_from_l4e")
@ref("xen/arch/x86/mm.c:get_page_from_l3e")
@ref("xen/arch/x86/mm.c:get_page_from_l2e")
def pt_pde_normal_ok(d: Dom, t: Mfn, nw: PtPte): bool = !nw.pse && pt_can_get_both(nw.mfn, pt_child(pt_frame[t].type), d)
@ref("xen/arch/x86/mm.c:define_get_linear_pagetable")
def pt_pde_linear_ok(d: Dom, t: Mfn, nw: PtPte): bool =
  !nw.pse && !nw.rw &&
  (nw.mfn == t ||
   (pt_owns(d, t) && pt_can_get_page(nw.mfn, d) && !pt_lin_used(t) && !pt_has_lin_entries(nw.mfn) &&
    pt_frame[nw.mfn].type == pt_frame[t].type && pt_frame[nw.mfn].validated &&
    pt_frame[nw.mfn].tcount > 0 && pt_frame[nw.mfn].tcount < PT_MAXREF))

/// Is entry i of t a leaf (an L1 entry, or a superpage)? Does it hold a general reference on m (a
/// guest entry to m, except a directory's self-map, which takes none)?
def pt_leaf_entry(t: Mfn, i: PtIdx): bool = pt_frame[t].type == pgt_l1 || pt_ent[t][i].pse
def pt_page_ref(t: Mfn, i: PtIdx, m: Mfn): bool =
  pt_ent[t][i].present && !pt_xen_pos(t, i) && pt_ent[t][i].mfn == m && (m != t || pt_leaf_entry(t, i))

/// Record the result.
proc pt_set_rc(r: PtResult) {
  pt_rc := r
}

// ---------------------------------------------------------------------------------------------
// Reference counting (procs are inlined; callers check first)

@ref("xen/arch/x86/mm.c:get_page")
proc pt_get_page(m: Mfn) {
  pt_frame[m].count := pt_frame[m].count + 1
}

/// Take a type reference of type t; a new table type is validated (promote_l*_table on an empty
/// table; an L4 gets Xen's slots, init_xen_l4_slots). Step property (B6): the type changes only while
/// the type count is 0.
@ref("xen/arch/x86/mm.c:_get_page_type")
@ref("xen/arch/x86/mm.c:init_xen_l4_slots")
proc pt_get_type(m: Mfn, t: PtType) {
  if pt_frame[m].type != t || !pt_frame[m].validated {
    assert pt_frame[m].tcount == 0, "pt64: type changes only while the type count is 0"
    pt_frame[m].type := t
    pt_frame[m].validated := true
    if t == pgt_l4 {
      foreach s: PtIdx where pt_is_xen_slot(s) {
        pt_ent[m][s] := pt_xen_entry()
      }
    }
  }
  pt_frame[m].tcount := pt_frame[m].tcount + 1
}

/// Drop a general reference (frames are never freed here: the allocation reference stays).
@ref("xen/arch/x86/mm.c:put_page")
proc pt_put_page(m: Mfn) {
  pt_frame[m].count := pt_frame[m].count - 1
}

/// Drop a type reference. The last one of a table devalidates it: Xen's entries of an L4 go at once
/// (they hold no references); if guest entries remain, the demotion continues in pt_demote_step
/// (PGT_partial).
@ref("xen/arch/x86/mm.c:_put_page_type")
@ref("xen/arch/x86/mm.c:_put_final_page_type")
proc pt_put_type(m: Mfn) {
  pt_frame[m].tcount := pt_frame[m].tcount - 1
  if pt_frame[m].tcount == 0 && pt_is_table(pt_frame[m].type) {
    pt_frame[m].validated := false
    if pt_frame[m].type == pgt_l4 {
      foreach s: PtIdx where pt_is_xen_slot(s) {
        pt_ent[m][s] := pt_empty()
      }
    }
    pt_frame[m].partial := exists i: PtIdx :: pt_ent[m][i].present && !pt_xen_pos(m, i)
  }
}

/// Drop the references entry e of table t holds (put_page_from_l1e; put_page_from_l2e..l4e): an L1
/// entry or a superpage its page (and writable type if RW); a self-map nothing; any other entry of a
/// directory the type and page of its target (a linear one's type reference too: Xen's
/// dec_linear_uses / dec_linear_entries are implied by the entry going away).
@ref("xen/arch/x86/mm.c:put_page_from_l1e")
@ref("xen/arch/x86/mm.c:put_page_from_l4e")
@ref("xen/arch/x86/mm.c:put_pt_page")
proc pt_put_entry(t: Mfn, e: PtPte) {
  if pt_frame[t].type == pgt_l1 || e.pse {
    if e.rw {
      pt_put_type(e.mfn)
    }
    pt_put_page(e.mfn)
  } else if e.mfn != t {
    pt_put_type(e.mfn)
    pt_put_page(e.mfn)
  }
}

// ---------------------------------------------------------------------------------------------
// Entry updates (MMU_NORMAL_PT_UPDATE; one proc per level as do_mmu_update dispatches)

/// Write nw into entry i of table t after its new references were taken, then drop the old entry's
/// (UPDATE_ENTRY, then put_page_from_l*e(ol*e)).
@ref("xen/arch/x86/mm.c:do_mmu_update")
proc pt_write(t: Mfn, i: PtIdx, nw: PtPte) {
  let old = pt_ent[t][i]
  pt_ent[t][i] := nw
  if old.present {
    pt_put_entry(t, old)
  }
  pt_set_rc(PT_OK)
}

/// mod_l1_entry: an unchanged entry takes the fast path; a new present one needs get_page_from_l1e
/// (the frame is d's; RW takes the writable type, which fails on a live page table of any level).
@ref("xen/arch/x86/mm.c:mod_l1_entry")
@ref("xen/arch/x86/mm.c:get_page_from_l1e")
proc pt_mod_l1e(d: Dom, t: Mfn, i: PtIdx, nw: PtPte) {
  let xen_rc = pt_xen_rc_l1(d, t, i, nw)
  if nw.present && nw.pse {
    pt_set_rc(PT_EINVAL)
  } else if nw.present && nw == pt_ent[t][i] {
    pt_set_rc(PT_OK)
  } else if nw.present && (!pt_can_get_page(nw.mfn, d) || (nw.rw && !pt_can_get_type(nw.mfn, pgt_writable))) {
    pt_set_rc(PT_EINVAL)
  } else {
    if nw.present {
      pt_get_page(nw.mfn)
      if nw.rw {
        pt_get_type(nw.mfn, pgt_writable)
      }
    }
    pt_write(t, i, nw)
  }
  assert pt_rc == xen_rc, "pt_xen_result: the result is not the one Xen returns in that state"
}

/// mod_l2_entry / mod_l3_entry / mod_l4_entry: the L4's Xen slots are refused first ("L4 update in
/// Xen-private area", -EINVAL); a PSE bit is refused ("Bad L2/L3/L4 flags"); the fast path takes an
/// entry whose frame and non-whitelisted flags are unchanged (FASTPATH_FLAG_WHITELIST: never RW or
/// PSE, since XSA-182); otherwise get_page_from_l*e (normal, else linear), the write, and the old
/// entry's references dropped.
@ref("xen/arch/x86/mm.c:mod_l2_entry")
@ref("xen/arch/x86/mm.c:mod_l3_entry")
@ref("xen/arch/x86/mm.c:mod_l4_entry")
proc pt_mod_pde(d: Dom, t: Mfn, i: PtIdx, nw: PtPte) {
  let xen_rc = pt_xen_rc_pde(d, t, i, nw)
  if pt_xen_pos(t, i) {
    pt_set_rc(PT_EINVAL)
  } else if nw.present && nw.pse {
    pt_set_rc(PT_EINVAL)
  } else if nw.present && nw == pt_ent[t][i] {
    pt_set_rc(PT_OK)
  } else if nw.present && pt_pde_normal_ok(d, t, nw) {
    pt_get_page(nw.mfn)
    pt_get_type(nw.mfn, pt_child(pt_frame[t].type))
    pt_write(t, i, nw)
  } else if nw.present && pt_pde_linear_ok(d, t, nw) {
    if nw.mfn != t {
      pt_get_page(nw.mfn)
      pt_get_type(nw.mfn, pt_frame[t].type)
    }
    pt_write(t, i, nw)
  } else if nw.present {
    pt_set_rc(PT_EINVAL)
  } else {
    pt_write(t, i, nw)
  }
  assert pt_rc == xen_rc, "pt_xen_result: the result is not the one Xen returns in that state"
}

// ---------------------------------------------------------------------------------------------
// Xen's results (K42): what each call returns in Xen, in Xen's order of checks, written from Xen's
// source next to (not through) the actions' checks. Each action takes `xen_rc` before it runs and
// asserts `pt_xen_result` after. (The linear rule is the def pt_pde_linear_ok, stated once.)

/// get_page_from_mfn(mfn, d) and get_page_type(page, type) on the raw fields.
def pt_xen_page_ok(d: Dom, m: Mfn): bool = ord(m) != 0 && pt_owner(m) == d && pt_frame[m].count < PT_MAXREF
def pt_xen_type_ok(m: Mfn, t: PtType): bool =
  !pt_frame[m].partial && (pt_frame[m].type == t || pt_frame[m].tcount == 0) && pt_frame[m].tcount < PT_MAXREF

/// MMU_NORMAL_PT_UPDATE (do_mmu_update): the frame must be the caller's (get_page_from_mfn, -EINVAL);
/// a live table goes to its level's mod_l*_entry (below); any other frame is written through a
/// writable type reference (get_page_type(PGT_writable_page), -EINVAL).
@ref("xen/arch/x86/mm.c:do_mmu_update")
def pt_xen_rc_data(d: Dom, t: Mfn): PtResult =
  if ord(t) == 0 || pt_owner(t) != d || !pt_xen_type_ok(t, pgt_writable) then PT_EINVAL else PT_OK

/// mod_l1_entry: a non-present entry is written; a disallowed flag ("Bad L1 flags"); the fast path
/// for an unchanged entry; get_page_from_l1e (the frame, and the writable type for RW): -EINVAL.
@ref("xen/arch/x86/mm.c:mod_l1_entry")
def pt_xen_rc_l1(d: Dom, t: Mfn, i: PtIdx, nw: PtPte): PtResult =
  if !nw.present then PT_OK
  else if nw.pse then PT_EINVAL
  else if nw == pt_ent[t][i] then PT_OK
  else if !pt_xen_page_ok(d, nw.mfn) || (nw.rw && !pt_xen_type_ok(nw.mfn, pgt_writable)) then PT_EINVAL
  else PT_OK

/// mod_l2_entry / mod_l3_entry / mod_l4_entry: an L4's Xen slot first ("L4 update in Xen-private
/// area"); a non-present entry is written; a disallowed flag; the fast path; get_page_from_l*e (the
/// child type), then the linear rule: -EINVAL.
@ref("xen/arch/x86/mm.c:mod_l4_entry")
@ref("xen/arch/x86/mm.c:get_page_from_l4e")
def pt_xen_rc_pde(d: Dom, t: Mfn, i: PtIdx, nw: PtPte): PtResult =
  if pt_frame[t].type == pgt_l4 && ord(i) >= PT_NE - PT_NXSLOT then PT_EINVAL
  else if !nw.present then PT_OK
  else if nw.pse then PT_EINVAL
  else if nw == pt_ent[t][i] then PT_OK
  else if pt_xen_page_ok(d, nw.mfn) && pt_xen_type_ok(nw.mfn, pt_child(pt_frame[t].type)) then PT_OK
  else if pt_pde_linear_ok(d, t, nw) then PT_OK
  else PT_EINVAL

/// MMUEXT_PIN_Ln_TABLE: get_page_and_type_from_mfn (-EINVAL), then "already pinned" (-EINVAL).
@ref("xen/arch/x86/mm.c:do_mmuext_op")
def pt_xen_rc_pin(d: Dom, m: Mfn, t: PtType): PtResult =
  if !pt_xen_page_ok(d, m) || !pt_xen_type_ok(m, t) || pt_frame[m].pinned then PT_EINVAL else PT_OK

/// MMUEXT_UNPIN_TABLE: get_page_from_mfn(mfn, pg_owner), then "not pinned": -EINVAL.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
def pt_xen_rc_unpin(d: Dom, m: Mfn): PtResult =
  if ord(m) == 0 || pt_owner(m) != d || !pt_frame[m].pinned then PT_EINVAL else PT_OK

/// MMUEXT_NEW_BASEPTR: new_guest_cr3's get_page_and_type_from_mfn(mfn, PGT_root_page_table).
@ref("xen/arch/x86/mm.c:new_guest_cr3")
def pt_xen_rc_baseptr(d: Dom, m: Mfn): PtResult =
  if pt_xen_page_ok(d, m) && pt_xen_type_ok(m, pgt_l4) then PT_OK else PT_EINVAL

// ---------------------------------------------------------------------------------------------
// Hypercalls

/// MMU_NORMAL_PT_UPDATE of entry i of d's frame t: dispatched on t's type (do_mmu_update: a live
/// table of level n goes to mod_ln_entry); any other frame of d is written as data through a writable
/// type reference (get_page_type(PGT_writable_page); data contents are not modelled), which fails on
/// a table still in use or being demoted. A frame that is not d's: -EINVAL.
@ref("xen/arch/x86/mm.c:do_mmu_update")
action pt_mmu_update(d: Dom, t: Mfn, i: PtIdx, present: bool, rw: bool, pse: bool, target: Mfn) {
  require present || (!rw && !pse && target == Mfn(0))
  let nw = PtPte { present: present, rw: rw, pse: pse, mfn: target }
  let xen_rc = pt_xen_rc_data(d, t)
  if !pt_owns(d, t) {
    pt_set_rc(PT_EINVAL)
    assert pt_rc == xen_rc, "pt_xen_result: the result is not the one Xen returns in that state"
  } else if pt_live(t, pgt_l1) {
    pt_mod_l1e(d, t, i, nw)
  } else if pt_frame[t].tcount > 0 && pt_is_dir(pt_frame[t].type) {
    pt_mod_pde(d, t, i, nw)
  } else {
    if pt_can_get_type(t, pgt_writable) {
      pt_set_rc(PT_OK)
    } else {
      pt_set_rc(PT_EINVAL)
    }
    assert pt_rc == xen_rc, "pt_xen_result: the result is not the one Xen returns in that state"
  }
}

/// MMUEXT_PIN_L1_TABLE .. MMUEXT_PIN_L4_TABLE: get_page_and_type_from_mfn (validating the table if
/// its type changes), then test_and_set_bit(_PGT_pinned) ("already pinned": the references go again).
@ref("xen/arch/x86/mm.c:do_mmuext_op")
action pt_pin(d: Dom, m: Mfn, l: PtLvl) {
  let t = pt_type_of(l)
  let xen_rc = pt_xen_rc_pin(d, m, t)
  if !pt_can_get_both(m, t, d) || pt_frame[m].pinned {
    pt_set_rc(PT_EINVAL)
  } else {
    pt_get_page(m)
    pt_get_type(m, t)
    pt_frame[m].pinned := true
    pt_set_rc(PT_OK)
  }
  assert pt_rc == xen_rc, "pt_xen_result: the result is not the one Xen returns in that state"
}

/// MMUEXT_UNPIN_TABLE: the frame must be d's and pinned; put_page_and_type.
@ref("xen/arch/x86/mm.c:do_mmuext_op")
action pt_unpin(d: Dom, m: Mfn) {
  let xen_rc = pt_xen_rc_unpin(d, m)
  if !pt_owns(d, m) || !pt_frame[m].pinned {
    pt_set_rc(PT_EINVAL)
  } else {
    pt_frame[m].pinned := false
    pt_put_type(m)
    pt_put_page(m)
    pt_set_rc(PT_OK)
  }
  assert pt_rc == xen_rc, "pt_xen_result: the result is not the one Xen returns in that state"
}

/// MMUEXT_NEW_BASEPTR (new_guest_cr3): an L4 type reference on m (the root page-table type of a
/// 64-bit PV guest), installed as d's base; the old base's references dropped.
@ref("xen/arch/x86/mm.c:new_guest_cr3")
action pt_new_baseptr(d: Dom, m: Mfn) {
  require pt_cr3[d] != m
  let xen_rc = pt_xen_rc_baseptr(d, m)
  if !pt_can_get_both(m, pgt_l4, d) {
    pt_set_rc(PT_EINVAL)
  } else {
    pt_get_page(m)
    pt_get_type(m, pgt_l4)
    let old = pt_cr3[d]
    pt_cr3[d] := m
    if old != none {
      pt_put_type(get(old))
      pt_put_page(get(old))
    }
    pt_set_rc(PT_OK)
  }
  assert pt_rc == xen_rc, "pt_xen_result: the result is not the one Xen returns in that state"
}

/// One step of a preemptible demotion (demote_l*_table after -ERESTART, PGT_partial): the lowest
/// present guest entry of m is cleared and its references dropped; the last one ends the demotion.
@ref("xen/arch/x86/mm.c:demote_l4_table")
@ref("xen/arch/x86/mm.c:demote_l1_table")
action pt_demote_step(m: Mfn) {
  require pt_frame[m].partial
  choose i: PtIdx where pt_ent[m][i].present && !pt_xen_pos(m, i) &&
                        (forall k: PtIdx :: ord(k) < ord(i) => !(pt_ent[m][k].present && !pt_xen_pos(m, k))) {
    let e = pt_ent[m][i]
    pt_ent[m][i] := pt_empty()
    pt_put_entry(m, e)
    pt_frame[m].partial := exists k: PtIdx :: pt_ent[m][k].present && !pt_xen_pos(m, k)
  }
}

// ---------------------------------------------------------------------------------------------
// Properties: A44 (Xen's L4 slots), B45 (no writable page table, through any walk), B46 (linear rule)

/// A44 (A3 for x86-64). Xen's slots of every live L4 hold exactly Xen's entry, and Xen's entry is found
/// nowhere else; no entry the guest controls maps a Xen frame.
@ref("xen/arch/x86/mm.c:mod_l4_entry")
@ref("xen/arch/x86/mm.c:init_xen_l4_slots")
invariant pt_xen_l4_slots_intact:
  (forall t: Mfn, s: PtIdx :: pt_live(t, pgt_l4) && pt_is_xen_slot(s) => pt_ent[t][s] == pt_xen_entry()) &&
  (forall t: Mfn, i: PtIdx :: pt_ent[t][i].present && pt_is_xen(pt_ent[t][i].mfn) =>
     pt_live(t, pgt_l4) && pt_is_xen_slot(i))

/// B45 (B7 for x86-64, the hardware's view). Walk any live L4 table (any may be loaded as a base)
/// through four guest-usable entries, whatever types the frames on the way have (a linear entry makes
/// the hardware read a table one level lower than Xen typed it): if every entry on the way has RW, the
/// frame reached is a live writable page. The same for a superpage (a PSE entry read at the L2 step).
/// So no page table of any level is writable by the guest, through linear mappings included.
@ref("xen/arch/x86/mm.c:get_page_from_l1e")
@ref("xen/arch/x86/mm.c:define_get_linear_pagetable")
invariant pt_no_writable_table:
  forall r: Mfn, a: PtIdx, b: PtIdx, c: PtIdx, x: PtIdx ::
    pt_live(r, pgt_l4) && pt_acc(pt_ent[r][a]) && pt_ent[r][a].rw &&
    pt_acc(pt_ent[pt_ent[r][a].mfn][b]) && pt_ent[pt_ent[r][a].mfn][b].rw &&
    pt_acc(pt_ent[pt_ent[pt_ent[r][a].mfn][b].mfn][c]) && pt_ent[pt_ent[pt_ent[r][a].mfn][b].mfn][c].rw =>
      (if pt_ent[pt_ent[pt_ent[r][a].mfn][b].mfn][c].pse
       then pt_live(pt_ent[pt_ent[pt_ent[r][a].mfn][b].mfn][c].mfn, pgt_writable)
       else (pt_acc(pt_ent[pt_ent[pt_ent[pt_ent[r][a].mfn][b].mfn][c].mfn][x]) &&
             pt_ent[pt_ent[pt_ent[pt_ent[r][a].mfn][b].mfn][c].mfn][x].rw =>
               pt_live(pt_ent[pt_ent[pt_ent[pt_ent[r][a].mfn][b].mfn][c].mfn][x].mfn, pgt_writable)))

/// B45 (Xen's view, entry by entry): only tables hold entries; an L1 entry (or a superpage) maps a
/// frame of the table's owner, with RW only a live writable one; any other guest entry of a
/// directory points to the owner's table of the next level down, live, or (linear) to one of its own
/// level; the base pointer is a live L4 of its domain.
@ref("xen/arch/x86/mm.c:get_page_from_l2e")
invariant pt_entries_typed:
  (forall t: Mfn, i: PtIdx :: pt_ent[t][i].present => pt_holds(t)) &&
  (forall t: Mfn, i: PtIdx :: pt_ent[t][i].present && !pt_xen_pos(t, i) =>
     pt_owns(pt_owner(t), pt_ent[t][i].mfn) &&
     (if pt_frame[t].type == pgt_l1 || pt_ent[t][i].pse
      then (pt_ent[t][i].rw => pt_live(pt_ent[t][i].mfn, pgt_writable))
      else (pt_ent[t][i].mfn == t || pt_live(pt_ent[t][i].mfn, pt_child(pt_frame[t].type)) ||
            pt_live(pt_ent[t][i].mfn, pt_frame[t].type)))) &&
  (forall d: Dom :: pt_cr3[d] != none => pt_owns(d, get(pt_cr3[d])) && pt_live(get(pt_cr3[d]), pgt_l4))

/// B46 (the linear page-table rule, XSA-240). An entry of a directory that points to a table of its
/// own level (itself included) is read-only and stays in the domain; and no chain: a table that is
/// the target of another's linear entry has no linear entries of its own. So tearing down a table
/// recurses at most one linear step before the levels go down (Xen's put_page_type recursion is
/// bounded), and no linear entry hands the guest write access to a table.
@ref("xen/arch/x86/mm.c:define_get_linear_pagetable")
@ref("xen/arch/x86/mm.c:inc_linear_entries")
invariant pt_linear_rule:
  (forall t: Mfn, i: PtIdx :: pt_ent[t][i].present && !pt_xen_pos(t, i) && !pt_ent[t][i].pse &&
     pt_is_dir(pt_frame[t].type) && pt_frame[pt_ent[t][i].mfn].type == pt_frame[t].type =>
       !pt_ent[t][i].rw && pt_owner(pt_ent[t][i].mfn) == pt_owner(t)) &&
  (forall m: Mfn :: !(pt_lin_used(m) && pt_has_lin_entries(m)))

/// Counts (B8 for this file): the general count is the allocation reference plus one per pin, per
/// base pointer and per entry that holds one; the type count is one per pin, base pointer and typed
/// entry (the XSA-240 cycle of linear references would break neither, which is why B46 states it).
invariant pt_counts_exact: forall m: Mfn :: !pt_is_xen(m) =>
  pt_frame[m].count == 1 + (if pt_frame[m].pinned then 1 else 0) + (count d: Dom :: pt_cr3[d] == m) +
    (count t: Mfn, i: PtIdx :: pt_page_ref(t, i, m)) &&
  pt_frame[m].tcount == (if pt_frame[m].pinned then 1 else 0) + (count d: Dom :: pt_cr3[d] == m) +
    (count t: Mfn, i: PtIdx :: pt_page_ref(t, i, m) && (pt_ent[t][i].rw || !pt_leaf_entry(t, i)))

// ---------------------------------------------------------------------------------------------
// Instances

/// small: 1 domain, Xen's frame + 2 guest frames, 2-entry tables (an L4 has 1 guest
/// slot + 1 Xen slot), counts up to 3. Measured: 5,514 states, depth 9, 3.9 s (explicit engine), every
/// action and branch arm taken (tests/test_spec.py, tests/test_spec_coverage.py).
instance small { NDOM = 1, VPD = 1, NPCPU = 1, PT_NMFN = 3, PT_NDOM0 = 2, PT_NE = 2, PT_NXSLOT = 1, PT_MAXREF = 3 }
/// two: two domains with one guest frame each (the refusals of another domain's frames, tables and
/// linear targets). Measured: 1,922 states, depth 9 (tests/test_pt64.py).
instance two { NDOM = 2, VPD = 1, NPCPU = 1, PT_NMFN = 3, PT_NDOM0 = 1, PT_NE = 2, PT_NXSLOT = 1, PT_MAXREF = 3 }
/// default: one more frame of dom0 (a full L4 -> L3 -> L2 chain next to a linear table): for BMC.
instance default { NDOM = 2, VPD = 1, NPCPU = 1, PT_NMFN = 5, PT_NDOM0 = 3, PT_NE = 2, PT_NXSLOT = 1, PT_MAXREF = 3 }
/// large: three-entry tables (an L4 with 2 guest slots), four frames of dom0 and one of dom1.
instance large { NDOM = 2, VPD = 1, NPCPU = 1, PT_NMFN = 6, PT_NDOM0 = 4, PT_NE = 3, PT_NXSLOT = 1, PT_MAXREF = 4 }
