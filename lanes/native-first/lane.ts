import type { NativeFirstLaneDeclaration } from '../lane-declaration';

/**
 * The reference host with the optional bridge disabled. Every native page renders, every page
 * that offers an audited action performs one, and nothing points at the absent bridge.
 */
export const nativeFirstLane: NativeFirstLaneDeclaration = {
  kind: 'native-first',
  name: 'native-first',
  bucket: 'tested',
  postgresMajor: 18,
  host: {
    directory: 'reference-host',
    appFile: 'app.ts',
    migrateScript: 'migrate.ts',
    seedScript: 'seed.ts',
    serverScript: 'server.ts',
    mountPath: '/ops/jobs',
    bridge: 'disabled',
  },
  operator: 'ops-demo',
  pages: [
    { page: 'overview', resource: null, action: null },
    { page: 'jobs', resource: 'emails', action: 'cancel_all_jobs' },
    { page: 'job detail', resource: 'emails', action: 'retry_job' },
    { page: 'cron', resource: null, action: null },
    { page: 'cron entry', resource: 'hourly_digest', action: 'run_cron_entry' },
    { page: 'workflows', resource: null, action: null },
    { page: 'workflow detail', resource: 'ledger_backfill', action: 'retry_workflow_step' },
    { page: 'audit', resource: null, action: null },
    { page: 'forensics', resource: 'hourly_digest', action: null },
  ],
  bridgePath: '/pg-boss',
};
