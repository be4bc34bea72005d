import { makePgBossExecutor } from '../db/pg-boss-executor';
import { claimCronSlot } from '../sql/claim-cron-slot';
import { fingerprintCronEntry, type CronEntryRow } from '../sql/cron-entry-row';
import { findCronEntry } from '../sql/find-cron-entry';
import { pauseCronEntry } from '../sql/pause-cron-entry';
import { recordCronSlotJob } from '../sql/record-cron-slot-job';
import { resumeCronEntry } from '../sql/resume-cron-entry';
import type { ActionDefinition } from './action-definition';

// Shared by every cron entry action: how the target is read, compared and named.
const cronEntryTarget = {
  resourceType: 'cron_entry',
  load: (db, name, options) => findCronEntry(db, name, options),
  fingerprint: (entry) => fingerprintCronEntry(entry),
  describeState: (entry) => (entry.paused_at ? 'paused' : 'active'),
} satisfies Pick<ActionDefinition<CronEntryRow>, 'resourceType' | 'load' | 'fingerprint' | 'describeState'>;

export const pauseCronEntryAction: ActionDefinition<CronEntryRow> = {
  ...cronEntryTarget,
  name: 'pause_cron_entry',
  verb: 'Pause',
  findInapplicability: (entry) => (entry.paused_at ? `${entry.name} is already paused.` : null),
  describeChange: (entry) => [
    `${entry.name} stops firing into queue ${entry.queue}; every slot while it is paused is skipped, not queued up.`,
    'Jobs it already created are not touched.',
    'The pause survives restarts and deploys until an operator resumes the entry.',
  ],
  async apply({ client, principal, reason }, entry) {
    const paused = await pauseCronEntry(client, entry.name, principal.label, reason);
    return paused ? { after: fingerprintCronEntry(paused) } : null;
  },
};

export const resumeCronEntryAction: ActionDefinition<CronEntryRow> = {
  ...cronEntryTarget,
  name: 'resume_cron_entry',
  verb: 'Resume',
  findInapplicability: (entry) => (entry.paused_at ? null : `${entry.name} is not paused.`),
  describeChange: (entry) => [
    `${entry.name} fires into queue ${entry.queue} again from its next slot.`,
    'Slots skipped while it was paused are not replayed.',
  ],
  async apply({ client }, entry) {
    const resumed = await resumeCronEntry(client, entry.name);
    return resumed ? { after: fingerprintCronEntry(resumed) } : null;
  },
};

export const runCronEntryAction: ActionDefinition<CronEntryRow> = {
  ...cronEntryTarget,
  name: 'run_cron_entry',
  verb: 'Run now',
  findInapplicability: (entry) => (entry.retired_at ? `${entry.name} is retired: the host no longer declares it.` : null),
  describeChange: (entry) => [
    `One job is created in queue ${entry.queue} now, with the entry's job data, outside the schedule.`,
    entry.paused_at ? `${entry.name} stays paused; its schedule does not fire until it is resumed.` : 'The schedule is not changed; the next slot fires as planned.',
  ],
  async apply({ client, boss, principal }, entry) {
    const runAt = new Date();
    if (!(await claimCronSlot(client, entry.name, runAt, 'run_by_operator'))) return null;
    const jobId = await boss.send(entry.queue, { ...entry.args, cronEntry: entry.name, cronRunBy: principal.id }, { db: makePgBossExecutor(client) });
    if (!jobId) throw new Error(`pg-boss created no job in queue ${entry.queue} for run_cron_entry on ${entry.name}`);
    await recordCronSlotJob(client, entry.name, runAt, jobId);
    return { job_id: jobId, queue: entry.queue, run_at: runAt.toISOString() };
  },
};

/** The audited actions on cron entries, by name. */
export const cronActions: Record<string, ActionDefinition<CronEntryRow>> = {
  pause_cron_entry: pauseCronEntryAction,
  resume_cron_entry: resumeCronEntryAction,
  run_cron_entry: runCronEntryAction,
};
