import { PowertoolsConfigError } from '../errors';
import { supportedDashboardVersion } from './dashboard-routes';

export const dashboardPackage = '@pg-boss/dashboard';

/**
 * The part of @pg-boss/dashboard's `handler` export the bridge calls, declared here so the
 * library type-checks for hosts that do not install the optional package.
 */
export interface DashboardHandler {
  (request: Request): Promise<Response>;
  close(): Promise<void>;
}

export type CreateDashboardHandler = (options: {
  databases: Array<{ url: string; name?: string; schema?: string }>;
  basePath?: string;
  auth?: boolean;
}) => DashboardHandler;

export interface LoadedDashboard {
  version: string;
  createDashboardHandler: CreateDashboardHandler;
}

/** The command that installs the dashboard release the bridge accepts; the doctor prints it too. */
export const dashboardInstallCommand = `npm install ${dashboardPackage}@${supportedDashboardVersion.range}`;

const installHint = `Install it with \`${dashboardInstallCommand}\`, or set bridge: false.`;

/** True when `version` has the major and minor release whose routes the bridge's allow-list covers. */
export function isSupportedDashboardVersion(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major === supportedDashboardVersion.major && minor === supportedDashboardVersion.minor;
}

/**
 * Loads the optional peer dependency. Throws `PowertoolsConfigError` when it is missing, when its
 * version is not the release whose routes the bridge's allow-list covers, or when it does not
 * export `createDashboardHandler`. `load` is `require` except in tests.
 */
export function loadDashboard(load: (id: string) => unknown = require): LoadedDashboard {
  let manifest: { version?: unknown };
  let handlerModule: { createDashboardHandler?: unknown };
  try {
    manifest = load(`${dashboardPackage}/package.json`) as { version?: unknown };
    handlerModule = load(`${dashboardPackage}/handler`) as { createDashboardHandler?: unknown };
  } catch (error) {
    if (isMissing(error)) {
      throw new PowertoolsConfigError(
        'bridge',
        `createPowertools: bridge is enabled, but the optional peer dependency ${dashboardPackage} is not installed. ${installHint}`,
        { cause: error },
      );
    }
    throw new PowertoolsConfigError('bridge', `createPowertools: bridge is enabled, but ${dashboardPackage} failed to load: ${(error as Error).message}`, { cause: error });
  }

  const version = typeof manifest.version === 'string' ? manifest.version : '';
  if (!isSupportedDashboardVersion(version)) {
    throw new PowertoolsConfigError(
      'bridge',
      `createPowertools: bridge is enabled, but ${dashboardPackage} ${version || '(no version)'} is installed. The bridge's list of read-only dashboard routes was checked against ${supportedDashboardVersion.range} only. ${installHint}`,
    );
  }
  if (typeof handlerModule.createDashboardHandler !== 'function') {
    throw new PowertoolsConfigError('bridge', `createPowertools: ${dashboardPackage} ${version} has no createDashboardHandler export. ${installHint}`);
  }

  return { version, createDashboardHandler: handlerModule.createDashboardHandler as CreateDashboardHandler };
}

/** True only when the dashboard package itself is missing, not one of its own dependencies. */
function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  return new RegExp(`Cannot find (module|package) '${dashboardPackage}(/|')`).test((error as Error).message);
}
