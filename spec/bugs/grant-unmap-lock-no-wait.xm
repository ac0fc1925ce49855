/// Bug variant, bug class: a path that enters an active grant entry's critical section without
/// waiting for its spinlock. Since the per-active-entry locking of Xen 4.6, each active entry has its
/// own spinlock (act->lock), taken by active_entry_acquire (xen/common/grant_table.c, a spin_lock that
/// waits while another pcpu holds it) and released by active_entry_release; map_grant_ref,
/// unmap_common, acquire_grant_for_copy and gnttab_release_mappings all touch the active entry only
/// inside it, and unmap_common relies on it to serialise two unmaps of one maptrack entry (the
/// double-put of a maptrack entry that XSA-218 fixed is what it guards against). The class is that of
/// the grant-table locking races of the XSA-218 / XSA-224 era: an active entry changed by two pcpus
/// at once.
/// The one change: unmap_common's active_entry_acquire takes act->lock without waiting for it to be
/// free (step 2 of the split unmap no longer requires gnt_act_free), so two pcpus can both hold it.
/// Breaks: gnt_act_lock_one_holder (J39: an active entry's lock has two holders). The re-check under
/// the lock still sends the second unmap of one handle back with GNTST_bad_handle, so the pins stay
/// right (unlike grant-unmap-double-race).
/// Expected shortest trace: 7 steps (dom0 populates a page and grants it to dom1, dom1 maps it,
/// gnt_unmap_begin of the one handle on both pcpus, gnt_unmap_lock on both: the second takes the
/// lock the first holds).
model grant_unmap_lock_no_wait

include "../grant.xm"

/// active_entry_acquire in unmap_common without waiting for act->lock.
@ref("xen/common/grant_table.c:active_entry_acquire")
@ref("xen/common/grant_table.c:unmap_common")
override action gnt_unmap_lock(p: PCpu) {
  require gnt_call[p].step == GU_LOCK
  gnt_call[p].step := GU_LOCKED
}

// Instances: grant.xm's races instance (memory.xm and grant.xm both declare instances, so a file
// including grant.xm must say which ones it uses).
/// small: two pcpus running split unmaps; 2 domains, 1 guest frame, 1 grant reference, 1 handle; the
/// standalone kill off (its release steps add nothing to this race and end random runs early).
instance small { NDOM = 2, VPD = 2, NPCPU = 2, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 MM_STANDALONE_KILL = false, GNT_NREF = 1, GNT_NHANDLE = 1, GNT_RACES = true }
