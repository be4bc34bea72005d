import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

import type { Pool } from 'pg';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keyLength: number) => Promise<Buffer>;

/** A host role. The control plane never sees it; the host's auth module maps it to actions. */
export type Role = 'operator' | 'viewer' | 'none';

export interface HostUser {
  id: string;
  username: string;
  role: Role;
}

/** Creates the host's own users table. Host-owned: the library never reads it. */
export async function createUsersTable(pool: Pool): Promise<void> {
  await pool.query(`
    create schema if not exists reference_host;
    create table if not exists reference_host.users (
      id bigint generated always as identity primary key,
      username text not null unique,
      role text not null check (role in ('operator', 'viewer', 'none')),
      password_hash bytea not null,
      password_salt bytea not null
    )`);
}

/** Inserts or updates a user with a new password hash. */
export async function upsertUser(pool: Pool, username: string, role: Role, password: string): Promise<void> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  await pool.query(
    `insert into reference_host.users (username, role, password_hash, password_salt)
     values ($1::text, $2::text, $3::bytea, $4::bytea)
     on conflict (username) do update set role = excluded.role, password_hash = excluded.password_hash, password_salt = excluded.password_salt`,
    [username, role, hash, salt],
  );
}

/** Returns the user when the password matches, else null. Takes the same time for unknown users. */
export async function verifyUser(pool: Pool, username: string, password: string): Promise<HostUser | null> {
  const { rows } = await pool.query<{ id: string; username: string; role: Role; password_hash: Buffer; password_salt: Buffer }>(
    `select id::text, username, role, password_hash, password_salt from reference_host.users where username = $1::text`,
    [username],
  );
  const row = rows[0];
  const hash = await scrypt(password, row?.password_salt ?? randomBytes(16), 32);
  if (!row || !timingSafeEqual(hash, row.password_hash)) return null;
  return { id: row.id, username: row.username, role: row.role };
}

export async function findUserById(pool: Pool, id: string): Promise<HostUser | null> {
  const { rows } = await pool.query<HostUser>(
    `select id::text, username, role from reference_host.users where id = $1::bigint`,
    [id],
  );
  return rows[0] ?? null;
}
