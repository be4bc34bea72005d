import type { Logger } from 'pino';

import type { StepContext, WorkflowPlan, WorkflowRuntime, WorkflowWorkOptions } from '../library';

/**
 * The reference host's workflows. Every queue here is worked by the host except
 * `partner_acks`: the partner's own system takes those jobs, so a partner export waits there.
 */
export const workflowQueues = { invoices: 'invoices', ledger: 'ledger', exports: 'exports', partnerAcks: 'partner_acks', warehouse: 'warehouse' } as const;

/** Plans month-end invoicing: fetch orders, render and tax them side by side, then send. */
export function invoiceRunPlan(month: string): WorkflowPlan {
  return {
    name: 'invoice_run',
    idempotencyKey: `invoice_run:${month}`,
    input: { month },
    steps: [
      { name: 'fetch_orders', queue: workflowQueues.invoices },
      { name: 'render_invoices', queue: workflowQueues.invoices, dependsOn: ['fetch_orders'] },
      { name: 'compute_tax', queue: workflowQueues.invoices, dependsOn: ['fetch_orders'] },
      { name: 'send_invoices', queue: workflowQueues.invoices, dependsOn: ['render_invoices', 'compute_tax'] },
    ],
  };
}

/**
 * Plans a ledger import, then the posting of its entries. `lockedAttempts` makes the import fail that many
 * times, the way a ledger held by the month-end close does.
 */
export function ledgerBackfillPlan(ledger: string, options: { lockedAttempts: number; retryLimit: number; retryDelay: number }): WorkflowPlan {
  return {
    name: 'ledger_backfill',
    idempotencyKey: `ledger_backfill:${ledger}`,
    input: { ledger },
    steps: [
      { name: 'import_ledger', queue: workflowQueues.ledger, data: { lockedAttempts: options.lockedAttempts }, retryLimit: options.retryLimit, retryDelay: options.retryDelay },
      { name: 'post_entries', queue: workflowQueues.ledger, dependsOn: ['import_ledger'] },
    ],
  };
}

/** Plans a partner export: prepare files, wait for the partner to acknowledge them, archive them. */
export function partnerExportPlan(partner: string): WorkflowPlan {
  return {
    name: 'partner_export',
    idempotencyKey: `partner_export:${partner}`,
    input: { partner },
    steps: [
      { name: 'prepare_files', queue: workflowQueues.exports },
      { name: 'await_partner_ack', queue: workflowQueues.partnerAcks, dependsOn: ['prepare_files'] },
      { name: 'archive_files', queue: workflowQueues.exports, dependsOn: ['await_partner_ack'] },
    ],
  };
}

/** Plans a warehouse copy that runs for `copySeconds`, then a check of the row counts. */
export function warehouseSyncPlan(warehouse: string, copySeconds: number): WorkflowPlan {
  return {
    name: 'warehouse_sync',
    idempotencyKey: `warehouse_sync:${warehouse}`,
    input: { warehouse },
    steps: [
      // One retry: a copy cut off by a stopping worker runs again once pg-boss expires the attempt.
      { name: 'copy_tables', queue: workflowQueues.warehouse, data: { copySeconds }, expireInSeconds: copySeconds + 300, retryLimit: 1 },
      { name: 'verify_counts', queue: workflowQueues.warehouse, dependsOn: ['copy_tables'] },
    ],
  };
}

/**
 * Registers the host's step handlers. Each logs ids only, never workflow data. The warehouse
 * queue runs four copies at once, so one long copy does not hold up the next.
 */
export async function registerWorkflowHandlers(workflows: WorkflowRuntime, logger: Logger, options: WorkflowWorkOptions = {}): Promise<void> {
  await workflows.work(workflowQueues.invoices, (context) => {
    logger.info({ workflowId: context.workflow.id, step: context.step.name }, 'invoice step ran');
    if (context.step.name === 'fetch_orders') return { orders: 412 };
    if (context.step.name === 'send_invoices') return { sent: 412 };
    return { done: context.step.name };
  }, options);

  await workflows.work(workflowQueues.ledger, (context: StepContext<{ lockedAttempts?: number }>) => {
    const locked = context.step.data.lockedAttempts ?? 0;
    if (context.step.name === 'import_ledger' && context.step.attempt <= locked) {
      throw new Error('ledger locked by the month-end close');
    }
    return { entries: 1280 };
  }, options);

  await workflows.work(workflowQueues.exports, (context) => ({ files: context.step.name === 'prepare_files' ? 3 : 0 }), options);

  await workflows.work(workflowQueues.warehouse, async (context: StepContext<{ copySeconds?: number }>) => {
    const seconds = context.step.data.copySeconds ?? 0;
    if (seconds > 0) await sleep(seconds * 1000, context.signal);
    return { tables: 14 };
  }, { ...options, localConcurrency: 4 });
}

/** Resolves after `ms`, or at once when `signal` aborts. The timer does not keep the process alive. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
