/**
 * A lane as data: what it starts from, what it does, what it proves and which support bucket
 * its claims belong to. Step definitions read it; nothing here runs.
 */

export type SupportBucket = 'supported' | 'tested' | 'best-effort' | 'host-owned' | 'intentionally unsupported';

/** A seam the source host must have for the lane to count as supported. */
export type SourceSeam = 'repo' | 'auth' | 'mount' | 'previous migrations';

export interface UpgradeAction {
  id: 'add-display-policy-module' | 'wire-display-policy' | 'check-mount-scope' | 'choose-bridge' | 'run-current-migrations' | 'prove-native-action';
  /** The step as the upgrade guide words it. */
  description: string;
}

export interface ProofTarget {
  operator: string;
  surface: 'cron';
  resource: { type: 'cron_entry'; id: string };
  action: string;
}

export interface UpgradeLaneDeclaration {
  name: string;
  bucket: SupportBucket;
  /** Postgres major version requested from a container provider. The embedded default has its own version. */
  postgresMajor: number;
  sourceHost: {
    /** Folder of the frozen host, relative to the repository root. */
    directory: string;
    /** SQL loaded after the previous migrations: the host's own tables and what the old library wrote. */
    dataFile: string;
    mountPath: string;
    requiredSeams: SourceSeam[];
    /** The newest library migration the source database has applied. */
    previousMigration: string;
  };
  /** The files the upgrade adds to the host, relative to the repository root. */
  hostAdditions: { displayPolicyModule: string };
  bridge: 'enabled' | 'disabled';
  upgradeActions: UpgradeAction[];
  proofTarget: ProofTarget;
}
