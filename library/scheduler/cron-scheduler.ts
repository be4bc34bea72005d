import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';

import { makePgBossExecutor } from '../db/pg-boss-executor';
import { withTransaction } from '../db/with-transaction';
import type { PowertoolsEvents } from '../events/powertools-events';
import { claimCronSlot } from '../sql/claim-cron-slot';
import { deleteExpiredActionPreviews } from '../sql/delete-expired-action-previews';
import { deleteSchedulerHeartbeat } from '../sql/delete-scheduler-heartbeat';
import { findCronEntry } from '../sql/find-cron-entry';
import { listFireableCronEntries } from '../sql/list-fireable-cron-entries';
import { recordCronSlotJob } from '../sql/record-cron-slot-job';
import { recordMissedCronSlots } from '../sql/record-missed-cron-slots';
import { recordSchedulerHeartbeat } from '../sql/record-scheduler-heartbeat';
import { findDueSlots } from './cron-slots';

export interface CronScheduler {
  start(): void;
  stop(): Promise<void>;
  /** Runs one pass now. Returns how many slots fired. Tests and the tick both use it. */
  tick(now?: Date): Promise<number>;
}

/**
 * Fires due slots of unpaused cron entries into pg-boss. Each slot is claimed, re-checked and
 * sent in one transaction: the entry row is locked, so a pause committed first wins and a
 * paused entry never fires, and the slot's primary key lets only one process claim it.
 * Catch-up policy: after downtime only the newest due slot fires; the slots before it are
 * recorded with outcome `missed` (see findDueSlots for daylight-saving changes).
 * While started, it refreshes a heartbeat row before every tick and deletes it on stop, so
 * `jobs-powertools doctor` can see that a scheduler runs. A direct `tick()` records none.
 */
export function makeCronScheduler(deps: { pool: Pool; boss: PgBoss; events: PowertoolsEvents; intervalSeconds: number }): CronScheduler {
  const { pool, boss, events, intervalSeconds } = deps;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let ticks = 0;
  const heartbeat = { instanceId: randomUUID(), hostname: hostname(), pid: process.pid, intervalSeconds };

  async function beat(): Promise<void> {
    await recordSchedulerHeartbeat(pool, heartbeat).catch((error) => events.emit('scheduler:tick_failed', { error }));
  }

  async function fireSlot(entryName: string, slotAt: Date, missed: Date[]): Promise<boolean> {
    const fired = await withTransaction(pool, async (client) => {
      const entry = await findCronEntry(client, entryName, { forUpdate: true });
      if (!entry || entry.paused_at || entry.retired_at) return null;
      if (!(await claimCronSlot(client, entryName, slotAt))) return null;
      await recordMissedCronSlots(client, entryName, missed);

      const jobId = await boss.send(entry.queue, { ...entry.args, cronEntry: entry.name, cronSlotAt: slotAt.toISOString() }, {
        singletonKey: `cron:${entry.name}:${slotAt.toISOString()}`,
        db: makePgBossExecutor(client),
      });
      if (!jobId) throw new Error(`pg-boss created no job for cron entry ${entry.name} on queue ${entry.queue}`);
      await recordCronSlotJob(client, entryName, slotAt, jobId);
      return { queue: entry.queue, jobId };
    });

    // Emitted only after the commit, so a listener never reports a job that a rollback removed.
    if (fired) {
      events.emit('cron:fired', { entry: entryName, slotAt, queue: fired.queue, jobId: fired.jobId });
      if (missed.length > 0) events.emit('cron:missed', { entry: entryName, slots: missed.length, newest: missed[0] });
    }
    return fired !== null;
  }

  async function tick(now = new Date()): Promise<number> {
    let fired = 0;
    for (const entry of await listFireableCronEntries(pool)) {
      const { due, missed } = findDueSlots(entry.schedule, entry.timezone, entry.not_before, now);
      if (!due) continue;
      try {
        if (await fireSlot(entry.name, due, missed)) fired += 1;
      } catch (error) {
        events.emit('cron:fire_failed', { entry: entry.name, slotAt: due, error });
      }
    }

    ticks += 1;
    if (ticks % 100 === 1) await deleteExpiredActionPreviews(pool);
    return fired;
  }

  function schedule(): void {
    timer = setTimeout(() => {
      running = beat()
        .then(() => tick())
        .catch((error) => events.emit('scheduler:tick_failed', { error }))
        .finally(() => {
          if (timer) schedule();
        });
    }, intervalSeconds * 1000);
  }

  return {
    tick,
    start() {
      if (timer) return;
      running = beat();
      schedule();
      events.emit('scheduler:started', { intervalSeconds });
    },
    async stop() {
      if (!timer) return;
      clearTimeout(timer);
      timer = null;
      await running;
      await deleteSchedulerHeartbeat(pool, heartbeat.instanceId).catch((error) => events.emit('scheduler:tick_failed', { error }));
      events.emit('scheduler:stopped', {});
    },
  };
}
