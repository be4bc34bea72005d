import { randomBytes } from 'node:crypto';
import os from 'node:os';

import { Pool } from 'pg';
import { PgBoss } from 'pg-boss';
import pino from 'pino';

import { makeWorkflowRuntime, runMigrations, type WorkflowPlan } from '../library';
import { startPostgres } from '../step-definitions/support/postgres-provider';

/**
 * Measures workflow steps per second for a wide and a deep DAG next to plain pg-boss jobs per
 * second, in one process against one database. Each overhead is then a ratio of two numbers
 * taken seconds apart on the same machine. Every round runs the measures once, in turn, and the
 * table reports the median of the rounds.
 *
 * - plain jobs: `width` independent jobs inserted at once and worked to completion.
 * - wide DAG: one root, `width` parallel steps, one join: width + 2 steps.
 * - plain chain: `depth` jobs where each handler sends the next one, as a host without workflows would chain them.
 * - deep DAG: a chain of `depth` steps, each depending on the one before.
 * - many DAGs: `width / 10` wide DAGs of 1 -> 10 -> 1 inserted at once, against the same plain baseline.
 *   Steps of one workflow settle one at a time under its row lock; separate workflows do not wait for each other.
 *
 * All four use the same pg-boss instance and queue settings (LISTEN/NOTIFY on, 0.5 s polling
 * with and without it, no retries) and the same workers per queue, each fetching up to `batch`
 * jobs and fetching again at once while batches come back full. A plain batch completes with one
 * statement; a workflow step settles in a transaction of its own, which is part of what the
 * ratio measures.
 *
 * Usage: node -r ts-node/register/transpile-only bench/workflow-throughput.ts [--rounds 5] [--width 200] [--depth 50] [--concurrency 2] [--batch 10]
 */

const options = readOptions(process.argv.slice(2));
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
// A notification wakes each worker for one fetch only. Without the short notify poll, jobs
// beyond the first fetch of a burst would wait for pg-boss's default of 30 s.
const polling = { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 };
const batching = () => ({ batchSize: options.batch, burstWhenBatchFull: options.batch > 1 });

interface Round {
  plainJobsPerSecond: number;
  wideStepsPerSecond: number;
  manyStepsPerSecond: number;
  plainChainJobsPerSecond: number;
  deepStepsPerSecond: number;
}

async function main(): Promise<void> {
  const postgres = await startPostgres({ logger });
  const databaseName = `bench_workflows_${randomBytes(3).toString('hex')}`;
  const url = await postgres.createDatabase(databaseName);
  const pool = new Pool({ connectionString: url, max: options.concurrency * 3 + 4 });
  const boss = new PgBoss({ connectionString: url, max: options.concurrency * 3 + 4, useListenNotify: true, schedule: false });
  boss.on('error', (error) => logger.error({ err: error }, 'pg-boss error during the benchmark'));

  try {
    await runMigrations(pool);
    await boss.start();
    for (const queue of ['bench_plain', 'bench_chain', 'bench_steps']) await boss.createQueue(queue, { retryLimit: 0, notify: true });

    const runtime = makeWorkflowRuntime({ pool, boss, reconcileIntervalSeconds: 60 });
    const settled = new Map<string, () => void>();
    runtime.events.on('workflow:state_changed', ({ workflowId, to }) => {
      if (to === 'completed') settled.get(workflowId)?.();
    });
    await runtime.work('bench_steps', () => ({ ok: true }), { localConcurrency: options.concurrency, batchSize: options.batch, ...polling });
    await runtime.start();

    const plain = makePlainWorkers(boss);
    await plain.start();

    const rounds: Round[] = [];
    // One unrecorded round warms up ts-node's compilation, the pools and Postgres's caches.
    for (let round = 0; round <= options.rounds; round += 1) {
      const sample: Round = {
        plainJobsPerSecond: await plain.runIndependent(options.width),
        wideStepsPerSecond: await runWorkflows(runtime, settled, [widePlan(options.width)]),
        manyStepsPerSecond: await runWorkflows(runtime, settled, Array.from({ length: Math.max(1, Math.floor(options.width / 10)) }, () => widePlan(10))),
        plainChainJobsPerSecond: await plain.runChain(options.depth),
        deepStepsPerSecond: await runWorkflows(runtime, settled, [deepPlan(options.depth)]),
      };
      if (round > 0) rounds.push(sample);
      process.stderr.write(`${round === 0 ? 'warm-up' : `round ${round}/${options.rounds}`}: ${JSON.stringify(roundTo(sample))}\n`);
    }

    await runtime.stop();
    process.stdout.write(report(rounds, postgres.serverVersion, postgres.provider));
  } finally {
    await boss.stop({ graceful: false });
    await pool.end();
    await postgres.dropDatabase(databaseName).catch(() => undefined);
    await postgres.stop();
  }
}

/** Inserts workflows at once and resolves with their steps per second, from the first insert to the last completing transition. */
async function runWorkflows(runtime: ReturnType<typeof makeWorkflowRuntime>, settled: Map<string, () => void>, plans: WorkflowPlan[]): Promise<number> {
  const started = performance.now();
  const completions: Array<Promise<void>> = [];
  for (const plan of plans) {
    const { id } = await runtime.insert(plan);
    // A root step cannot complete before its insert returns: the worker needs the committed job first.
    completions.push(new Promise<void>((resolve) => settled.set(id, resolve)));
  }
  await Promise.all(completions);
  settled.clear();
  const steps = plans.reduce((sum, plan) => sum + plan.steps.length, 0);
  return steps / ((performance.now() - started) / 1000);
}

function makePlainWorkers(boss: PgBoss) {
  let onDone: (() => void) | null = null;
  let remaining = 0;
  const finishOne = () => {
    remaining -= 1;
    if (remaining === 0) onDone?.();
  };

  return {
    async start() {
      await boss.work('bench_plain', { localConcurrency: options.concurrency, ...batching(), ...polling }, async (jobs) => {
        for (let index = 0; index < jobs.length; index += 1) finishOne();
        return { ok: true };
      });
      await boss.work<{ left: number }>('bench_chain', { localConcurrency: options.concurrency, ...batching(), ...polling }, async (jobs) => {
        for (const job of jobs) {
          if (job.data.left > 1) await boss.send('bench_chain', { left: job.data.left - 1 });
          finishOne();
        }
        return { ok: true };
      });
    },
    async runIndependent(count: number): Promise<number> {
      const finished = new Promise<void>((resolve) => {
        onDone = resolve;
      });
      remaining = count;
      const started = performance.now();
      await boss.insert('bench_plain', Array.from({ length: count }, (_, index) => ({ data: { index } })));
      await finished;
      return count / ((performance.now() - started) / 1000);
    },
    async runChain(length: number): Promise<number> {
      const finished = new Promise<void>((resolve) => {
        onDone = resolve;
      });
      remaining = length;
      const started = performance.now();
      await boss.send('bench_chain', { left: length });
      await finished;
      return length / ((performance.now() - started) / 1000);
    },
  };
}

function widePlan(width: number): WorkflowPlan {
  const middle = Array.from({ length: width }, (_, index) => ({ name: `part_${index}`, queue: 'bench_steps', dependsOn: ['split'] }));
  return {
    name: 'bench_wide',
    steps: [{ name: 'split', queue: 'bench_steps' }, ...middle, { name: 'join', queue: 'bench_steps', dependsOn: middle.map((step) => step.name) }],
  };
}

function deepPlan(depth: number): WorkflowPlan {
  return {
    name: 'bench_deep',
    steps: Array.from({ length: depth }, (_, index) => ({ name: `link_${index}`, queue: 'bench_steps', ...(index > 0 ? { dependsOn: [`link_${index - 1}`] } : {}) })),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function roundTo(sample: Round): Record<string, number> {
  return Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, Math.round(value * 10) / 10]));
}

function report(rounds: Round[], serverVersion: string, provider: string): string {
  const pick = (key: keyof Round) => median(rounds.map((round) => round[key]));
  const plain = pick('plainJobsPerSecond');
  const wide = pick('wideStepsPerSecond');
  const chain = pick('plainChainJobsPerSecond');
  const deep = pick('deepStepsPerSecond');
  const many = pick('manyStepsPerSecond');
  const manyCount = Math.max(1, Math.floor(options.width / 10));
  const rows = [
    ['plain pg-boss jobs, independent', options.width, plain, '1 (baseline)'],
    [`wide DAG (1 -> ${options.width} -> 1)`, options.width + 2, wide, (wide / plain).toFixed(3)],
    [`${manyCount} wide DAGs at once (1 -> 10 -> 1 each)`, manyCount * 12, many, (many / plain).toFixed(3)],
    ['plain pg-boss jobs, each sending the next', options.depth, chain, '1 (baseline)'],
    [`deep DAG (chain of ${options.depth})`, options.depth, deep, (deep / chain).toFixed(3)],
  ] as const;
  return [
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.versions.node}, Postgres ${serverVersion} (${provider}), load average ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`,
    `rounds: ${rounds.length}; per queue ${options.concurrency} workers fetching up to ${options.batch} jobs each; raw rounds: ${JSON.stringify(rounds.map(roundTo))}`,
    '',
    '| measure | jobs or steps | median per second | ratio to its plain baseline |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([label, count, perSecond, ratio]) => `| ${label} | ${count} | ${perSecond.toFixed(1)} | ${ratio} |`),
    '',
  ].join('\n');
}

function readOptions(argv: string[]): { rounds: number; width: number; depth: number; concurrency: number; batch: number } {
  const read = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    if (index === -1) return fallback;
    const value = Number(argv[index + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of 1 or more, got ${JSON.stringify(argv[index + 1])}.`);
    return value;
  };
  return { rounds: read('rounds', 5), width: read('width', 200), depth: read('depth', 50), concurrency: read('concurrency', 2), batch: read('batch', 10) };
}

main().catch((error) => {
  process.stderr.write(`workflow benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
