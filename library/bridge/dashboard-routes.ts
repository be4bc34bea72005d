/**
 * Every route @pg-boss/dashboard 1.9.x serves, as read from its server build
 * (`build/server/index.js`: the React Router route table, each route's loader and action, and
 * `build/handler.js` for assets and route discovery). The bridge forwards a request only when it
 * matches a route here as a read. Everything else is refused before the dashboard receives it.
 *
 * A new dashboard release can add routes or change what a loader does, so the bridge accepts only
 * the minor release this table was checked against (`supportedDashboardVersion`).
 */

/** A change the dashboard can make, named as the dashboard's own capability list names it. */
export type DashboardWrite =
  | 'job:retry'
  | 'job:cancel'
  | 'job:resume'
  | 'job:delete'
  | 'job:send'
  | 'queue:create'
  | 'schedule:create'
  | 'schedule:delete';

export interface DashboardRoute {
  /** The React Router route id, or a name for the routes the handler serves outside React Router. */
  id: string;
  /** Segments below the dashboard's base path; `:name` matches any one segment. */
  pattern: string;
  /** The content a GET or HEAD of this route returns. */
  read: string;
  /**
   * The writes a submission (POST, PUT, PATCH or DELETE) to this route performs, keyed by the
   * form field `intent`. The key `*` applies whatever the intent, and an empty map means the
   * route has no action.
   */
  writes: Readonly<Record<string, DashboardWrite>>;
  /**
   * The reason the bridge renders this read itself instead of forwarding it, or null. Only the
   * job page has one: see `jobPageUnavailable`.
   */
  unavailable: string | null;
}

/** The dashboard release whose routes this table lists: major and minor must match. */
export const supportedDashboardVersion = { major: 1, minor: 9, range: '~1.9.0' } as const;

/**
 * The dashboard's job page loads the job through a pg-boss instance bundled into the dashboard,
 * and that instance refuses to start unless the database is at its own schema version, 42
 * (`Contractor.check` in the 1.9.0 build). pg-boss 12.38, which this library requires, is at
 * schema version 46, so the page always failed with a 500 when forwarded. The bridge renders a
 * notice in its place that links the native job page, where the same job is shown.
 */
export const jobPageUnavailable =
  'The pg-boss dashboard (1.9) cannot open a single job on this database: its bundled pg-boss expects schema version 42, and this database is at the version the control plane requires (46).';

const jobWrites = { retry: 'job:retry', cancel: 'job:cancel', resume: 'job:resume', delete: 'job:delete' } as const;

/** Ordered so that a fixed segment wins over a parameter, as React Router ranks them. */
export const dashboardRoutes: readonly DashboardRoute[] = [
  { id: 'routes/_index', pattern: '', read: 'overview: totals, top queues, recent warnings', writes: {}, unavailable: null },
  { id: 'routes/jobs', pattern: 'jobs', read: 'jobs across queues, filtered and paged', writes: {}, unavailable: null },
  { id: 'routes/queues._index', pattern: 'queues', read: 'queue list', writes: {}, unavailable: null },
  { id: 'routes/queues.create', pattern: 'queues/create', read: 'the form to create a queue', writes: { '*': 'queue:create' }, unavailable: null },
  { id: 'routes/queues.$name', pattern: 'queues/:name', read: "one queue and its jobs", writes: jobWrites, unavailable: null },
  { id: 'routes/queues.$name.metrics', pattern: 'queues/:name/metrics', read: "a queue's statistics history", writes: {}, unavailable: null },
  { id: 'routes/queues.$name.jobs.$jobId', pattern: 'queues/:name/jobs/:jobId', read: 'one job', writes: jobWrites, unavailable: jobPageUnavailable },
  { id: 'routes/schedules', pattern: 'schedules', read: 'schedule list', writes: {}, unavailable: null },
  { id: 'routes/schedules.new', pattern: 'schedules/new', read: 'the form to create a schedule', writes: { '*': 'schedule:create' }, unavailable: null },
  { id: 'routes/schedules.$name.$key', pattern: 'schedules/:name/:key', read: 'one schedule', writes: { unschedule: 'schedule:delete' }, unavailable: null },
  { id: 'routes/send', pattern: 'send', read: 'the form to send a job', writes: { '*': 'job:send' }, unavailable: null },
  { id: 'routes/migrations', pattern: 'migrations', read: 'pg-boss background migrations', writes: {}, unavailable: null },
  { id: 'routes/warnings', pattern: 'warnings', read: 'warning history', writes: {}, unavailable: null },
];

/** Route discovery: React Router's client asks for the manifest of routes it has not loaded yet. */
export const manifestRoute: DashboardRoute = { id: 'route-discovery', pattern: '__manifest', read: 'route manifest patches', writes: {}, unavailable: null };

/** Built client files: scripts, styles and the route manifest script, served by the handler. */
export const assetRoute: DashboardRoute = { id: 'assets', pattern: 'assets/:file', read: 'a built client file', writes: {}, unavailable: null };

/** Names an asset file can have; the 1.9.0 build's files are letters, digits, `.`, `_` and `-`. */
export const assetFileName = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.(?:js|css|svg|png|woff2?|map)$/;
