import type { BridgeLaneDeclaration } from '../lane-declaration';

const referenceHost = {
  directory: 'reference-host',
  appFile: 'app.ts',
  migrateScript: 'migrate.ts',
  seedScript: 'seed.ts',
  serverScript: 'server.ts',
  mountPath: '/ops/jobs',
} as const;

/**
 * The read-only bridge lane: the reference host with @pg-boss/dashboard mounted at
 * /ops/jobs/pg-boss, every write the dashboard offers sent to it directly, and the same host
 * without the bridge. Its claims are in the tested bucket.
 */
export const bridgeLane: BridgeLaneDeclaration = {
  kind: 'bridge',
  name: 'bridge',
  bucket: 'tested',
  postgresMajor: 18,
  host: { ...referenceHost, bridge: 'enabled' },
  hostWithoutBridge: { ...referenceHost, bridge: 'disabled' },
  bridgePath: 'pg-boss',
  bridgeVariable: 'REFERENCE_HOST_BRIDGE',
  actors: { withBridge: 'ops-demo', withoutBridge: 'ops-viewer' },
  queue: 'emails',
  schedule: { key: 'bridge-lane', cron: '0 3 * * *' },
  writes: [
    { phrase: 'retry a failed job', write: 'job:retry', route: 'queues/:queue/jobs/:job', form: { intent: 'retry' }, channel: 'form', jobState: 'failed' },
    { phrase: 'cancel a created job', write: 'job:cancel', route: 'queues/:queue', form: { intent: 'cancel', jobId: ':job' }, channel: 'fetcher', jobState: 'created' },
    { phrase: 'resume a cancelled job', write: 'job:resume', route: 'queues/:queue/jobs/:job', form: { intent: 'resume' }, channel: 'fetcher', jobState: 'cancelled' },
    { phrase: 'delete a completed job', write: 'job:delete', route: 'queues/:queue/jobs/:job', form: { intent: 'delete' }, channel: 'form', jobState: 'completed' },
    { phrase: 'send a job', write: 'job:send', route: 'send', form: { queueName: ':queue', data: '{"template":"sent-through-the-bridge"}' }, channel: 'form' },
    { phrase: 'create a queue', write: 'queue:create', route: 'queues/create', form: { queueName: 'created_through_the_bridge', policy: 'standard' }, channel: 'form' },
    { phrase: 'create a schedule', write: 'schedule:create', route: 'schedules/new', form: { name: ':queue', cron: '*/5 * * * *', key: 'created-through-the-bridge' }, channel: 'form' },
    { phrase: 'delete a schedule', write: 'schedule:delete', route: 'schedules/:queue/:key', form: { intent: 'unschedule' }, channel: 'fetcher' },
  ],
  nativeAction: { action: 'cancel_job', verb: 'Cancel', jobState: 'created' },
};
