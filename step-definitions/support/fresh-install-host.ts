import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { FreshInstallLaneDeclaration } from '../../lanes/lane-declaration';
import { runJobsPowertools } from './cli-process';
import { timed, runSecrets } from './lane-resources';
import { applyStep, bootLaneHost, copyHostFolder, createLaneDatabase, type LaneHost, linkLibrary, runScript, useSharedHost } from './lane-hosts';
import { repositoryRoot } from './source-host-copy';

type StepRunner = (lane: FreshInstallLaneDeclaration, host: LaneHost) => Promise<string>;

// Each declared step as a real change to the copy. `prove-native-action` is not here: the
// browser steps perform it against the booted host.
const runners: Record<string, StepRunner> = {
  async 'run-installer'(_lane, host) {
    const run = await timed('cliMs', () => runJobsPowertools(['install'], { cwd: host.directory }));
    if (run.exitCode !== 0) throw new Error(`jobs-powertools install exited with ${run.exitCode}: ${run.stderr || run.stdout}`);
    return run.stdout.split('\n')[0];
  },

  async 'install-dependencies'(_lane, host) {
    linkLibrary(host.directory);
    const manifest = JSON.parse(readFileSync(path.join(host.directory, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const resolved = ['koa-jobs-powertools', 'pg-boss'].map((name) => {
      if (!manifest.dependencies[name]) throw new Error(`package.json does not list ${name}; the installer should have added it.`);
      return `${name} ${manifest.dependencies[name]} at ${path.relative(host.directory, require.resolve(name, { paths: [host.directory] }))}`;
    });
    return `linked koa-jobs-powertools to this checkout; ${resolved.join(', ')}`;
  },

  async 'edit-auth-seam'(lane, host) {
    copyFileSync(path.join(repositoryRoot, lane.hostEdits.auth), path.join(host.directory, 'jobs-powertools', 'auth.ts'));
    return `jobs-powertools/auth.ts replaced with ${lane.hostEdits.auth}`;
  },

  async 'declare-cron-entries'(lane, host) {
    copyFileSync(path.join(repositoryRoot, lane.hostEdits.cronEntries), path.join(host.directory, 'jobs-powertools', 'cron-entries.ts'));
    return `jobs-powertools/cron-entries.ts replaced with ${lane.hostEdits.cronEntries}`;
  },

  async 'run-migrations'(lane, host) {
    return timed('migrationsMs', async () => {
      const env = { DATABASE_URL: host.databaseUrl };
      await runScript(host.directory, lane.template.migrateScript, env);
      const output = await runScript(host.directory, 'jobs-powertools/migrate.ts', env);
      const summary = output.find((line) => line.includes('migrations:done')) ?? '';
      return `${lane.template.migrateScript}, then jobs-powertools/migrate.ts: ${summary}`;
    });
  },

  async 'add-operator'(lane, host) {
    const { username, role } = lane.operatorAccount;
    await runScript(host.directory, lane.template.addUserScript, { DATABASE_URL: host.databaseUrl, NEW_USER_PASSWORD: runSecrets.operatorPassword }, [username, role]);
    return `${lane.template.addUserScript} saved ${username} as ${role}`;
  },

  async 'boot-host'(lane, host) {
    return `listening at ${(await bootLaneHost(host, lane.template.appFile)).baseUrl}`;
  },
};

/** Copies the bare host template, with no database, for the installer-only scenarios. */
export function copyTemplate(lane: FreshInstallLaneDeclaration, purpose: string): string {
  return copyHostFolder(lane.template.directory, `${lane.name}-${purpose}`);
}

/**
 * The template installed and booted by following the lane's steps in their declared order,
 * made once per run and shared by the scenarios that need an installed host.
 */
export function useInstalledFreshHost(lane: FreshInstallLaneDeclaration): Promise<LaneHost> {
  return useSharedHost(lane.name, async () => {
    const database = await createLaneDatabase(lane.name, 'installed', lane.postgresMajor);
    const host: LaneHost = { directory: copyTemplate(lane, 'installed'), ...database, run: null, appliedSteps: [] };
    for (const step of lane.steps) {
      const runner = runners[step.id];
      if (!runner) continue;
      await applyStep(host, step, () => runner(lane, host));
    }
    return host;
  });
}
