import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

import type { Logger } from 'pino';

import { repositoryRoot } from './source-host-copy';

const transpileOnly = path.join(repositoryRoot, 'node_modules', 'ts-node', 'register', 'transpile-only');

export interface HostRun {
  /** Set once the host logged that it listens. */
  baseUrl: string | null;
  exitCode: number | null;
  /** Everything the host wrote, one entry per line. Secrets are masked before anything is attached. */
  output: string[];
  stop(): Promise<void>;
}

/**
 * Runs one TypeScript entry file of a host as its own process, the way a host team runs it.
 * Resolves once the host logs `host:listening`, or once the process exits (a failed start);
 * rejects only on timeout.
 */
export function startHostProcess(options: {
  hostDirectory: string;
  entry: string;
  /** Command-line arguments after the entry file. */
  args?: string[];
  env: Record<string, string>;
  logger: Logger;
  timeoutMs?: number;
}): Promise<HostRun> {
  const { hostDirectory, entry, args = [], env, logger, timeoutMs = 30_000 } = options;
  const child = spawn(process.execPath, ['-r', transpileOnly, entry, ...args], {
    cwd: hostDirectory,
    // Readiness is the info-level `host:listening` line, so a LOG_LEVEL of warn inherited from the caller would hide it.
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: HostRun = { baseUrl: null, exitCode: null, output: [], stop: () => stopChild(child, logger) };
  logger.info({ event: 'host:spawned', pid: child.pid, entry }, 'host process spawned');

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child, logger);
      reject(new Error(`${entry} in ${hostDirectory} neither listened nor exited within ${timeoutMs} ms; its last output: ${run.output.slice(-5).join(' | ')}`));
    }, timeoutMs);

    const onLine = (line: string) => {
      run.output.push(line);
      const port = readListeningPort(line);
      if (port !== null && run.baseUrl === null) {
        run.baseUrl = `http://127.0.0.1:${port}`;
        clearTimeout(timer);
        logger.info({ event: 'host:listening', pid: child.pid, port }, 'host process listening');
        resolve(run);
      }
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);

    child.on('exit', (code) => {
      run.exitCode = code;
      clearTimeout(timer);
      logger.info({ event: 'host:exited', pid: child.pid, exitCode: code }, 'host process exited');
      // Let readline deliver the last lines before the caller reads the output.
      setImmediate(() => resolve(run));
    });
  });
}

/** Runs a host script to completion, such as its migration script. */
export async function runHostScript(options: { hostDirectory: string; entry: string; args?: string[]; env: Record<string, string>; logger: Logger }): Promise<{ exitCode: number | null; output: string[] }> {
  const run = await startHostProcess({ ...options, timeoutMs: 60_000 });
  if (run.baseUrl !== null) {
    await run.stop();
    throw new Error(`${options.entry} started a server; a script was expected to run and exit.`);
  }
  return { exitCode: run.exitCode, output: run.output };
}

function readListeningPort(line: string): number | null {
  if (!line.includes('host:listening')) return null;
  try {
    const port = (JSON.parse(line) as { port?: unknown }).port;
    return typeof port === 'number' ? port : null;
  } catch {
    // A non-JSON line that mentions the event is not the pino line we wait for.
    return null;
  }
}

async function stopChild(child: ChildProcess, logger: Logger): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = setTimeout(() => {
    logger.warn({ event: 'host:kill', pid: child.pid }, 'host did not stop within 10 s of SIGTERM; sending SIGKILL');
    child.kill('SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(timeout);
}
