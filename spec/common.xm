/// Names every part of the Xen model shares: domains, vcpus and physical cpus.
/// Each subsystem file includes this one; spec/xen.xm includes every subsystem file.
model common

/// Number of domains. dom0 is the control domain (is_privileged); the others are guests.
const NDOM: int[1..4] = 2
/// Vcpus per domain (d->max_vcpus, the same for every domain in the model).
@view("vcpus_per_domain") const VPD: int[1..4] = 1
/// Physical cpus.
const NPCPU: int[1..4] = 2

/// A domain id (domid_t). dom0 is the control domain.
@view("domain") sort Dom = dom[NDOM]
/// A guest vcpu, numbered globally: vcpu i belongs to domain i / VPD (struct vcpu).
@view("vcpu") sort VCpu = vcpu[NDOM * VPD]
/// A physical cpu; each has its own idle vcpu and its own hypervisor stack.
sort PCpu = pcpu[NPCPU]

/// The domain a vcpu belongs to (v->domain).
def dom_of(v: VCpu): Dom = Dom(ord(v) / VPD)
/// The vcpu's index inside its domain (v->vcpu_id).
def vcpu_id(v: VCpu): int = ord(v) % VPD
/// The control domain (dom0, d->is_privileged).
def is_privileged(d: Dom): bool = ord(d) == 0
