import type { HistoricalCompatibilityLaneDeclaration } from '../lane-declaration';

const workflowIds = {
  waiting: '7c1e0a10-0000-4000-8000-000000000001',
  retrying: '7c1e0a10-0000-4000-8000-000000000002',
  cancelling: '7c1e0a10-0000-4000-8000-000000000003',
  recovered: '7c1e0a10-0000-4000-8000-000000000004',
};

/**
 * The repo-local historical compatibility lane: workflows stored under semantics version 1 by
 * the migration set up to 0010 stay explainable after the host runs the current migrations,
 * and nothing rewrites them. The reference host is the host under test.
 */
export const historicalCompatibilityLane: HistoricalCompatibilityLaneDeclaration = {
  name: 'historical-compatibility',
  bucket: 'tested',
  postgresMajor: 18,
  storedUnder: {
    previousMigration: '0010_create_workflows',
    semanticsVersion: 1,
    fixtureFile: 'lanes/historical-compatibility/fixtures/semantics-v1-workflows.sql',
    jobs: [
      {
        id: '7c1e0a10-0000-4000-8000-0000000000b2',
        queue: 'legacy_ledger',
        state: 'retry',
        data: { workflowId: workflowIds.retrying, workflowName: 'legacy_ledger_sync', step: 'pull_ledger' },
        // A day between attempts and no worker on the queue: the job stays in retry while the lane runs.
        options: { retryLimit: 5, retryDelay: 86_400, expireInSeconds: 900 },
      },
      {
        id: '7c1e0a10-0000-4000-8000-0000000000c3',
        queue: 'legacy_partner',
        state: 'active',
        data: { workflowId: workflowIds.cancelling, workflowName: 'legacy_partner_export', step: 'upload_batch' },
        // Twelve hours before pg-boss expires the attempt: it stays active while the lane runs.
        options: { retryLimit: 0, retryDelay: 0, expireInSeconds: 43_200 },
      },
    ],
  },
  host: {
    directory: 'reference-host',
    migrateScript: 'migrate.ts',
    seedScript: 'seed.ts',
    serverScript: 'server.ts',
    mountPath: '/ops/jobs',
  },
  operator: 'ops-demo',
  preservedSchemas: ['jobs_powertools'],
  fixtures: [
    { storedAs: 'waiting', workflowId: workflowIds.waiting, workflowName: 'legacy_invoice_run', storedState: 'waiting' },
    { storedAs: 'retrying', workflowId: workflowIds.retrying, workflowName: 'legacy_ledger_sync', storedState: 'retrying' },
    { storedAs: 'cancelling', workflowId: workflowIds.cancelling, workflowName: 'legacy_partner_export', storedState: 'cancelling' },
    { storedAs: 'with recovery evidence', workflowId: workflowIds.recovered, workflowName: 'legacy_payroll_close', storedState: 'recovered' },
  ],
};
