import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

import { useDocsScratchCopy } from '../support/docs-scratch-copy';

const copy = useDocsScratchCopy('docs-markers-lane');

/** Runs `cucumber-js --profile docs-markers` in the copy, as CI runs it in the repository. */
function runLane(): { exitCode: number | null; output: string } {
  const cucumber = path.join(copy.root, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  const env = { ...process.env, KJP_PROOF_VARIANT: '' };
  const run = spawnSync(process.execPath, [cucumber, '--profile', 'docs-markers'], { cwd: copy.root, env, encoding: 'utf8', timeout: 120_000 });
  return { exitCode: run.status, output: `${run.stdout}${run.stderr}` };
}

function assertLaneFails(restore: () => void, expected: RegExp): void {
  try {
    const { exitCode, output } = runLane();
    assert.equal(exitCode, 1, output);
    assert.match(output, /7 scenarios \(6 passed, 1 failed\)/);
    assert.match(output, expected);
  } finally {
    restore();
  }
}

test('docs-markers lane passes on the copied repository', () => {
  const { exitCode, output } = runLane();
  assert.equal(exitCode, 0, output);
  assert.match(output, /7 scenarios \(7 passed\)/);
});

test('docs-markers lane fails on an upgrade action out of order', () => {
  const restore = copy.edit('guides/upgrade-and-compatibility.md', /^2\. (.*)\n3\. (.*)$/m, '2. $2\n3. $1');
  assertLaneFails(restore, /guides\/upgrade-and-compatibility\.md:\d+: step 2 ".*" is the upgrade-proof lane's step 3, so the guide lists the steps out of order/);
});

test('docs-markers lane fails on a named lane without a feature file', () => {
  const restore = copy.remove('features/historical-compatibility.feature');
  assertLaneFails(restore, /features\/historical-compatibility\.feature: is missing; README\.md:\d+ names the historical-compatibility lane, so it needs a feature file\./);
});

test('docs-markers lane fails on a vocabulary term spelled another way', () => {
  const restore = copy.edit('guides/optional-bridge.md', /`Inspection only`/, 'inspection-only');
  assertLaneFails(restore, /guides\/optional-bridge\.md:\d+: "inspection-only" should be spelled "Inspection only", the posture of the support-truth vocabulary\./);
});

test('docs-markers lane fails on a guide snippet with a type error', () => {
  const restore = copy.edit('guides/workflows.md', "retryLimit: 3, retryDelay: 30", "retryLimit: 'three', retryDelay: 30");
  assertLaneFails(restore, /guides\/workflows\.md:\d+: the TypeScript snippet does not type-check against the library: TS2322 /);
});

test('docs-markers lane fails on a link to a missing anchor', () => {
  const restore = copy.edit('README.md', '(guides/cron.md)', '(guides/cron.md#no-such-section)');
  assertLaneFails(restore, /README\.md:\d+: links to guides\/cron\.md#no-such-section, but guides\/cron\.md has no heading with the anchor #no-such-section/);
});
