import { copyFileSync } from 'node:fs';
import path from 'node:path';

import type { Logger } from 'pino';

import type { UpgradeAction, UpgradeLaneDeclaration } from '../../lanes/lane-declaration';
import { runHostScript } from './host-process';
import { findMount } from './inspect-source-host';
import { editHostFile, repositoryRoot } from './source-host-copy';

export interface AppliedUpgradeAction {
  id: UpgradeAction['id'];
  description: string;
  /** One-line summary of the change the action made to the copy. */
  result: string;
  durationMs: number;
}

export interface UpgradeContext {
  lane: UpgradeLaneDeclaration;
  hostDirectory: string;
  databaseUrl: string;
  logger: Logger;
}

type ActionRunner = (context: UpgradeContext) => Promise<string>;

// Each declared action as a real change to the host copy. `prove-native-action` is not here:
// the browser steps perform it against the booted host.
const runners: Partial<Record<UpgradeAction['id'], ActionRunner>> = {
  async 'add-display-policy-module'({ lane, hostDirectory }) {
    copyFileSync(path.join(repositoryRoot, lane.hostAdditions.displayPolicyModule), path.join(hostDirectory, 'display-policy.ts'));
    return 'added display-policy.ts';
  },

  async 'wire-display-policy'({ hostDirectory }) {
    editHostFile(hostDirectory, 'app.ts', "import { makeJobsAuth } from './jobs-auth';\n", "import { displayPolicy } from './display-policy';\nimport { makeJobsAuth } from './jobs-auth';\n");
    editHostFile(hostDirectory, 'app.ts', '    auth: makeJobsAuth(pool),\n', '    auth: makeJobsAuth(pool),\n    displayPolicy,\n');
    return 'app.ts imports display-policy.ts and passes displayPolicy to createPowertools';
  },

  async 'check-mount-scope'({ lane, hostDirectory }) {
    const finding = findMount(path.join(hostDirectory, 'app.ts'), lane.sourceHost.mountPath);
    if (!finding.startsWith('found')) throw new Error(`The mount check failed: ${finding}. Mount the router inside a host-owned scope at ${lane.sourceHost.mountPath}.`);
    return finding;
  },

  async 'choose-bridge'({ lane, hostDirectory }) {
    const choice = lane.bridge === 'enabled' ? '{ enabled: true }' : 'false';
    editHostFile(hostDirectory, 'app.ts', '    displayPolicy,\n', `    displayPolicy,\n    bridge: ${choice},\n`);
    return `bridge ${lane.bridge}: createPowertools receives bridge: ${choice}`;
  },

  async 'run-current-migrations'({ hostDirectory, databaseUrl, logger }) {
    const { exitCode, output } = await runHostScript({ hostDirectory, entry: 'migrate.ts', env: { DATABASE_URL: databaseUrl }, logger });
    if (exitCode !== 0) throw new Error(`migrate.ts exited with ${exitCode}: ${output.slice(-3).join(' | ')}`);
    const summary = output.map((line) => safeJson(line)).find((line) => Array.isArray(line?.applied));
    return `migrate.ts applied ${JSON.stringify(summary?.applied ?? [])}`;
  },
};

/**
 * Applies the lane's upgrade actions to the host copy in their declared order and returns what
 * each did. Stops at the first failure, naming the action.
 */
export async function applyUpgradeActions(context: UpgradeContext): Promise<AppliedUpgradeAction[]> {
  const applied: AppliedUpgradeAction[] = [];
  for (const action of context.lane.upgradeActions) {
    const runner = runners[action.id];
    if (!runner) continue;
    const started = Date.now();
    const result = await runner(context).catch((error: Error) => {
      throw new Error(`Upgrade action ${action.id} failed: ${error.message}`, { cause: error });
    });
    context.logger.info({ event: 'upgrade:action_applied', action: action.id, result }, `upgrade action ${action.id} applied`);
    applied.push({ id: action.id, description: action.description, result, durationMs: Date.now() - started });
  }
  return applied;
}

function safeJson(line: string): { applied?: unknown } | null {
  try {
    return JSON.parse(line) as { applied?: unknown };
  } catch {
    // Log lines that are not JSON carry no summary.
    return null;
  }
}
