import type Router from '@koa/router';

import { makeBridge } from './bridge/make-bridge';
import { makePowertoolsEvents, type PowertoolsEvents, subscribeLogger } from './events/powertools-events';
import { makeRouter } from './http/make-router';
import { makeTemplateEnvironment } from './http/render-page';
import { checkLibraryMigrations } from './migrations/check-library-migrations';
import { type PowertoolsOptions, validateOptions } from './options/validate-options';
import { checkPgBossSchema } from './pgboss/check-pg-boss-schema';
import { makeCronScheduler } from './scheduler/cron-scheduler';
import { retireUndeclaredCronEntries } from './sql/retire-undeclared-cron-entries';
import { upsertCronEntries } from './sql/upsert-cron-entries';
import { makeWorkflowRuntime, type WorkflowRuntime } from './workflows/workflow-runtime';

export interface Powertools {
  /** Mount inside the host's own scope and pipeline, e.g. at `/ops/jobs`. */
  router: Router;
  /**
   * Starts and stops the cron scheduler and the workflow runtime. `start()` fails while library
   * migrations are pending, when the database has migrations from a newer release of the
   * library, or when the pg-boss schema version is one the library does not support.
   * `stop()` also closes the bridge's dashboard connections; a later bridge request reopens them.
   */
  runtime: {
    start(): Promise<void>;
    stop(): Promise<void>;
    /** Runs one scheduler pass now and returns how many slots fired. */
    tick(now?: Date): Promise<number>;
  };
  /** Every library event; the host's logger, when given, is already subscribed. */
  events: PowertoolsEvents;
  /** Inserts workflows and runs their steps; register step handlers with `work()` before `runtime.start()`. */
  workflows: WorkflowRuntime;
}

/**
 * Creates the control plane from the host's seams. Throws `PowertoolsConfigError` naming the
 * option at fault when `repo`, `auth`, `displayPolicy` or `boss` is missing or malformed, or
 * when the bridge is enabled without @pg-boss/dashboard installed. Nothing falls back to a default.
 */
export function createPowertools(options: PowertoolsOptions): Powertools {
  const resolved = validateOptions(options);
  const events = makePowertoolsEvents();
  if (resolved.logger) subscribeLogger(events, resolved.logger);

  const bridge = resolved.bridge ? makeBridge({ bridge: resolved.bridge, repo: resolved.repo, logger: resolved.logger }) : null;
  const templates = makeTemplateEnvironment();
  // Native job pages link to the bridge only when it is mounted.
  templates.addGlobal('bridgeEnabled', bridge !== null);
  const router = makeRouter({ options: resolved, events, templates, bridge });
  const scheduler = makeCronScheduler({ pool: resolved.repo, boss: resolved.boss, events, intervalSeconds: resolved.schedulerIntervalSeconds });
  const workflows = makeWorkflowRuntime({ pool: resolved.repo, boss: resolved.boss, logger: resolved.logger, reconcileIntervalSeconds: resolved.schedulerIntervalSeconds });

  return {
    router,
    events,
    workflows,
    runtime: {
      async start() {
        await checkLibraryMigrations(resolved.repo);
        await checkPgBossSchema(resolved.repo);

        for (const queue of new Set(resolved.cronEntries.map((entry) => entry.queue))) {
          await resolved.boss.createQueue(queue);
        }
        const changed = await upsertCronEntries(resolved.repo, resolved.cronEntries);
        events.emit('cron:synced', { declared: resolved.cronEntries.length, changed });
        if (resolved.retireUndeclaredCronEntries) {
          const retired = await retireUndeclaredCronEntries(resolved.repo, resolved.cronEntries.map((entry) => entry.name));
          if (retired.length > 0) events.emit('cron:retired', { entries: retired });
        }
        scheduler.start();
        await workflows.start();
      },
      async stop() {
        await workflows.stop();
        await scheduler.stop();
        await bridge?.close();
      },
      tick: (now) => scheduler.tick(now),
    },
  };
}
