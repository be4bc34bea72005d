import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

import type { Pool } from 'pg';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keyLength: number) => Promise<Buffer>;

export type Role = 'admin' | 'member';

export interface User {
  id: string;
  username: string;
  role: Role;
}

export async function createUsersTable(pool: Pool): Promise<void> {
  await pool.query(`
    create table if not exists users (
      id bigint generated always as identity primary key,
      username text not null unique,
      role text not null check (role in ('admin', 'member')),
      password_hash bytea not null,
      password_salt bytea not null
    )`);
}

/** Inserts a user, or gives an existing one a new role and password. */
export async function saveUser(pool: Pool, username: string, role: Role, password: string): Promise<void> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  await pool.query(
    `insert into users (username, role, password_hash, password_salt) values ($1, $2, $3, $4)
     on conflict (username) do update set role = excluded.role, password_hash = excluded.password_hash, password_salt = excluded.password_salt`,
    [username, role, hash, salt],
  );
}

/** Returns the user when the password matches, else null, taking the same time for unknown users. */
export async function verifyUser(pool: Pool, username: string, password: string): Promise<User | null> {
  const { rows } = await pool.query('select id::text, username, role, password_hash, password_salt from users where username = $1', [username]);
  const row = rows[0];
  const hash = await scrypt(password, row?.password_salt ?? randomBytes(16), 32);
  if (!row || !timingSafeEqual(hash, row.password_hash)) return null;
  return { id: row.id, username: row.username, role: row.role };
}
