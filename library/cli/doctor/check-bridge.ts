import type { BridgeSetting } from './check-app-file';
import { type CheckResult, fail, pass, skip } from './doctor-check';

const dashboardPackage = '@pg-boss/dashboard';

/**
 * Checks that `@pg-boss/dashboard` resolves from the host folder when the createPowertools
 * call enables the read-only bridge. A bridge set from an expression may be on, so it is
 * checked too.
 */
export function checkBridge(hostDirectory: string, setting: BridgeSetting | null): CheckResult {
  const title = 'bridge dependency';
  if (setting === null) return skip('bridge', title, 'needs the app file');
  if (setting.kind === 'off') return skip('bridge', title, 'the bridge is not enabled, so @pg-boss/dashboard is not needed');

  const enabledBy = setting.kind === 'on' ? `bridge: ${setting.text} enables the bridge` : `bridge: ${setting.text} may enable the bridge`;
  try {
    const resolved = require.resolve(`${dashboardPackage}/package.json`, { paths: [hostDirectory] });
    const version = (require(resolved) as { version?: string }).version ?? 'unknown version';
    return pass('bridge', title, `${enabledBy}, and ${dashboardPackage} ${version} is installed`);
  } catch {
    // require.resolve throws when the package is not installed; that is the failure reported.
    return fail('bridge', title, `${enabledBy}, but ${dashboardPackage} is not installed in ${hostDirectory}`, `Run npm install ${dashboardPackage}, or set bridge: false.`);
  }
}
