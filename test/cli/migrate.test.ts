import assert from 'node:assert/strict';
import { test } from 'node:test';

import { libraryMigrations } from '../../library';
import { runCli, usage } from '../../library/cli/main';
import { useTestDatabase } from '../support/use-test-database';
import { collectOutput, makeTemplateHost } from './support/cli-fixtures';

const database = useTestDatabase(__filename);
const newest = libraryMigrations[libraryMigrations.length - 1].name;

async function cli(argv: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: database.url }) {
  const collected = collectOutput();
  const exitCode = await runCli(argv, env, collected.output);
  return { exitCode, stdout: collected.stdout(), stderr: collected.stderr() };
}

test('migrate.status lists pending migrations and exits 1', async () => {
  await database.resetSchemas();

  const { exitCode, stdout } = await cli(['migrate', 'status']);

  assert.equal(exitCode, 1);
  assert.match(stdout, new RegExp(`^pending  ${libraryMigrations[0].name}$`, 'm'));
  assert.match(stdout, new RegExp(`^0 applied, ${libraryMigrations.length} pending, 0 unknown$`, 'm'));
});

test('migrate.up applies every pending migration', async () => {
  await database.resetSchemas();

  const up = await cli(['migrate', 'up']);
  const again = await cli(['migrate', 'up']);
  const status = await cli(['migrate', 'status', '--json']);

  assert.equal(up.exitCode, 0);
  assert.match(up.stdout, new RegExp(`^applied ${libraryMigrations.map((migration) => migration.name).join(', ')}$`));
  assert.equal(again.stdout, 'No migration applied: nothing to do.');
  assert.equal(status.exitCode, 0);
  assert.deepEqual(JSON.parse(status.stdout), { executed: libraryMigrations.map((migration) => migration.name), pending: [], unknown: [] });
});

test('migrate.up --to stops at the named migration', async () => {
  await database.resetSchemas();

  const { exitCode, stdout } = await cli(['migrate', 'up', '--to', '0002_create_cron_entries', '--json']);

  assert.equal(exitCode, 0);
  assert.deepEqual(JSON.parse(stdout), { applied: ['0001_create_audit_events', '0002_create_cron_entries'] });
});

test('migrate.down reverts the newest migration only', async () => {
  await database.resetSchemas();
  await cli(['migrate', 'up']);

  const { exitCode, stdout } = await cli(['migrate', 'down']);
  const status = await cli(['migrate', 'status', '--json']);

  assert.equal(exitCode, 0);
  assert.equal(stdout, `reverted ${newest}`);
  assert.deepEqual(JSON.parse(status.stdout).pending, [newest]);
});

test('migrate.status names migrations from a newer release', async () => {
  await database.resetSchemas();
  await cli(['migrate', 'up']);
  await database.pool.query(`insert into jobs_powertools.migrations (name) values ('9999_from_a_newer_release')`);

  const status = await cli(['migrate', 'status']);
  const down = await cli(['migrate', 'down']);

  assert.equal(status.exitCode, 1);
  assert.match(status.stdout, /^unknown  9999_from_a_newer_release \(applied by a newer koa-jobs-powertools\)$/m);
  assert.equal(down.exitCode, 1);
  assert.match(down.stderr, /Cannot revert: the database has migration\(s\) 9999_from_a_newer_release from a newer koa-jobs-powertools/);
});

test('migrate.without DATABASE_URL is a usage error', async () => {
  const { exitCode, stderr } = await cli(['migrate', 'up'], {});

  assert.equal(exitCode, 2);
  assert.match(stderr, /^DATABASE_URL is not set/);
});

test('cli.usage mistakes exit 2 with the help', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /A command is missing/],
    [['deploy'], /Unknown command "deploy"; expected install, doctor or migrate/],
    [['migrate'], /migrate needs up, down or status, got nothing/],
    [['migrate', 'sideways'], /migrate needs up, down or status, got "sideways"/],
    [['migrate', 'down', '--to', '0001_create_audit_events'], /--to applies only to migrate up/],
    [['install', 'extra'], /install takes no further arguments, got "extra"/],
    [['install', '--mount-path', 'ops/jobs'], /--mount-path must be a path like \/ops\/jobs/],
    [['install', '--mount-path', '/ops/jobs/'], /--mount-path must be a path like \/ops\/jobs/],
    [['doctor', '--colour'], /Unknown option '--colour'/],
  ];
  for (const [argv, message] of cases) {
    const { exitCode, stderr } = await cli(argv);
    assert.equal(exitCode, 2, argv.join(' '));
    assert.match(stderr, message, argv.join(' '));
    assert.ok(stderr.endsWith(usage), `${argv.join(' ')} prints the help`);
  }
});

test('cli.help prints the usage and exits 0', async () => {
  const { exitCode, stdout } = await cli(['--help']);

  assert.equal(exitCode, 0);
  assert.equal(stdout, usage);
});

test('cli.install error exits 1 with the message', async () => {
  const host = makeTemplateHost();

  const { exitCode, stderr } = await cli(['install', '--dir', host, '--app', 'missing.ts']);

  assert.equal(exitCode, 1);
  assert.match(stderr, /^jobs-powertools failed: The app file missing\.ts does not exist/);
});

test('cli.install reports the manual edit with exit 3', async () => {
  const host = makeTemplateHost(`import Koa from 'koa';\nexport const app = new Koa();\n`);

  const { exitCode } = await cli(['install', '--dir', host]);

  assert.equal(exitCode, 3);
});
