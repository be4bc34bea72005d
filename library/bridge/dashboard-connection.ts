import type { Pool } from 'pg';

import { PowertoolsConfigError } from '../errors';

/** The fields of a pg pool's options the bridge can turn into a connection string. */
interface PoolConnectionOptions {
  connectionString?: unknown;
  host?: unknown;
  port?: unknown;
  user?: unknown;
  password?: unknown;
  database?: unknown;
  ssl?: unknown;
}

/**
 * Returns the connection string the dashboard connects with: the bridge's own setting, else the
 * one `repo` was built with, else one built from `repo`'s host, port, user, password and
 * database. The dashboard takes only a URL, so a pool with TLS options or a password function and
 * no connection string needs `bridge.connectionString`. The result may hold a password: it is
 * never logged or put into an error message.
 */
export function resolveDashboardConnection(configured: string | null, repo: Pool): string {
  if (configured) return configured;

  const options = ((repo as unknown as { options?: PoolConnectionOptions }).options ?? {}) as PoolConnectionOptions;
  if (typeof options.connectionString === 'string' && options.connectionString !== '') return options.connectionString;

  const unusable = findUnusableField(options);
  if (unusable) {
    throw new PowertoolsConfigError(
      'bridge',
      `createPowertools: the bridge cannot derive a connection string from repo, because repo has no connectionString and ${unusable}. Set bridge.connectionString to a postgres:// URL for the same database.`,
    );
  }

  const url = new URL('postgres://localhost');
  url.hostname = typeof options.host === 'string' && options.host !== '' ? options.host : (process.env.PGHOST ?? 'localhost');
  url.port = String(options.port ?? process.env.PGPORT ?? 5432);
  url.username = encodeURIComponent(typeof options.user === 'string' ? options.user : (process.env.PGUSER ?? ''));
  const password = typeof options.password === 'string' ? options.password : process.env.PGPASSWORD;
  if (password) url.password = encodeURIComponent(password);
  url.pathname = `/${encodeURIComponent(typeof options.database === 'string' ? options.database : (process.env.PGDATABASE ?? ''))}`;
  return url.toString();
}

function findUnusableField(options: PoolConnectionOptions): string | null {
  if (options.ssl !== undefined && options.ssl !== false) return 'its TLS options (ssl) cannot be written into a URL';
  if (options.password !== undefined && typeof options.password !== 'string') return 'its password is not a string';
  if (typeof options.host === 'string' && options.host.startsWith('/')) return 'it connects through a Unix socket directory';
  return null;
}
