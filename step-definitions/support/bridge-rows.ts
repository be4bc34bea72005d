import type { Pool } from 'pg';

import type { TableSnapshot } from './database-snapshot';

/**
 * The pg-boss rows a write through the bridge would change: the jobs of the lane's queue, every
 * queue's configuration and every schedule. `snapshotDatabase` compares whole tables, but the
 * running reference host rewrites parts of `pgboss` on timers (the instance heartbeat every 30 s,
 * queue counters and statistics every 60 s, its workers' and scheduler's jobs), so this snapshot
 * leaves those out. What it leaves out, and why, is listed in `volatile`.
 */
export interface BridgeRows {
  jobs: TableSnapshot;
  queues: TableSnapshot;
  schedules: TableSnapshot;
}

export const volatile = {
  jobs: 'the active job, which pg-boss may expire and retry on its own once its expiry passes',
  queues: 'the counters and monitor timestamps pg-boss updates every minute',
  schedules: 'last_job_id and updated_on, which pg-boss changes when a schedule fires',
  tables: 'pgboss.instance, pgboss.queue_stats, pgboss.version and other queues\' jobs',
} as const;

const queries: Record<keyof BridgeRows, { columns: string[]; sql: string }> = {
  jobs: {
    columns: ['*'],
    sql: `select md5(job::text) as hash from pgboss.job job where job.name = $1::text and job.state <> 'active'`,
  },
  queues: {
    columns: ['name', 'policy', 'retry_limit', 'retry_delay', 'retry_backoff', 'expire_seconds', 'retention_seconds', 'deletion_seconds', 'dead_letter', 'partition', 'created_on'],
    sql: `select md5(row(name, policy, retry_limit, retry_delay, retry_backoff, expire_seconds, retention_seconds, deletion_seconds, dead_letter, partition, created_on)::text) as hash from pgboss.queue where $1::text is not null`,
  },
  schedules: {
    columns: ['name', 'key', 'cron', 'timezone', 'data', 'options', 'created_on'],
    sql: `select md5(row(name, key, cron, timezone, data, options, created_on)::text) as hash from pgboss.schedule where $1::text is not null`,
  },
};

/** Reads the rows of `BridgeRows` as sorted row hashes, in the shape `snapshotDatabase` uses. */
export async function snapshotBridgeRows(pool: Pool, queue: string): Promise<BridgeRows> {
  const rows = {} as BridgeRows;
  for (const [name, query] of Object.entries(queries) as Array<[keyof BridgeRows, (typeof queries)[keyof BridgeRows]]>) {
    const { rows: hashes } = await pool.query<{ hash: string }>(query.sql, [queue]);
    const rowHashes = hashes.map((row) => row.hash).sort();
    rows[name] = { columns: query.columns, rowCount: rowHashes.length, rowHashes };
  }
  return rows;
}

/** Returns the oldest job of `queue` in `state`, and throws when the host has none. */
export async function findJobInState(pool: Pool, queue: string, state: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `select id::text from pgboss.job where name = $1::text and state = $2::pgboss.job_state order by created_on, id limit 1`,
    [queue, state],
  );
  if (rows.length === 0) throw new Error(`The host has no ${state} job in queue ${queue}; the seed or an earlier scenario used it up.`);
  return rows[0].id;
}

export async function readJobState(pool: Pool, queue: string, id: string): Promise<string | null> {
  const { rows } = await pool.query<{ state: string }>(`select state::text from pgboss.job where name = $1::text and id = $2::uuid`, [queue, id]);
  return rows[0]?.state ?? null;
}

/** Adds the lane's pg-boss schedule to the host database through pg-boss itself, once; a repeat keeps the row. */
export async function ensureSchedule(databaseUrl: string, queue: string, schedule: { key: string; cron: string }): Promise<void> {
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: databaseUrl, max: 1, supervise: false, schedule: false, migrate: false, registerInstance: false });
  await boss.start();
  try {
    const existing = await boss.getSchedules(queue, schedule.key);
    if (existing.length === 0) await boss.schedule(queue, schedule.cron, { template: 'digest' }, { key: schedule.key });
  } finally {
    await boss.stop({ graceful: false });
  }
}
