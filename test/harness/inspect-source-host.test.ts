import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { upgradeProofLane } from '../../lanes/upgrade-proof/lane';
import { findMount, inspectSourceHost } from '../../step-definitions/support/inspect-source-host';
import { editHostFile, removeSeam } from '../../step-definitions/support/source-host-copy';
import { createTestDatabase } from '../support/test-database';
import { useSourceHostFixture } from './support/source-host-fixture';

const expectations = {
  mountPath: upgradeProofLane.sourceHost.mountPath,
  previousMigration: upgradeProofLane.sourceHost.previousMigration,
  requiredSeams: upgradeProofLane.sourceHost.requiredSeams,
};

const fixture = useSourceHostFixture(__filename, 'test-inspect');
const freshCopy = (name: string) => fixture.freshCopy(name);

test('inspectSourceHost finds the fixture supported', async () => {
  const inspection = await inspectSourceHost(freshCopy('supported'), fixture.database.pool, expectations);

  assert.equal(inspection.bucket, 'supported');
  assert.deepEqual(inspection.missing, []);
});

for (const seam of ['repo', 'auth', 'mount'] as const) {
  test(`inspectSourceHost names a missing ${seam}`, async () => {
    const copy = freshCopy(`no-${seam}`);
    removeSeam(copy, seam);

    const inspection = await inspectSourceHost(copy, fixture.database.pool, expectations);

    assert.equal(inspection.bucket, 'best-effort');
    assert.deepEqual(inspection.missing, [seam]);
  });
}

test('inspectSourceHost names missing previous migrations', async () => {
  const empty = await createTestDatabase(`${__filename}-empty`);
  try {
    const inspection = await inspectSourceHost(freshCopy('no-migrations'), empty.pool, expectations);

    assert.equal(inspection.bucket, 'best-effort');
    assert.deepEqual(inspection.missing, ['previous migrations']);
    assert.match(inspection.findings['previous migrations'], /never run/);
  } finally {
    await empty.finish(true);
  }
});

test('findMount rejects a mount with no host middleware before it', () => {
  const copy = freshCopy('unscoped');
  editHostFile(copy, 'app.ts', `  jobs.use(async (ctx, next) => {
    if (!ctx.session?.operatorId) return ctx.redirect('/login');
    await next();
  });
`, '');

  const finding = findMount(path.join(copy, 'app.ts'), '/ops/jobs');

  assert.match(finding, /outside a host-owned scope/);
});

test('findMount reports an app file it does not recognise', () => {
  const copy = freshCopy('unfamiliar');
  writeFileSync(path.join(copy, 'app.ts'), 'export const app = { routes: [] };\n');

  assert.match(findMount(path.join(copy, 'app.ts'), '/ops/jobs'), /no router with prefix \/ops\/jobs/);
});

test('editHostFile refuses text that is not there once', () => {
  const copy = freshCopy('edit');

  assert.throws(() => editHostFile(copy, 'app.ts', 'text that is not in the file', 'x'), /found it 0 time/);
});
