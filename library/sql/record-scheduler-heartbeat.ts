import type { Queryable } from '../db/with-transaction';

/** Inserts or refreshes this scheduler's heartbeat row, stamped with the database's clock. */
export async function recordSchedulerHeartbeat(db: Queryable, heartbeat: { instanceId: string; hostname: string; pid: number; intervalSeconds: number }): Promise<void> {
  await db.query(
    `insert into jobs_powertools.scheduler_heartbeats (instance_id, hostname, pid, interval_seconds)
     values ($1::uuid, $2::text, $3::integer, $4::numeric)
     on conflict (instance_id) do update set beat_at = now()`,
    [heartbeat.instanceId, heartbeat.hostname, heartbeat.pid, heartbeat.intervalSeconds],
  );
}
