import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { readSupportTruth, renderSupportTruth } from '../../lanes/support-truth/write-support-truth';

const proofRoot = mkdtempSync(path.join(tmpdir(), 'kjp-support-truth-'));
after(() => rmSync(proofRoot, { recursive: true, force: true }));

function writeBundle(lane: string, claims: Array<{ scenario: string; status: string }>): void {
  mkdirSync(path.join(proofRoot, lane, 'screenshots'), { recursive: true });
  writeFileSync(path.join(proofRoot, lane, 'report.html'), '<html></html>');
  writeFileSync(path.join(proofRoot, lane, 'screenshots', 'paused.png'), '');
  writeFileSync(
    path.join(proofRoot, lane, 'evidence.json'),
    JSON.stringify({
      lane,
      bucket: 'supported',
      startedAt: '2026-12-04T10:00:00.000Z',
      finishedAt: '2026-12-04T10:00:15.000Z',
      passed: claims.every((claim) => claim.status === 'PASSED'),
      postgres: { provider: 'embedded', serverVersion: '18.4' },
      versions: { library: '0.2.0', node: '22.23.5', pgBoss: '12.38.1', browser: '156' },
      claims,
    }),
  );
}

test('renderSupportTruth lists claims and runtimes', () => {
  writeBundle('upgrade-proof', [{ scenario: 'ops-demo pauses <nightly_sync>', status: 'PASSED' }]);

  const html = renderSupportTruth(readSupportTruth(proofRoot, ['upgrade-proof']), new Date('2026-12-04T11:00:00Z'));

  assert.match(html, /<h2>upgrade-proof <span class="bucket">supported<\/span> <span class="status-passed">passed<\/span><\/h2>/);
  assert.match(html, /Postgres 18\.4 \(embedded\), Node\.js 22\.23\.5/);
  assert.match(html, /ops-demo pauses &#60;nightly_sync&#62;/, 'claim text is escaped');
  assert.match(html, /href="upgrade-proof\/report\.html"/);
  assert.match(html, /href="upgrade-proof\/screenshots\/paused\.png"/);
});

test('renderSupportTruth marks a failed claim', () => {
  writeBundle('bridge', [{ scenario: 'writes are refused', status: 'FAILED' }]);

  const html = renderSupportTruth(readSupportTruth(proofRoot, ['bridge']), new Date());

  assert.match(html, /<h2>bridge <span class="bucket">supported<\/span> <span class="status-failed">failed<\/span>/);
});

test('readSupportTruth lists declared lanes without bundles', () => {
  const rows = readSupportTruth(proofRoot, ['doctor']);

  const html = renderSupportTruth(rows, new Date());

  assert.match(html, /<h2>doctor<\/h2><p class="status-missing">not run/);
});
