import assert from 'node:assert/strict';
import { test } from 'node:test';

import { docsMarkersLane } from '../../../lanes/docs-markers/lane';
import { checkSnippets } from '../../../step-definitions/support/docs-markers/check-snippets';
import { formatDisagreement } from '../../../step-definitions/support/docs-markers/disagreement';
import { listDocumentationFiles } from '../../../step-definitions/support/docs-markers/documentation-files';
import { readMarkdown } from '../../../step-definitions/support/docs-markers/markdown-document';
import { assertWhileBroken, useDocsScratchCopy } from '../support/docs-scratch-copy';

const copy = useDocsScratchCopy('docs-snippets');

function check(): { checked: number; found: string[] } {
  const files = listDocumentationFiles(copy.root, docsMarkersLane);
  const result = checkSnippets({ root: copy.root, documents: [files.readme, ...files.guides], languages: docsMarkersLane.snippetLanguages, context: docsMarkersLane.snippetContext });
  return { checked: result.checked, found: result.disagreements.map(formatDisagreement) };
}

const withBreak = (restore: () => void, assertions: (found: string[]) => void) => assertWhileBroken(restore, () => check().found, assertions);

/** Returns the document line that contains `text`, to assert that a type error is reported at it. */
function lineOf(file: string, text: string): number {
  return readMarkdown(copy.root, file).lines.findIndex((line) => line.includes(text)) + 1;
}

test('checkSnippets passes on the README and guides as written', () => {
  const { checked, found } = check();
  assert.deepEqual(found, []);
  assert.ok(checked >= 9, `only ${checked} snippets type-checked`);
});

test('checkSnippets names a wrong option type at its guide line', () => {
  withBreak(copy.edit('guides/cron.md', 'displayPolicy: hostDisplayPolicy,', 'displayPolicy: 42,'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], new RegExp(`^guides/cron\\.md:${lineOf('guides/cron.md', 'displayPolicy: 42,')}: the TypeScript snippet does not type-check against the library: TS2322 `));
  });
});

test('checkSnippets names an import the library does not export', () => {
  withBreak(copy.edit('guides/installation.md', "import type { CronEntryDeclaration } from 'koa-jobs-powertools';", "import type { CronEntry } from 'koa-jobs-powertools';"), (found) => {
    assert.ok(found.length >= 1);
    assert.match(found[0], /^guides\/installation\.md:\d+: the TypeScript snippet does not type-check against the library: TS2\d+ .*CronEntry/);
  });
});

test('checkSnippets names a name the snippet neither imports nor declares', () => {
  withBreak(copy.edit('README.md', 'auth: hostAuth,', 'auth: operatorAuth,'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^README\.md:\d+: the TypeScript snippet does not type-check against the library: TS2\d+ Cannot find name 'operatorAuth'\./);
  });
});

test('checkSnippets keeps each snippet in its own module', () => {
  // Two snippets that both declare `powertools` would clash if they shared a scope.
  const { found } = check();
  assert.ok(!found.some((line) => /Cannot redeclare/.test(line)), found.join('\n'));
});
