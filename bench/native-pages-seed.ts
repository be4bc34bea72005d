import assert from 'node:assert/strict';

import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';

/**
 * The queues of the benchmark and their share of the jobs, in percent. `exports` has its own
 * partition (pg-boss `partition: true`); the others share `job_common`.
 */
export const benchQueues: Array<{ name: string; percent: number; partition?: boolean }> = [
  { name: 'emails', percent: 30 },
  { name: 'webhooks', percent: 20 },
  { name: 'invoices', percent: 12 },
  { name: 'reports', percent: 8 },
  { name: 'thumbnails', percent: 8 },
  { name: 'sms', percent: 6 },
  { name: 'exports', percent: 5, partition: true },
  { name: 'billing-sync', percent: 5 },
  { name: 'search-index', percent: 4 },
  { name: 'notifications', percent: 2 },
];

/** Each state's share of the jobs, in percent, as a production queue with a retention window looks. */
export const benchStateShares = { completed: 80, failed: 5, cancelled: 3, created: 8, retry: 1, active: 3 } as const;

const batchSize = 100_000;
/** Creation times step back this far per job, so 1,000,000 jobs span about 14 days, pg-boss's default retention. */
const createdStepMs = 1200;

/**
 * Inserts `total` jobs straight into `pgboss.job` in batches of 100,000, with the columns
 * pg-boss's own insert and settle statements write for each state, and returns the seconds
 * it took. Rows go through the partitioned parent, so each lands in its queue's partition.
 */
export async function seedBenchJobs(pool: Pool, boss: PgBoss, total: number, log: (message: string) => void): Promise<number> {
  for (const queue of benchQueues) await boss.createQueue(queue.name, { partition: queue.partition ?? false, retryLimit: 2 });
  const weightedQueues = benchQueues.flatMap((queue) => new Array<string>(queue.percent).fill(queue.name));
  assert.equal(weightedQueues.length, 100, 'queue shares add up to 100 percent');

  const started = performance.now();
  const newest = new Date();
  for (let first = 1; first <= total; first += batchSize) {
    const last = Math.min(total, first + batchSize - 1);
    const client = await pool.connect();
    try {
      // A seed per batch makes the states and queues of a run repeatable.
      await client.query('select setseed($1::float8)', [first / (total + 1)]);
      await client.query(seedBatchSql, [first, last, weightedQueues, newest, total, createdStepMs]);
    } finally {
      client.release();
    }
    log(`seeded ${last.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} jobs`);
  }
  return (performance.now() - started) / 1000;
}

// One row per i in [$1, $2]: a queue drawn by weight, a state drawn by share, creation time
// stepping back from $4, and the started/completed/output/retry columns that state has.
const seedBatchSql = `
  with drawn as (
    select i,
           ($3::text[])[1 + floor(random() * 100)::int] as queue,
           random() as roll,
           $4::timestamptz - ($5::bigint - i) * ($6::int * interval '1 millisecond') as created
      from generate_series($1::bigint, $2::bigint) as s(i)
  ), stated as (
    select drawn.*,
           case
             when roll < ${share(['completed'])} then 'completed'
             when roll < ${share(['completed', 'failed'])} then 'failed'
             when roll < ${share(['completed', 'failed', 'cancelled'])} then 'cancelled'
             when roll < ${share(['completed', 'failed', 'cancelled', 'created'])} then 'created'
             when roll < ${share(['completed', 'failed', 'cancelled', 'created', 'retry'])} then 'retry'
             else 'active'
           end as state
      from drawn
  )
  insert into pgboss.job (id, name, priority, data, state, retry_limit, retry_count, start_after, created_on,
                          started_on, completed_on, keep_until, output, policy, singleton_key)
  select gen_random_uuid(), queue, 0,
         jsonb_build_object('tenant', 'tenant-' || (i % 500), 'orderId', i, 'region', (array['eu', 'us', 'ap'])[1 + (i % 3)::int]),
         state::pgboss.job_state,
         2,
         case state when 'failed' then 2 when 'retry' then 1 else 0 end,
         case state when 'retry' then created + interval '1 hour' else created end,
         created,
         case when state = 'created' then null else created + interval '1 second' end,
         case when state in ('completed', 'failed', 'cancelled') then created + interval '3 seconds' end,
         created + interval '14 days',
         case state
           when 'completed' then jsonb_build_object('delivered', true, 'ms', 180 + i % 900)
           when 'failed' then jsonb_build_object('message', 'upstream timed out after 30000 ms', 'name', 'TimeoutError')
           when 'retry' then jsonb_build_object('message', 'connection reset by peer', 'name', 'Error')
         end,
         'standard',
         case when i % 20 = 0 then 'order-' || i end
    from stated`;

function share(states: Array<keyof typeof benchStateShares>): number {
  return states.reduce((sum, state) => sum + benchStateShares[state], 0) / 100;
}

/**
 * Proves pg-boss still reads the seeded rows through its own API: getJobById finds a job of
 * every state with that state, findJobs lists a queue, and a worker's fetch takes a created job
 * and completes it. Returns a one-line summary for the results page.
 */
export async function verifyPgBossReadsSeed(pool: Pool, boss: PgBoss): Promise<string> {
  const checks: string[] = [];
  for (const state of Object.keys(benchStateShares)) {
    const { rows } = await pool.query<{ name: string; id: string }>(`select name, id::text as id from pgboss.job where state = $1::pgboss.job_state limit 1`, [state]);
    assert.equal(rows.length, 1, `the seed has a ${state} job`);
    const job = await boss.getJobById(rows[0].name, rows[0].id);
    assert.equal(job?.state, state, `pg-boss reads the ${state} job ${rows[0].id} of ${rows[0].name}`);
  }
  checks.push(`getJobById returned a job of each of the ${Object.keys(benchStateShares).length} states`);

  const listed = await boss.findJobs('emails', { limit: 10 });
  assert.equal(listed.length, 10, 'findJobs lists seeded emails jobs');
  checks.push('findJobs listed 10 emails jobs');

  const [fetched] = await boss.fetch('sms');
  assert.ok(fetched, 'a worker fetches a seeded created sms job');
  await boss.complete('sms', fetched.id, { benchmark: true });
  assert.equal((await boss.getJobById('sms', fetched.id))?.state, 'completed');
  checks.push('fetch took a created sms job and complete() settled it');
  return checks.join('; ');
}
