import type { Queryable } from '../db/with-transaction';

/** Deletes a stopped scheduler's heartbeat row, so it no longer counts as running. */
export async function deleteSchedulerHeartbeat(db: Queryable, instanceId: string): Promise<void> {
  await db.query(`delete from jobs_powertools.scheduler_heartbeats where instance_id = $1::uuid`, [instanceId]);
}
