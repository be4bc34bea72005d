import type { UpgradeLaneDeclaration } from '../lane-declaration';

/** The one supported upgrade lane: a 0.1.0 host without a display policy to the current contract. */
export const upgradeProofLane: UpgradeLaneDeclaration = {
  name: 'upgrade-proof',
  bucket: 'supported',
  postgresMajor: 18,
  sourceHost: {
    directory: 'lanes/upgrade-proof/source-host',
    dataFile: 'lanes/upgrade-proof/source-data.sql',
    mountPath: '/ops/jobs',
    requiredSeams: ['repo', 'auth', 'mount', 'previous migrations'],
    previousMigration: '0002_create_cron_entries',
  },
  hostAdditions: { displayPolicyModule: 'lanes/upgrade-proof/host-additions/display-policy.ts' },
  bridge: 'disabled',
  upgradeActions: [
    { id: 'add-display-policy-module', description: 'Add a host-owned display policy module.' },
    { id: 'wire-display-policy', description: 'Wire the display policy into the createPowertools config as displayPolicy.' },
    { id: 'check-mount-scope', description: 'Re-check that the router is mounted at /ops/jobs inside the host-owned scope and pipeline.' },
    { id: 'choose-bridge', description: 'Choose whether the optional bridge is enabled, and write the choice into the config.' },
    { id: 'run-current-migrations', description: 'Run the current migrations with the host migration script.' },
    { id: 'prove-native-action', description: 'Prove one native action: ops-demo pauses nightly_sync on the native cron surface.' },
  ],
  guide: { file: 'guides/upgrade-and-compatibility.md', heading: 'The upgrade actions, in order' },
  proofTarget: {
    operator: 'ops-demo',
    surface: 'cron',
    resource: { type: 'cron_entry', id: 'nightly_sync' },
    action: 'pause_cron_entry',
  },
};
