import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { claimStatusOf, proofDirectoryNameOf, proofDirectoryOf } from '../../step-definitions/support/proof-bundle';

const repositoryRoot = path.resolve(__dirname, '..', '..');

describe('proofDirectoryNameOf', () => {
  test('proofDirectoryNameOf keeps the default layout', () => {
    assert.equal(proofDirectoryNameOf('upgrade-proof', {}), 'upgrade-proof');
    assert.equal(proofDirectoryNameOf('upgrade-proof', { KJP_PROOF_VARIANT: '' }), 'upgrade-proof');
  });

  test('proofDirectoryNameOf appends the variant', () => {
    const name = proofDirectoryNameOf('upgrade-proof', { KJP_PROOF_VARIANT: 'testcontainers-pg15' });

    assert.equal(name, 'upgrade-proof--testcontainers-pg15');
  });

  test('proofDirectoryNameOf rejects a path-like variant', () => {
    for (const variant of ['../etc', 'pg/15', 'PG15', '-pg15']) {
      assert.throws(() => proofDirectoryNameOf('upgrade-proof', { KJP_PROOF_VARIANT: variant }), {
        name: 'TypeError',
        message: new RegExp(`KJP_PROOF_VARIANT is invalid: .*got "${variant.replace(/[.]/g, '\\.')}"`),
      });
    }
  });
});

describe('proofDirectoryOf', () => {
  test('proofDirectoryOf sits under proof/', () => {
    assert.equal(proofDirectoryOf('upgrade-proof', {}), path.join(repositoryRoot, 'proof', 'upgrade-proof'));
    assert.equal(
      proofDirectoryOf('upgrade-proof', { KJP_PROOF_VARIANT: 'testcontainers-pg15' }),
      path.join(repositoryRoot, 'proof', 'upgrade-proof--testcontainers-pg15'),
    );
  });
});

describe('cucumber.js profiles', () => {
  // cucumber.js reads process.env when it loads, so each case loads a fresh copy.
  function loadProfiles(variant: string | undefined): Record<string, { format: string[] }> {
    const file = require.resolve(path.join(repositoryRoot, 'cucumber.js'));
    const previous = process.env.KJP_PROOF_VARIANT;
    if (variant === undefined) delete process.env.KJP_PROOF_VARIANT;
    else process.env.KJP_PROOF_VARIANT = variant;
    try {
      delete require.cache[file];
      return require(file);
    } finally {
      if (previous === undefined) delete process.env.KJP_PROOF_VARIANT;
      else process.env.KJP_PROOF_VARIANT = previous;
      delete require.cache[file];
    }
  }

  test('cucumber.js writes reports to proof/<lane>/', () => {
    const { format } = loadProfiles(undefined)['upgrade-proof'];

    assert.ok(format.includes('html:proof/upgrade-proof/report.html'), format.join(', '));
    assert.ok(format.includes('message:proof/upgrade-proof/messages.ndjson'), format.join(', '));
  });

  test('cucumber.js honours KJP_PROOF_VARIANT', () => {
    const profiles = loadProfiles('testcontainers-pg15');
    const reportPaths = [...profiles['upgrade-proof'].format, ...profiles.default.format].filter((entry) => entry.includes('proof/'));

    assert.equal(reportPaths.length, 6);
    for (const entry of profiles['upgrade-proof'].format.filter((item) => item.includes('proof/'))) {
      assert.match(entry, /proof\/upgrade-proof--testcontainers-pg15\//);
    }
    for (const entry of profiles.default.format.filter((item) => item.includes('proof/'))) {
      assert.match(entry, /proof\/all-lanes--testcontainers-pg15\//);
    }
  });

  test('cucumber.js rejects an invalid variant', () => {
    assert.throws(() => loadProfiles('../elsewhere'), { name: 'TypeError', message: /KJP_PROOF_VARIANT is invalid/ });
  });
});

describe('claimStatusOf', () => {
  test('claimStatusOf fails a passed scenario the guard failed', () => {
    assert.equal(claimStatusOf('PASSED', 1), 'FAILED');
  });

  test('claimStatusOf keeps the steps status otherwise', () => {
    assert.equal(claimStatusOf('PASSED', 0), 'PASSED');
    assert.equal(claimStatusOf('FAILED', 0), 'FAILED');
    assert.equal(claimStatusOf('FAILED', 2), 'FAILED');
    assert.equal(claimStatusOf('UNDEFINED', 0), 'UNDEFINED');
    assert.equal(claimStatusOf(undefined, 0), 'UNKNOWN');
  });
});
