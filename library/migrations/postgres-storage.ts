import type { UmzugStorage } from 'umzug';

import type { Queryable } from '../db/with-transaction';

export interface MigrationContext {
  /** The client that holds the migration lock; every migration and log write uses it. */
  client: Queryable;
}

/**
 * Umzug storage in `jobs_powertools.migrations`. Each migration writes its own log row inside
 * its transaction (see runMigrations), so `logMigration` and `unlogMigration` only repeat that
 * write idempotently; the log can never say a migration ran when its transaction rolled back.
 */
export const postgresStorage: UmzugStorage<MigrationContext> = {
  async executed({ context }) {
    const { rows: tables } = await context.client.query<{ exists: boolean }>(
      `select to_regclass('jobs_powertools.migrations') is not null as exists`,
    );
    if (!tables[0].exists) return [];
    const { rows } = await context.client.query<{ name: string }>(
      `select name from jobs_powertools.migrations order by name`,
    );
    return rows.map((row) => row.name);
  },

  async logMigration({ name, context }) {
    await context.client.query(
      `insert into jobs_powertools.migrations (name) values ($1::text) on conflict (name) do nothing`,
      [name],
    );
  },

  async unlogMigration({ name, context }) {
    const { rows } = await context.client.query<{ exists: boolean }>(
      `select to_regclass('jobs_powertools.migrations') is not null as exists`,
    );
    if (!rows[0].exists) return;
    await context.client.query(`delete from jobs_powertools.migrations where name = $1::text`, [name]);
  },
};
