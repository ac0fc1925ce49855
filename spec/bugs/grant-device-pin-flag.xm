/// Bug variant modelled on XSA-230 (grant_table: premature clearing of GTF_writing / GTF_reading):
/// when deciding whether the flags may be cleared, only the host pins were considered, so a device
/// (IOMMU) mapping could still be in use after the granter saw the grant as free.
/// The one change: gnt_clear_flags ignores the device pin counters (devr, devw).
/// Breaks: gnt_flags_match_pins (C10). E.g. populate; grant; device map RW; host map RO; unmap host.
model grant_device_pin_flag

include "../grant.xm"

/// unmap_common_complete looking at the host pins only.
@ref("xen/common/grant_table.c:unmap_common_complete")
override proc gnt_clear_flags(g: Dom, r: GntRef) {
  if gnt_act[g][r].hw == 0 {
    gnt_sha[g][r].writing := false
  }
  if gnt_act[g][r].hr + gnt_act[g][r].hw == 0 {
    gnt_sha[g][r].reading := false
  }
  if gnt_pins(g, r) == 0 {
    gnt_act[g][r] := gnt_idle_active()
  }
}
