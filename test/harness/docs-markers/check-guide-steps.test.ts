import assert from 'node:assert/strict';
import { test } from 'node:test';

import { declaredLanes } from '../../../lanes/index';
import { checkGuideSteps, lanesWithGuides } from '../../../step-definitions/support/docs-markers/check-guide-steps';
import { formatDisagreement } from '../../../step-definitions/support/docs-markers/disagreement';
import { useDocsScratchCopy } from '../support/docs-scratch-copy';

const copy = useDocsScratchCopy('docs-guide-steps');

function checkLane(name: string): string[] {
  const lane = lanesWithGuides(declaredLanes).find((candidate) => candidate.lane === name);
  assert.ok(lane, `${name} declares no guide`);
  return checkGuideSteps(copy.root, lane).disagreements.map(formatDisagreement);
}

test('lanesWithGuides lists the lanes whose guide lists their steps', () => {
  assert.deepEqual(lanesWithGuides(declaredLanes).map((lane) => lane.lane), ['upgrade-proof', 'fresh-install', 'first-session']);
});

test('checkGuideSteps passes on the guides as written', () => {
  for (const lane of lanesWithGuides(declaredLanes)) {
    const result = checkGuideSteps(copy.root, lane);
    assert.deepEqual(result.disagreements.map(formatDisagreement), [], lane.lane);
    assert.equal(result.checked, lane.steps.length);
  }
});

test('checkGuideSteps names two upgrade actions out of order', () => {
  const restore = copy.edit(
    'guides/upgrade-and-compatibility.md',
    /^2\. (.*)\n3\. (.*)$/m,
    '2. Re-check that the router is mounted at `/ops/jobs` inside the host-owned scope and pipeline.\n3. Wire the display policy into the `createPowertools` config as `displayPolicy`.',
  );
  try {
    const found = checkLane('upgrade-proof');
    assert.equal(found.length, 2);
    assert.match(found[0], /^guides\/upgrade-and-compatibility\.md:\d+: step 2 ".*Re-check.*" is the upgrade-proof lane's step 3, so the guide lists the steps out of order/);
  } finally {
    restore();
  }
});

test('checkGuideSteps names a reworded step and the declared wording', () => {
  const restore = copy.edit('guides/installation.md', '2. Install the dependencies the installer added to package.json: npm install.', '2. Run npm install.');
  try {
    const found = checkLane('fresh-install');
    assert.equal(found.length, 1);
    assert.match(found[0], /^guides\/installation\.md:\d+: step 2 reads "Run npm install\.", but the fresh-install lane declares "Install the dependencies/);
  } finally {
    restore();
  }
});

test('checkGuideSteps names a missing last step', () => {
  const restore = copy.edit('guides/first-operator-session.md', /^9\. .*\n/m, '');
  try {
    const found = checkLane('first-session');
    assert.equal(found.length, 1);
    assert.match(found[0], /^guides\/first-operator-session\.md:\d+: lists 8 steps; the first-session lane's step 9 "Open the Audit tab/);
  } finally {
    restore();
  }
});

test('checkGuideSteps names an extra step', () => {
  const restore = copy.edit('guides/upgrade-and-compatibility.md', /^(6\. .*)$/m, '$1\n7. Celebrate.');
  try {
    const found = checkLane('upgrade-proof');
    assert.deepEqual(found.length, 1);
    assert.match(found[0], /step 7 "Celebrate\." is not a step of the upgrade-proof lane, which declares 6/);
  } finally {
    restore();
  }
});

test('checkGuideSteps names a renamed heading', () => {
  const restore = copy.edit('guides/upgrade-and-compatibility.md', '## The upgrade actions, in order', '## Upgrading');
  try {
    assert.deepEqual(checkLane('upgrade-proof'), [
      'guides/upgrade-and-compatibility.md: has no heading "The upgrade actions, in order", under which the upgrade-proof lane (lanes/upgrade-proof/lane.ts) expects its steps. Restore the heading or change the lane\'s guide.heading.',
    ]);
  } finally {
    restore();
  }
});

test('checkGuideSteps names a missing guide', () => {
  const restore = copy.remove('guides/installation.md');
  try {
    assert.deepEqual(checkLane('fresh-install'), ['guides/installation.md: is missing; the fresh-install lane (lanes/fresh-install/lane.ts) says it lists the lane\'s steps.']);
  } finally {
    restore();
  }
});

test('checkGuideSteps names numbered sections out of order', () => {
  const restoreSix = copy.edit('guides/installation.md', '### 6. Give the operator an account', '### 7. Give the operator an account');
  const restoreSeven = copy.edit('guides/installation.md', '### 7. Start the host', '### 6. Start the host');
  try {
    const found = checkLane('fresh-install');
    assert.equal(found.length, 2);
    assert.match(found[0], /^guides\/installation\.md:\d+: the section "7\. Give the operator an account" is numbered 7, but it is the guide's numbered section 6/);
  } finally {
    restoreSeven();
    restoreSix();
  }
});
