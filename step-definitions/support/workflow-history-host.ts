import { readFileSync } from 'node:fs';
import path from 'node:path';

import { After, AfterAll } from '@cucumber/cucumber';
import { Pool } from 'pg';

import type { HistoricalCompatibilityLaneDeclaration } from '../../lanes/lane-declaration';
import { runMigrations } from '../../library';
import { type DatabaseSnapshot, snapshotDatabase } from './database-snapshot';
// Imported first so the harness's AfterAll is registered before this file's: cucumber runs
// AfterAll hooks in reverse order, so this host stops before the harness stops Postgres.
import './hooks';
import { type HostRun, runHostScript, startHostProcess } from './host-process';
import { logger, runSecrets, timed, usePostgres } from './lane-resources';
import { maskSecrets } from './mask-secrets';
import { repositoryRoot } from './source-host-copy';
import type { LaneWorld } from './world';

/** The reference host upgraded over a database that holds workflows stored under an earlier semantics version. */
export interface UpgradedWorkflowHost {
  databaseUrl: string;
  pool: Pool;
  /** Every row of the preserved schemas before the current migrations ran. */
  snapshotBefore: DatabaseSnapshot;
  /** Migrations the host's migrate script applied over the stored set. */
  appliedMigrations: unknown[];
  run: HostRun;
}

let template: Promise<string> | null = null;
let sharedHost: Promise<UpgradedWorkflowHost> | null = null;

/**
 * Creates, once per run, a template database as the earlier library left it: its migrations up
 * to the stored set, the pg-boss jobs the fixture rows name, and the fixture rows themselves.
 */
export function useStoredWorkflowTemplate(lane: HistoricalCompatibilityLaneDeclaration): Promise<string> {
  template ??= timed('provisioningMs', () => buildStoredTemplate(lane));
  return template;
}

/**
 * The reference host, upgraded and running, shared by the lane's scenarios: a clone of the
 * template, snapshotted, then the host's own migrate and seed scripts, then its server as a
 * process of its own. Scenarios read it and compare rows with the snapshot; none acts on a
 * stored workflow.
 */
export function useUpgradedWorkflowHost(lane: HistoricalCompatibilityLaneDeclaration): Promise<UpgradedWorkflowHost> {
  sharedHost ??= upgradeAndStart(lane);
  return sharedHost;
}

async function buildStoredTemplate(lane: HistoricalCompatibilityLaneDeclaration): Promise<string> {
  const server = await usePostgres(lane.postgresMajor);
  const name = `${lane.name.replaceAll('-', '_')}_stored`;
  const url = await server.createDatabase(name);
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await runMigrations(pool, { to: lane.storedUnder.previousMigration });
    await createFixtureJobs(url, lane);
    await pool.query(readFileSync(path.join(repositoryRoot, lane.storedUnder.fixtureFile), 'utf8'));
  } finally {
    await pool.end();
  }
  logger.info({ event: 'lane:stored_template_ready', lane: lane.name, database: name }, 'stored workflow template ready');
  return name;
}

/** Creates the pg-boss jobs the fixture rows point at, in the states the rows describe, through pg-boss itself. */
async function createFixtureJobs(url: string, lane: HistoricalCompatibilityLaneDeclaration): Promise<void> {
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: url, max: 2, supervise: false, schedule: false });
  await boss.start();
  try {
    for (const job of lane.storedUnder.jobs) {
      if (!(await boss.getQueue(job.queue))) await boss.createQueue(job.queue, job.options);
      const id = await boss.send(job.queue, job.data, { ...job.options, id: job.id });
      if (id !== job.id) throw new Error(`pg-boss did not create fixture job ${job.id} on ${job.queue}.`);
      const [fetched] = await boss.fetch(job.queue);
      if (fetched?.id !== job.id) throw new Error(`Fixture job ${job.id} was not the job fetched from ${job.queue}; the queue must hold only fixture jobs.`);
      if (job.state === 'retry') await boss.fail(job.queue, job.id, { name: 'Error', message: 'ledger API returned 503' });
    }
  } finally {
    await boss.stop({ graceful: false });
  }
}

async function upgradeAndStart(lane: HistoricalCompatibilityLaneDeclaration): Promise<UpgradedWorkflowHost> {
  const server = await usePostgres(lane.postgresMajor);
  const storedTemplate = await useStoredWorkflowTemplate(lane);
  const databaseName = `${lane.name.replaceAll('-', '_')}_upgraded`;
  const databaseUrl = await timed('provisioningMs', () => server.createDatabase(databaseName, { template: storedTemplate }));
  const pool = new Pool({ connectionString: databaseUrl, max: 3 });
  pool.on('error', (error) => logger.warn({ event: 'lane:idle_client_failed', err: error }, 'an idle client of the upgraded host database failed'));
  const snapshotBefore = await snapshotDatabase(pool, lane.preservedSchemas);

  const hostDirectory = path.join(repositoryRoot, lane.host.directory);
  const env = { DATABASE_URL: databaseUrl, REFERENCE_HOST_DEMO_PASSWORD: runSecrets.operatorPassword };
  const migrated = await timed('migrationsMs', () => runHostScript({ hostDirectory, entry: lane.host.migrateScript, env, logger }));
  if (migrated.exitCode !== 0) throw new Error(`${lane.host.migrateScript} exited with ${migrated.exitCode}: ${maskSecrets(migrated.output.slice(-3).join(' | '))}`);
  const seeded = await timed('migrationsMs', () => runHostScript({ hostDirectory, entry: lane.host.seedScript, env, logger }));
  if (seeded.exitCode !== 0) throw new Error(`${lane.host.seedScript} exited with ${seeded.exitCode}: ${maskSecrets(seeded.output.slice(-3).join(' | '))}`);

  const run = await timed('hostBootMs', () =>
    startHostProcess({ hostDirectory, entry: lane.host.serverScript, env: { ...env, PORT: '0', SESSION_KEYS: runSecrets.sessionKeys, LOG_LEVEL: 'info' }, logger }),
  );
  if (!run.baseUrl) throw new Error(`The upgraded reference host did not start (exit ${run.exitCode}): ${maskSecrets(run.output.slice(-3).join(' | '))}`);

  const applied = migrated.output.map(readJson).find((line) => Array.isArray(line?.applied))?.applied ?? [];
  return { databaseUrl, pool, snapshotBefore, appliedMigrations: applied as unknown[], run };
}

function readJson(line: string): { applied?: unknown } | null {
  try {
    return JSON.parse(line) as { applied?: unknown };
  } catch {
    // Lines that are not JSON log lines carry no migration summary.
    return null;
  }
}

/** Attaches the upgraded host's last output to a failed scenario of this lane, with secrets masked. */
After(async function (this: LaneWorld, { result }) {
  if (!sharedHost || this.lane?.name !== 'historical-compatibility' || result?.status === 'PASSED') return;
  const host = await sharedHost.catch(() => null);
  if (host) this.attach(maskSecrets(host.run.output.slice(-80).join('\n')), 'text/plain');
});

AfterAll(async function () {
  const host = await sharedHost?.catch(() => null);
  sharedHost = null;
  template = null;
  if (!host) return;
  await host.run.stop();
  // The shared Postgres may already be stopping in the harness's own AfterAll; the pool only has to close.
  await host.pool.end().catch(() => undefined);
});
