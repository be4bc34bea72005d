import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Client } from 'pg';
import pino from 'pino';
import {
  choosePostgresProvider,
  probeContainerEngine,
  redactConnectionString,
  startPostgres,
  type ContainerEngineProbe,
} from '../../step-definitions/support/postgres-provider';

const engineUp = async (): Promise<ContainerEngineProbe> => ({ reachable: true, detail: 'engine 27.0 on localhost' });
const engineDown = async (): Promise<ContainerEngineProbe> => ({ reachable: false, detail: 'no socket' });
const probeNotExpected = async (): Promise<ContainerEngineProbe> => {
  throw new Error('the probe must not run for this decision');
};

function makeCapturedLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  return { logger, text: () => lines.join('') };
}

async function queryOne<T>(url: string, sql: string): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0] as T;
  } finally {
    await client.end();
  }
}

describe('choosePostgresProvider', () => {
  test('choosePostgresProvider uses DATABASE_URL first', async () => {
    const choice = await choosePostgresProvider({ DATABASE_URL: 'postgres://u:p@127.0.0.1/db' }, probeNotExpected);

    assert.equal(choice.name, 'database-url');
    assert.match(choice.reason, /DATABASE_URL/);
  });

  test('choosePostgresProvider uses a reachable engine', async () => {
    const choice = await choosePostgresProvider({}, engineUp);

    assert.equal(choice.name, 'testcontainers');
    assert.match(choice.reason, /engine 27\.0/);
  });

  test('choosePostgresProvider falls back to embedded', async () => {
    const choice = await choosePostgresProvider({}, engineDown);

    assert.equal(choice.name, 'embedded');
    assert.match(choice.reason, /no socket/);
  });

  test('choosePostgresProvider treats empty DATABASE_URL as unset', async () => {
    const choice = await choosePostgresProvider({ DATABASE_URL: '' }, engineDown);

    assert.equal(choice.name, 'embedded');
  });

  test('choosePostgresProvider prefers DATABASE_URL over an engine', async () => {
    const choice = await choosePostgresProvider({ DATABASE_URL: 'postgres://u:p@127.0.0.1/db' }, engineUp);

    assert.equal(choice.name, 'database-url');
  });

  test('choosePostgresProvider treats empty override as unset', async () => {
    const choice = await choosePostgresProvider({ KJP_POSTGRES_PROVIDER: '' }, engineUp);

    assert.equal(choice.name, 'testcontainers');
    assert.doesNotMatch(choice.reason, /KJP_POSTGRES_PROVIDER/);
  });

  test('choosePostgresProvider honours forced embedded', async () => {
    const env = { KJP_POSTGRES_PROVIDER: 'embedded', DATABASE_URL: 'postgres://u:p@127.0.0.1/db' };
    const choice = await choosePostgresProvider(env, probeNotExpected);

    assert.equal(choice.name, 'embedded');
    assert.match(choice.reason, /KJP_POSTGRES_PROVIDER=embedded/);
  });

  test('choosePostgresProvider honours forced database-url', async () => {
    const env = { KJP_POSTGRES_PROVIDER: 'database-url', DATABASE_URL: 'postgres://u:p@127.0.0.1/db' };
    const choice = await choosePostgresProvider(env, probeNotExpected);

    assert.equal(choice.name, 'database-url');
  });

  test('choosePostgresProvider honours forced testcontainers', async () => {
    const env = { KJP_POSTGRES_PROVIDER: 'testcontainers', DATABASE_URL: 'postgres://u:p@127.0.0.1/db' };
    const choice = await choosePostgresProvider(env, engineUp);

    assert.equal(choice.name, 'testcontainers');
  });

  test('choosePostgresProvider rejects forced database-url without URL', async () => {
    await assert.rejects(choosePostgresProvider({ KJP_POSTGRES_PROVIDER: 'database-url' }, probeNotExpected), {
      message: /requires DATABASE_URL, but it is not set/,
    });
  });

  test('choosePostgresProvider rejects forced testcontainers without engine', async () => {
    await assert.rejects(choosePostgresProvider({ KJP_POSTGRES_PROVIDER: 'testcontainers' }, engineDown), {
      message: /requires a container engine, but none is reachable \(no socket\)/,
    });
  });

  test('choosePostgresProvider rejects unknown override', async () => {
    await assert.rejects(choosePostgresProvider({ KJP_POSTGRES_PROVIDER: 'docker' }, probeNotExpected), {
      name: 'TypeError',
      message: /expected one of database-url, testcontainers, embedded, got "docker"/,
    });
  });
});

describe('probeContainerEngine', () => {
  // Testcontainers reads DOCKER_HOST from process.env, so these tests set it there.
  async function withDockerHost<T>(dockerHost: string, work: () => Promise<T>): Promise<T> {
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = dockerHost;
    try {
      return await work();
    } finally {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    }
  }

  async function listen(server: Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  test('probeContainerEngine times out on a silent engine', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await listen(silent);

    const startedAt = Date.now();
    const probe = await withDockerHost(`tcp://127.0.0.1:${port}`, () => probeContainerEngine(process.env, 500));
    const elapsedMs = Date.now() - startedAt;
    sockets.forEach((socket) => socket.destroy());
    silent.close();

    assert.equal(probe.reachable, false);
    assert.match(probe.detail, /no answer within 500 ms/);
    assert.ok(elapsedMs < 2_500, `probe took ${elapsedMs} ms`);
  });

  test('probeContainerEngine skips the probe without a socket', async (t) => {
    // HOME decides where the user-level socket and ~/.testcontainers.properties are looked for.
    const home = mkdtempSync(path.join(tmpdir(), 'kjp-probe-home-'));
    const previousHome = process.env.HOME;
    process.env.HOME = home;
    try {
      const systemSockets = ['/var/run/docker.sock', `/run/user/${process.getuid?.() ?? 0}/docker.sock`];
      const present = systemSockets.find((socket) => existsSync(socket));
      if (present) {
        t.skip(`this machine has an engine socket at ${present}, so the probe would run`);
        return;
      }

      const probe = await probeContainerEngine({ HOME: home });

      assert.equal(probe.reachable, false);
      assert.match(probe.detail, /DOCKER_HOST is not set and no socket exists at \/var\/run\/docker\.sock/);
    } finally {
      if (previousHome === undefined) delete process.env.HOME;
      else process.env.HOME = previousHome;
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('probeContainerEngine reports a refused engine', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));

    const probe = await withDockerHost(`tcp://127.0.0.1:${port}`, () => probeContainerEngine(process.env, 2_000));

    assert.equal(probe.reachable, false);
    assert.match(probe.detail, /engine probe failed/);
  });
});

describe('redactConnectionString', () => {
  test('redactConnectionString hides the URL password', () => {
    const redacted = redactConnectionString('postgres://postgres:s3cr%40tvalue@127.0.0.1:5432/postgres');

    assert.equal(redacted, 'postgres://postgres:***@127.0.0.1:5432/postgres');
  });

  test('redactConnectionString hides a password parameter', () => {
    const redacted = redactConnectionString('postgresql://app@db.internal/app?sslmode=require&password=qwerty123');

    assert.equal(redacted, 'postgresql://app@db.internal/app?sslmode=require&password=***');
  });

  test('redactConnectionString hides a key/value password', () => {
    assert.equal(redactConnectionString("host=db password='two words' user=app"), 'host=db password=*** user=app');
    assert.equal(redactConnectionString('host=db password=qwerty123'), 'host=db password=***');
  });

  test('redactConnectionString keeps a URL without password', () => {
    assert.equal(redactConnectionString('postgres://app@127.0.0.1/app'), 'postgres://app@127.0.0.1/app');
  });
});

describe('startPostgres', () => {
  test('startPostgres runs embedded Postgres end to end', async () => {
    const { logger, text: logText } = makeCapturedLogger();
    const running = await startPostgres({ logger, env: { KJP_POSTGRES_PROVIDER: 'embedded' } });
    let dataDirectory = '';
    try {
      const password = new URL(running.adminUrl).password;
      assert.equal(running.provider, 'embedded');
      assert.match(running.serverVersion, /^\d+\.\d+/);
      assert.ok(password.length >= 24, 'generated password is long');
      assert.deepEqual(running.secrets, [password]);
      assert.ok(!redactConnectionString(running.adminUrl).includes(password));

      const url = await running.createDatabase('harness_orders');
      const answer = await queryOne<{ answer: number }>(url, 'select 1 as answer');
      assert.equal(answer.answer, 1);
      assert.equal(new URL(url).pathname, '/harness_orders');

      const copyUrl = await running.createDatabase('harness_orders_copy', { template: 'harness_orders' });
      assert.equal((await queryOne<{ db: string }>(copyUrl, 'select current_database() as db')).db, 'harness_orders_copy');

      await assert.rejects(running.createDatabase('Harness-Orders'), { name: 'TypeError', message: /lower-case identifier/ });
      await assert.rejects(running.createDatabase('x'.repeat(64)), { name: 'TypeError' });
      await assert.rejects(running.createDatabase('template1'), { name: 'TypeError', message: /reserved/ });
      await assert.rejects(running.dropDatabase('postgres'), { message: /did not create it/ });

      await running.dropDatabase('harness_orders_copy');
      const remaining = await queryOne<{ count: string }>(
        running.adminUrl,
        "select count(*) from pg_database where datname like 'harness_orders%'",
      );
      assert.equal(remaining.count, '1', 'the template database is untouched');

      dataDirectory = (await queryOne<{ data_directory: string }>(running.adminUrl, 'show data_directory')).data_directory;
      assert.ok(existsSync(dataDirectory));
    } finally {
      await running.stop();
    }

    assert.ok(!existsSync(path.dirname(dataDirectory)), `${path.dirname(dataDirectory)} was removed`);
    assert.ok(!logText().includes(running.secrets[0]), 'the log never contains the password');
    assert.match(logText(), /postgres provider chosen/);
    assert.match(logText(), /postgres stopped/);
  });

  test('startPostgres adopts a DATABASE_URL server', async () => {
    const { logger, text: logText } = makeCapturedLogger();
    const owner = await startPostgres({ logger, env: { KJP_POSTGRES_PROVIDER: 'embedded' } });
    try {
      const adopted = await startPostgres({ logger, majorVersion: 11, env: { DATABASE_URL: owner.adminUrl } });
      assert.match(logText(), /postgres major version differs from the requested one/);
      assert.equal(adopted.provider, 'database-url');
      assert.equal(adopted.serverVersion, owner.serverVersion);
      assert.deepEqual(adopted.secrets, owner.secrets);

      const url = await adopted.createDatabase('harness_adopted');
      await adopted.createDatabase('harness_adopted_copy', { template: 'harness_adopted' });
      assert.deepEqual(adopted.createdDatabases(), ['harness_adopted', 'harness_adopted_copy']);
      await adopted.dropDatabase('harness_adopted_copy');
      assert.deepEqual(adopted.createdDatabases(), ['harness_adopted']);

      // A second run against the same server meets the database the first one left.
      const nextRun = await startPostgres({ logger, env: { DATABASE_URL: owner.adminUrl } });
      await assert.rejects(nextRun.createDatabase('harness_adopted'), {
        message: /^Database "harness_adopted" already exists on the database-url server: .*Drop it \(drop database "harness_adopted"\) or point DATABASE_URL at a fresh server\.$/,
      });
      assert.deepEqual(nextRun.createdDatabases(), []);
      await nextRun.stop();

      await adopted.dropDatabase('harness_adopted');
      await adopted.stop();

      const stillUp = await queryOne<{ answer: number }>(owner.adminUrl, 'select 1 as answer');
      assert.equal(stillUp.answer, 1, 'stop() leaves a DATABASE_URL server running');
      assert.ok(url.endsWith('/harness_adopted'));
    } finally {
      await owner.stop();
    }
  });
});
