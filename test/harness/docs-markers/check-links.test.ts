import assert from 'node:assert/strict';
import { test } from 'node:test';

import { docsMarkersLane } from '../../../lanes/docs-markers/lane';
import { checkLinks } from '../../../step-definitions/support/docs-markers/check-links';
import { formatDisagreement } from '../../../step-definitions/support/docs-markers/disagreement';
import { listDocumentationFiles } from '../../../step-definitions/support/docs-markers/documentation-files';
import { assertWhileBroken, useDocsScratchCopy } from '../support/docs-scratch-copy';

const copy = useDocsScratchCopy('docs-links');

function check(): { checked: number; found: string[] } {
  const files = listDocumentationFiles(copy.root, docsMarkersLane);
  const result = checkLinks(copy.root, [files.readme, ...files.guides]);
  return { checked: result.checked, found: result.disagreements.map(formatDisagreement) };
}

const withBreak = (restore: () => void, assertions: (found: string[]) => void) => assertWhileBroken(restore, () => check().found, assertions);

test('checkLinks passes on the README and guides as written', () => {
  const { checked, found } = check();
  assert.deepEqual(found, []);
  assert.ok(checked >= 10, `only ${checked} links followed`);
});

test('checkLinks names a link to a missing file', () => {
  withBreak(copy.edit('guides/upgrade-and-compatibility.md', '(optional-bridge.md)', '(bridge.md)'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^guides\/upgrade-and-compatibility\.md:\d+: links to bridge\.md, but guides\/bridge\.md does not exist\.$/);
  });
});

test('checkLinks names an anchor with no heading', () => {
  withBreak(copy.edit('guides/upgrade-and-compatibility.md', '(optional-bridge.md)', '(optional-bridge.md#turning-it-on)'), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^guides\/upgrade-and-compatibility\.md:\d+: links to optional-bridge\.md#turning-it-on, but guides\/optional-bridge\.md has no heading with the anchor #turning-it-on; its anchors are #/);
  });
});

test('checkLinks names a renamed heading that an anchor pointed at', () => {
  const linked = copy.edit('guides/cron.md', /\n## /, '\nSee [the upgrade actions](upgrade-and-compatibility.md#the-upgrade-actions-in-order).\n\n## ');
  try {
    assert.deepEqual(check().found, []);
    withBreak(copy.edit('guides/upgrade-and-compatibility.md', '## The upgrade actions, in order', '## Upgrade actions'), (found) => {
      assert.ok(found.some((line) => /^guides\/cron\.md:\d+: links to upgrade-and-compatibility\.md#the-upgrade-actions-in-order, but .* has no heading with the anchor/.test(line)), found.join('\n'));
    });
  } finally {
    linked();
  }
});

test('checkLinks leaves links with a scheme alone', () => {
  withBreak(copy.edit('guides/cron.md', /\n## /, '\nSee [pg-boss](https://github.com/timgit/pg-boss#no-such-anchor).\n\n## '), (found) => {
    assert.deepEqual(found, []);
  });
});

test('checkLinks names a broken link with a title', () => {
  withBreak(copy.edit('guides/cron.md', /\n## /, "\nSee [the installation](instalation.md 'Installing').\n\n## "), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /^guides\/cron\.md:\d+: links to instalation\.md, but guides\/instalation\.md does not exist\.$/);
  });
});

test('checkLinks names an undefined link reference', () => {
  withBreak(copy.edit('guides/cron.md', /\n## /, '\nSee [the bridge][bridge] and [cron][].\n\n[cron]: cron.md\n\n## '), (found) => {
    assert.deepEqual(found.length, 1);
    assert.match(found[0], /^guides\/cron\.md:\d+: uses the link reference \[bridge\], which no "\[bridge\]: target" line in the file defines\.$/);
  });
});

test('checkLinks follows line anchors into source files', () => {
  withBreak(copy.edit('guides/cron.md', /\n## /, '\nThe labels are in [render-page.ts](../library/http/render-page.ts#L6-L10).\n\n## '), (found) => {
    assert.deepEqual(found, []);
  });
  withBreak(copy.edit('guides/cron.md', /\n## /, '\nThe labels are in [render-page.ts](../library/http/render-page.ts#L9000).\n\n## '), (found) => {
    assert.equal(found.length, 1);
    assert.match(found[0], /links to \.\.\/library\/http\/render-page\.ts#L9000, but library\/http\/render-page\.ts is not Markdown, so its only anchors are lines #L1 to #L\d+\.$/);
  });
});
