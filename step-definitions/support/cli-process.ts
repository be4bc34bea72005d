import { spawn } from 'node:child_process';
import path from 'node:path';

import { timings } from './lane-resources';
import { repositoryRoot } from './source-host-copy';

// The evidence's timings gain a bucket for the time lanes spend in jobs-powertools runs.
timings.cliMs ??= 0;

/** The `jobs-powertools` command as npm links it into a host's node_modules/.bin. */
export const cliBinPath = path.join(repositoryRoot, 'library', 'cli', 'bin.js');

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Runs `jobs-powertools ARGS` as its own process in `cwd`, the way a host team runs it, and
 * collects what it prints. Rejects only when it neither exits nor is killed within the timeout.
 */
export function runJobsPowertools(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliBinPath, ...args], {
    cwd: options.cwd,
    // A DATABASE_URL of the caller must not reach a run that was not given one.
    env: { ...withoutDatabaseUrl(process.env), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jobs-powertools ${args.join(' ')} did not exit within ${options.timeoutMs ?? 60_000} ms; it printed: ${stdout.slice(-500)} ${stderr.slice(-500)}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr, durationMs: Math.round(performance.now() - started) });
    });
  });
}

function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = env;
  return rest;
}
