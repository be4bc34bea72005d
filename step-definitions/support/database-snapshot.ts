import type { Pool } from 'pg';

export interface TableSnapshot {
  columns: string[];
  rowCount: number;
  /** md5 of each row's text over `columns`, sorted, so two snapshots compare without ordering. */
  rowHashes: string[];
}

export type DatabaseSnapshot = Record<string, TableSnapshot>;

export interface SnapshotComparison {
  tablesCompared: number;
  rowsCompared: number;
  /** One line per row or table that the later snapshot lost or changed. Empty means nothing was lost. */
  losses: string[];
}

/** Reads every ordinary table of the given schemas: its columns, row count and row hashes. */
export async function snapshotDatabase(pool: Pool, schemas: string[]): Promise<DatabaseSnapshot> {
  const { rows: tables } = await pool.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname = any($1::text[])
      order by 1, 2`,
    [schemas],
  );

  const snapshot: DatabaseSnapshot = {};
  for (const table of tables) {
    const { rows: columns } = await pool.query<{ name: string }>(
      `select attname as name from pg_attribute
        where attrelid = format('%I.%I', $1::text, $2::text)::regclass and attnum > 0 and not attisdropped
        order by attnum`,
      [table.schema, table.name],
    );
    const names = columns.map((column) => column.name);
    snapshot[`${table.schema}.${table.name}`] = { columns: names, ...(await hashRows(pool, table.schema, table.name, names)) };
  }
  return snapshot;
}

/**
 * Checks that every row of `before` is still in `after` with the same content in the columns
 * it had before. New rows and new columns are allowed; a missing or changed row is a loss.
 */
export async function compareWithBefore(pool: Pool, before: DatabaseSnapshot): Promise<SnapshotComparison> {
  const losses: string[] = [];
  let rowsCompared = 0;

  for (const [qualifiedName, table] of Object.entries(before)) {
    const [schema, name] = qualifiedName.split('.');
    const { rows } = await pool.query<{ present: boolean }>(`select to_regclass(format('%I.%I', $1::text, $2::text)) is not null as present`, [schema, name]);
    if (!rows[0].present) {
      losses.push(`${qualifiedName}: table is gone (had ${table.rowCount} rows)`);
      continue;
    }

    const after = await hashRows(pool, schema, name, table.columns).catch((error: Error) => {
      losses.push(`${qualifiedName}: could not read the columns it had before (${error.message})`);
      return null;
    });
    if (!after) continue;

    const remaining = new Map<string, number>();
    for (const hash of after.rowHashes) remaining.set(hash, (remaining.get(hash) ?? 0) + 1);
    const lostRows = table.rowHashes.filter((hash) => {
      const count = remaining.get(hash) ?? 0;
      remaining.set(hash, count - 1);
      return count <= 0;
    });
    rowsCompared += table.rowCount;
    if (lostRows.length > 0) losses.push(`${qualifiedName}: ${lostRows.length} of ${table.rowCount} rows missing or changed`);
  }

  return { tablesCompared: Object.keys(before).length, rowsCompared, losses };
}

async function hashRows(pool: Pool, schema: string, table: string, columns: string[]): Promise<{ rowCount: number; rowHashes: string[] }> {
  const columnList = columns.map((column) => `"${column.replaceAll('"', '""')}"`).join(', ');
  const { rows } = await pool.query<{ hash: string }>(
    `select md5(row(${columnList})::text) as hash from "${schema.replaceAll('"', '""')}"."${table.replaceAll('"', '""')}"`,
  );
  const rowHashes = rows.map((row) => row.hash).sort();
  return { rowCount: rowHashes.length, rowHashes };
}
