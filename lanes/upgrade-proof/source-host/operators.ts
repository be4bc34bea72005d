import { scryptSync, timingSafeEqual } from 'node:crypto';

import type { Pool } from 'pg';

export interface Operator {
  id: number;
  login: string;
  permission: 'operate' | 'inspect' | 'none';
}

/** Looks an operator up by login and checks the password against its salted scrypt hash. */
export async function checkLogin(pool: Pool, login: string, password: string): Promise<Operator | null> {
  const result = await pool.query(
    'select id, login, permission, secret_hash, secret_salt from billing.operators where login = $1',
    [login],
  );
  if (result.rows.length === 0) return null;
  const row = result.rows[0];
  const candidate = scryptSync(password, row.secret_salt, 32);
  return timingSafeEqual(candidate, row.secret_hash) ? { id: row.id, login: row.login, permission: row.permission } : null;
}

export async function loadOperator(pool: Pool, id: number): Promise<Operator | null> {
  const result = await pool.query('select id, login, permission from billing.operators where id = $1', [id]);
  return result.rows[0] ?? null;
}
