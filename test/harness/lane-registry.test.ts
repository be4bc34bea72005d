import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { declaredLanes, findLane } from '../../lanes/index';

const repositoryRoot = path.resolve(__dirname, '..', '..');

test('declaredLanes match the cucumber profiles', () => {
  const profiles = Object.keys(require(path.join(repositoryRoot, 'cucumber.js')) as Record<string, unknown>).filter((name) => name !== 'default');
  assert.deepEqual(declaredLanes.map((lane) => lane.name).sort(), profiles.sort());
  for (const lane of declaredLanes) assert.ok(existsSync(path.join(repositoryRoot, 'features', `${lane.name}.feature`)), lane.name);
});

test('findLane returns the lane of that kind', () => {
  const lane = findLane('doctor', 'doctor');
  assert.equal(lane.kind, 'doctor');
  assert.deepEqual(lane.requiredSeams, ['repo', 'auth', 'displayPolicy']);
});

test('findLane rejects a lane of another kind', () => {
  assert.throws(() => findLane('native-first', 'doctor'), {
    message: 'No doctor lane is declared as "native-first"; lanes/index.ts declares these doctor lanes: doctor.',
  });
});

test('findLane rejects an unknown name', () => {
  assert.throws(() => findLane('refund-operations', 'first-session'), /No first-session lane is declared as "refund-operations"; .*: first-session\.$/);
});
