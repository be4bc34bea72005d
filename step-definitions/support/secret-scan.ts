// Finds secrets in proof artifacts: values the harness registered (generated passwords, session
// keys) plus patterns that mark a credential whatever its value. Findings name the kind and the
// place, never the value, so the scan report is itself safe to keep.
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { looksLikeZip, readZipEntries } from './zip-entries';

export interface KnownSecret {
  value: string;
  label: string;
}

export interface SecretFinding {
  label: string;
  where: string;
}

export interface SkippedArtifact {
  where: string;
  reason: string;
}

export interface ArtifactScan {
  findings: SecretFinding[];
  skipped: SkippedArtifact[];
}

export interface FileScanResult extends ArtifactScan {
  filesScanned: number;
}

export interface ScanFilesOptions {
  secrets?: readonly KnownSecret[];
  /** Returns true for a path, relative to the scanned directory, that the scan must leave out. */
  exclude?: (relativePath: string) => boolean;
}

const MIN_SECRET_LENGTH = 6;
const MAX_ZIP_DEPTH = 3;

// NOTE: the registry lives in this process only. Under `cucumber-js --parallel` the workers
// register their secrets in their own processes, so the formatter checks only the patterns below.
const registry = new Map<string, string>();

/** Adds a value to the process-wide registry. Values shorter than 6 characters are ignored. */
export function registerSecret(value: string, label: string): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  if (!registry.has(value)) registry.set(value, label);
}

export function registeredSecrets(): KnownSecret[] {
  return [...registry].map(([value, label]) => ({ value, label }));
}

/** Empties the registry, so a test starts from a known set. */
export function clearRegisteredSecrets(): void {
  registry.clear();
}

interface SecretPattern {
  label: string;
  regex: RegExp;
  /** Index of the capture group that contains the secret value. */
  group: number;
}

// Each regex has the g flag because matchAll needs it. Bounded repeats in the URL pattern keep a
// long run of URL-like text from making the scan quadratic.
const SECRET_PATTERNS: readonly SecretPattern[] = [
  { label: 'password in a connection URL', regex: /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/?#@"'<>]{0,256}:([^\s@/?#"'<>]{1,1024})@/gi, group: 1 },
  {
    label: 'bearer token in an Authorization header',
    regex: /\bauthorization["']?\s*[:=]\s*["']?bearer\s+([A-Za-z0-9\-._~+/]+=*)/gi,
    group: 1,
  },
  // Playwright traces and HAR files store headers as {"name": ..., "value": ...} objects.
  {
    label: 'bearer token in an Authorization header',
    regex: /"name"\s*:\s*"authorization"\s*,\s*"value"\s*:\s*"bearer\s+([^"\s]+)"/gi,
    group: 1,
  },
  { label: 'koa.sess cookie value', regex: /\bkoa\.sess=([^;\s"'&,]+)/g, group: 1 },
  { label: 'koa.sess.sig cookie value', regex: /\bkoa\.sess\.sig=([^;\s"'&,]+)/g, group: 1 },
  { label: 'koa.sess cookie value', regex: /"name"\s*:\s*"koa\.sess"\s*,\s*"value"\s*:\s*"([^"]+)"/g, group: 1 },
  { label: 'koa.sess.sig cookie value', regex: /"name"\s*:\s*"koa\.sess\.sig"\s*,\s*"value"\s*:\s*"([^"]+)"/g, group: 1 },
  // Optional backslashes also catch JSON that sits escaped inside another JSON string.
  { label: 'password in JSON', regex: /\\*"password\\*"\s*:\s*\\*"((?:[^"\\]|\\[^"])+)\\*"/gi, group: 1 },
];

// Values that already are redactions, such as the output of redactConnectionString.
const REDACTED_VALUE = /^(?:\*+|(?:%2a)+|\[?redacted\]?|%5bredacted%5d)$/i;

/**
 * Lists the registered or given secrets and the credential patterns found in `text`.
 * `source` prefixes each location, which is reported as `source:line`.
 */
export function findSecretsInText(text: string, secrets: readonly KnownSecret[] = registeredSecrets(), source = 'text'): SecretFinding[] {
  const hits: { label: string; index: number }[] = [];

  for (const secret of secrets) {
    for (const form of secretForms(secret.value)) {
      for (let index = text.indexOf(form); index !== -1; index = text.indexOf(form, index + form.length)) {
        hits.push({ label: secret.label, index });
      }
    }
  }

  for (const pattern of SECRET_PATTERNS) {
    for (const match of text.matchAll(pattern.regex)) {
      if (REDACTED_VALUE.test(match[pattern.group])) continue;
      hits.push({ label: pattern.label, index: match.index });
    }
  }

  return dedupe(hits.map((hit) => ({ label: hit.label, where: `${source}:${lineAt(text, hit.index)}` })));
}

// A secret shows up percent-encoded inside URLs and escaped inside JSON strings.
function secretForms(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let position = text.indexOf('\n'); position !== -1 && position < index; position = text.indexOf('\n', position + 1)) {
    line += 1;
  }
  return line;
}

function dedupe(findings: SecretFinding[]): SecretFinding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.label}\u0000${finding.where}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Names the image format of the bytes, or returns undefined for anything else. */
export function imageFormat(bytes: Buffer): 'PNG' | 'JPEG' | undefined {
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) return 'PNG';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  return undefined;
}

/**
 * Scans one artifact's bytes: zip archives entry by entry, PNG and JPEG not at all (they hold
 * pixels, not text the harness wrote), anything else as UTF-8 text.
 */
export function scanBytes(bytes: Buffer, where: string, secrets: readonly KnownSecret[] = registeredSecrets(), depth = 0): ArtifactScan {
  const image = imageFormat(bytes);
  if (image) return { findings: [], skipped: [{ where, reason: `${image} image` }] };

  if (looksLikeZip(bytes) && depth < MAX_ZIP_DEPTH) return scanZip(bytes, where, secrets, depth);

  return { findings: findSecretsInText(bytes.toString('utf8'), secrets, where), skipped: [] };
}

function scanZip(bytes: Buffer, where: string, secrets: readonly KnownSecret[], depth: number): ArtifactScan {
  const result: ArtifactScan = { findings: [], skipped: [] };

  let entries;
  try {
    entries = readZipEntries(bytes);
  } catch (error) {
    // An unreadable archive still gets a text scan, which finds secrets in stored entries.
    result.skipped.push({ where, reason: `zip not readable (${(error as Error).message}), scanned as text` });
    result.findings.push(...findSecretsInText(bytes.toString('utf8'), secrets, where));
    return result;
  }

  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const entryWhere = `${where}!${entry.name}`;

    let data: Buffer;
    try {
      data = entry.read();
    } catch (error) {
      result.skipped.push({ where: entryWhere, reason: `zip entry not readable: ${(error as Error).message}` });
      continue;
    }

    const inner = scanBytes(data, entryWhere, secrets, depth + 1);
    result.findings.push(...inner.findings);
    result.skipped.push(...inner.skipped);
  }
  return result;
}

/** Scans every file under `directory`, following no symbolic links. */
export async function scanFiles(directory: string, options: ScanFilesOptions = {}): Promise<FileScanResult> {
  const secrets = options.secrets ?? registeredSecrets();
  const result: FileScanResult = { filesScanned: 0, findings: [], skipped: [] };

  for (const relativePath of await listFiles(directory)) {
    if (options.exclude?.(relativePath)) continue;

    const fullPath = path.join(directory, relativePath);
    const stats = await lstat(fullPath);
    if (stats.isSymbolicLink()) {
      result.skipped.push({ where: relativePath, reason: 'symbolic link, not followed' });
      continue;
    }
    // Reading a FIFO or socket would block the scan forever.
    if (!stats.isFile()) {
      result.skipped.push({ where: relativePath, reason: 'not a regular file' });
      continue;
    }

    const scan = scanBytes(await readFile(fullPath), relativePath, secrets);
    result.filesScanned += 1;
    result.findings.push(...scan.findings);
    result.skipped.push(...scan.skipped);
  }
  return result;
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}
