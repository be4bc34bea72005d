import { randomBytes } from 'node:crypto';

/** Settings the reference host reads from its environment, checked once at start. */
export interface HostConfig {
  databaseUrl: string;
  port: number;
  sessionKeys: string[];
  /** True when SESSION_KEYS was not set and the keys were generated for this process only. */
  sessionKeysGenerated: boolean;
  trustProxy: boolean;
  logLevel: string;
}

/** Reads and checks the environment; throws naming the variable and the fix. */
export function readHostConfig(env: NodeJS.ProcessEnv): HostConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error('DATABASE_URL is missing. Set it to the Postgres URL the host should use, e.g. postgres://user:password@127.0.0.1:5432/app.');
  }

  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got ${JSON.stringify(env.PORT)}.`);
  }

  // Without SESSION_KEYS the host signs sessions with a key made for this process, so every
  // restart signs everyone out. That suits a demo; server.ts warns about it.
  const sessionKeysGenerated = !env.SESSION_KEYS;
  const sessionKeys = sessionKeysGenerated ? [randomBytes(32).toString('hex')] : env.SESSION_KEYS!.split(',').map((key) => key.trim()).filter(Boolean);
  if (sessionKeys.length === 0 || sessionKeys.some((key) => key.length < 32)) {
    throw new Error('SESSION_KEYS must hold one or more comma-separated keys of at least 32 characters each; generate one with `openssl rand -hex 32`.');
  }

  return {
    databaseUrl,
    port,
    sessionKeys,
    sessionKeysGenerated,
    trustProxy: env.TRUST_PROXY === 'true',
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
