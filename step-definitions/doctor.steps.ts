import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Given, Then, When } from '@cucumber/cucumber';

import { findLane } from '../lanes/index';
import type { DoctorLaneDeclaration } from '../lanes/lane-declaration';
import { type CliRun, runJobsPowertools } from './support/cli-process';
import { timed } from './support/lane-resources';
import { copyHostFolder, type LaneHost, noteScenarioHost, useReferenceHost } from './support/lane-hosts';
import { noteLane } from './support/proof-bundle';
import type { LaneWorld } from './support/world';

type DoctorWorld = LaneWorld<DoctorLaneDeclaration>;

interface DoctorCheck {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  detail: string;
  fix: string | null;
}

interface ScenarioState {
  host: LaneHost;
  /** The folder the doctor checks: the reference host, or a copy of it. */
  checkedDirectory: string;
  run: CliRun | null;
  checks: DoctorCheck[];
}

const states = new WeakMap<DoctorWorld, ScenarioState>();

function stateOf(world: DoctorWorld): ScenarioState {
  const state = states.get(world);
  assert.ok(state, 'The reference host is not running for this scenario; the Background starts it.');
  return state;
}

/** Runs the doctor as a host team or CI would, against the running host's database and URL. */
async function runDoctor(world: DoctorWorld): Promise<void> {
  const state = stateOf(world);
  const args = ['doctor', '--dir', state.checkedDirectory, '--url', state.host.run!.baseUrl!, '--mount-path', world.lane.host.mountPath];
  const env = { DATABASE_URL: state.host.databaseUrl };
  const text = await timed('cliMs', () => runJobsPowertools(args, { cwd: state.checkedDirectory, env }));
  world.attach(`$ jobs-powertools ${args.slice(0, 3).join(' ')} ...\n(exit ${text.exitCode})\n${text.stdout}${text.stderr}`, 'text/plain');

  state.run = await timed('cliMs', () => runJobsPowertools([...args, '--json'], { cwd: state.checkedDirectory, env }));
  assert.equal(state.run.exitCode, text.exitCode, 'The doctor exits differently with --json.');
  state.checks = (JSON.parse(state.run.stdout) as { checks: DoctorCheck[] }).checks;
  world.proofFacts.doctor = { exitCode: state.run.exitCode, checks: state.checks };
}

Given('the reference host of the {string} lane is running', async function (this: DoctorWorld, laneName: string) {
  this.lane = findLane(laneName, 'doctor');
  noteLane(this.lane);
  const host = await useReferenceHost(this.lane);
  noteScenarioHost(this, host);
  states.set(this, { host, checkedDirectory: host.directory, run: null, checks: [] });
});

When('the doctor checks the reference host', async function (this: DoctorWorld) {
  await runDoctor(this);
});

Then('every check passes', function (this: DoctorWorld) {
  const checks = stateOf(this).checks;
  const expected = ['seam:repo', 'seam:auth', 'seam:displayPolicy', 'mount', 'database', 'migrations', 'pg-boss-schema', 'scheduler', 'bridge', 'mount-reachable'];
  assert.deepEqual(checks.map((check) => check.id), expected);
  for (const check of checks) assert.equal(check.status, 'pass', `${check.id}: ${check.detail}`);
});

Then('the doctor exits with success', function (this: DoctorWorld) {
  assert.equal(stateOf(this).run!.exitCode, 0);
});

Given(/^a copy of the reference host whose app leaves out (repo|auth|displayPolicy)$/, function (this: DoctorWorld, seam: string) {
  const state = stateOf(this);
  assert.ok(this.lane.requiredSeams.includes(seam as DoctorLaneDeclaration['requiredSeams'][number]), `The doctor lane does not declare ${seam} as required.`);
  state.checkedDirectory = copyHostFolder(this.lane.host.directory, `doctor-without-${seam}`);
  removeOption(path.join(state.checkedDirectory, this.lane.host.appFile), seam);
  this.proofFacts.removedSeam = seam;
});

When('the doctor checks that copy', async function (this: DoctorWorld) {
  await runDoctor(this);
});

Then(/^only the check of the (repo|auth|displayPolicy) seam fails, with its fix$/, function (this: DoctorWorld, seam: string) {
  const failed = stateOf(this).checks.filter((check) => check.status === 'fail');
  assert.deepEqual(failed.map((check) => check.id), [`seam:${seam}`]);
  assert.match(failed[0].detail, new RegExp(`has no ${seam} option`));
  assert.ok(failed[0].fix, `The failure of ${seam} carries no fix.`);
  assert.ok(failed[0].fix.includes(seam), `The fix does not name ${seam}: ${failed[0].fix}`);
});

Then('the doctor exits with failure', function (this: DoctorWorld) {
  assert.equal(stateOf(this).run!.exitCode, 1);
});

/** Deletes the one line that passes `option` to createPowertools in a host copy's app file. */
function removeOption(appFile: string, option: string): void {
  const lines = readFileSync(appFile, 'utf8').split('\n');
  const matching = lines.filter((line) => new RegExp(`^\\s+${option}:`).test(line));
  assert.equal(matching.length, 1, `Expected one line passing ${option} in ${appFile}, found ${matching.length}.`);
  writeFileSync(appFile, lines.filter((line) => line !== matching[0]).join('\n'));
}
