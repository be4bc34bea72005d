import type { Pool, PoolClient } from 'pg';
import type { JobWithMetadata, PgBoss } from 'pg-boss';

import type { Logger } from '../seams';
import { type InsertedWorkflow, insertWorkflowPlan } from './insert-workflow-plan';
import { makeReconciler } from './reconcile-workflow-steps';
import { runStepAttempt } from './run-step-attempt';
import type { StepHandler } from './step-handler';
import { makeWorkflowEvents, subscribeWorkflowLogger, type WorkflowEvents } from './workflow-events';
import type { WorkflowPlan } from './workflow-plan';

export interface WorkflowRuntimeOptions {
  pool: Pool;
  boss: PgBoss;
  logger?: Logger;
  /** Events to emit on; a new emitter when left out. */
  events?: WorkflowEvents;
  /** Seconds between reconcile passes. Default 5. */
  reconcileIntervalSeconds?: number;
  /** A step must be this many seconds without a transition before the reconciler looks at it. Default 30. */
  reconcileQuietSeconds?: number;
  /** Largest step result stored, in bytes of JSON. Default 262144 (256 KiB). */
  maximumResultBytes?: number;
}

export interface WorkflowWorkOptions {
  /** pg-boss workers this process runs on the queue. Default 1. */
  localConcurrency?: number;
  /**
   * Jobs each worker fetches at once; their attempts run side by side and settle one by one.
   * Above 1 a worker fetches again at once while batches come back full. Default 1.
   */
  batchSize?: number;
  /** Seconds between polls when the queue is empty. Default pg-boss's 2. */
  pollingIntervalSeconds?: number;
  /**
   * Seconds between polls while LISTEN/NOTIFY is active for the queue. Default pg-boss's 30.
   * A commit that releases several steps wakes each worker for one fetch only. The other
   * released steps wait for this poll, so lower it for wide workflows.
   */
  notifyPollingIntervalSeconds?: number;
}

export interface WorkflowRuntime {
  events: WorkflowEvents;
  /**
   * Inserts a workflow and queues its root steps. Pass `client` to insert inside your own
   * transaction. Throws `WorkflowPlanError` for an invalid plan, naming the steps at fault.
   */
  insert<const StepName extends string>(plan: WorkflowPlan<StepName>, options?: { client?: PoolClient }): Promise<InsertedWorkflow>;
  /** Runs the steps on `queue` with `handler` in this process, from `start()` on (at once when already started). */
  work<Data = Record<string, unknown>, Input = Record<string, unknown>>(queue: string, handler: StepHandler<Data, Input>, options?: WorkflowWorkOptions): Promise<void>;
  /** Starts the workers registered so far and the reconciler. */
  start(): Promise<void>;
  /** Stops taking new attempts and stops the reconciler. Attempts in flight finish under pg-boss's own stop. */
  stop(): Promise<void>;
  /** Runs one reconcile pass now and returns how many steps it corrected. */
  reconcile(): Promise<number>;
}

interface Registration {
  queue: string;
  handler: StepHandler<any, any>;
  options: WorkflowWorkOptions;
  workerId: string | null;
}

/**
 * Makes the workflow runtime: inserts workflows, runs their steps as pg-boss jobs and keeps the
 * step tables in line with pg-boss. Any number of processes may run one against the same
 * database; every transition locks the workflow row, so they never release a step twice.
 * It does not create pg-boss's schema or start pg-boss; the host does both.
 */
export function makeWorkflowRuntime(options: WorkflowRuntimeOptions): WorkflowRuntime {
  const { pool, boss } = options;
  const events = options.events ?? makeWorkflowEvents();
  if (options.logger && !options.events) subscribeWorkflowLogger(events, options.logger);
  const reconcileIntervalSeconds = requirePositive('reconcileIntervalSeconds', options.reconcileIntervalSeconds ?? 5);
  const maximumResultBytes = requirePositive('maximumResultBytes', options.maximumResultBytes ?? 256 * 1024);
  const reconciler = makeReconciler({ pool, boss, events, quietSeconds: requirePositive('reconcileQuietSeconds', options.reconcileQuietSeconds ?? 30, true) });

  const knownQueues = new Set<string>();
  const registrations: Registration[] = [];
  let started = false;
  let timer: NodeJS.Timeout | null = null;
  let reconciling: Promise<unknown> = Promise.resolve();

  async function register(registration: Registration): Promise<void> {
    if (!(await boss.getQueue(registration.queue))) await boss.createQueue(registration.queue);
    knownQueues.add(registration.queue);
    const { localConcurrency = 1, batchSize = 1, pollingIntervalSeconds, notifyPollingIntervalSeconds } = registration.options;
    registration.workerId = await boss.work(
      registration.queue,
      {
        batchSize,
        burstWhenBatchFull: batchSize > 1,
        includeMetadata: true as const,
        localConcurrency,
        // pg-boss rejects an interval key whose value is undefined, so each is left out unless set.
        ...(pollingIntervalSeconds === undefined ? {} : { pollingIntervalSeconds }),
        ...(notifyPollingIntervalSeconds === undefined ? {} : { notifyPollingIntervalSeconds }),
      },
      async (jobs: JobWithMetadata<unknown>[]) => {
        // Every attempt settles its own job. A job that is not a step job throws once the rest
        // settled, and pg-boss then fails only that one, because its settle is fenced to each attempt.
        const outcomes = await Promise.allSettled(jobs.map((job) => runStepAttempt({ pool, boss, events, maximumResultBytes }, job, registration.handler)));
        const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        if (failure) throw failure.reason;
      },
    );
  }

  function scheduleReconcile(): void {
    timer = setTimeout(() => {
      reconciling = reconciler
        .reconcile()
        .catch((error) => events.emit('workflow:reconcile_failed', { error }))
        .finally(() => {
          if (timer) scheduleReconcile();
        });
    }, reconcileIntervalSeconds * 1000);
  }

  return {
    events,
    insert: (plan, insertOptions) => insertWorkflowPlan({ pool, boss, events, knownQueues }, plan, insertOptions),

    async work(queue, handler, workOptions = {}) {
      if (typeof queue !== 'string' || queue.length === 0) throw new TypeError(`work expects a pg-boss queue name, got ${JSON.stringify(queue)}.`);
      if (typeof handler !== 'function') throw new TypeError(`work(${JSON.stringify(queue)}) expects a step handler function, got ${typeof handler}.`);
      if (registrations.some((registration) => registration.queue === queue)) {
        throw new TypeError(`A workflow step handler is already registered for queue ${queue} in this process; register one handler per queue and branch on context.step.name.`);
      }
      const registration: Registration = { queue, handler, options: workOptions, workerId: null };
      registrations.push(registration);
      if (started) await register(registration);
    },

    async start() {
      if (started) return;
      started = true;
      for (const registration of registrations) await register(registration);
      scheduleReconcile();
      events.emit('workflow:runtime_started', { queues: registrations.map((registration) => registration.queue), reconcileIntervalSeconds });
    },

    async stop() {
      if (!started) return;
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const registration of registrations) {
        if (registration.workerId) await boss.offWork(registration.queue, { id: registration.workerId, wait: false });
        registration.workerId = null;
      }
      await reconciling;
      events.emit('workflow:runtime_stopped', {});
    },

    reconcile: () => reconciler.reconcile(),
  };
}

function requirePositive(name: string, value: number, allowZero = false): number {
  if (typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0)) return value;
  throw new TypeError(`makeWorkflowRuntime: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(value)}.`);
}
