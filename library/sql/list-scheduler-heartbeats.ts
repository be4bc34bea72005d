import type { Queryable } from '../db/with-transaction';

export interface SchedulerHeartbeat {
  instanceId: string;
  hostname: string;
  pid: number;
  intervalSeconds: number;
  startedAt: Date;
  beatAt: Date;
  /** Seconds since the last beat, by the database's clock, so host clock skew does not matter. */
  ageSeconds: number;
}

/** Lists every scheduler heartbeat, newest beat first. */
export async function listSchedulerHeartbeats(db: Queryable): Promise<SchedulerHeartbeat[]> {
  const { rows } = await db.query<{ instance_id: string; hostname: string; pid: number; interval_seconds: string; started_at: Date; beat_at: Date; age_seconds: string }>(
    `select instance_id::text, hostname, pid, interval_seconds::text, started_at, beat_at,
            extract(epoch from now() - beat_at)::text as age_seconds
       from jobs_powertools.scheduler_heartbeats
      order by beat_at desc`,
  );
  return rows.map((row) => ({
    instanceId: row.instance_id,
    hostname: row.hostname,
    pid: row.pid,
    intervalSeconds: Number(row.interval_seconds),
    startedAt: row.started_at,
    beatAt: row.beat_at,
    ageSeconds: Number(row.age_seconds),
  }));
}
