import assert from 'node:assert/strict';
import { test } from 'node:test';

import { docsMarkersLane } from '../../../lanes/docs-markers/lane';
import { declaredLanes } from '../../../lanes/index';
import { checkDocumentedLanes } from '../../../step-definitions/support/docs-markers/check-documented-lanes';
import { formatDisagreement } from '../../../step-definitions/support/docs-markers/disagreement';
import { listDocumentationFiles } from '../../../step-definitions/support/docs-markers/documentation-files';
import { assertWhileBroken, useDocsScratchCopy } from '../support/docs-scratch-copy';

const copy = useDocsScratchCopy('docs-documented-lanes');
function check(): { checked: number; found: string[] } {
  const files = listDocumentationFiles(copy.root, docsMarkersLane);
  const result = checkDocumentedLanes({ root: copy.root, readme: files.readme, documents: [files.readme, ...files.guides], lanes: declaredLanes, self: 'docs-markers' });
  return { checked: result.checked, found: result.disagreements.map(formatDisagreement) };
}

const withBreak = (restore: () => void, assertions: (found: string[]) => void) => assertWhileBroken(restore, () => check().found, assertions);

test('checkDocumentedLanes passes on the docs as written', () => {
  const { checked, found } = check();
  assert.deepEqual(found, []);
  assert.ok(checked >= declaredLanes.length, `only ${checked} lane mentions read`);
});

test('checkDocumentedLanes names a lane without a profile', () => {
  withBreak(copy.edit('cucumber.js', "  bridge: laneProfile('bridge'),\n", ''), (found) => {
    assert.ok(found.some((line) => /^cucumber\.js: has no profile "bridge"; README\.md:\d+ names the bridge lane/.test(line)), found.join('\n'));
  });
});

test('checkDocumentedLanes names a lane without a feature file', () => {
  withBreak(copy.remove('features/doctor.feature'), (found) => {
    assert.ok(found.some((line) => /^features\/doctor\.feature: is missing; README\.md:\d+ names the doctor lane/.test(line)), found.join('\n'));
  });
});

test('checkDocumentedLanes names a feature that states another bucket', () => {
  withBreak(copy.edit('features/bridge.feature', 'in the tested bucket', 'in the supported bucket'), (found) => {
    // The edit also makes the bundle older than the feature, which the check names too.
    assert.equal(found[0], 'features/bridge.feature: says its claims are in the "supported" bucket, but the bridge lane declares "tested".');
    assert.match(found[1], /^proof\/bridge\/evidence\.json: records a run of features\/bridge\.feature as it read before its last change/);
    assert.equal(found.length, 2);
  });
});

test('checkDocumentedLanes names a lane without a proof bundle', () => {
  withBreak(copy.remove('proof/native-first/evidence.json'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^proof\/native-first\/evidence\.json: is missing, so the native-first lane has no proof bundle; README\.md:\d+ names the native-first lane\. To make one, run npx cucumber-js --profile native-first\.$/);
  });
});

test('checkDocumentedLanes names a proof bundle of a failed run', () => {
  const restore = copy.edit('proof/doctor/evidence.json', '"passed": true', '"passed": false');
  withBreak(restore, (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^proof\/doctor\/evidence\.json: records a run of the doctor lane that did not pass/);
  });
});

test('checkDocumentedLanes names a bucket the README gives that the lane does not declare', () => {
  withBreak(copy.edit('README.md', '| `fresh-install` | tested |', '| `fresh-install` | supported |'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^README\.md:\d+: puts the fresh-install lane in the "supported" bucket, but the lane declares "tested" \(lanes\/fresh-install\/lane\.ts\)\.$/);
  });
});

test('checkDocumentedLanes names a lane the docs name but no lane declares', () => {
  withBreak(copy.edit('guides/cron.md', /\n## /, '\nRun `npx cucumber-js --profile nightly-cron` to check.\n\n## '), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^guides\/cron\.md:\d+: names the lane "nightly-cron", which no lane declares/);
  });
});

test('checkDocumentedLanes names a lane missing from the README table', () => {
  withBreak(copy.edit('README.md', /^\| `doctor` \|.*\n/m, ''), (found) => {
    assert.ok(found.some((line) => /^README\.md:\d+: the lane table has no row for the doctor lane \(tested\), which lanes\/index\.ts declares\.$/.test(line)), found.join('\n'));
  });
});

test('checkDocumentedLanes names a profile no lane declares', () => {
  withBreak(copy.edit('cucumber.js', "  bridge: laneProfile('bridge'),\n", "  bridge: laneProfile('bridge'),\n  'nightly-cron': laneProfile('nightly-cron'),\n"), (found) => {
    assert.deepEqual(found, ['cucumber.js: has the profile "nightly-cron", which no lane declares; add the lane to lanes/index.ts or remove the profile.']);
  });
});

test('checkDocumentedLanes names a bundle whose secret scan found a leak', () => {
  withBreak(copy.edit('proof/bridge/evidence.json', '"findings": 0', '"findings": 2'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^proof\/bridge\/evidence\.json: records a run of the bridge lane whose secret scan found 2 leaked secret\(s\) \(proof\/bridge\/secret-scan\.json\)/);
  });
});

test('checkDocumentedLanes names a bundle without a secret scan', () => {
  withBreak(copy.edit('proof/bridge/evidence.json', /"secretScan": \{[^}]*\}/, '"secretScan": null'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^proof\/bridge\/evidence\.json: records no secret scan/);
  });
});

test('checkDocumentedLanes names a bundle older than its feature', () => {
  withBreak(copy.edit('features/doctor.feature', /\n$/, '\n  Scenario: The doctor names a host it cannot read\n    When the doctor checks the reference host\n    Then every check passes\n'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^proof\/doctor\/evidence\.json: records a run of features\/doctor\.feature as it read before its last change, .*run npx cucumber-js --profile doctor again\.$/);
  });
});

test('checkDocumentedLanes names a bundle older than its declaration', () => {
  const lanes = declaredLanes.map((lane) => (lane.name === 'first-session' && 'steps' in lane ? { ...lane, steps: [...lane.steps].reverse() } : lane));
  const files = listDocumentationFiles(copy.root, docsMarkersLane);
  const found = checkDocumentedLanes({ root: copy.root, readme: files.readme, documents: [files.readme, ...files.guides], lanes, self: 'docs-markers' }).disagreements.map(formatDisagreement);

  assert.equal(found.length, 1);
  assert.match(found[0], /^proof\/first-session\/evidence\.json: records a run of the first-session lane as lanes\/first-session\/lane\.ts declared it before its last change; run npx cucumber-js --profile first-session again\.$/);
});

test('checkDocumentedLanes reads every lane of a list', () => {
  withBreak(copy.edit('guides/cron.md', /\n## /, '\nThe `fresh-instal` and `first-session` lanes, and the lane `doctor-seams`, start hosts.\n\n## '), (found) => {
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0], /^guides\/cron\.md:\d+: names the lane "fresh-instal", which no lane declares/);
    assert.match(found[1], /^guides\/cron\.md:\d+: names the lane "doctor-seams", which no lane declares/);
  });
});
