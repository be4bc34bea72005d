import assert from 'node:assert/strict';
import { test } from 'node:test';

import { docsMarkersLane } from '../../../lanes/docs-markers/lane';
import { checkVocabulary } from '../../../step-definitions/support/docs-markers/check-vocabulary';
import { formatDisagreement } from '../../../step-definitions/support/docs-markers/disagreement';
import { listDocumentationFiles } from '../../../step-definitions/support/docs-markers/documentation-files';
import { assertWhileBroken, useDocsScratchCopy } from '../support/docs-scratch-copy';

const copy = useDocsScratchCopy('docs-vocabulary');

function check(): { checked: number; found: string[] } {
  const files = listDocumentationFiles(copy.root, docsMarkersLane);
  const result = checkVocabulary({ root: copy.root, vocabulary: docsMarkersLane.vocabulary, labelModule: docsMarkersLane.labelModule, documents: [files.readme, ...files.guides], features: files.features, pages: files.pages });
  return { checked: result.checked, found: result.disagreements.map(formatDisagreement) };
}

const withBreak = (restore: () => void, assertions: (found: string[]) => void) => assertWhileBroken(restore, () => check().found, assertions);

test('checkVocabulary passes on the docs, features and pages as written', () => {
  const { checked, found } = check();
  assert.deepEqual(found, []);
  assert.ok(checked > 100, `only ${checked} uses of the vocabulary read`);
});

test('checkVocabulary names a bucket spelled without its hyphen', () => {
  withBreak(copy.edit('guides/upgrade-and-compatibility.md', 'its upgrade is best-effort.', 'its upgrade is best effort.'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^guides\/upgrade-and-compatibility\.md:\d+: "best effort" should be spelled "best-effort", the bucket of the support-truth vocabulary\.$/);
  });
});

test('checkVocabulary names a bucket wrapped over two lines in another spelling', () => {
  withBreak(copy.edit('guides/upgrade-and-compatibility.md', 'its upgrade is best-effort.', 'its upgrade is best\neffort.'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /"best effort" should be spelled "best-effort"/);
  });
});

test('checkVocabulary names an ownership label in another case on a page', () => {
  withBreak(copy.edit('library/http/render-page.ts', 'Powertools-native', 'powertools-native'), (found) => {
    assert.ok(found.some((line) => /^library\/http\/render-page\.ts:\d+: "powertools-native" should be spelled "Powertools-native", the ownership label/.test(line)), found.join('\n'));
  });
});

test('checkVocabulary names a posture in title case in a feature', () => {
  withBreak(copy.edit('features/bridge.feature', /Inspection only/, 'Inspection Only'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^features\/bridge\.feature:\d+: "Inspection Only" should be spelled "Inspection only", the posture/);
  });
});

test('checkVocabulary names a synonym of an evidence label', () => {
  withBreak(copy.edit('guides/upgrade-and-compatibility.md', 'shows the pause reason as `history unavailable`', 'shows the pause reason as history not available'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^guides\/upgrade-and-compatibility\.md:\d+: "history not available" stands for the evidence label "history unavailable"; use the vocabulary's words\.$/);
  });
});

test('checkVocabulary names a label no page shows any more', () => {
  const pages = listDocumentationFiles(copy.root, docsMarkersLane).pages;
  const restores = pages.flatMap((page) => {
    try {
      return [copy.edit(page, /Inspection only/g, 'View only')];
    } catch {
      return []; // this page does not show the label
    }
  });
  assert.ok(restores.length > 0, 'no page showed "Inspection only" before the break');
  withBreak(() => restores.forEach((restore) => restore()), (found) => {
    assert.ok(found.some((line) => /: no page shows the posture "Inspection only"; a page that renamed it must use the vocabulary's spelling\.$/.test(line)), found.join('\n'));
    assert.ok(found.some((line) => /^library\/http\/render-page\.ts:\d+: exports the page label "View only"/.test(line)), found.join('\n'));
  });
});

test('checkVocabulary names a support-truth table with its buckets out of order', () => {
  withBreak(copy.edit('guides/upgrade-and-compatibility.md', /^(\| supported \|.*)\n(\| tested \|.*)$/m, '$2\n$1'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^guides\/upgrade-and-compatibility\.md:\d+: the support-truth table lists the buckets tested, supported, best-effort, host-owned, intentionally unsupported; list each once, in the order supported, tested, best-effort, host-owned, intentionally unsupported\.$/);
  });
});

test('checkVocabulary names a support-truth table row that is not a bucket', () => {
  withBreak(copy.edit('guides/upgrade-and-compatibility.md', /^\| best-effort \|/m, '| community |'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /the support-truth table has the row "community", which is not a bucket/);
  });
});

test('checkVocabulary names a misspelt label in the label module', () => {
  withBreak(copy.edit('library/http/render-page.ts', "inspection: 'Inspection only'", "inspection: 'Inspecton only'"), (found) => {
    assert.ok(found.some((line) => /^library\/http\/render-page\.ts:\d+: exports the page label "Inspecton only", which is not a term of the support-truth vocabulary/.test(line)), found.join('\n'));
    assert.ok(found.some((line) => line === 'library/http/render-page.ts: exports no page label "Inspection only"; the pages need every label of the vocabulary from ownershipLabels, postures, evidenceLabels.'), found.join('\n'));
  });
});

test('checkVocabulary names a misspelt label attribute in a template', () => {
  withBreak(copy.edit('library/views/cron-entry.njk', 'data-ownership="host-owned follow-up"', 'data-ownership="host-owned folow-up"'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^library\/views\/cron-entry\.njk:\d+: labels an element "host-owned folow-up", which is not a term of the support-truth vocabulary/);
  });
});

test('checkVocabulary names a non-breaking hyphen in a term', () => {
  withBreak(copy.edit('README.md', /`Powertools-native`/, '`Powertools\u2011native` pages'), (found) => {
    assert.equal(found.length, 0, 'inside a code span it is an identifier, not the vocabulary');
  });
  withBreak(copy.edit('README.md', /`Powertools-native`/, 'Powertools\u2011native'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^README\.md:\d+: "Powertools\u2011native" should be spelled "Powertools-native"/);
  });
});

test('checkVocabulary leaves inline code alone', () => {
  withBreak(copy.edit('guides/cron.md', /\n## /, '\nThe class `.history-unavailable` styles the label, and `UNKNOWN` is a status token.\n\n## '), (found) => {
    assert.deepEqual(found, []);
  });
});
