import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatUnifiedDiff } from '../../library/cli/install/text-diff';

test('formatUnifiedDiff.equal texts give nothing', () => {
  assert.equal(formatUnifiedDiff('a.ts', 'one\n', 'one\n'), '');
});

test('formatUnifiedDiff.new file adds every line', () => {
  assert.equal(formatUnifiedDiff('a.ts', null, 'one\ntwo\n'), '--- /dev/null\n+++ b/a.ts\n@@ -0,0 +1,2 @@\n+one\n+two\n');
});

test('formatUnifiedDiff.insertion keeps three lines of context', () => {
  const before = ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n') + '\n';
  const after = ['1', '2', '3', '4', 'new', '5', '6', '7', '8'].join('\n') + '\n';

  assert.equal(formatUnifiedDiff('a.ts', before, after), '--- a/a.ts\n+++ b/a.ts\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+new\n 5\n 6\n 7\n');
});

test('formatUnifiedDiff.distant changes get separate hunks', () => {
  const lines = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`);
  const changed = [...lines];
  changed[1] = 'changed 2';
  changed[17] = 'changed 18';

  const diff = formatUnifiedDiff('a.ts', `${lines.join('\n')}\n`, `${changed.join('\n')}\n`);

  assert.deepEqual(diff.split('\n').filter((line) => line.startsWith('@@')), ['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
  assert.match(diff, /^-line 2\n\+changed 2$/m);
  assert.match(diff, /^-line 18\n\+changed 18$/m);
});
