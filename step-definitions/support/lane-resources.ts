import { randomBytes, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Browser } from 'playwright';
import { Pool } from 'pg';
import pino, { type Logger } from 'pino';

import type { UpgradeLaneDeclaration } from '../../lanes/lane-declaration';
import { runMigrations } from '../../library';
import { launchChromium } from './browser';
import { type RunningPostgres, startPostgres } from './postgres-provider';
import { registerSecret } from './secret-scan';
import { repositoryRoot } from './source-host-copy';

/**
 * Resources one cucumber run shares across scenarios: a Postgres server, a browser and the
 * generated secrets. Each starts on first use and stops in AfterAll. Scenarios never share a
 * database or a browser context.
 */
export const logger: Logger = pino({ name: 'lane-harness', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));

let postgres: Promise<RunningPostgres> | null = null;
let browser: Promise<Browser> | null = null;

/** Secrets generated for this run. Registered with the secret scan the moment they exist. */
export const runSecrets = {
  operatorPassword: generateSecret('operator password'),
  sessionKeys: `${generateSecret('session key')}`,
};

export const timings: Record<string, number> = { provisioningMs: 0, migrationsMs: 0, hostBootMs: 0, browserMs: 0 };

export async function timed<T>(bucket: keyof typeof timings, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[bucket] += performance.now() - started;
  }
}

/** Starts Postgres on first use. The first caller's major version wins; a container provider honours it. */
export function usePostgres(majorVersion = 18): Promise<RunningPostgres> {
  postgres ??= timed('provisioningMs', async () => {
    const running = await startPostgres({ logger, majorVersion });
    for (const secret of running.secrets) registerSecret(secret, 'postgres password');
    return running;
  });
  return postgres;
}

export function useBrowser(): Promise<Browser> {
  browser ??= launchChromium({ logger });
  return browser;
}

/** The Postgres server if this run started one; never starts it. */
export function peekPostgres(): Promise<RunningPostgres> | null {
  return postgres;
}

/** The browser if this run launched one; never launches it. */
export function peekBrowser(): Promise<Browser> | null {
  return browser;
}

export async function stopSharedResources(): Promise<void> {
  // A browser that never launched has nothing to close; its launch error failed its scenario.
  if (browser) await browser.then((launched) => launched.close(), () => undefined);
  if (postgres) {
    const running = await postgres;
    if (running.provider === 'database-url') await dropLaneDatabases(running);
    await running.stop();
  }
  browser = null;
  postgres = null;
}

/**
 * Drops the databases this run made on a DATABASE_URL server, which outlives the run, so the
 * next run can create the same names. The proof bundle keeps the run's evidence. The newest
 * go first, so each copy goes before the template it was made from.
 */
async function dropLaneDatabases(running: RunningPostgres): Promise<void> {
  for (const name of running.createdDatabases().reverse()) {
    try {
      await running.dropDatabase(name);
    } catch (error) {
      // The run has finished; a database left behind is named so it can be dropped by hand.
      logger.warn({ event: 'lane:database_drop_failed', database: name, err: error }, 'lane database not dropped');
    }
  }
}

const sourceTemplates = new Map<string, Promise<string>>();

/**
 * Creates, once per run, a template database holding the lane's source state: the previous
 * library migrations, the host's own data and pg-boss jobs. Scenarios clone it, which takes
 * milliseconds, instead of rebuilding it.
 */
export function useSourceTemplate(lane: UpgradeLaneDeclaration): Promise<string> {
  let template = sourceTemplates.get(lane.name);
  if (!template) {
    template = timed('provisioningMs', () => buildSourceTemplate(lane));
    sourceTemplates.set(lane.name, template);
  }
  return template;
}

async function buildSourceTemplate(lane: UpgradeLaneDeclaration): Promise<string> {
  const server = await usePostgres(lane.postgresMajor);
  const name = `${lane.name.replaceAll('-', '_')}_source`;
  const url = await server.createDatabase(name);
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await runMigrations(pool, { to: lane.sourceHost.previousMigration });
    await pool.query(readFileSync(path.join(repositoryRoot, lane.sourceHost.dataFile), 'utf8'));
    await seedOperators(pool);
    await seedPgBossJobs(url);
  } finally {
    await pool.end();
  }
  logger.info({ event: 'lane:source_template_ready', lane: lane.name, database: name }, 'source database template ready');
  return name;
}

/** The source host's operators, in the table format the frozen host reads. */
async function seedOperators(pool: Pool): Promise<void> {
  const operators = [
    [1, 'ops-demo', 'operate'],
    [2, 'ops-viewer', 'inspect'],
    [3, 'no-access', 'none'],
    [4, 'ops-lead', 'operate'],
  ] as const;
  for (const [id, login, permission] of operators) {
    const salt = randomBytes(16);
    await pool.query(
      'insert into billing.operators (id, login, permission, secret_hash, secret_salt) values ($1, $2, $3, $4, $5)',
      [id, login, permission, scryptSync(runSecrets.operatorPassword, salt, 32), salt],
    );
  }
}

/** Jobs the source host left behind: completed, failed and queued, created through pg-boss itself. */
async function seedPgBossJobs(url: string): Promise<void> {
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: url, max: 2, supervise: false, schedule: false });
  await boss.start();
  try {
    await boss.createQueue('nightly_sync');
    await boss.createQueue('reports', { retryLimit: 0 });
    await boss.send('reports', { format: 'pdf', customer: 'cust_1001' });
    await boss.send('reports', { format: 'csv', customer: 'cust_1002' });
    const [completed, failed] = await boss.fetch('reports', { batchSize: 2 });
    await boss.complete('reports', completed.id, { pages: 12 });
    await boss.fail('reports', failed.id, { message: 'ledger locked' });
    await boss.send('nightly_sync', { ledger: 'main', cronEntry: 'nightly_sync' });
  } finally {
    await boss.stop({ graceful: false });
  }
}

function generateSecret(label: string): string {
  const secret = randomBytes(24).toString('base64url');
  registerSecret(secret, label);
  return secret;
}
