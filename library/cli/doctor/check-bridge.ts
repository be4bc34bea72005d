import { readFileSync } from 'node:fs';

import { supportedDashboardVersion } from '../../bridge/dashboard-routes';
import { dashboardInstallCommand, dashboardPackage, isSupportedDashboardVersion } from '../../bridge/load-dashboard';
import type { BridgeSetting } from './check-app-file';
import { type CheckResult, fail, pass, skip } from './doctor-check';

const installFix = `Run ${dashboardInstallCommand}, or set bridge: false.`;

/**
 * Checks that `@pg-boss/dashboard` resolves from the host folder, in a release createPowertools
 * accepts, when the createPowertools call enables the read-only bridge. A bridge set from an
 * expression may be on, so it is checked too.
 */
export function checkBridge(hostDirectory: string, setting: BridgeSetting | null): CheckResult {
  const title = 'bridge dependency';
  if (setting === null) return skip('bridge', title, 'needs the app file');
  if (setting.kind === 'off') return skip('bridge', title, `the bridge is not enabled, so ${dashboardPackage} is not needed`);

  const enabledBy = setting.kind === 'on' ? `bridge: ${setting.text} enables the bridge` : `bridge: ${setting.text} may enable the bridge`;
  let manifestFile: string;
  try {
    manifestFile = require.resolve(`${dashboardPackage}/package.json`, { paths: [hostDirectory] });
  } catch {
    // require.resolve throws when the package is not installed; that is the failure reported.
    return fail('bridge', title, `${enabledBy}, but ${dashboardPackage} is not installed in ${hostDirectory}`, installFix);
  }

  const version = readManifestVersion(manifestFile);
  if (!isSupportedDashboardVersion(version)) {
    return fail('bridge', title, `${enabledBy}, but ${dashboardPackage} ${version || '(no version)'} is installed; createPowertools accepts only ${supportedDashboardVersion.range} and throws at start`, installFix);
  }
  return pass('bridge', title, `${enabledBy}, and ${dashboardPackage} ${version} is installed`);
}

/**
 * Reads the manifest's version, or '' when it has none. It reads the file instead of requiring
 * it, so a second run in the same process gets the release installed now, not a cached one.
 */
function readManifestVersion(manifestFile: string): string {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '';
  } catch {
    // An unreadable manifest has no version that createPowertools would accept either.
    return '';
  }
}
