import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { fingerprintLane } from '../../step-definitions/support/proof-bundle';
import { declaredLanes } from '../index';
import type { LaneDeclaration } from '../lane-declaration';

/**
 * Writes proof/support-truth.html from the latest proof bundle of every lane: each lane with
 * its bucket, each claim with its status, when and against which Postgres and Node.js it ran,
 * the secret scan, and links to its report and screenshots. None of these shows as passing: a
 * lane without a bundle (not run), an unreadable bundle (invalid), and a bundle made before the
 * lane's feature or declaration last changed (out of date).
 *
 * Usage: node -r ts-node/register/transpile-only lanes/support-truth/write-support-truth.ts
 */

interface Evidence {
  lane: string;
  bucket: string;
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  proofVariant?: string | null;
  postgres: { provider: string; serverVersion: string } | null;
  versions: { library: string; node: string; pgBoss: string; browser: string | null };
  claims: Array<{ scenario: string; status: string }>;
  secretScan?: { findings: number; filesScanned: number } | null;
  declarationSha256?: string;
  featureSha256?: string | null;
}

export interface SupportTruthRow {
  directory: string;
  /** The bucket the lane declares, for a row whose bundle is missing or invalid. */
  declaredBucket: string | null;
  evidence: Evidence | null;
  /** The reason evidence.json could not be read, when it exists but is not a lane's evidence. */
  invalid: string | null;
  /** The reason the bundle does not prove the lane as it now reads, or null when it is current. */
  outdated: string | null;
  screenshots: string[];
  hasReport: boolean;
}

const repositoryRoot = path.resolve(__dirname, '..', '..');

/**
 * Reads every bundle under `proofRoot`, plus a row for each declared lane without one. `root`
 * is the repository whose feature files and declarations the bundles are compared with.
 */
export function readSupportTruth(proofRoot: string, lanes: readonly LaneDeclaration[], root = repositoryRoot): SupportTruthRow[] {
  const directories = existsSync(proofRoot)
    ? readdirSync(proofRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'all-lanes').map((entry) => entry.name)
    : [];
  const rows = directories.sort().map((directory) => readRow(proofRoot, directory, lanes, root));

  for (const lane of lanes) {
    if (!rows.some((row) => row.directory === lane.name)) {
      rows.push({ directory: lane.name, declaredBucket: lane.bucket, evidence: null, invalid: null, outdated: null, screenshots: [], hasReport: false });
    }
  }
  return rows;
}

function readRow(proofRoot: string, directory: string, lanes: readonly LaneDeclaration[], root: string): SupportTruthRow {
  // A variant bundle, `<lane>--<variant>`, proves the same lane on another Postgres.
  const lane = lanes.find((candidate) => candidate.name === directory.split('--')[0]) ?? null;
  const evidencePath = path.join(proofRoot, directory, 'evidence.json');
  const screenshotsPath = path.join(proofRoot, directory, 'screenshots');
  const row: SupportTruthRow = {
    directory,
    declaredBucket: lane?.bucket ?? null,
    evidence: null,
    invalid: null,
    outdated: null,
    screenshots: existsSync(screenshotsPath) ? readdirSync(screenshotsPath).filter((file) => file.endsWith('.png')).sort() : [],
    hasReport: existsSync(path.join(proofRoot, directory, 'report.html')),
  };
  if (!existsSync(evidencePath)) return row;

  try {
    row.evidence = parseEvidence(readFileSync(evidencePath, 'utf8'));
  } catch (error) {
    row.invalid = `proof/${directory}/evidence.json is invalid: ${(error as Error).message}`;
    return row;
  }
  row.outdated = lane ? describeOutdated(row.evidence, fingerprintLane(root, lane), lane.name) : null;
  return row;
}

function parseEvidence(text: string): Evidence {
  const evidence = JSON.parse(text) as Partial<Evidence>;
  const missing = (['lane', 'bucket', 'startedAt', 'finishedAt', 'passed', 'versions', 'claims'] as const).filter((field) => evidence[field] === undefined);
  if (missing.length > 0 || !Array.isArray(evidence.claims)) {
    throw new Error(`expected the fields lane, bucket, startedAt, finishedAt, passed, versions and claims, but ${missing.join(', ') || 'claims'} ${missing.length === 1 ? 'is' : 'are'} missing or malformed`);
  }
  return evidence as Evidence;
}

function describeOutdated(evidence: Evidence, current: ReturnType<typeof fingerprintLane>, laneName: string): string | null {
  if (evidence.featureSha256 !== current.featureSha256) return `made before features/${laneName}.feature last changed`;
  if (evidence.declarationSha256 !== current.declarationSha256) return `made before lanes/${laneName}/lane.ts last changed`;
  return null;
}

/** Renders the rows as one self-contained HTML page; every value is escaped. */
export function renderSupportTruth(rows: SupportTruthRow[], generatedAt: Date): string {
  const sections = rows.map(renderRow);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Support truth</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}.status-passed{color:#2f7d32}.status-failed,.status-missing{color:#b3261e}.bucket{font-size:.8rem;background:#e3e8f0;padding:.1rem .4rem;border-radius:3px}</style>
</head><body>
<h1>Support truth</h1>
<p>Generated ${escape(generatedAt.toISOString())} from the latest proof bundle of each lane. A claim counts in its bucket only while its lane passes here.</p>
${sections.join('\n')}
</body></html>
`;
}

function renderRow(row: SupportTruthRow): string {
  const evidence = row.evidence;
  const bucket = row.declaredBucket ? ` <span class="bucket">${escape(row.declaredBucket)}</span>` : '';
  if (row.invalid) {
    return `<section><h2>${escape(row.directory)}${bucket}</h2><p class="status-missing">${escape(row.invalid)}</p></section>`;
  }
  if (!evidence) {
    return `<section><h2>${escape(row.directory)}${bucket}</h2><p class="status-missing">not run: no evidence.json in proof/${escape(row.directory)}/</p></section>`;
  }

  const passed = evidence.passed && row.outdated === null;
  let status = evidence.passed ? 'passed' : 'failed';
  if (row.outdated) status = 'out of date';
  const claims = evidence.claims
    .map((claim) => `<tr><td>${escape(claim.scenario)}</td><td class="status-${claim.status === 'PASSED' ? 'passed' : 'failed'}">${escape(claim.status.toLowerCase())}</td></tr>`)
    .join('');
  const links = [
    row.hasReport ? `<a href="${escape(row.directory)}/report.html">report</a>` : null,
    ...row.screenshots.map((file) => `<a href="${escape(row.directory)}/screenshots/${escape(file)}">${escape(file)}</a>`),
  ].filter(Boolean);
  return `<section>
<h2>${escape(row.directory)} <span class="bucket">${escape(evidence.bucket)}</span> <span class="status-${passed ? 'passed' : 'failed'}">${status}</span></h2>
${row.outdated ? `<p class="status-missing">This bundle was ${escape(row.outdated)}, so it does not prove the lane as it reads now. Run the lane again.</p>\n` : ''}<p>Ran ${escape(evidence.startedAt)} to ${escape(evidence.finishedAt)} ${escape(evidence.postgres ? `on Postgres ${evidence.postgres.serverVersion} (${evidence.postgres.provider})` : 'without Postgres')}, Node.js ${escape(evidence.versions.node)}, pg-boss ${escape(evidence.versions.pgBoss)}, library ${escape(evidence.versions.library)}${evidence.versions.browser ? `, Chromium ${escape(evidence.versions.browser)}` : ''}.</p>
<p>${escape(describeSecretScan(evidence))}</p>
<table><thead><tr><th>Claim</th><th>Status</th></tr></thead><tbody>${claims}</tbody></table>
<p>${links.join(' · ') || 'no report or screenshots'}</p>
</section>`;
}

function describeSecretScan(evidence: Evidence): string {
  const scan = evidence.secretScan;
  if (!scan) return 'Secret scan: not recorded; the run ended before the scan, so its artifacts are unchecked.';
  if (scan.findings > 0) return `Secret scan: ${scan.findings} leaked secret(s) found; see secret-scan.json. The run did not pass.`;
  return `Secret scan: no secret found in ${scan.filesScanned} file(s) and the run's messages.`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

if (require.main === module) {
  const proofRoot = path.join(repositoryRoot, 'proof');
  const output = path.join(proofRoot, 'support-truth.html');
  writeFileSync(output, renderSupportTruth(readSupportTruth(proofRoot, declaredLanes), new Date()));
  process.stdout.write(`wrote ${path.relative(repositoryRoot, output)}\n`);
}
