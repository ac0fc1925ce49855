/// Bug variant (composed model): the teardown declares memory released once the migration pages are
/// gone, without relinquish_memory's own test, so a domain becomes dead while its frames are still
/// allocated (the class of a domain freed with resources still attached: relinquish_memory cut short,
/// its pages leaked and still counted to a dead owner).
/// The one change: hook_teardown_done's memory test drops mm_relinquish_done.
/// Breaks: xen_dead_owns_nothing (properties.md I37).
/// Expected shortest trace: 6 steps (dom0 creates dom1, dom1 populates a page, dom0 destroys dom1,
/// three teardown steps), in a composition with three domains (the last is the migrating guest).
model xen_teardown_skips_memory

include "../xen.xm"

/// The teardown's test, with memory's own part missing.
@ref("xen/common/domain.c:domain_relinquish_resources")
override def hook_teardown_done(d: Dom, s: TeardownStep): bool =
  if s == TD_GRANTS then gnt_release_done(d)
  else if s == TD_EVTCHN then evtchn_all_closed(d)
  else d != mig_guest() || (forall p: MigPage :: !mig_src_owned[p])

/// Three domains (dom1 an ordinary guest), everything the trace does not need switched off.
instance small { NDOM = 3, VPD = 1, NPCPU = 1,
                 CTRL_PAUSE_MAX = 1, DOM_REFUSALS = false,
                 CREDIT_MAX = 1, TICKS_PER_ACCT = 2, SCHED_EVENT_STANDIN = false,
                 SCHED_AFFINITY_OPS = false,
                 EVTCHN_NPORTS = 2, NIRQ = 1, EVTCHN_MASKING = false, EVTCHN_ADMIN = false,
                 EVTCHN_VIRQS = false, EVTCHN_IPIS = false, EVTCHN_BLOCKING = false,
                 MM_NMFN = 3, MM_NPFN = 1, MM_NSLOT = 2, MM_NL1E = 1, MM_MAX_PAGES = 1, MM_MAXREF = 3,
                 MM_STANDALONE_KILL = false, MM_PT = false, MM_RECORD_RC = false, GNT_NREF = 1, GNT_NHANDLE = 1,
                 MIG_NPAGE = 1, MIG_MAXVAL = 1, MIG_NVCPU = 1, MIG_MAX_ROUNDS = 1, MIG_DIRTY_THRESHOLD = 1 }
