import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import pino from 'pino';

import { upgradeProofLane } from '../../lanes/upgrade-proof/lane';
import { readMigrationStatus } from '../../library';
import { editHostFile } from '../../step-definitions/support/source-host-copy';
import { applyUpgradeActions } from '../../step-definitions/support/upgrade-actions';
import { useSourceHostFixture } from './support/source-host-fixture';

const logger = pino({ level: 'silent' });
const fixture = useSourceHostFixture(__filename, 'test-upgrade');
const freshCopy = (name: string) => fixture.freshCopy(name);

test('applyUpgradeActions applies the declared order', async () => {
  const hostDirectory = freshCopy('ordered');

  const applied = await applyUpgradeActions({ lane: upgradeProofLane, hostDirectory, databaseUrl: fixture.database.url, logger });

  const declared = upgradeProofLane.upgradeActions.map((action) => action.id).filter((id) => id !== 'prove-native-action');
  assert.deepEqual(applied.map((action) => action.id), declared);
  assert.ok(existsSync(path.join(hostDirectory, 'display-policy.ts')));
  const app = readFileSync(path.join(hostDirectory, 'app.ts'), 'utf8');
  assert.match(app, /import \{ displayPolicy \} from '\.\/display-policy';/);
  assert.match(app, /\n {4}displayPolicy,\n {4}bridge: false,\n/);
  assert.deepEqual((await readMigrationStatus(fixture.database.pool)).pending, []);
});

test('applyUpgradeActions names the action that failed', async () => {
  const hostDirectory = freshCopy('unscoped');
  editHostFile(hostDirectory, 'app.ts', "new Router({ prefix: '/ops/jobs' })", "new Router({ prefix: '/jobs' })");

  await assert.rejects(
    applyUpgradeActions({ lane: upgradeProofLane, hostDirectory, databaseUrl: fixture.database.url, logger }),
    /Upgrade action check-mount-scope failed: The mount check failed: no router with prefix \/ops\/jobs/,
  );
});

test('applyUpgradeActions writes an enabled bridge', async () => {
  const hostDirectory = freshCopy('bridge');
  const lane = { ...upgradeProofLane, bridge: 'enabled' as const };

  const applied = await applyUpgradeActions({ lane, hostDirectory, databaseUrl: fixture.database.url, logger });

  assert.match(applied.find((action) => action.id === 'choose-bridge')!.result, /bridge enabled/);
  assert.match(readFileSync(path.join(hostDirectory, 'app.ts'), 'utf8'), /\n {4}bridge: \{ enabled: true \},\n/);
});
