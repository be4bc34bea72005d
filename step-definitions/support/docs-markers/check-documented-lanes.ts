import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { LaneDeclaration } from '../../../lanes/lane-declaration';
import { fingerprintLane } from '../proof-bundle';
import type { CheckResult, Disagreement } from './disagreement';
import { type MarkdownDocument, plainText, readMarkdown } from './markdown-document';

/** A lane named in the docs: by a `--profile` command, as "the `name` lane", or in a lane table. */
interface LaneMention {
  lane: string;
  file: string;
  line: number;
  /** The bucket a lane table gives it, when the mention is a table row with a bucket column. */
  bucket: string | null;
}

interface DocumentedLanesInput {
  root: string;
  /** The README, whose lane table must list every declared lane. */
  readme: string;
  /** The README and the guides, relative to the root. */
  documents: string[];
  lanes: readonly LaneDeclaration[];
  /** The lane running this check, whose own bundle is being written while it runs. */
  self: string;
}

/**
 * Checks that every lane the README and the guides name has a cucumber profile, a feature file
 * tagged with the lane that names its bucket, and a passing proof bundle in `proof/<lane>/`.
 * A bucket the docs give a lane must be the one it declares, and the README's lane table must
 * list every lane.
 */
export function checkDocumentedLanes(input: DocumentedLanesInput): CheckResult {
  const documents = input.documents.filter((file) => existsSync(path.join(input.root, file))).map((file) => readMarkdown(input.root, file));
  const mentions = documents.flatMap(findLaneMentions);
  const profiles = readProfiles(input.root);
  const disagreements: Disagreement[] = [];
  if (profiles === null) disagreements.push({ file: 'cucumber.js', line: null, message: 'is missing, so no lane has a profile to run.' });

  const checkedLanes = new Set<string>();
  for (const mention of mentions) {
    const lane = input.lanes.find((candidate) => candidate.name === mention.lane);
    if (!lane) {
      disagreements.push({ file: mention.file, line: mention.line, message: `names the lane "${mention.lane}", which no lane declares (lanes/index.ts lists ${input.lanes.map((candidate) => candidate.name).join(', ')}).` });
      continue;
    }
    if (mention.bucket !== null && mention.bucket !== lane.bucket) {
      disagreements.push({ file: mention.file, line: mention.line, message: `puts the ${lane.name} lane in the "${mention.bucket}" bucket, but the lane declares "${lane.bucket}" (lanes/${lane.name}/lane.ts).` });
    }
    if (checkedLanes.has(lane.name)) continue;

    checkedLanes.add(lane.name);
    disagreements.push(...checkLaneProof(input.root, lane, profiles, mention, input.self));
  }

  disagreements.push(...checkLaneTable(input, documents));
  for (const profile of profiles ?? []) {
    if (!input.lanes.some((lane) => lane.name === profile)) {
      disagreements.push({ file: 'cucumber.js', line: null, message: `has the profile "${profile}", which no lane declares; add the lane to lanes/index.ts or remove the profile.` });
    }
  }
  return { checked: mentions.length, disagreements };
}

function findLaneMentions(document: MarkdownDocument): LaneMention[] {
  const mentions: LaneMention[] = [];

  document.lines.forEach((line, index) => {
    for (const match of line.matchAll(/--profile[ =]([a-z0-9][a-z0-9-]*)/g)) {
      mentions.push({ lane: match[1], file: document.file, line: index + 1, bucket: null });
    }
    if (document.inFence[index]) return;
    // "the `doctor` lane", "the `fresh-install` and `first-session` lanes", "the lane `doctor`".
    for (const match of line.matchAll(/((?:`[a-z0-9][a-z0-9-]*`(?:,\s*|\s+(?:and|or)\s+|,\s+(?:and|or)\s+))*`[a-z0-9][a-z0-9-]*`)\s+lanes?\b/g)) {
      for (const name of match[1].matchAll(/`([a-z0-9][a-z0-9-]*)`/g)) mentions.push({ lane: name[1], file: document.file, line: index + 1, bucket: null });
    }
    for (const match of line.matchAll(/\blanes?\s+`([a-z0-9][a-z0-9-]*)`/g)) {
      mentions.push({ lane: match[1], file: document.file, line: index + 1, bucket: null });
    }
  });

  for (const table of document.tables) {
    const columns = table.header.map((cell) => plainText(cell).toLowerCase());
    if (columns[0] !== 'lane') continue;
    const bucketColumn = columns.indexOf('bucket');
    for (const row of table.rows) {
      const bucket = bucketColumn === -1 ? null : plainText(row.cells[bucketColumn] ?? '');
      mentions.push({ lane: plainText(row.cells[0]), file: document.file, line: row.line, bucket });
    }
  }
  return mentions;
}

function checkLaneProof(root: string, lane: LaneDeclaration, profiles: string[] | null, mention: LaneMention, self: string): Disagreement[] {
  const named = `${mention.file}:${mention.line} names the ${lane.name} lane`;
  const disagreements: Disagreement[] = [];

  if (profiles && !profiles.includes(lane.name)) {
    disagreements.push({ file: 'cucumber.js', line: null, message: `has no profile "${lane.name}"; ${named}. Add laneProfile('${lane.name}').` });
  }
  disagreements.push(...checkFeatureFile(root, lane, named));
  if (lane.name !== self) disagreements.push(...checkProofBundle(root, lane, named));
  return disagreements;
}

function checkFeatureFile(root: string, lane: LaneDeclaration, named: string): Disagreement[] {
  const file = `features/${lane.name}.feature`;
  if (!existsSync(path.join(root, file))) {
    return [{ file, line: null, message: `is missing; ${named}, so it needs a feature file.` }];
  }

  const text = readFileSync(path.join(root, file), 'utf8');
  const disagreements: Disagreement[] = [];
  if (!text.split(/\r?\n/).some((line) => line.trim().split(/\s+/).includes(`@lane:${lane.name}`))) {
    disagreements.push({ file, line: 1, message: `is not tagged @lane:${lane.name}.` });
  }
  const stated = /in the (supported|tested|best-effort|host-owned|intentionally unsupported) bucket/.exec(text.replace(/\s+/g, ' '));
  if (!stated) {
    disagreements.push({ file, line: null, message: `does not say which bucket its claims are in; the ${lane.name} lane declares "${lane.bucket}".` });
  } else if (stated[1] !== lane.bucket) {
    disagreements.push({ file, line: null, message: `says its claims are in the "${stated[1]}" bucket, but the ${lane.name} lane declares "${lane.bucket}".` });
  }
  return disagreements;
}

function checkProofBundle(root: string, lane: LaneDeclaration, named: string): Disagreement[] {
  const file = `proof/${lane.name}/evidence.json`;
  const run = `run npx cucumber-js --profile ${lane.name}`;
  if (!existsSync(path.join(root, file))) {
    return [{ file, line: null, message: `is missing, so the ${lane.name} lane has no proof bundle; ${named}. To make one, ${run}.` }];
  }

  let evidence: { lane?: unknown; bucket?: unknown; passed?: unknown; claims?: unknown; secretScan?: { findings?: unknown }; declarationSha256?: unknown; featureSha256?: unknown };
  try {
    evidence = JSON.parse(readFileSync(path.join(root, file), 'utf8'));
  } catch (error) {
    return [{ file, line: null, message: `is not valid JSON (${(error as Error).message}); ${run} again.` }];
  }
  if (evidence.lane !== lane.name || evidence.bucket !== lane.bucket) {
    return [{ file, line: null, message: `records lane "${String(evidence.lane)}" in bucket "${String(evidence.bucket)}", but the lane is "${lane.name}" in "${lane.bucket}"; ${run} again.` }];
  }
  if (typeof evidence.secretScan?.findings !== 'number') {
    return [{ file, line: null, message: `records no secret scan, so the run that wrote it was cut short or is older than the scan; ${run} again.` }];
  }
  if (evidence.secretScan.findings > 0) {
    return [{ file, line: null, message: `records a run of the ${lane.name} lane whose secret scan found ${evidence.secretScan.findings} leaked secret(s) (proof/${lane.name}/secret-scan.json); ${named} as proved. Remove the leak, then ${run}.` }];
  }
  if (evidence.passed !== true || !Array.isArray(evidence.claims) || evidence.claims.length === 0) {
    return [{ file, line: null, message: `records a run of the ${lane.name} lane that did not pass; ${named} as proved. Fix the lane, then ${run}.` }];
  }

  const current = fingerprintLane(root, lane);
  if (evidence.featureSha256 !== current.featureSha256) {
    return [{ file, line: null, message: `records a run of features/${lane.name}.feature as it read before its last change, so the bundle does not prove the feature as it reads now; ${run} again.` }];
  }
  if (evidence.declarationSha256 !== current.declarationSha256) {
    return [{ file, line: null, message: `records a run of the ${lane.name} lane as lanes/${lane.name}/lane.ts declared it before its last change; ${run} again.` }];
  }
  return [];
}

/** Checks that the README's lane table, the one whose first column is `lane`, lists every declared lane. */
function checkLaneTable(input: DocumentedLanesInput, documents: MarkdownDocument[]): Disagreement[] {
  const readme = documents.find((document) => document.file === input.readme);
  if (!readme) return [{ file: input.readme, line: null, message: 'is missing; it must list every lane in a table whose first column is "lane".' }];

  const table = readme.tables.find((candidate) => plainText(candidate.header[0] ?? '').toLowerCase() === 'lane');
  if (!table) return [{ file: input.readme, line: null, message: 'has no lane table (a table whose first column is "lane"); it must list every lane with its bucket.' }];

  const listed = new Set(table.rows.map((row) => plainText(row.cells[0])));
  return input.lanes
    .filter((lane) => !listed.has(lane.name))
    .map((lane) => ({ file: input.readme, line: table.line, message: `the lane table has no row for the ${lane.name} lane (${lane.bucket}), which lanes/index.ts declares.` }));
}

/** Reads the profile names in cucumber.js, other than `default`; null when the file is missing. */
function readProfiles(root: string): string[] | null {
  const file = path.join(root, 'cucumber.js');
  if (!existsSync(file)) return null;

  delete require.cache[require.resolve(file)];
  const profiles = require(file) as Record<string, unknown>;
  return Object.keys(profiles).filter((name) => name !== 'default');
}
