/// Bug variant: PHYSDEVOP_map_pirq without xsm_map_domain_pirq (XSM_DM_PRIV under the dummy policy):
/// a guest that was given a line's capability maps that line into another domain's pirq space (or
/// its own), granting the capability on as it goes. Modelled on XSA-87 (PHYSDEVOP_{prepare,
/// release}_msix exposed to unprivileged guests: a physdev operation for the control domain without
/// its privilege check) and XSA-46 (passed-through IRQs or PCI devices
/// might allow a denial of service attack).
/// The one change: irq_map_check keeps map_domain_pirq's capability test and drops the XSM test.
/// Breaks: the step property xsm_policy (properties.md K43). Expected shortest trace: 1 step
/// (dom0 grants dom1 the capability of a line; dom1 maps it).
model xsm_map_pirq_no_dm_priv

include "../irq.xm"

/// map_domain_pirq's checks without xsm_map_domain_pirq.
@ref("xen/arch/x86/irq.c:map_domain_pirq")
override proc irq_map_check(caller: Dom, d: Dom, i: Irq) {
    if !irq_caps[caller][i] {
        evtchn_result := EVTCHN_EPERM
    } else {
        evtchn_result := EVTCHN_OK
    }
}

// The instances of spec/irq.xm (included instances of two levels are ambiguous to the loader).
/// 2 domains, 1 vcpu, one usable port each; the event-channel features irq does not need are off.
instance small { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 2, NIRQ = 2, EVTCHN_VIRQS = false,
                 EVTCHN_IPIS = false, EVTCHN_MASKING = false, EVTCHN_ADMIN = false, EVTCHN_BLOCKING = false,
                 EVTCHN_DEATH = false }
/// Every feature on, two usable ports per domain, an edge line too (BMC / simulation).
instance default { NDOM = 2, VPD = 1, NPCPU = 1, EVTCHN_NPORTS = 3, NIRQ = 3 }
