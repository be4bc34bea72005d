import path from 'node:path';

import { Pool } from 'pg';

import { findAppFile } from './app-file/find-app-file';
import type { CliOutput } from './cli-output';
import { type BridgeSetting, checkAppFile, skipAppFileChecks } from './doctor/check-app-file';
import { checkBridge } from './doctor/check-bridge';
import { checkDatabase } from './doctor/check-database';
import { checkMountReachable } from './doctor/check-mount-reachable';
import { type CheckResult, fail, formatCheckResults } from './doctor/doctor-check';

export interface DoctorOptions {
  directory: string;
  appFile?: string;
  mountPath: string;
  /** Base URL of the running host, for the reachability check. */
  url?: string;
  json: boolean;
  /** The Postgres URL; the CLI passes DATABASE_URL. Never printed. */
  databaseUrl?: string;
}

export interface DoctorReport {
  ok: boolean;
  host: string;
  checks: CheckResult[];
}

/**
 * Checks a host's wiring and prints one pass, fail or skip line per check with the fix for each
 * failure, or a JSON report with `json`. Returns exit code 1 when any check failed, else 0.
 */
export async function runDoctor(options: DoctorOptions, output: CliOutput): Promise<{ exitCode: number; report: DoctorReport }> {
  const directory = path.resolve(options.directory);
  const checks: CheckResult[] = [];

  let bridge: BridgeSetting | null = null;
  try {
    const appFile = findAppFile(directory, options.appFile, 'createPowertools');
    const appChecks = checkAppFile(directory, appFile, options.mountPath);
    checks.push(...appChecks.results);
    bridge = appChecks.bridge;
  } catch (error) {
    checks.push(fail('app-file', 'app file', (error as Error).message, 'Pass --dir with the host folder and --app with the file that calls createPowertools.'));
    checks.push(...skipAppFileChecks('needs the app file'));
  }

  const pool = options.databaseUrl ? new Pool({ connectionString: options.databaseUrl, max: 1, connectionTimeoutMillis: 10_000 }) : null;
  // An idle client that breaks must not crash the doctor; the checks report query errors themselves.
  pool?.on('error', () => undefined);
  try {
    // Each database check catches its own query errors, so every check id gets its own line.
    checks.push(...(await checkDatabase(pool, options.databaseUrl ? null : 'DATABASE_URL is not set')));
  } finally {
    await pool?.end();
  }

  checks.push(checkBridge(directory, bridge));
  checks.push(await checkMountReachable(options.url, options.mountPath));

  const report: DoctorReport = { ok: checks.every((check) => check.status !== 'fail'), host: directory, checks };
  output.out(options.json ? JSON.stringify(report, null, 2) : `jobs-powertools doctor: ${directory}\n${formatCheckResults(checks)}`);
  return { exitCode: report.ok ? 0 : 1, report };
}
