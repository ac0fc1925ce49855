/// Bug variant modelled on XSA-401 (x86 pv: race in typeref acquisition): two vcpus racing in
/// _get_page_type could both see a type count of 0, so a frame already in use as a validated page
/// table could be retyped (e.g. to writable) while its type count was non-zero.
/// The one change: the type check mm_can_get_type ignores the type count (the lost race: the
/// count looked like 0), so a type reference of another type is granted on a live frame.
/// Breaks: the step assert in mm_set_type ("type changes only while the type count is 0", B6);
/// without it, mm_rw_maps_writable / mm_tables_typed (B7). E.g. populate; pin L1; map it RW.
model mem_type_change_race

include "../memory.xm"

/// get_page_type's check with the race: the current type count is not respected.
@ref("xen/arch/x86/mm.c:_get_page_type")
override def mm_can_get_type(m: Mfn, t: MmType): bool = mm_frame[m].tcount < MM_MAXREF
