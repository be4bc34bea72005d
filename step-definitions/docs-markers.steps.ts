import assert from 'node:assert/strict';

import { Given, Then, When } from '@cucumber/cucumber';

import { docsMarkersLane } from '../lanes/docs-markers/lane';
import { declaredLanes } from '../lanes/index';
import type { DocsMarkersLaneDeclaration } from '../lanes/lane-declaration';
import { checkDocumentedLanes } from './support/docs-markers/check-documented-lanes';
import { checkGuideSteps, lanesWithGuides } from './support/docs-markers/check-guide-steps';
import { checkLinks } from './support/docs-markers/check-links';
import { checkSnippets } from './support/docs-markers/check-snippets';
import { checkVocabulary } from './support/docs-markers/check-vocabulary';
import { type CheckResult, formatDisagreement } from './support/docs-markers/disagreement';
import { type DocumentationFiles, listDocumentationFiles } from './support/docs-markers/documentation-files';
import { noteLane } from './support/proof-bundle';
import { repositoryRoot } from './support/source-host-copy';
import type { LaneWorld } from './support/world';

type DocsMarkersWorld = LaneWorld<DocsMarkersLaneDeclaration>;

interface ScenarioState {
  files: DocumentationFiles;
  /** The items the scenario's check compared, in words, e.g. `internal links`. */
  subject: string;
  result: CheckResult | null;
}

const states = new WeakMap<DocsMarkersWorld, ScenarioState>();

function stateOf(world: DocsMarkersWorld): ScenarioState {
  const state = states.get(world);
  assert.ok(state, 'The documentation was not read for this scenario; the Background reads it.');
  return state;
}

/** Lists the documents whose claims, snippets and links are checked: the README, then the guides. */
function documentsOf(files: DocumentationFiles): string[] {
  return [files.readme, ...files.guides];
}

function record(world: DocsMarkersWorld, subject: string, result: CheckResult): void {
  const state = stateOf(world);
  state.subject = subject;
  state.result = result;
  world.proofFacts.checked = { subject, count: result.checked };
  world.proofFacts.disagreements = result.disagreements.map(formatDisagreement);
}

Given('the documentation and the latest proof bundles of this repository', function (this: DocsMarkersWorld) {
  this.lane = docsMarkersLane;
  noteLane(docsMarkersLane);
  const files = listDocumentationFiles(repositoryRoot, docsMarkersLane);
  assert.ok(files.guides.length > 0, `No guide found under ${docsMarkersLane.documents.guides}/; the lane has nothing to read.`);
  states.set(this, { files, subject: '', result: null });
});

When('the guide of the {string} lane is compared with the lane\'s declared steps', function (this: DocsMarkersWorld, laneName: string) {
  const lane = lanesWithGuides(declaredLanes).find((candidate) => candidate.lane === laneName);
  assert.ok(lane, `No lane named "${laneName}" declares a guide with its steps (lanes/index.ts).`);
  record(this, `the steps of ${lane.guide.file} against the ${laneName} lane`, checkGuideSteps(repositoryRoot, lane));
});

When('the lanes named in the README and the guides are looked up', function (this: DocsMarkersWorld) {
  const files = stateOf(this).files;
  const result = checkDocumentedLanes({ root: repositoryRoot, readme: files.readme, documents: documentsOf(files), lanes: declaredLanes, self: docsMarkersLane.name });
  record(this, 'the lanes the README and the guides name', result);
});

When('the README, the guides, the features and the pages are read for the support-truth vocabulary', function (this: DocsMarkersWorld) {
  const files = stateOf(this).files;
  const result = checkVocabulary({ root: repositoryRoot, vocabulary: this.lane.vocabulary, labelModule: this.lane.labelModule, documents: documentsOf(files), features: files.features, pages: files.pages });
  record(this, 'uses of the support-truth vocabulary', result);
});

When('the TypeScript snippets of the README and the guides are type-checked', function (this: DocsMarkersWorld) {
  const files = stateOf(this).files;
  const result = checkSnippets({ root: repositoryRoot, documents: documentsOf(files), languages: this.lane.snippetLanguages, context: this.lane.snippetContext });
  record(this, 'TypeScript snippets', result);
});

When('the internal links of the README and the guides are followed', function (this: DocsMarkersWorld) {
  record(this, 'internal links', checkLinks(repositoryRoot, documentsOf(stateOf(this).files)));
});

Then('the docs and the lanes agree', function (this: DocsMarkersWorld) {
  const { subject, result } = stateOf(this);
  assert.ok(result, 'No check ran in this scenario.');

  const report = result.disagreements.map(formatDisagreement);
  this.attach(`${subject}: ${result.checked} checked, ${report.length} disagreement(s)`, 'text/plain');
  assert.ok(result.checked > 0, `The check of ${subject} found nothing to compare, so it proves nothing; is the documentation where lanes/docs-markers/lane.ts says?`);
  assert.equal(report.length, 0, `The docs and the lanes disagree in ${report.length === 1 ? 'one place' : `${report.length} places`}:\n${report.join('\n')}`);
});
