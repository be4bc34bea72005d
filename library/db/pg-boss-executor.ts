import type { PoolClient } from 'pg';
import type { Db } from 'pg-boss';

/**
 * Adapts a client inside our transaction to pg-boss's `db` option, so a job is created in the
 * same transaction as the row that records why it was created.
 */
export function makePgBossExecutor(client: PoolClient): Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const result = await client.query(text, values as unknown[]);
      return { rows: result.rows };
    },
  };
}
