import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { LaneDeclaration } from '../../lanes/lane-declaration';
import type { RunningPostgres } from './postgres-provider';
import { repositoryRoot } from './source-host-copy';

export interface Claim {
  scenario: string;
  status: string;
  facts: Record<string, unknown>;
}

interface LaneEvidence {
  lane: LaneDeclaration;
  startedAt: string;
  claims: Claim[];
}

const lanes = new Map<string, LaneEvidence>();

const PROOF_VARIANT = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Names a lane's proof bundle directory: `<lane>`, or `<lane>--<variant>` when KJP_PROOF_VARIANT
 * is set, so a run on another Postgres provider or version (`testcontainers-pg15`) never
 * overwrites the default run's bundle. cucumber.js applies the same rule to the report paths.
 */
export function proofDirectoryNameOf(laneName: string, env: NodeJS.ProcessEnv = process.env): string {
  const variant = env.KJP_PROOF_VARIANT;
  if (!variant) return laneName;

  if (!PROOF_VARIANT.test(variant)) {
    throw new TypeError(
      `KJP_PROOF_VARIANT is invalid: expected lower-case letters, digits and dashes (${PROOF_VARIANT}), got "${variant}".`,
    );
  }
  return `${laneName}--${variant}`;
}

export function proofDirectoryOf(laneName: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(repositoryRoot, 'proof', proofDirectoryNameOf(laneName, env));
}

/**
 * Registers that this run exercises a lane, so AfterAll writes its evidence, and clears the
 * artifacts of the lane's previous run. The report files are left alone: cucumber's
 * formatters opened them before any hook ran.
 */
export function noteLane(lane: LaneDeclaration): void {
  if (lanes.has(lane.name)) return;
  lanes.set(lane.name, { lane, startedAt: new Date().toISOString(), claims: [] });
  const directory = proofDirectoryOf(lane.name);
  for (const stale of ['screenshots', 'traces', 'host-logs', 'evidence.json', 'secret-scan.json']) {
    rmSync(path.join(directory, stale), { recursive: true, force: true });
  }
}

/**
 * Returns the status a scenario's claim records: cucumber's status for its steps, except that
 * steps that passed while the browser saw unexpected errors make a FAILED claim, because the
 * guard hook fails that scenario.
 */
export function claimStatusOf(stepStatus: string | undefined, unexpectedErrors: number): string {
  if (stepStatus === 'PASSED' && unexpectedErrors > 0) return 'FAILED';
  return stepStatus ?? 'UNKNOWN';
}

export function recordClaim(laneName: string, claim: Claim): void {
  lanes.get(laneName)?.claims.push(claim);
}

/**
 * Writes `evidence.json` for every lane this run touched: each scenario as a claim with its
 * status and the database facts it gathered, the Postgres provider and version, and the
 * versions of the library, Node.js, pg-boss and the browser.
 */
export function writeEvidence(postgres: RunningPostgres | null, browserVersion: string | null, timings: Record<string, number>): string[] {
  const written: string[] = [];
  for (const { lane, startedAt, claims } of lanes.values()) {
    const directory = proofDirectoryOf(lane.name);
    mkdirSync(directory, { recursive: true });
    const evidence = {
      lane: lane.name,
      bucket: lane.bucket,
      startedAt,
      finishedAt: new Date().toISOString(),
      passed: claims.length > 0 && claims.every((claim) => claim.status === 'PASSED'),
      proofVariant: process.env.KJP_PROOF_VARIANT || null,
      postgres: postgres ? { provider: postgres.provider, reason: postgres.reason, serverVersion: postgres.serverVersion } : null,
      versions: {
        library: readVersion(repositoryRoot),
        node: process.versions.node,
        pgBoss: readVersion(path.join(repositoryRoot, 'node_modules', 'pg-boss')),
        playwright: readVersion(path.join(repositoryRoot, 'node_modules', 'playwright')),
        browser: browserVersion,
      },
      ...fingerprintLane(repositoryRoot, lane),
      timingsMs: Object.fromEntries(Object.entries(timings).map(([key, value]) => [key, Math.round(value)])),
      ...describeDeclaration(lane),
      claims,
    };
    const file = path.join(directory, 'evidence.json');
    writeFileSync(file, `${JSON.stringify(evidence, null, 2)}\n`);
    written.push(file);
  }
  return written;
}

/**
 * Hashes the two things a run proves against: the lane's declaration and its feature file. A
 * bundle whose hashes differ from the current ones was made by an older lane, so it proves
 * nothing about the lane as it now reads. docs-markers and the support-truth page compare them.
 */
export function fingerprintLane(root: string, lane: LaneDeclaration): { declarationSha256: string; featureSha256: string | null } {
  const featureFile = path.join(root, 'features', `${lane.name}.feature`);
  return {
    declarationSha256: sha256(JSON.stringify(lane)),
    featureSha256: existsSync(featureFile) ? sha256(readFileSync(featureFile, 'utf8')) : null,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What the lane declared it starts from and proves, as its evidence records it. */
function describeDeclaration(lane: LaneDeclaration): Record<string, unknown> {
  if ('upgradeActions' in lane) return { upgradeActions: lane.upgradeActions, proofTarget: lane.proofTarget };
  if ('kind' in lane && lane.kind === 'docs-markers') {
    // The vocabulary and the documents are the lane's whole declaration; it starts no Postgres.
    const { name, bucket, ...declared } = lane;
    return declared;
  }
  if ('kind' in lane) {
    const { name, bucket, postgresMajor, ...declared } = lane;
    return declared;
  }
  return { storedUnder: lane.storedUnder, host: lane.host, fixtures: lane.fixtures };
}

function readVersion(packageDirectory: string): string {
  return (JSON.parse(readFileSync(path.join(packageDirectory, 'package.json'), 'utf8')) as { version: string }).version;
}
