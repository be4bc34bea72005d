// The work behind the secret-scan cucumber formatter: scan the run's envelopes and the lane's
// proof directory, write proof/<lane>/secret-scan.json, and report whether the run leaked a secret.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  findSecretsInText,
  registeredSecrets,
  scanBytes,
  scanFiles,
  type ArtifactScan,
  type KnownSecret,
  type SecretFinding,
  type SkippedArtifact,
} from './secret-scan';

export interface SecretScanReport {
  lane: string;
  envelopesScanned: number;
  filesScanned: number;
  secretsRegistered: number;
  findings: SecretFinding[];
  skipped: SkippedArtifact[];
}

export interface RunSecretScanOptions {
  cwd: string;
  lane: string;
  envelopes: readonly unknown[];
  /** Absolute paths to leave out, such as the formatter's own output file. */
  excludePaths?: readonly string[];
  secrets?: readonly KnownSecret[];
}

const LANE_NAME = /^[a-z0-9][a-z0-9-]*$/;
const REPORT_FILE = 'secret-scan.json';

// cucumber-js ends all formatters at once, so the html and message formatters may still be
// writing these files during the scan. Both files are built from the envelopes scanned here.
const FILES_WRITTEN_FROM_ENVELOPES = ['report.html', 'messages.ndjson'];

/**
 * Reads the lane from `formatOptions.lane` or KJP_LANE. Throws when neither is set, when they
 * disagree, or when the name is not a plain directory name.
 */
export function resolveLane(env: NodeJS.ProcessEnv, formatOptions: Record<string, unknown> = {}): string {
  const fromOptions = typeof formatOptions.lane === 'string' ? formatOptions.lane : undefined;
  const fromEnv = env.KJP_LANE || undefined;

  if (fromOptions && fromEnv && fromOptions !== fromEnv) {
    throw new Error(`Lane is ambiguous: formatOptions.lane is "${fromOptions}" but KJP_LANE is "${fromEnv}". Set only one.`);
  }
  const lane = fromOptions ?? fromEnv;
  if (!lane) {
    throw new Error('The secret-scan formatter needs a lane: set KJP_LANE or formatOptions: { lane: "<lane>" } in the profile.');
  }
  if (!LANE_NAME.test(lane)) {
    throw new Error(`Lane name is invalid: expected lower-case letters, digits and dashes (${LANE_NAME}), got "${lane}".`);
  }
  return lane;
}

/** Scans every string in the envelopes, and decodes base64 attachments so their contents are scanned too. */
export function scanEnvelopes(envelopes: readonly unknown[], secrets: readonly KnownSecret[] = registeredSecrets()): ArtifactScan {
  const result: ArtifactScan = { findings: [], skipped: [] };

  envelopes.forEach((envelope, index) => {
    const attachment = (envelope as { attachment?: { body?: unknown; contentEncoding?: unknown } }).attachment;
    const base64Body = attachment?.contentEncoding === 'BASE64' && typeof attachment.body === 'string' ? attachment.body : undefined;

    visitStrings(envelope, '', (text, fieldPath) => {
      // A secret would match the base64 text only by coincidence, so the decoded bytes are scanned instead.
      if (base64Body !== undefined && fieldPath === 'attachment.body') return;
      result.findings.push(...findSecretsInText(text, secrets, `envelope ${index} ${fieldPath}`));
    });

    if (base64Body !== undefined) {
      const decoded = scanBytes(Buffer.from(base64Body, 'base64'), `envelope ${index} attachment (decoded)`, secrets);
      result.findings.push(...decoded.findings);
      result.skipped.push(...decoded.skipped);
    }
  });
  return result;
}

function visitStrings(value: unknown, fieldPath: string, visit: (text: string, fieldPath: string) => void): void {
  if (typeof value === 'string') {
    visit(value, fieldPath || '(root)');
    return;
  }
  if (value === null || typeof value !== 'object') return;

  for (const [key, child] of Object.entries(value)) {
    visitStrings(child, fieldPath ? `${fieldPath}.${key}` : key, visit);
  }
}

/** Runs the whole scan and writes proof/<lane>/secret-scan.json, which never contains a secret value. */
export async function runSecretScan(options: RunSecretScanOptions): Promise<SecretScanReport> {
  const secrets = options.secrets ?? registeredSecrets();
  const laneDir = path.resolve(options.cwd, 'proof', options.lane);
  await mkdir(laneDir, { recursive: true });

  const excluded = new Set([
    ...FILES_WRITTEN_FROM_ENVELOPES.map((name) => path.join(laneDir, name)),
    path.join(laneDir, REPORT_FILE),
    ...(options.excludePaths ?? []).map((excludePath) => path.resolve(options.cwd, excludePath)),
  ]);
  const envelopeScan = scanEnvelopes(options.envelopes, secrets);
  const fileScan = await scanFiles(laneDir, {
    secrets,
    exclude: (relativePath) => excluded.has(path.join(laneDir, relativePath)),
  });

  const report: SecretScanReport = {
    lane: options.lane,
    envelopesScanned: options.envelopes.length,
    filesScanned: fileScan.filesScanned,
    secretsRegistered: secrets.length,
    findings: [...envelopeScan.findings, ...fileScan.findings],
    skipped: [...envelopeScan.skipped, ...fileScan.skipped],
  };
  await writeFile(path.join(laneDir, REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
  await recordScanInEvidence(laneDir, report);
  return report;
}

/**
 * Records the scan's outcome in the lane's evidence.json, which the AfterAll hook wrote before
 * the formatters finished. A run whose scan found a secret did not pass, whatever its scenarios
 * did, so its evidence must not say it passed. A run that wrote no evidence is left alone.
 */
async function recordScanInEvidence(laneDir: string, report: SecretScanReport): Promise<void> {
  const file = path.join(laneDir, 'evidence.json');
  let evidence: Record<string, unknown>;
  try {
    evidence = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }

  evidence.secretScan = { findings: report.findings.length, filesScanned: report.filesScanned, envelopesScanned: report.envelopesScanned, report: REPORT_FILE };
  if (report.findings.length > 0) evidence.passed = false;
  await writeFile(file, `${JSON.stringify(evidence, null, 2)}\n`);
}

/** Builds the error text for a failed scan: each finding's kind and place, never its value. */
export function describeFindings(report: SecretScanReport): string {
  const lines = report.findings.map((finding) => `  - ${finding.label} at ${finding.where}`);
  return [
    `Secret scan of proof/${report.lane} found ${report.findings.length} leaked secret(s):`,
    ...lines,
    `Details: proof/${report.lane}/${REPORT_FILE}`,
  ].join('\n');
}

/** Builds the one-line summary the formatter writes to its stream. */
export function summarizeReport(report: SecretScanReport): string {
  const outcome = report.findings.length === 0 ? 'no secrets found' : `${report.findings.length} finding(s)`;
  return (
    `secret scan (${report.lane}): ${outcome} in ${report.envelopesScanned} envelopes and ` +
    `${report.filesScanned} files; ${report.skipped.length} skipped; ${report.secretsRegistered} secrets registered\n`
  );
}
