import { rmSync } from 'node:fs';
import path from 'node:path';

import { Pool } from 'pg';

import type { UpgradeLaneDeclaration } from '../../lanes/lane-declaration';
import { compareWithBefore, snapshotDatabase } from './database-snapshot';
import { type HostRun, startHostProcess } from './host-process';
import { logger, runSecrets, timed, usePostgres, useSourceTemplate } from './lane-resources';
import { copySourceHost, repositoryRoot } from './source-host-copy';
import { applyUpgradeActions } from './upgrade-actions';
import type { HostUnderTest } from './world';

/** Schemas whose rows an upgrade must keep: the library's, pg-boss's and the host's own. */
export const preservedSchemas = ['jobs_powertools', 'pgboss', 'billing'];

let counter = 0;

/**
 * Makes a fresh copy of the source host with its own clone of the source database. With
 * `snapshot`, it records every row of that database before anything touches it; inspection
 * scenarios skip that, because they compare nothing.
 */
export async function prepareSourceHost(lane: UpgradeLaneDeclaration, purpose: string, options: { snapshot: boolean }): Promise<HostUnderTest> {
  const template = await useSourceTemplate(lane);
  const server = await usePostgres();
  counter += 1;
  const workName = `${lane.name}-${process.pid}-${counter}-${purpose}`;
  const databaseName = `${lane.name.replaceAll('-', '_')}_${purpose.replaceAll('-', '_')}_${counter}`;

  const databaseUrl = await timed('provisioningMs', () => server.createDatabase(databaseName, { template }));
  const pool = new Pool({ connectionString: databaseUrl, max: 3 });
  return {
    hostDirectory: copySourceHost(lane.sourceHost.directory, workName),
    databaseName,
    databaseUrl,
    pool,
    snapshotBefore: options.snapshot ? await snapshotDatabase(pool, preservedSchemas) : null,
    appliedActions: [],
    comparison: null,
    run: null,
  };
}

/** Applies the lane's upgrade actions to a prepared copy and compares its rows with the snapshot. */
export async function upgradeSourceHost(lane: UpgradeLaneDeclaration, host: HostUnderTest): Promise<void> {
  if (host.appliedActions.length > 0) return;
  host.appliedActions = await timed('migrationsMs', () =>
    applyUpgradeActions({ lane, hostDirectory: host.hostDirectory, databaseUrl: host.databaseUrl, logger }),
  );
  if (!host.snapshotBefore) throw new Error('upgradeSourceHost needs a host prepared with snapshot: true, or it cannot prove that rows were kept.');
  host.comparison = await compareWithBefore(host.pool, host.snapshotBefore);
}

/** Boots a host copy as its own process with this run's generated session key. */
export function bootHost(host: HostUnderTest): Promise<HostRun> {
  return timed('hostBootMs', () =>
    startHostProcess({
      hostDirectory: host.hostDirectory,
      entry: 'server.ts',
      env: { DATABASE_URL: host.databaseUrl, PORT: '0', SESSION_KEYS: runSecrets.sessionKeys, LOG_LEVEL: 'info' },
      logger,
    }),
  );
}

const sharedHosts = new Map<string, Promise<HostUnderTest>>();

/**
 * The upgraded and running source host that the post-upgrade scenarios share, made on first
 * use, so each of them can also run alone. They act on it through the browser as separate
 * actors and compare state before and after their own step, never across scenarios.
 */
export function useUpgradedHost(lane: UpgradeLaneDeclaration, options: { boot: boolean }): Promise<HostUnderTest> {
  let shared = sharedHosts.get(lane.name);
  if (!shared) {
    shared = (async () => {
      const host = await prepareSourceHost(lane, 'upgraded', { snapshot: true });
      await upgradeSourceHost(lane, host);
      return host;
    })();
    sharedHosts.set(lane.name, shared);
  }
  return shared.then(async (host) => {
    if (options.boot && !host.run) {
      host.run = await bootHost(host);
      if (!host.run.baseUrl) throw new Error(`The upgraded host did not start (exit ${host.run.exitCode}): ${host.run.output.slice(-3).join(' | ')}`);
    }
    return host;
  });
}

/** Stops a host copy's process, closes its pool and removes its files. */
export async function disposeHost(host: HostUnderTest): Promise<void> {
  await host.run?.stop();
  await host.pool.end();

  // Only copies made under .lane-work/ are removed; a host that lives in the repository, such
  // as the reference host, is never deleted, whatever a scenario put into its world.
  const copyRoot = path.dirname(host.hostDirectory);
  const workRoot = path.join(repositoryRoot, '.lane-work') + path.sep;
  if (copyRoot.startsWith(workRoot)) rmSync(copyRoot, { recursive: true, force: true });
}

export async function disposeSharedHosts(): Promise<void> {
  for (const shared of sharedHosts.values()) {
    const host = await shared.catch(() => null);
    if (host) await disposeHost(host);
  }
  sharedHosts.clear();
}
