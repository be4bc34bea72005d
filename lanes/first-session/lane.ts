import type { FirstSessionLaneDeclaration } from '../lane-declaration';

/**
 * An operator's first session on the reference host, as guides/first-operator-session.md walks
 * through it. The lane performs these steps in this order, and the guide lists them in the same
 * order.
 */
export const firstSessionLane: FirstSessionLaneDeclaration = {
  kind: 'first-session',
  name: 'first-session',
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
  actors: { operator: 'ops-demo', viewer: 'ops-viewer', noAccess: 'no-access' },
  steps: [
    { id: 'run-migrations', description: 'Run the reference host\'s migration script: node -r ts-node/register/transpile-only reference-host/migrate.ts.' },
    { id: 'seed-operators', description: 'Seed the demo operators and jobs with a password of your choice in REFERENCE_HOST_DEMO_PASSWORD: reference-host/seed.ts.' },
    { id: 'start-host', description: 'Start the reference host: reference-host/server.ts.' },
    { id: 'sign-in', description: 'Sign in as ops-demo through the host\'s own login page.' },
    { id: 'land-on-overview', description: 'Open the control plane: it lands on the overview, which puts what needs an operator first.' },
    { id: 'open-cron-surface', description: 'Open the Cron tab and the entry nightly_sync.' },
    { id: 'pause-with-reason', description: 'Pause nightly_sync: read the preview of what will change, give a reason and confirm.' },
    { id: 'read-forensics', description: 'Open the forensics of nightly_sync: its timeline shows the pause, by ops-demo, with the reason.' },
    { id: 'read-audit', description: 'Open the Audit tab: one audit event records the pause.' },
  ],
  guide: { file: 'guides/first-operator-session.md', heading: 'The steps' },
  proofTarget: {
    operator: 'ops-demo',
    surface: 'cron',
    resource: { type: 'cron_entry', id: 'nightly_sync' },
    action: 'pause_cron_entry',
  },
};
