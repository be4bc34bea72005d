import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { maskSecrets } from '../../step-definitions/support/mask-secrets';
import { clearRegisteredSecrets, registerSecret } from '../../step-definitions/support/secret-scan';

beforeEach(() => clearRegisteredSecrets());

test('maskSecrets hides a registered secret everywhere', () => {
  registerSecret('generated-key-123', 'session key');

  assert.equal(maskSecrets('key=generated-key-123, again generated-key-123'), 'key=***, again ***');
});

test('maskSecrets hides a connection URL password', () => {
  assert.equal(maskSecrets('connecting to postgres://app:s3cr3t@127.0.0.1:5432/db'), 'connecting to postgres://app:***@127.0.0.1:5432/db');
});

test('maskSecrets leaves ordinary text alone', () => {
  assert.equal(maskSecrets('nightly_sync paused by ops-demo'), 'nightly_sync paused by ops-demo');
});
