import type { Pool } from 'pg';

import { unknownMigrationsFix } from '../../migrations/check-library-migrations';
import { type MigrationStatus, readMigrationStatus } from '../../migrations/run-migrations';
import { checkPgBossSchema } from '../../pgboss/check-pg-boss-schema';
import { listSchedulerHeartbeats, type SchedulerHeartbeat } from '../../sql/list-scheduler-heartbeats';
import { type CheckResult, fail, pass, skip } from './doctor-check';

const migrateFix = 'Run the host migration script, or npx jobs-powertools migrate up, then restart the host.';
const readLibraryTablesFix = "Check that DATABASE_URL names the host's database, and that its role may read the library's tables. Grant it usage on schema jobs_powertools and select on the schema's tables.";

/**
 * Checks what the database behind the host shows: that it answers, that no library migration is
 * pending or unknown, that pg-boss's schema version is supported, and that a scheduler has
 * beaten recently. Returns one result per check. A failed query fails its own check with the
 * error, and a check that needs an earlier one to pass is skipped when that one failed.
 */
export async function checkDatabase(pool: Pool | null, missingReason: string | null): Promise<CheckResult[]> {
  if (!pool) {
    return [
      fail('database', 'database', missingReason ?? 'no database URL', 'Set DATABASE_URL to the Postgres URL the host uses.'),
      ...['migrations', 'pg-boss-schema', 'scheduler'].map((id) => skip(id, titles[id], 'needs the database')),
    ];
  }

  const results: CheckResult[] = [];
  try {
    const { rows } = await pool.query<{ version: string; database: string }>(`select current_setting('server_version') as version, current_database() as database`);
    results.push(pass('database', 'database', `reachable: Postgres ${rows[0].version}, database ${rows[0].database}`));
  } catch (error) {
    results.push(fail('database', 'database', `not reachable: ${describeError(error)}`, 'Check DATABASE_URL, and that Postgres runs and accepts connections from here.'));
    return [...results, ...['migrations', 'pg-boss-schema', 'scheduler'].map((id) => skip(id, titles[id], 'needs the database'))];
  }

  const migrations = await checkMigrations(pool);
  results.push(migrations, await checkPgBoss(pool));
  results.push(migrations.status === 'pass' ? await checkScheduler(pool) : skip('scheduler', titles.scheduler, 'needs the library migrations'));
  return results;
}

const titles: Record<string, string> = { migrations: 'migrations', 'pg-boss-schema': 'pg-boss schema', scheduler: 'scheduler' };

async function checkMigrations(pool: Pool): Promise<CheckResult> {
  let status: MigrationStatus;
  try {
    status = await readMigrationStatus(pool);
  } catch (error) {
    return fail('migrations', titles.migrations, `could not read jobs_powertools.migrations: ${describeError(error)}`, readLibraryTablesFix);
  }

  if (status.unknown.length > 0) {
    return fail('migrations', titles.migrations, `the database is ahead of this library: it has applied ${status.unknown.join(', ')}, which koa-jobs-powertools does not know`, unknownMigrationsFix);
  }
  if (status.pending.length > 0) {
    return fail('migrations', titles.migrations, `${status.pending.length} pending: ${status.pending.join(', ')}`, migrateFix);
  }
  return pass('migrations', titles.migrations, `all ${status.executed.length} applied, none pending`);
}

async function checkPgBoss(pool: Pool): Promise<CheckResult> {
  try {
    const version = await checkPgBossSchema(pool);
    return pass('pg-boss-schema', titles['pg-boss-schema'], `version ${version}, supported`);
  } catch (error) {
    return fail('pg-boss-schema', titles['pg-boss-schema'], describeError(error), 'Start the host once so pg-boss creates or migrates its schema, or install a supported pg-boss release.');
  }
}

/**
 * Checks for a running scheduler: one whose heartbeat is younger than three of its intervals
 * plus ten seconds, so one late tick under load is not a failure but a stopped process is.
 */
async function checkScheduler(pool: Pool): Promise<CheckResult> {
  let heartbeats: SchedulerHeartbeat[];
  try {
    heartbeats = await listSchedulerHeartbeats(pool);
  } catch (error) {
    return fail('scheduler', titles.scheduler, `could not read jobs_powertools.scheduler_heartbeats: ${describeError(error)}`, readLibraryTablesFix);
  }

  const alive = heartbeats.filter((heartbeat) => heartbeat.ageSeconds <= heartbeat.intervalSeconds * 3 + 10);
  if (alive.length > 0) {
    const newest = alive[0];
    return pass('scheduler', titles.scheduler, `${alive.length} running; newest heartbeat ${newest.ageSeconds.toFixed(1)} s ago from ${newest.hostname} pid ${newest.pid}`);
  }

  const fix = 'Start the host: it must call powertools.runtime.start() after boss.start(); its log names the error if the start failed.';
  if (heartbeats.length === 0) return fail('scheduler', titles.scheduler, 'no scheduler is running: none has recorded a heartbeat', fix);
  const newest = heartbeats[0];
  return fail('scheduler', titles.scheduler, `no scheduler is running: the newest heartbeat, from ${newest.hostname} pid ${newest.pid}, is ${Math.round(newest.ageSeconds)} s old, so that process stopped without stopping its scheduler`, fix);
}

/** Names a database error by its message and code, never by the URL, which may hold a password. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
