/// Bug variant modelled on XSA-218 (races in the grant table unmap code): GTF_reading / GTF_writing
/// were cleared apart from the pin change, so the granter could see its grant as released (and end
/// it) while another mapping of the same reference still existed.
/// The one change: gnt_clear_flags clears both flags on every unmap, as if the mapping just removed
/// were the last one, instead of looking at the remaining pins.
/// Breaks: gnt_flags_match_pins (C10). E.g. populate; grant; map twice; unmap one.
model grant_unmap_flags_early

include "../grant.xm"

/// unmap_common_complete with the flags cleared regardless of the remaining pins.
@ref("xen/common/grant_table.c:unmap_common_complete")
override proc gnt_clear_flags(g: Dom, r: GntRef) {
  gnt_sha[g][r].writing := false
  gnt_sha[g][r].reading := false
  if gnt_pins(g, r) == 0 {
    gnt_act[g][r] := gnt_idle_active()
  }
}
