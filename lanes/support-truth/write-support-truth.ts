import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes proof/support-truth.html from the latest proof bundle of every lane: each lane with
 * its bucket, each claim with its status, when and against which Postgres and Node.js it ran,
 * and links to its report and screenshots. A lane whose bundle is missing is listed as not run,
 * never as passing.
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
}

export interface SupportTruthRow {
  directory: string;
  evidence: Evidence | null;
  screenshots: string[];
  hasReport: boolean;
}

const repositoryRoot = path.resolve(__dirname, '..', '..');

/** Reads every bundle under `proofRoot`, plus a row for each declared lane without one. */
export function readSupportTruth(proofRoot: string, declaredLanes: string[]): SupportTruthRow[] {
  const directories = existsSync(proofRoot)
    ? readdirSync(proofRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'all-lanes').map((entry) => entry.name)
    : [];
  const rows = directories.sort().map((directory) => {
    const evidencePath = path.join(proofRoot, directory, 'evidence.json');
    const screenshotsPath = path.join(proofRoot, directory, 'screenshots');
    return {
      directory,
      evidence: existsSync(evidencePath) ? (JSON.parse(readFileSync(evidencePath, 'utf8')) as Evidence) : null,
      screenshots: existsSync(screenshotsPath) ? readdirSync(screenshotsPath).filter((file) => file.endsWith('.png')).sort() : [],
      hasReport: existsSync(path.join(proofRoot, directory, 'report.html')),
    };
  });
  for (const lane of declaredLanes) {
    if (!rows.some((row) => row.directory === lane)) rows.push({ directory: lane, evidence: null, screenshots: [], hasReport: false });
  }
  return rows;
}

/** Renders the rows as one self-contained HTML page; every value is escaped. */
export function renderSupportTruth(rows: SupportTruthRow[], generatedAt: Date): string {
  const sections = rows.map((row) => {
    const evidence = row.evidence;
    if (!evidence) {
      return `<section><h2>${escape(row.directory)}</h2><p class="status-missing">not run: no evidence.json in proof/${escape(row.directory)}/</p></section>`;
    }
    const claims = evidence.claims
      .map((claim) => `<tr><td>${escape(claim.scenario)}</td><td class="status-${claim.status === 'PASSED' ? 'passed' : 'failed'}">${escape(claim.status.toLowerCase())}</td></tr>`)
      .join('');
    const links = [
      row.hasReport ? `<a href="${escape(row.directory)}/report.html">report</a>` : null,
      ...row.screenshots.map((file) => `<a href="${escape(row.directory)}/screenshots/${escape(file)}">${escape(file)}</a>`),
    ].filter(Boolean);
    return `<section>
<h2>${escape(row.directory)} <span class="bucket">${escape(evidence.bucket)}</span> <span class="status-${evidence.passed ? 'passed' : 'failed'}">${evidence.passed ? 'passed' : 'failed'}</span></h2>
<p>Ran ${escape(evidence.startedAt)} to ${escape(evidence.finishedAt)} ${escape(evidence.postgres ? `on Postgres ${evidence.postgres.serverVersion} (${evidence.postgres.provider})` : 'without Postgres')}, Node.js ${escape(evidence.versions.node)}, pg-boss ${escape(evidence.versions.pgBoss)}, library ${escape(evidence.versions.library)}${evidence.versions.browser ? `, Chromium ${escape(evidence.versions.browser)}` : ''}.</p>
<table><thead><tr><th>Claim</th><th>Status</th></tr></thead><tbody>${claims}</tbody></table>
<p>${links.join(' · ') || 'no report or screenshots'}</p>
</section>`;
  });

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

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

if (require.main === module) {
  const profiles = require(path.join(repositoryRoot, 'cucumber.js')) as Record<string, unknown>;
  const declared = Object.keys(profiles).filter((name) => name !== 'default');
  const proofRoot = path.join(repositoryRoot, 'proof');
  const output = path.join(proofRoot, 'support-truth.html');
  writeFileSync(output, renderSupportTruth(readSupportTruth(proofRoot, declared), new Date()));
  process.stdout.write(`wrote ${path.relative(repositoryRoot, output)}\n`);
}
