import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { test } from 'node:test';

import { runMigrations } from '../../library';
import { listNextSlots } from '../../library/scheduler/cron-slots';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);
const halfHourly = { name: 'half_hourly_berlin', schedule: '*/30 * * * *', timezone: 'Europe/Berlin', queue: 'half_hourly', args: {} };
const processScript = path.join(__dirname, 'support', 'scheduler-process.ts');

interface SchedulerProcess {
  send(command: string): Promise<string>;
}

/** Starts a scheduler process and resolves once it reports ready. */
async function startSchedulerProcess(): Promise<SchedulerProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', processScript], {
    env: { ...process.env, DATABASE_URL: database.url, CRON_ENTRIES: JSON.stringify([halfHourly]) },
  });
  database.cleanUpAfterTest(() => child.exitCode === null && child.kill());
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => (await lines.next()).value as string;
  assert.equal(await next(), 'ready');
  return {
    async send(command) {
      child.stdin.write(`${command}\n`);
      return next();
    },
  };
}

test('three scheduler processes fire each slot once across DST', { timeout: 120_000 }, async () => {
  await runMigrations(database.pool);
  const processes = await Promise.all([startSchedulerProcess(), startSchedulerProcess(), startSchedulerProcess()]);
  // Pretend the entry has existed since before the window, so every slot in it counts.
  await database.pool.query(`update jobs_powertools.cron_entries set created_at = '2025-03-29T20:55:00Z'`);
  // The scheduler counts slots only from when the library began recording them; move that moment too.
  await database.pool.query(`update jobs_powertools.migrations set applied_at = '2025-03-29T20:55:00Z' where name = '0005_create_cron_slots'`);

  // Every 10 minutes from 22:00 CET on the 29th to 06:00 CEST on the 30th, across the spring-forward gap.
  const ticks: Date[] = [];
  for (let time = Date.parse('2025-03-29T21:00:00Z'); time <= Date.parse('2025-03-30T04:00:00Z'); time += 10 * 60 * 1000) ticks.push(new Date(time));
  let firedTotal = 0;
  for (const tick of ticks) {
    const answers = await Promise.all(processes.map((scheduler) => scheduler.send(`tick ${tick.toISOString()}`)));
    firedTotal += answers.reduce((sum, answer) => sum + Number(answer.replace('fired ', '')), 0);
  }
  await Promise.all(processes.map((scheduler) => scheduler.send('stop')));

  const expected = listNextSlots(halfHourly.schedule, halfHourly.timezone, new Date('2025-03-29T20:59:59Z'), 100)
    .filter((slot) => slot.getTime() <= Date.parse('2025-03-30T04:00:00Z'))
    .map((slot) => slot.toISOString());
  const { rows: slots } = await database.pool.query<{ slot_at: Date; outcome: string; job_id: string | null }>(
    `select slot_at, outcome, job_id::text as job_id from jobs_powertools.cron_slots order by slot_at`,
  );
  const { rows: jobs } = await database.pool.query<{ count: number }>(`select count(*)::int as count from pgboss.job where name = 'half_hourly'`);

  assert.deepEqual(slots.map((slot) => slot.slot_at.toISOString()), expected, 'one row per slot, the gap collapsed into one');
  assert.ok(slots.every((slot) => slot.outcome === 'fired' && slot.job_id !== null), 'every slot fired with a job');
  assert.equal(firedTotal, expected.length, 'the processes together fired each slot exactly once');
  assert.equal(jobs[0].count, expected.length, 'pg-boss holds one job per slot');
});
