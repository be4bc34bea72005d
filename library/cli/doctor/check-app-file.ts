import path from 'node:path';

import { findMount } from '../app-file/find-mount';
import { loadTypeScript } from '../app-file/load-typescript';
import { parseAppFile } from '../app-file/parse-app-file';
import { type PowertoolsCall, readPowertoolsCalls } from '../app-file/read-powertools-config';
import { type CheckResult, fail, pass, skip } from './doctor-check';

// The seams createPowertools requires, with the fix the doctor prints when one is missing.
const requiredSeams = [
  { name: 'repo', fix: "Pass the host's pg.Pool as repo, for example repo: pool." },
  { name: 'auth', fix: 'Pass a host-owned AuthModule as auth; npx jobs-powertools install generates a starter that denies everyone until you edit it.' },
  { name: 'displayPolicy', fix: 'Pass a host-owned display policy as displayPolicy; npx jobs-powertools install generates a starter with a place to redact.' },
] as const;

/** The app file's setting of the optional bridge, for the bridge check. */
export type BridgeSetting = { kind: 'off' } | { kind: 'on'; text: string } | { kind: 'unknown'; text: string };

/**
 * Checks the app file's syntax tree: the three required seams in the createPowertools call and
 * the mount inside a host-owned scope. Also returns how the call sets `bridge`.
 */
export function checkAppFile(hostDirectory: string, appFile: string, mountPath: string): { results: CheckResult[]; bridge: BridgeSetting } {
  const displayName = path.relative(hostDirectory, appFile) || path.basename(appFile);
  const parsed = parseAppFile(loadTypeScript(hostDirectory), appFile);
  const calls = readPowertoolsCalls(parsed);
  const results: CheckResult[] = [];

  if (calls.length !== 1 || calls[0].unreadable) {
    const problem = describeUncheckableCalls(displayName, calls);
    for (const seam of requiredSeams) {
      results.push(fail(`seam:${seam.name}`, `seam ${seam.name}`, problem.detail, problem.fix(seam.name)));
    }
  } else {
    const call = calls[0];
    for (const seam of requiredSeams) {
      const option = call.options.get(seam.name);
      if (option?.kind === 'given') {
        results.push(pass(`seam:${seam.name}`, `seam ${seam.name}`, `createPowertools in ${displayName} (line ${call.line}) receives ${seam.name}: ${option.text}`));
      } else if (option?.kind === 'empty') {
        results.push(fail(`seam:${seam.name}`, `seam ${seam.name}`, `createPowertools in ${displayName} (line ${call.line}) sets ${seam.name} to ${option.text}; createPowertools throws at start`, seam.fix));
      } else if (call.spreads) {
        results.push(fail(`seam:${seam.name}`, `seam ${seam.name}`, `createPowertools in ${displayName} (line ${call.line}) has no ${seam.name} option, and spreads an object the doctor cannot read`, `Write ${seam.name} into the createPowertools options directly. ${seam.fix}`));
      } else {
        results.push(fail(`seam:${seam.name}`, `seam ${seam.name}`, `createPowertools in ${displayName} (line ${call.line}) has no ${seam.name} option; createPowertools throws at start`, seam.fix));
      }
    }
  }

  const mount = findMount(parsed, mountPath);
  results.push(mount.found
    ? pass('mount', 'mount', `${displayName}: ${mount.detail}`)
    : fail('mount', 'mount', `${displayName}: ${mount.detail}`, `Mount powertools.router on a router with prefix '${mountPath}' after at least one host middleware (the scope's own check), as npx jobs-powertools install writes it. A host that mounts elsewhere is best-effort.`));

  return { results, bridge: readBridgeSettings(calls) };
}

/** Describes the detail and the fix that every seam check reports when the app file has no single readable call. */
function describeUncheckableCalls(displayName: string, calls: PowertoolsCall[]): { detail: string; fix: (seam: string) => string } {
  if (calls.length === 0) {
    return { detail: `${displayName} never calls createPowertools`, fix: () => 'Run npx jobs-powertools install, or pass --app with the file that calls createPowertools.' };
  }
  if (calls.length > 1) {
    const lines = calls.map((call) => call.line);
    return {
      detail: `${displayName} calls createPowertools ${calls.length} times (lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}); the doctor checks a host with one control plane, so it cannot tell which call's options to check`,
      fix: () => `Keep one createPowertools call in ${displayName} and mount its router once. A host with more than one control plane is best-effort: the doctor cannot check its seams.`,
    };
  }
  return { detail: calls[0].unreadable!, fix: (seam) => `Pass the options to createPowertools as an object literal so ${seam} can be checked.` };
}

/**
 * Reads how the calls set `bridge`. With several calls, the first one that may enable the bridge
 * decides, because the package is needed as soon as one control plane mounts it.
 */
function readBridgeSettings(calls: PowertoolsCall[]): BridgeSetting {
  const settings = calls.filter((call) => !call.unreadable).map((call) => readBridgeSetting(call.options.get('bridge')));
  return settings.find((setting) => setting.kind !== 'off') ?? { kind: 'off' };
}

/** Reads `bridge: false` or `bridge: { enabled: ... }`; any other expression may enable it. */
function readBridgeSetting(option: { kind: 'given' | 'empty'; text: string } | undefined): BridgeSetting {
  if (!option || option.kind === 'empty' || option.text === 'false') return { kind: 'off' };
  if (option.text.startsWith('{')) {
    if (/\benabled\s*:\s*false\b/.test(option.text)) return { kind: 'off' };
    if (/\benabled\s*:\s*true\b/.test(option.text)) return { kind: 'on', text: option.text };
  }
  return { kind: 'unknown', text: option.text };
}

export function skipAppFileChecks(reason: string): CheckResult[] {
  return [...requiredSeams.map((seam) => skip(`seam:${seam.name}`, `seam ${seam.name}`, reason)), skip('mount', 'mount', reason)];
}
