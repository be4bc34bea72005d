import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs the upgrade-proof lane several times and reports the median wall time, split into the
 * phases the harness records in evidence.json: Postgres provisioning (server start, source
 * template, per-scenario database clones), migrations (the upgrade actions), host boot and
 * browser steps. "Other" is the rest: cucumber start-up, ts-node compilation, snapshots.
 *
 * Usage: node -r ts-node/register/transpile-only bench/upgrade-proof-lane.ts [runs=5]
 */

const repositoryRoot = path.resolve(__dirname, '..');
const runs = Number(process.argv[2] ?? '5');
const cucumber = path.join(repositoryRoot, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
const phases = ['provisioningMs', 'migrationsMs', 'hostBootMs', 'browserMs'] as const;

interface Sample {
  wallMs: number;
  phases: Record<(typeof phases)[number], number>;
}

function runOnce(): Sample {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cucumber, '--profile', 'upgrade-proof'], { cwd: repositoryRoot, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' } });
  const wallMs = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`the lane failed (exit ${result.status}); the benchmark only times passing runs:\n${result.stdout.slice(-2000)}`);
  }
  const evidence = JSON.parse(readFileSync(path.join(repositoryRoot, 'proof', 'upgrade-proof', 'evidence.json'), 'utf8')) as { timingsMs: Sample['phases'] };
  return { wallMs, phases: evidence.timingsMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const samples: Sample[] = [];
for (let index = 0; index < runs; index += 1) {
  samples.push(runOnce());
  process.stderr.write(`run ${index + 1}/${runs}: ${Math.round(samples[index].wallMs)} ms\n`);
}

const medianWall = median(samples.map((sample) => sample.wallMs));
const medianPhases = Object.fromEntries(phases.map((phase) => [phase, median(samples.map((sample) => sample.phases[phase]))]));
const accounted = phases.reduce((sum, phase) => sum + medianPhases[phase], 0);

const lines = [
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.versions.node}`,
  `runs: ${runs}; wall times (ms): ${samples.map((sample) => Math.round(sample.wallMs)).join(', ')}`,
  '',
  '| phase | median ms |',
  '| --- | ---: |',
  ...phases.map((phase) => `| ${phase.replace('Ms', '')} | ${Math.round(medianPhases[phase])} |`),
  `| other (cucumber start, compilation, snapshots) | ${Math.round(medianWall - accounted)} |`,
  `| **whole lane** | **${Math.round(medianWall)}** |`,
];
process.stdout.write(`${lines.join('\n')}\n`);
