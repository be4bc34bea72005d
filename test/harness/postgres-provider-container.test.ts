// startPostgres against a real container engine. It has its own file, so `node --test` runs it in
// its own process. Testcontainers 12.2 reads DOCKER_HOST once per process and keeps it. The probe
// tests in postgres-provider.test.ts point DOCKER_HOST at dead addresses, so after them no test
// in that process can reach a real engine.
//
// It runs only where an engine answers at DOCKER_HOST (or the default socket) and holds the
// image, and is skipped with the reason elsewhere. .ci/run starts an engine with
// .ci/container-engine, builds the image with .ci/build-postgres-image, then runs this file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from 'pg';
import pino from 'pino';
import { probeContainerEngine, startPostgres } from '../../step-definitions/support/postgres-provider';

const image = process.env.POSTGRES_IMAGE || 'kjp-postgres:15-local';

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

async function findSkipReason(): Promise<string | null> {
  const engine = await probeContainerEngine(process.env);
  if (!engine.reachable) {
    return `no container engine answers (${engine.detail}); start one with: export DOCKER_HOST=$(bash .ci/container-engine start)`;
  }

  const { getContainerRuntimeClient, ImageName } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  if (!(await client.image.exists(ImageName.fromString(image)))) {
    return `the engine has no image ${image} and no registry is assumed; build it with: bash .ci/build-postgres-image`;
  }
  return null;
}

test('startPostgres runs the local image in a container', async (t) => {
  const skipReason = await findSkipReason();
  if (skipReason) {
    t.skip(skipReason);
    return;
  }

  const { logger, text: logText } = makeCapturedLogger();
  const running = await startPostgres({
    logger,
    majorVersion: 15,
    env: { ...process.env, KJP_POSTGRES_PROVIDER: 'testcontainers', POSTGRES_IMAGE: image },
  });
  try {
    assert.equal(running.provider, 'testcontainers');
    assert.match(running.serverVersion, /^15\.\d+/);
    assert.equal(new URL(running.adminUrl).hostname, '127.0.0.1', 'the harness reaches the container on loopback');

    const { version } = await queryOne<{ version: string }>(running.adminUrl, 'select version()');
    assert.match(version, /^PostgreSQL 15\.\d+/);

    const url = await running.createDatabase('harness_container');
    const answer = await queryOne<{ db: string }>(url, 'select current_database() as db');
    assert.equal(answer.db, 'harness_container');
    await running.dropDatabase('harness_container');
  } finally {
    await running.stop();
  }

  await assert.rejects(queryOne(running.adminUrl, 'select 1'), 'the container is gone after stop()');
  assert.ok(!logText().includes(running.secrets[0]), 'the log never contains the password');
  assert.doesNotMatch(logText(), /major version differs/);
});
