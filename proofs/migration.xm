/// Lemmas that strengthen the migration model's safety invariants (spec/migration.xm) into an
/// inductive set, for the Z3 induction engine at instance default. Each lemma says what the
/// induction step would otherwise lack (a state that satisfies the invariants but is not
/// reachable, from which one step breaks them).
model migration_proofs

include "../spec/migration.xm"

/// The shutdown code is set exactly while the domain is shutting down: domain_shutdown sets
/// both, domain_resume clears both. Without it, a state "code suspend, not shutting down" would
/// let the guest call mig_guest_suspend again with a stale snapshot.
@ref("xen/common/domain.c:domain_shutdown")
lemma mig_l_code_iff_shutting_down:
  (mig_src_code != none => mig_src_shutting_down) && (mig_src_shutting_down => mig_src_code != none)

/// A vcpu is stopped for a shutdown only while the domain is shutting down, and is_shut_down
/// holds exactly when every vcpu has stopped (__domain_finalise_shutdown runs after every
/// stop). Needed so that "suspended" implies "no vcpu runs" (no split brain, frozen source).
@ref("xen/common/domain.c:__domain_finalise_shutdown")
lemma mig_l_shut_down_iff_all_stopped:
  (forall v: MigVcpu :: mig_src_stopped[v] => mig_src_shutting_down)
  && (mig_src_shut_down => mig_src_shutting_down && (forall v: MigVcpu :: mig_src_stopped[v]))
  && ((mig_src_shutting_down && (forall v: MigVcpu :: mig_src_stopped[v])) => mig_src_shut_down)

/// A suspend happens only on request, after the frontends disconnected and every backend
/// mapping was gone; nothing reconnects until domain_resume. Needed for the frozen source: no
/// backend write or copy can reach a suspended guest's pages.
@ref("xen/common/grant_table.c:map_grant_ref")
lemma mig_l_suspend_disconnected:
  mig_src_code_is(MIG_SD_SUSPEND) =>
    mig_suspend_req && !mig_fe_connected && (forall p: MigPage :: !mig_gnt_mapped[p])

/// The suspend request is pending exactly from the stop-and-copy decision on (until an abort).
@ref("tools/libs/guest/xg_sr_save.c:simple_precopy_policy")
lemma mig_l_suspend_req_phase:
  mig_suspend_req == (mig_phase != MIG_IDLE && mig_phase != MIG_PRECOPY)

/// A live source that is suspended is frozen: its memory and vcpu state are those recorded at
/// the suspend. The key fact behind mig_activation_exact.
@ref("xen/common/domain.c:__domain_finalise_shutdown")
lemma mig_l_suspended_frozen:
  (mig_src_suspended() && mig_src_alive()) =>
    (forall p: MigPage :: mig_src_mem[p] == mig_susp_mem[p])
    && (forall v: MigVcpu :: mig_src_regs[v] == mig_susp_regs[v])

/// Outside a migration nothing of it is left on the source side.
lemma mig_l_idle_clean:
  mig_phase == MIG_IDLE =>
    !mig_logdirty && mig_round == 0 && mig_src_alive() && !mig_activated
    && mig_dst != MIG_DST_RUNNING
    && (forall p: MigPage :: !mig_dirty[p] && !mig_tosend[p])

/// While the save streams: log-dirty is on, the source is alive, the round is in range, and the
/// destination is the paused copy being restored (restored only once the stream is complete).
/// Needed so that nothing but mig_send_page changes destination memory during the save.
lemma mig_l_saving_shape:
  mig_saving() =>
    mig_logdirty && mig_src_alive() && mig_round >= 1 && mig_round <= MIG_MAX_ROUNDS
    && !mig_activated
    && (mig_phase == MIG_SENT || mig_dst == MIG_DST_RESTORING)
    && (mig_dst == MIG_DST_RESTORING || mig_dst == MIG_DST_READY)

/// Log-dirty is on exactly from the start of a migration until an abort or the source's death.
@ref("xen/arch/x86/mm/paging.c:paging_log_dirty_enable")
lemma mig_l_logdirty_span:
  mig_logdirty == (mig_saving() || (mig_phase == MIG_COMMITTED && mig_src_alive()))

/// Without log-dirty there is no bitmap and no batch.
lemma mig_l_no_logdirty_no_bits:
  !mig_logdirty => (forall p: MigPage :: !mig_dirty[p] && !mig_tosend[p])

/// From the confirmed suspend on, the source stays suspended (it is never resumed after the
/// final clean, and dying does not touch the shutdown state). Implies mig_final_after_suspend.
@ref("tools/libs/guest/xg_sr_save.c:suspend_domain")
lemma mig_l_suspended_phases:
  (mig_phase == MIG_SUSPENDED || mig_phase == MIG_FINAL || mig_phase == MIG_SENT
   || mig_phase == MIG_COMMITTED || mig_phase == MIG_DONE) => mig_src_suspended()

/// A batch exists only in a live round or in the final round.
lemma mig_l_batch_phase:
  forall p: MigPage :: mig_tosend[p] => (mig_phase == MIG_PRECOPY || mig_phase == MIG_FINAL)

/// In the final round, every page not (or no longer) in the final batch is on the destination as
/// it was at the suspend: the final clean took every page dirtied since it was last sent, and the
/// source is frozen. Needed for mig_l_sent_copy at mig_send_vcpu_state. It says nothing of the
/// dirty bitmap after the final clean: the save never reads it again, and in the composed model a
/// backend's grant unmap may still mark a page there (docs/model.md, "Migration in the composition").
@ref("tools/libs/guest/xg_sr_save.c:suspend_and_send_dirty")
lemma mig_l_final_batch_covers:
  mig_phase == MIG_FINAL => (forall p: MigPage :: !mig_tosend[p] => mig_dst_mem[p] == mig_susp_mem[p])

/// Once the stream is complete, and until the destination runs, the destination holds exactly
/// the state recorded at the suspend. Needed for mig_activation_exact at mig_dst_resume, when
/// the source may already be dying and its memory gone.
lemma mig_l_sent_copy:
  (mig_phase == MIG_SENT || (mig_committed() && mig_dst == MIG_DST_READY)) =>
    (forall p: MigPage :: mig_dst_mem[p] == mig_susp_mem[p])
    && (forall v: MigVcpu :: mig_dst_regs[v] == mig_susp_regs[v])

/// Commit is irreversible and everything after it has a restored or running destination; the
/// destination runs only after the commit. Needed for mig_one_copy_runs (an abort, the only way
/// to resume the source, is impossible once committed).
@ref("tools/xl/xl_migrate.c:migrate_receive")
lemma mig_l_commit_shape:
  (mig_committed() => (mig_dst == MIG_DST_READY || mig_dst == MIG_DST_RUNNING))
  && (mig_dst == MIG_DST_RUNNING => mig_activated)
  && (mig_activated => mig_committed())

/// The source is dying only in the committed phase, dead only once committed, and the migration is
/// done only once it is dead (standalone the last teardown step does both; composed, xl notices the
/// death in a step of its own).
@ref("xen/common/domain.c:domain_kill")
lemma mig_l_life_phase:
  (mig_src_is_dying() => mig_phase == MIG_COMMITTED)
  && (mig_src_is_dead() => mig_committed())
  && (mig_phase == MIG_DONE => mig_src_is_dead())

/// Teardown bookkeeping: a live source owns every page; a dead one owns nothing. Needed for
/// mig_dead_owns_nothing.
@ref("xen/arch/x86/domain.c:domain_relinquish_resources")
lemma mig_l_teardown_count:
  (mig_src_alive() => (forall p: MigPage :: mig_src_owned[p]))
  && (mig_src_is_dead() => (forall p: MigPage :: !mig_src_owned[p]))

/// Backend mappings exist only on a live source (a dying source was suspended, so its
/// frontends had disconnected first). Needed for mig_dead_owns_nothing.
lemma mig_l_mapped_alive:
  forall p: MigPage :: mig_gnt_mapped[p] => mig_src_alive()
