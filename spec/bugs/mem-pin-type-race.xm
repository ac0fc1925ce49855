/// Bug variant modelled on XSA-401 (x86 pv: race in typeref acquisition) as a race: two pcpus pin
/// the same frame as different table types. Each reads type_info with a type count of 0 and decides
/// that the type may change; the second's update lands on top of the first's.
/// The one change: _get_page_type's cmpxchg does not compare (a plain store of nx computed from the
/// word read earlier), so a type change is written over a type reference another pcpu took since.
/// Breaks: the step assert in mm_set_type ("type changes only while the type count is 0", B6);
/// without it, mm_inflight_type_held. E.g. populate; pin_begin L1 on pcpu0; pin_begin L2 on pcpu1;
/// pin_type on pcpu0; pin_type on pcpu1 (shortest: populate; pin_begin L1 on pcpu0; new_baseptr, which takes
/// the L2 type, on the other pcpu; pin_type on pcpu0).
model mem_pin_type_race

include "../memory.xm"

/// The cmpxchg that always "succeeds": the word read is taken as the current one.
@ref("xen/arch/x86/mm.c:_get_page_type")
override def mm_type_info_unchanged(c: MmCall): bool = true

/// The race needs two pcpus running split pins (memory.xm's races instance).
instance small { NDOM = 2, VPD = 2, NPCPU = 2, MM_NMFN = 2, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1,
                 MM_MAX_PAGES = 1, MM_MAXREF = 3, MM_RACES = true }
