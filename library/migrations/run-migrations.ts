import type { Pool, PoolClient } from 'pg';
import { Umzug } from 'umzug';

import { libraryMigrations } from '../../migrations';
import type { LibraryMigration } from '../../migrations';
import { MigrationError } from '../errors';
import type { Logger } from '../seams';
import { type MigrationContext, postgresStorage } from './postgres-storage';

export interface MigrationOptions {
  logger?: Logger;
  /** Apply up to and including this migration name. Default: all. */
  to?: string;
  /** Migrations to run instead of the library's own. Tests use this to prove rollback. */
  migrations?: readonly LibraryMigration[];
}

export interface MigrationStatus {
  executed: string[];
  pending: string[];
  /** Names the database has applied that this library version does not know: a newer library migrated it. */
  unknown: string[];
}

// An arbitrary fixed advisory lock key, shared by every host process migrating the same database.
const migrationLockKey = 1_720_470_123;

/**
 * Applies pending library migrations, each in its own transaction together with its log row.
 * A session advisory lock serialises hosts that migrate at once; the later one finds nothing
 * pending. A failing migration rolls back and throws `MigrationError` naming it.
 */
export async function runMigrations(pool: Pool, options: MigrationOptions = {}): Promise<string[]> {
  return withMigrationLock(pool, async (client) => {
    const umzug = makeUmzug(client, options);
    if (options.to !== undefined) {
      assertKnownMigration(options.migrations ?? libraryMigrations, options.to);
      // Umzug throws when "to" is already applied; a re-run of a pinned migrate script has nothing to do.
      if ((await postgresStorage.executed({ context: { client } })).includes(options.to)) return [];
    }
    const applied = await umzug.up(options.to === undefined ? {} : { to: options.to }).catch(rethrowOwnError);
    return applied.map((migration) => migration.name);
  });
}

/**
 * Reverts the newest applied library migration, in one transaction. Throws `MigrationError`
 * when a newer library applied migrations this version does not know, because reverting an
 * older one underneath them could break their objects.
 */
export async function revertLastMigration(pool: Pool, options: MigrationOptions = {}): Promise<string[]> {
  return withMigrationLock(pool, async (client) => {
    const known = (options.migrations ?? libraryMigrations).map((migration) => migration.name);
    const unknown = (await postgresStorage.executed({ context: { client } })).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new MigrationError(
        unknown[unknown.length - 1],
        `Cannot revert: the database has migration(s) ${unknown.join(', ')} from a newer koa-jobs-powertools, which this version does not know. Revert them with the library version that applied them first.`,
      );
    }
    const reverted = await makeUmzug(client, options).down({ step: 1 }).catch(rethrowOwnError);
    return reverted.map((migration) => migration.name);
  });
}

/** Reads which library migrations are applied and which are pending. */
export async function readMigrationStatus(pool: Pool, options: Pick<MigrationOptions, 'migrations'> = {}): Promise<MigrationStatus> {
  const known = (options.migrations ?? libraryMigrations).map((migration) => migration.name);
  const client = await pool.connect();
  try {
    const executed = await postgresStorage.executed({ context: { client } });
    return {
      executed,
      pending: known.filter((name) => !executed.includes(name)),
      unknown: executed.filter((name) => !known.includes(name)),
    };
  } finally {
    client.release();
  }
}

function makeUmzug(client: PoolClient, options: MigrationOptions): Umzug<MigrationContext> {
  const migrations = options.migrations ?? libraryMigrations;
  return new Umzug<MigrationContext>({
    migrations: migrations.map((migration) => ({
      name: migration.name,
      up: () => applyInTransaction(client, migration, 'up', options.logger),
      down: () => applyInTransaction(client, migration, 'down', options.logger),
    })),
    context: { client },
    storage: postgresStorage,
    logger: undefined,
  });
}

async function applyInTransaction(client: PoolClient, migration: LibraryMigration, direction: 'up' | 'down', logger?: Logger): Promise<void> {
  const started = Date.now();
  await client.query('begin');
  try {
    if (direction === 'down') await postgresStorage.unlogMigration({ name: migration.name, context: { client } });
    await client.query(migration[direction]);
    if (direction === 'up') await postgresStorage.logMigration({ name: migration.name, context: { client } });
    await client.query('commit');
  } catch (error) {
    // A failed rollback leaves nothing more to undo on this connection; the original error matters.
    await client.query('rollback').catch(() => undefined);
    logger?.error({ migration: migration.name, direction, err: error }, 'migration failed and was rolled back');
    throw new MigrationError(
      migration.name,
      `Migration ${migration.name} (${direction}) failed and was rolled back, so none of it was applied: ${(error as Error).message}. Fix the cause and run the migrations again.`,
      { cause: error },
    );
  }
  logger?.info({ migration: migration.name, direction, durationMs: Date.now() - started }, 'migration applied');
}

async function withMigrationLock<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [migrationLockKey]);
    try {
      return await work(client);
    } finally {
      await client.query('select pg_advisory_unlock($1::bigint)', [migrationLockKey]);
    }
  } finally {
    client.release();
  }
}

function assertKnownMigration(migrations: readonly LibraryMigration[], name: string): void {
  if (migrations.some((migration) => migration.name === name)) return;
  throw new MigrationError(
    name,
    `Unknown migration "${name}" given as "to". Known migrations: ${migrations.map((migration) => migration.name).join(', ')}.`,
  );
}

/** Umzug wraps what a migration throws; the host should see our error, which names the fix. */
function rethrowOwnError(error: unknown): never {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof MigrationError) throw current;
  }
  throw error;
}
