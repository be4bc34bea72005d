import type { Pool, PoolClient } from 'pg';

import { withTransaction } from '../db/with-transaction';

export type TimedResult<T> = { kind: 'done'; value: T } | { kind: 'timed_out'; timeoutMs: number };

// SQLSTATE query_canceled, which Postgres raises when statement_timeout stops a statement.
const queryCanceled = '57014';

/**
 * Runs `work` in a read transaction whose statements Postgres stops after `timeoutMs`, and
 * reports a stop as `timed_out` instead of an error. A filter no index serves (a rare data
 * value on a huge table) then costs at most the timeout, not a connection held for minutes.
 */
export async function runWithStatementTimeout<T>(pool: Pool, timeoutMs: number, work: (client: PoolClient) => Promise<T>): Promise<TimedResult<T>> {
  try {
    const value = await withTransaction(pool, async (client) => {
      await client.query(`select set_config('statement_timeout', $1::text, true)`, [`${timeoutMs}ms`]);
      return work(client);
    });
    return { kind: 'done', value };
  } catch (error) {
    if ((error as { code?: string }).code === queryCanceled) return { kind: 'timed_out', timeoutMs };
    throw error;
  }
}
