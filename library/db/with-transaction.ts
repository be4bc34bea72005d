import type { Pool, PoolClient } from 'pg';

/** Anything that runs a parameterised query: a pool or a client inside a transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/**
 * Runs `work` inside one transaction on a dedicated client and commits, or rolls back and
 * rethrows. The caller's writes and their audit event commit together or not at all.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    // The rollback's own failure would hide the error that caused it, so it is ignored here:
    // a broken connection is released with the error below and discarded by the pool.
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
