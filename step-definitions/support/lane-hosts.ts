// Registers the shared hooks before this file's own: cucumber runs AfterAll hooks in reverse
// order of registration, so the hosts below stop before the shared AfterAll stops Postgres.
import './hooks';

import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

import { After, AfterAll, Status } from '@cucumber/cucumber';
import { Pool } from 'pg';

import type { HostScripts, LaneStep } from '../../lanes/lane-declaration';
import { type HostRun, runHostScript, startHostProcess } from './host-process';
import { logger, runSecrets, timed, usePostgres } from './lane-resources';
import { maskSecrets } from './mask-secrets';
import { repositoryRoot } from './source-host-copy';

/** The record of one declared lane step applied to the host. */
export interface AppliedStep {
  id: string;
  description: string;
  /** One-line summary of what the step changed or started. */
  result: string;
  durationMs: number;
}

/** A host a lane runs: its folder, its own database and, once booted, its process. */
export interface LaneHost {
  /** Absolute path of the host folder: the reference host itself, or a copy under .lane-work. */
  directory: string;
  databaseName: string;
  databaseUrl: string;
  pool: Pool;
  run: HostRun | null;
  appliedSteps: AppliedStep[];
}

const sharedHosts = new Map<string, Promise<LaneHost>>();
const copies: string[] = [];
const scenarioHosts = new WeakMap<object, LaneHost>();
let copyCounter = 0;

/** Records the host a scenario used, so a failed scenario gets that host's output attached. */
export function noteScenarioHost(world: object, host: LaneHost): void {
  scenarioHosts.set(world, host);
}

/**
 * Copies a host folder into .lane-work/ and returns the copy's path. The copy lives inside the
 * repository so its imports resolve from the repository's node_modules, and it is removed at
 * the end of the run.
 */
export function copyHostFolder(sourceDirectory: string, workName: string): string {
  copyCounter += 1;
  const target = path.join(repositoryRoot, '.lane-work', `${workName}-${process.pid}-${copyCounter}`, 'host');
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(path.join(repositoryRoot, sourceDirectory), target, { recursive: true });
  copies.push(path.dirname(target));
  return target;
}

/**
 * Links koa-jobs-powertools in a host copy's node_modules to this checkout, as `npm install`
 * of a local dependency would; every other dependency resolves from the repository's.
 */
export function linkLibrary(hostDirectory: string): void {
  mkdirSync(path.join(hostDirectory, 'node_modules'), { recursive: true });
  symlinkSync(repositoryRoot, path.join(hostDirectory, 'node_modules', 'koa-jobs-powertools'), 'dir');
}

/** Creates an empty database for a lane host on the run's Postgres server. */
export async function createLaneDatabase(laneName: string, purpose: string, postgresMajor: number): Promise<{ databaseName: string; databaseUrl: string; pool: Pool }> {
  const server = await usePostgres(postgresMajor);
  copyCounter += 1;
  const databaseName = `${laneName}_${purpose}_${copyCounter}`.replace(/[^a-z0-9_]/g, '_');
  const databaseUrl = await timed('provisioningMs', () => server.createDatabase(databaseName));
  return { databaseName, databaseUrl, pool: new Pool({ connectionString: databaseUrl, max: 3 }) };
}

/** Runs a host script to completion and returns its output; throws naming the script when it fails. */
export async function runScript(hostDirectory: string, entry: string, env: Record<string, string>, args: string[] = []): Promise<string[]> {
  const { exitCode, output } = await runHostScript({ hostDirectory, entry, args, env, logger });
  if (exitCode !== 0) throw new Error(`${entry} exited with ${exitCode}: ${maskSecrets(output.slice(-3).join(' | '))}`);
  return output;
}

/** Boots a host's server entry as its own process on a free port with this run's session key; `env` adds variables. */
export async function bootLaneHost(host: LaneHost, entry: string, env: Record<string, string> = {}): Promise<HostRun> {
  const run = await timed('hostBootMs', () =>
    startHostProcess({
      hostDirectory: host.directory,
      entry,
      env: { ...env, DATABASE_URL: host.databaseUrl, PORT: '0', SESSION_KEYS: runSecrets.sessionKeys, LOG_LEVEL: 'info' },
      logger,
      // A cold boot under ts-node shares two cores with the other lanes' processes.
      timeoutMs: 120_000,
    }),
  );
  host.run = run;
  if (!run.baseUrl) throw new Error(`${entry} in ${host.directory} did not start (exit ${run.exitCode}): ${maskSecrets(run.output.slice(-3).join(' | '))}`);
  return run;
}

/** Runs one step and records what it did in the host's applied steps. */
export async function applyStep(host: LaneHost, step: LaneStep, work: () => Promise<string>): Promise<void> {
  await recordStep(host.appliedSteps, step, work);
}

/** Runs one step, logs its outcome and appends the record to `records`. A failure names the step. */
export async function recordStep(records: AppliedStep[], step: LaneStep, work: () => Promise<string>): Promise<void> {
  const started = performance.now();
  const result = await work().catch((error: Error) => {
    throw new Error(`Lane step ${step.id} failed: ${error.message}`, { cause: error });
  });
  logger.info({ event: 'lane:step_applied', step: step.id, result }, `lane step ${step.id} applied`);
  records.push({ ...step, result, durationMs: Math.round(performance.now() - started) });
}

type ReferenceHostStepRunner = (lane: { host: HostScripts }, host: LaneHost) => Promise<string>;

// Each reference-host step, keyed by its id, as the host script it runs. A lane may declare more
// steps than these, and its own step definitions perform the ones done in the browser.
const referenceHostRunners: Record<string, ReferenceHostStepRunner> = {
  async 'run-migrations'(lane, host) {
    const output = await timed('migrationsMs', () => runScript(host.directory, lane.host.migrateScript, referenceHostEnv(host)));
    return `${lane.host.migrateScript} exited 0 after ${output.length} log lines`;
  },

  async 'seed-operators'(lane, host) {
    const output = await timed('migrationsMs', () => runScript(host.directory, lane.host.seedScript, referenceHostEnv(host)));
    return `${lane.host.seedScript} exited 0 after ${output.length} log lines`;
  },

  async 'start-host'(lane, host) {
    // The reference host reads REFERENCE_HOST_BRIDGE; the declared choice is passed, never inherited.
    const run = await bootLaneHost(host, lane.host.serverScript, { REFERENCE_HOST_BRIDGE: lane.host.bridge });
    return `listening at ${run.baseUrl}`;
  },
};

/** The reference host's steps, in order, for lanes that declare no steps of their own. */
export const referenceHostSteps: LaneStep[] = [
  { id: 'run-migrations', description: 'Run the reference host\'s migration script.' },
  { id: 'seed-operators', description: 'Seed the demo operators and jobs.' },
  { id: 'start-host', description: 'Start the reference host.' },
];

/** Tells whether `stepId` names a step that useReferenceHost performs. */
export function isReferenceHostStep(stepId: string): boolean {
  return Object.hasOwn(referenceHostRunners, stepId);
}

function referenceHostEnv(host: LaneHost): Record<string, string> {
  return { DATABASE_URL: host.databaseUrl, REFERENCE_HOST_DEMO_PASSWORD: runSecrets.operatorPassword };
}

/**
 * The reference host of a lane, migrated, seeded with the demo operators (their password is the
 * run's generated secret) and booted with the lane's bridge choice, made once per run and shared
 * by the lane's scenarios. It performs `steps` in their order and skips any step that is not a
 * reference-host step, because the lane's browser steps perform those.
 */
export function useReferenceHost(lane: { name: string; postgresMajor: number; host: HostScripts }, steps: LaneStep[] = referenceHostSteps): Promise<LaneHost> {
  return useSharedHost(lane.name, async () => {
    const database = await createLaneDatabase(lane.name, 'reference', lane.postgresMajor);
    const host: LaneHost = { directory: path.join(repositoryRoot, lane.host.directory), ...database, run: null, appliedSteps: [] };

    for (const step of steps) {
      const runner = referenceHostRunners[step.id];
      if (!runner) continue;
      await applyStep(host, step, () => runner(lane, host));
    }
    return host;
  });
}

/** Returns the host made once per run under `key`, shared by the scenarios that ask for it. */
export function useSharedHost(key: string, make: () => Promise<LaneHost>): Promise<LaneHost> {
  let shared = sharedHosts.get(key);
  if (!shared) {
    shared = make();
    sharedHosts.set(key, shared);
  }
  return shared;
}

After(function (this: object, { result }) {
  const host = scenarioHosts.get(this);
  if (!host?.run || result?.status === Status.PASSED) return;
  (this as { attach(data: string, mediaType: string): void }).attach(maskSecrets(host.run.output.slice(-80).join('\n')), 'text/plain');
});

AfterAll(async function () {
  for (const shared of sharedHosts.values()) {
    const host = await shared.catch(() => null);
    if (!host) continue;
    await host.run?.stop();
    await host.pool.end();
  }
  sharedHosts.clear();
  // Only folders this file copied are removed, never the reference host itself.
  for (const copy of copies.splice(0)) rmSync(copy, { recursive: true, force: true });
});
