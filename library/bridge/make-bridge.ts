import type { Pool } from 'pg';

import type { Logger } from '../seams';
import { pgBossSchema } from '../pgboss/pg-boss-schema';
import type { ResolvedBridgeOptions } from './bridge-options';
import { resolveDashboardConnection } from './dashboard-connection';
import { type DashboardHandler, type LoadedDashboard, loadDashboard } from './load-dashboard';

/** The dashboard's own switch for its read-only mode, read on every request (1.9). */
const readOnlyVariable = 'PGBOSS_DASHBOARD_READ_ONLY';

/**
 * How many base paths get a handler of their own. A host normally has one; more appear only
 * when the control plane is reached under several prefixes. Past the limit the bridge refuses
 * instead of creating handlers for every prefix a trusted proxy forwards.
 */
export const maximumBasePaths = 8;

export interface Bridge {
  version: string;
  extendContentSecurityPolicy: boolean;
  /** The dashboard handler for one public base path, created on first use. Null past the limit. */
  handlerFor(publicBasePath: string): DashboardHandler | null;
  /** Closes every handler with its database pools; a later request creates a new one. */
  close(): Promise<void>;
}

/**
 * Loads @pg-boss/dashboard and prepares its handlers, pinned to the host's database and
 * pg-boss schema. Throws `PowertoolsConfigError` when the package is missing or the connection
 * string cannot be derived, so an enabled bridge fails at creation, not at the first request.
 *
 * It also turns on the dashboard's own read-only mode by setting PGBOSS_DASHBOARD_READ_ONLY=1
 * for the whole process: 1.9 reads the switch from the environment only. The bridge refuses
 * every write itself first, so the switch is a second guard, and it hides the dashboard's write
 * controls. Another dashboard mounted in the same process becomes read-only too.
 */
export function makeBridge(options: { bridge: ResolvedBridgeOptions; repo: Pool; logger: Logger | undefined }, load?: () => LoadedDashboard): Bridge {
  const dashboard = load ? load() : loadDashboard();
  const connectionString = resolveDashboardConnection(options.bridge.connectionString, options.repo);

  const previous = process.env[readOnlyVariable];
  if (previous !== undefined && previous !== '1') {
    options.logger?.warn({ event: 'bridge:read_only_forced', variable: readOnlyVariable }, `${readOnlyVariable} was set to another value; the bridge sets it to 1`);
  }
  process.env[readOnlyVariable] = '1';

  const handlers = new Map<string, DashboardHandler>();
  return {
    version: dashboard.version,
    extendContentSecurityPolicy: options.bridge.extendContentSecurityPolicy,

    handlerFor(publicBasePath) {
      const existing = handlers.get(publicBasePath);
      if (existing) return existing;
      if (handlers.size >= maximumBasePaths) return null;

      const handler = dashboard.createDashboardHandler({
        databases: [{ url: connectionString, schema: pgBossSchema }],
        basePath: publicBasePath,
        auth: false,
      });
      handlers.set(publicBasePath, handler);
      options.logger?.info({ event: 'bridge:handler_created', basePath: publicBasePath, dashboardVersion: dashboard.version }, 'pg-boss dashboard bridge handler created');
      return handler;
    },

    async close() {
      const closing = [...handlers.values()];
      handlers.clear();
      await Promise.all(closing.map((handler) => handler.close()));
    },
  };
}
