import { Pool } from 'pg';

import { readMigrationStatus, revertLastMigration, runMigrations } from '../migrations/run-migrations';
import { type CliOutput, UsageError } from './cli-output';

export interface MigrateOptions {
  direction: 'up' | 'down' | 'status';
  /** For `up`: apply up to and including this migration. */
  to?: string;
  json: boolean;
  databaseUrl?: string;
}

/**
 * Runs the library's migrations for hosts without their own migration tool: `up` applies what
 * is pending, `down` reverts the newest one, `status` lists applied, pending and unknown ones.
 */
export async function runMigrate(options: MigrateOptions, output: CliOutput): Promise<number> {
  if (!options.databaseUrl) throw new UsageError('DATABASE_URL is not set. Set it to the Postgres URL of the host database.');
  if (options.to !== undefined && options.direction !== 'up') throw new UsageError('--to applies only to migrate up.');

  const pool = new Pool({ connectionString: options.databaseUrl, max: 2 });
  try {
    if (options.direction === 'status') {
      const status = await readMigrationStatus(pool);
      output.out(options.json ? JSON.stringify(status, null, 2) : formatStatus(status));
      return status.pending.length > 0 || status.unknown.length > 0 ? 1 : 0;
    }

    const changed = options.direction === 'up' ? await runMigrations(pool, options.to ? { to: options.to } : {}) : await revertLastMigration(pool);
    const verb = options.direction === 'up' ? 'applied' : 'reverted';
    output.out(options.json ? JSON.stringify({ [verb]: changed }) : changed.length === 0 ? `No migration ${verb}: nothing to do.` : `${verb} ${changed.join(', ')}`);
    return 0;
  } finally {
    await pool.end();
  }
}

function formatStatus(status: { executed: string[]; pending: string[]; unknown: string[] }): string {
  const lines = [
    ...status.executed.filter((name) => !status.unknown.includes(name)).map((name) => `applied  ${name}`),
    ...status.pending.map((name) => `pending  ${name}`),
    ...status.unknown.map((name) => `unknown  ${name} (applied by a newer koa-jobs-powertools)`),
  ];
  lines.push(`${status.executed.length - status.unknown.length} applied, ${status.pending.length} pending, ${status.unknown.length} unknown`);
  return lines.join('\n');
}
