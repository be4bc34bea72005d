import assert from 'node:assert/strict';
import { test } from 'node:test';

import { findNumberedListAfter, parseMarkdown, plainText, slugOf } from '../../../step-definitions/support/docs-markers/markdown-document';

test('slugOf drops punctuation and keeps hyphens and underscores', () => {
  assert.equal(slugOf('The upgrade actions, in order'), 'the-upgrade-actions-in-order');
  assert.equal(slugOf('1. Run the installer'), '1-run-the-installer');
  assert.equal(slugOf('retry_job and cancel_job'), 'retry_job-and-cancel_job');
  assert.equal(slugOf('What `bridge: false` does'), 'what-bridge-false-does');
});

test('parseMarkdown numbers repeated heading anchors as GitHub does', () => {
  const document = parseMarkdown('x.md', '# Guide\n## Limits\ntext\n## Limits\n## Limits\n');
  assert.deepEqual(document.headings.map((heading) => heading.slug), ['guide', 'limits', 'limits-1', 'limits-2']);
});

test('parseMarkdown ignores headings and links inside fences', () => {
  const document = parseMarkdown('x.md', '# Title\n```sh\n# not a heading [x](missing.md)\n```\n~~~ts\n## nor this\n~~~\n[real](real.md)\n');
  assert.deepEqual(document.headings.map((heading) => heading.text), ['Title']);
  assert.deepEqual(document.links, [{ target: 'real.md', line: 8 }]);
  assert.deepEqual(document.fences.map((fence) => [fence.language, fence.line, fence.code]), [['sh', 2, '# not a heading [x](missing.md)'], ['ts', 5, '## nor this']]);
});

test('parseMarkdown ignores links inside code spans', () => {
  const document = parseMarkdown('x.md', 'Write `[x](y.md)` to link, as [here](z.md#a).\n');
  assert.deepEqual(document.links, [{ target: 'z.md#a', line: 1 }]);
});

test('parseMarkdown reads pipe tables with their row lines', () => {
  const document = parseMarkdown('x.md', 'intro\n\n| lane | bucket |\n| --- | --- |\n| `a` | tested |\n| `b` | supported |\n\nafter\n');
  assert.equal(document.tables.length, 1);
  assert.deepEqual(document.tables[0].header, ['lane', 'bucket']);
  assert.deepEqual(document.tables[0].rows, [{ cells: ['`a`', 'tested'], line: 5 }, { cells: ['`b`', 'supported'], line: 6 }]);
});

test('findNumberedListAfter joins continuation lines and stops at the list end', () => {
  const document = parseMarkdown('x.md', '## Steps\n\n1. First step\n   continued here.\n2. Second step.\n\nA paragraph.\n\n3. Not this list.\n## Next\n');
  const items = findNumberedListAfter(document, document.headings[0]);
  assert.deepEqual(items, [{ text: 'First step continued here.', line: 3 }, { text: 'Second step.', line: 5 }]);
});

test('findNumberedListAfter returns null for a section without a list', () => {
  const document = parseMarkdown('x.md', '## Steps\n\nNone yet.\n## Next\n1. Elsewhere\n');
  assert.equal(findNumberedListAfter(document, document.headings[0]), null);
});

test('plainText strips code spans, links and emphasis', () => {
  assert.equal(plainText('Pause `nightly_sync` on **the** [cron](cron.md)  surface.'), 'Pause nightly_sync on the cron surface.');
});
