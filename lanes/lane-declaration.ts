import type { DashboardWrite } from '../library/bridge/dashboard-routes';

/**
 * A lane as data: what it starts from, what it does, what it proves and which support bucket
 * its claims belong to. Step definitions read it; nothing here runs.
 */

export type SupportBucket = 'supported' | 'tested' | 'best-effort' | 'host-owned' | 'intentionally unsupported';

/** A seam the source host must have for the lane to count as supported. */
export type SourceSeam = 'repo' | 'auth' | 'mount' | 'previous migrations';

/** The numbered list in a guide that names a lane's steps, which docs-markers compares with the declaration. */
export interface GuideSteps {
  /** Relative to the repository root. */
  file: string;
  /** The heading the list follows, as written without its `#` marks. */
  heading: string;
}

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
  /** The place in the upgrade guide that lists the upgrade actions, in this order. */
  guide: GuideSteps;
  proofTarget: ProofTarget;
}

/** A pg-boss job that a workflow fixture row names, created through pg-boss before the rows load. */
export interface FixtureJob {
  id: string;
  queue: string;
  /** `retry`: fetched and failed once, so it waits for its next attempt. `active`: fetched and not settled. */
  state: 'retry' | 'active';
  data: { workflowId: string; workflowName: string; step: string };
  options: { retryLimit: number; retryDelay: number; expireInSeconds: number };
}

/** A workflow stored under an earlier semantics version, and the words the feature uses for it. */
export interface StoredWorkflowFixture {
  /** How the feature names the fixture, e.g. `waiting` or `with recovery evidence`. */
  storedAs: string;
  workflowId: string;
  workflowName: string;
  storedState: string;
}

/**
 * The historical compatibility lane: workflow rows that an earlier migration set stored under
 * an earlier semantics version, upgraded to the current migrations, booted in a host and read.
 */
export interface HistoricalCompatibilityLaneDeclaration {
  name: string;
  bucket: SupportBucket;
  /** Postgres major version requested from a container provider. The embedded default has its own version. */
  postgresMajor: number;
  storedUnder: {
    /** The newest library migration applied when the fixtures were stored. */
    previousMigration: string;
    semanticsVersion: number;
    /** SQL inserting the fixture rows, relative to the repository root. */
    fixtureFile: string;
    jobs: FixtureJob[];
  };
  host: {
    /** Folder of the host, relative to the repository root; its scripts run from there. */
    directory: string;
    migrateScript: string;
    seedScript: string;
    serverScript: string;
    mountPath: string;
  };
  operator: string;
  /** Schemas whose stored rows must keep their content through the upgrade and the host's run. */
  preservedSchemas: string[];
  fixtures: StoredWorkflowFixture[];
}

/** One step a lane performs, worded as its guide's numbered list words it, in the same order. */
export interface LaneStep {
  id: string;
  description: string;
}

/** A host folder whose scripts a lane runs from that folder: migrate, then seed, then the server. */
export interface HostScripts {
  /** Relative to the repository root. */
  directory: string;
  /** The file that calls createPowertools, relative to `directory`. */
  appFile: string;
  migrateScript: string;
  seedScript: string;
  serverScript: string;
  mountPath: string;
  bridge: 'enabled' | 'disabled';
}

/** A bare Koa app, before the library is added, that the installer and the guide take to the contract. */
export interface FreshInstallLaneDeclaration {
  kind: 'fresh-install';
  name: string;
  bucket: SupportBucket;
  postgresMajor: number;
  template: {
    /** Folder of the bare host, relative to the repository root. */
    directory: string;
    appFile: string;
    /** The app's own migration script, for its users table. */
    migrateScript: string;
    /** The app's own script that adds a user: `add-user.ts USERNAME ROLE`, password in NEW_USER_PASSWORD. */
    addUserScript: string;
  };
  mountPath: string;
  bridge: 'disabled';
  /** Files the guide has the host write over starter seams, relative to the repository root. */
  hostEdits: { auth: string; cronEntries: string };
  /** The app's own account for the operator, as its add-user script takes it. */
  operatorAccount: { username: string; role: string };
  steps: LaneStep[];
  /** The place in the installation guide that lists these steps, in this order. */
  guide: GuideSteps;
  proofTarget: ProofTarget;
}

/** A first operator session on the reference host, by the operator, the read-only viewer and a user without access. */
export interface FirstSessionLaneDeclaration {
  kind: 'first-session';
  name: string;
  bucket: SupportBucket;
  postgresMajor: number;
  host: HostScripts;
  actors: { operator: string; viewer: string; noAccess: string };
  steps: LaneStep[];
  /** The place in the first-session guide that lists these steps, in this order. */
  guide: GuideSteps;
  proofTarget: ProofTarget;
}

/** A native page and the one audited action the lane takes on it, if the page offers one. */
export interface NativePage {
  page: 'overview' | 'jobs' | 'job detail' | 'cron' | 'cron entry' | 'workflows' | 'workflow detail' | 'audit' | 'forensics';
  /** The resource the page shows, for pages about one resource. */
  resource: string | null;
  action: string | null;
}

/** The reference host with the bridge disabled: the native pages alone carry diagnosis and action. */
export interface NativeFirstLaneDeclaration {
  kind: 'native-first';
  name: string;
  bucket: SupportBucket;
  postgresMajor: number;
  host: HostScripts & { bridge: 'disabled' };
  operator: string;
  pages: NativePage[];
  /** The bridge's path below the mount path, where it would be mounted. */
  bridgePath: string;
}

/** The doctor CLI run against the reference host, whole and with each required seam removed. */
export interface DoctorLaneDeclaration {
  kind: 'doctor';
  name: string;
  bucket: SupportBucket;
  postgresMajor: number;
  host: HostScripts;
  requiredSeams: Array<'repo' | 'auth' | 'displayPolicy'>;
}

/** A write the pg-boss dashboard offers, as the bridge lane sends it straight to the bridge. */
export interface BridgeWrite {
  /** The write in the feature's words, e.g. `retry a failed job`. */
  phrase: string;
  /** The dashboard's own name for it. */
  write: DashboardWrite;
  /**
   * The dashboard route it is sent to, below the bridge. `:queue`, `:job` and `:key` here and in
   * `form` are filled in from the seeded rows.
   */
  route: string;
  /** The form the dashboard's own page submits. */
  form: Record<string, string>;
  /** `fetcher`: sent to the route's `.data` URL, as the dashboard's scripts submit; `form`: as a plain HTML form does. */
  channel: 'form' | 'fetcher';
  /** For a job write: the state of the seeded job it targets. */
  jobState?: 'created' | 'failed' | 'completed' | 'cancelled';
}

/** The reference host with the read-only pg-boss dashboard bridge, and without it. */
export interface BridgeLaneDeclaration {
  kind: 'bridge';
  name: string;
  bucket: SupportBucket;
  postgresMajor: number;
  host: HostScripts & { bridge: 'enabled' };
  /** The same host with the bridge left out, for the claims about a disabled bridge. */
  hostWithoutBridge: HostScripts & { bridge: 'disabled' };
  /** Where the bridge is mounted, below the mount path. */
  bridgePath: string;
  /** The environment variable the reference host reads to enable the bridge. */
  bridgeVariable: string;
  actors: { withBridge: string; withoutBridge: string };
  /** The queue whose jobs the lane inspects and aims the writes at; no worker of the host takes its jobs. */
  queue: string;
  /** A pg-boss schedule the lane adds to that queue, so deleting a schedule has a target. */
  schedule: { key: string; cron: string };
  writes: BridgeWrite[];
  /** The native audited action the lane takes next to the bridge. */
  nativeAction: { action: string; verb: string; jobState: 'created' };
}

/** A term of the support-truth vocabulary and the way it must be spelled wherever it appears. */
export interface VocabularyTerm {
  term: string;
  group: 'bucket' | 'ownership label' | 'posture' | 'evidence label';
  /**
   * True when only the exact spelling counts, as for a proper name such as `Powertools-native`.
   * Otherwise the first letter may also be upper case, at the start of a sentence or cell.
   */
  exactCase: boolean;
  /** Other wordings that mean the same and must not be used, beyond spacing and hyphen variants. */
  variants: string[];
}

/**
 * The lane that reads the repository's documentation and proofs, without Postgres or a browser,
 * and fails where they disagree.
 */
export interface DocsMarkersLaneDeclaration {
  kind: 'docs-markers';
  name: string;
  bucket: SupportBucket;
  /** The documents read, relative to the repository root: files, or folders read recursively. */
  documents: { readme: string; guides: string; features: string; pages: string[] };
  /**
   * Every term of the support-truth vocabulary; a support-truth table lists the buckets in this
   * order. Any spelling of a term counts, so ordinary phrases such as "a best effort" are flagged
   * too: the docs avoid them rather than leave a reader to guess whether a bucket is meant.
   */
  vocabulary: VocabularyTerm[];
  /** The module whose exported objects hold every label the pages show, as `{ key: label }`. */
  labelModule: { file: string; exports: string[] };
  /** Declarations of the host-owned names a guide snippet may use without declaring them. */
  snippetContext: string;
  /** Fence languages whose blocks must type-check against the library. */
  snippetLanguages: string[];
}

/** Any lane the harness can run. */
export type LaneDeclaration =
  | DocsMarkersLaneDeclaration
  | BridgeLaneDeclaration
  | UpgradeLaneDeclaration
  | HistoricalCompatibilityLaneDeclaration
  | FreshInstallLaneDeclaration
  | FirstSessionLaneDeclaration
  | NativeFirstLaneDeclaration
  | DoctorLaneDeclaration;
