/// Bug variant modelled on XSA-218 (races in the grant table unmap code) as a race: two pcpus unmap
/// the same maptrack handle at once. Both read the handle's flags without a lock and find it in use;
/// unless the entry is checked again under the active entry's lock, both take the mapping off and
/// both drop its pin and its page references (a double put: the granter's frame can be freed, or
/// the grant released, while another mapping still uses it).
/// The one change: unmap_common trusts the flags read before active_entry_acquire (no re-check of
/// map->flags / domid / ref under act->lock, the "Unstable handle" check).
/// Breaks: gnt_pins_match_maps (C10: the pin counts one unmap too many in flight), then
/// gnt_inflight_unmap_pinned (J40: the second unmap completes on a dropped pin). E.g. populate;
/// grant; map; unmap_begin on both pcpus; each takes the lock and runs unmap_common in turn.
model grant_unmap_double_race

include "../grant.xm"

/// unmap_common without the re-check under the active entry's lock.
@ref("xen/common/grant_table.c:unmap_common")
override def gnt_unmap_recheck(p: PCpu): bool = true

// Instances: grant.xm's races instance (memory.xm and grant.xm both declare instances, so a file
// including grant.xm must say which ones it uses).
/// small: two pcpus running split unmaps; 2 domains, 1 guest frame, 1 grant reference, 1 handle; the
/// standalone kill off (its release steps add nothing to this race and end random runs early).
instance small { NDOM = 2, VPD = 2, NPCPU = 2, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_PT = false, MM_RECORD_RC = false,
                 MM_STANDALONE_KILL = false, GNT_NREF = 1, GNT_NHANDLE = 1, GNT_RACES = true }
