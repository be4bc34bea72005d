import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

import pino from 'pino';

import { startPostgres } from '../step-definitions/support/postgres-provider';

/**
 * Runs every test: the node:test files under test/ against one Postgres server, then each
 * cucumber lane profile as its own run, so each lane leaves its own proof bundle. Ends with
 * one plain line `N passed, N failed` counting tests and scenarios together, and exits
 * non-zero when anything failed or nothing ran at all.
 *
 * Usage: run-all.ts [--only unit|lanes]
 */

const repositoryRoot = path.resolve(__dirname, '..');
const logger = pino({ name: 'run-all', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));

interface RunCount {
  label: string;
  passed: number;
  failed: number;
  exitCode: number | null;
}

async function main(): Promise<void> {
  const only = readOnlyFlag(process.argv.slice(2));
  const counts: RunCount[] = [];

  if (only !== 'lanes') counts.push(await runNodeTests());
  if (only !== 'unit') {
    for (const lane of listLaneProfiles()) counts.push(await runLane(lane));
    counts.push(await writeSupportTruthPage());
  }

  const passed = counts.reduce((sum, count) => sum + count.passed, 0);
  const failed = counts.reduce((sum, count) => sum + count.failed, 0);
  for (const count of counts) {
    process.stdout.write(`${count.label}: ${count.passed} passed, ${count.failed} failed (exit ${count.exitCode})\n`);
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);

  const broken = counts.filter((count) => count.exitCode !== 0);
  // An explicit exit, because a dependency's exit hook may otherwise replace the exit code.
  process.exit(failed > 0 || broken.length > 0 || passed === 0 ? 1 : 0);
}

function readOnlyFlag(argv: string[]): 'unit' | 'lanes' | null {
  const index = argv.indexOf('--only');
  if (index === -1) return null;
  const value = argv[index + 1];
  if (value !== 'unit' && value !== 'lanes') {
    throw new Error(`--only must be "unit" or "lanes", got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Runs the node:test files with one shared Postgres server; each file makes its own database. */
async function runNodeTests(): Promise<RunCount> {
  const files = findTestFiles(path.join(repositoryRoot, 'test'));
  const postgres = await startPostgres({ logger });
  try {
    const { exitCode, output } = await run(process.execPath, ['-r', 'ts-node/register/transpile-only', '--test', '--test-reporter=spec', ...files], {
      KJP_TEST_ADMIN_URL: postgres.adminUrl,
    });
    return {
      label: `node:test (${files.length} files, Postgres ${postgres.provider} ${postgres.serverVersion})`,
      passed: readCount(output, /^ℹ pass (\d+)$/m),
      failed: readCount(output, /^ℹ fail (\d+)$/m) + readCount(output, /^ℹ cancelled (\d+)$/m),
      exitCode,
    };
  } finally {
    await postgres.stop();
  }
}

/** Runs one lane profile through cucumber-js and reads the scenario counts from its summary. */
async function runLane(lane: string): Promise<RunCount> {
  const cucumber = path.join(repositoryRoot, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  const { exitCode, output } = await run(process.execPath, [cucumber, '--profile', lane], {});
  const summary = /^(\d+) scenarios? \(([^)]*)\)$/m.exec(output);
  return {
    label: `lane ${lane}`,
    passed: summary ? readCount(summary[2], /(\d+) passed/) : 0,
    failed: summary ? readCount(summary[2], /(\d+) (?:failed|undefined|ambiguous|pending)/) : 0,
    exitCode,
  };
}

/** Writes proof/support-truth.html; a writer that fails counts as one failure, so a stale page never passes for a fresh one. */
async function writeSupportTruthPage(): Promise<RunCount> {
  const writer = path.join(repositoryRoot, 'lanes', 'support-truth', 'write-support-truth.ts');
  const { exitCode } = await run(process.execPath, ['-r', 'ts-node/register/transpile-only', writer], {});
  return { label: 'support-truth page', passed: 0, failed: exitCode === 0 ? 0 : 1, exitCode };
}

function listLaneProfiles(): string[] {
  const profiles = require(path.join(repositoryRoot, 'cucumber.js')) as Record<string, unknown>;
  return Object.keys(profiles).filter((name) => name !== 'default');
}

function findTestFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => path.join(directory, file))
    .sort();
}

function readCount(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Runs a command with inherited output, and returns its exit code and what it printed. */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ exitCode: code, output }));
  });
}

main().catch((error) => {
  process.stderr.write(`run-all failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
