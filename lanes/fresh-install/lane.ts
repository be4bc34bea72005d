import type { FreshInstallLaneDeclaration } from '../lane-declaration';

/**
 * A newly generated Koa app, before the library is added, installed by the installer and the
 * steps of guides/installation.md, which lists these steps in this order.
 */
export const freshInstallLane: FreshInstallLaneDeclaration = {
  kind: 'fresh-install',
  name: 'fresh-install',
  bucket: 'tested',
  postgresMajor: 18,
  template: {
    directory: 'lanes/fresh-install/template',
    appFile: 'app.ts',
    migrateScript: 'migrate.ts',
    addUserScript: 'add-user.ts',
  },
  mountPath: '/ops/jobs',
  bridge: 'disabled',
  hostEdits: {
    auth: 'lanes/fresh-install/host-edits/auth.ts',
    cronEntries: 'lanes/fresh-install/host-edits/cron-entries.ts',
  },
  operatorAccount: { username: 'ops-demo', role: 'admin' },
  steps: [
    { id: 'run-installer', description: 'Run the installer in the host\'s root folder: npx jobs-powertools install.' },
    { id: 'install-dependencies', description: 'Install the dependencies the installer added to package.json: npm install.' },
    { id: 'edit-auth-seam', description: 'Edit jobs-powertools/auth.ts so it reads the signed-in user from the host session and grants the control plane\'s actions to the host\'s operator role.' },
    { id: 'declare-cron-entries', description: 'Declare the host\'s cron entries in jobs-powertools/cron-entries.ts.' },
    { id: 'run-migrations', description: 'Run the host\'s own migrations, then the library\'s: node -r ts-node/register/transpile-only jobs-powertools/migrate.ts.' },
    { id: 'add-operator', description: 'Give the operator an account with the host\'s operator role: ops-demo as admin.' },
    { id: 'boot-host', description: 'Start the host.' },
    { id: 'prove-native-action', description: 'ops-demo signs in, opens the control plane and pauses nightly_sync on the native cron surface with a reason.' },
  ],
  guide: { file: 'guides/installation.md', heading: 'The steps' },
  proofTarget: {
    operator: 'ops-demo',
    surface: 'cron',
    resource: { type: 'cron_entry', id: 'nightly_sync' },
    action: 'pause_cron_entry',
  },
};
