import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { findLane } from '../../lanes/index';
import type { LaneDeclaration } from '../../lanes/lane-declaration';
import { upgradeProofLane } from '../../lanes/upgrade-proof/lane';
import { readSupportTruth, renderSupportTruth } from '../../lanes/support-truth/write-support-truth';
import { fingerprintLane } from '../../step-definitions/support/proof-bundle';

const repositoryRoot = path.resolve(__dirname, '..', '..');
const proofRoot = mkdtempSync(path.join(tmpdir(), 'kjp-support-truth-'));
after(() => rmSync(proofRoot, { recursive: true, force: true }));

const bridgeLane = findLane('bridge', 'bridge');
const doctorLane = findLane('doctor', 'doctor');

function writeBundle(directory: string, lane: LaneDeclaration, claims: Array<{ scenario: string; status: string }>, changes: Record<string, unknown> = {}): void {
  mkdirSync(path.join(proofRoot, directory, 'screenshots'), { recursive: true });
  writeFileSync(path.join(proofRoot, directory, 'report.html'), '<html></html>');
  writeFileSync(path.join(proofRoot, directory, 'screenshots', 'paused.png'), '');
  const evidence = {
    lane: lane.name,
    bucket: lane.bucket,
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: '2026-12-04T10:00:15.000Z',
    passed: claims.every((claim) => claim.status === 'PASSED'),
    postgres: { provider: 'embedded', serverVersion: '18.4' },
    versions: { library: '0.2.0', node: '22.23.5', pgBoss: '12.38.1', browser: '156' },
    ...fingerprintLane(repositoryRoot, lane),
    claims,
    secretScan: { findings: 0, filesScanned: 4 },
    ...changes,
  };
  writeFileSync(path.join(proofRoot, directory, 'evidence.json'), JSON.stringify(evidence));
}

function render(lanes: LaneDeclaration[]): string {
  return renderSupportTruth(readSupportTruth(proofRoot, lanes, repositoryRoot), new Date('2026-12-04T11:00:00Z'));
}

test('renderSupportTruth lists claims and runtimes', () => {
  writeBundle('upgrade-proof', upgradeProofLane, [{ scenario: 'ops-demo pauses <nightly_sync>', status: 'PASSED' }]);

  const html = render([upgradeProofLane]);

  assert.match(html, /<h2>upgrade-proof <span class="bucket">supported<\/span> <span class="status-passed">passed<\/span><\/h2>/);
  assert.match(html, /Postgres 18\.4 \(embedded\), Node\.js 22\.23\.5/);
  assert.match(html, /Secret scan: no secret found in 4 file\(s\)/);
  assert.match(html, /ops-demo pauses &#60;nightly_sync&#62;/, 'claim text is escaped');
  assert.match(html, /href="upgrade-proof\/report\.html"/);
  assert.match(html, /href="upgrade-proof\/screenshots\/paused\.png"/);
});

test('renderSupportTruth marks a failed claim', () => {
  writeBundle('bridge', bridgeLane, [{ scenario: 'writes are refused', status: 'FAILED' }]);

  const html = render([bridgeLane]);

  assert.match(html, /<h2>bridge <span class="bucket">tested<\/span> <span class="status-failed">failed<\/span>/);
});

test('renderSupportTruth fails a run whose scan found a leak', () => {
  writeBundle('bridge--leaking', bridgeLane, [{ scenario: 'writes are refused', status: 'PASSED' }], { passed: false, secretScan: { findings: 2, filesScanned: 3 } });

  const html = render([bridgeLane]);

  assert.match(html, /<h2>bridge--leaking <span class="bucket">tested<\/span> <span class="status-failed">failed<\/span>/);
  assert.match(html, /Secret scan: 2 leaked secret\(s\) found; see secret-scan\.json\. The run did not pass\./);
});

test('renderSupportTruth marks a bundle older than its feature', () => {
  writeBundle('doctor--old', doctorLane, [{ scenario: 'The doctor passes', status: 'PASSED' }], { featureSha256: 'a'.repeat(64) });

  const html = render([doctorLane]);

  assert.match(html, /<h2>doctor--old <span class="bucket">tested<\/span> <span class="status-failed">out of date<\/span><\/h2>/);
  assert.match(html, /This bundle was made before features\/doctor\.feature last changed, so it does not prove the lane as it reads now\./);
});

test('readSupportTruth lists declared lanes without bundles', () => {
  const html = render([findLane('native-first', 'native-first')]);

  assert.match(html, /<h2>native-first <span class="bucket">tested<\/span><\/h2><p class="status-missing">not run: no evidence\.json in proof\/native-first\/<\/p>/);
});

test('readSupportTruth marks invalid evidence without failing', () => {
  for (const [directory, text] of [['zz-empty', '{}'], ['zz-truncated', '{"lane": "doc']]) {
    mkdirSync(path.join(proofRoot, directory), { recursive: true });
    writeFileSync(path.join(proofRoot, directory, 'evidence.json'), text);
  }

  const html = render([]);

  assert.match(html, /<h2>zz-empty<\/h2><p class="status-missing">proof\/zz-empty\/evidence\.json is invalid: expected the fields .*, but lane, bucket, startedAt, finishedAt, passed, versions, claims are missing or malformed<\/p>/);
  assert.match(html, /<h2>zz-truncated<\/h2><p class="status-missing">proof\/zz-truncated\/evidence\.json is invalid: /);
});
