import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KnownSecret } from '../../step-definitions/support/secret-scan';
import { resolveLane, runSecretScan, scanEnvelopes } from '../../step-definitions/support/secret-scan-report';

const sessionKey: KnownSecret = { value: 'sk_live_8c1f0e5d', label: 'session signing key' };
const repositoryRoot = path.resolve(__dirname, '..', '..');

describe('resolveLane', () => {
  test('resolveLane reads formatOptions', () => {
    assert.equal(resolveLane({}, { lane: 'upgrade-proof' }), 'upgrade-proof');
  });

  test('resolveLane reads KJP_LANE', () => {
    assert.equal(resolveLane({ KJP_LANE: 'fresh-install' }, {}), 'fresh-install');
  });

  test('resolveLane rejects disagreeing sources', () => {
    assert.throws(() => resolveLane({ KJP_LANE: 'bridge' }, { lane: 'upgrade-proof' }), { message: /Lane is ambiguous/ });
  });

  test('resolveLane rejects a missing lane', () => {
    assert.throws(() => resolveLane({}, {}), { message: /needs a lane: set KJP_LANE/ });
  });

  test('resolveLane rejects a path as lane', () => {
    assert.throws(() => resolveLane({ KJP_LANE: '../etc' }), { message: /Lane name is invalid/ });
  });
});

describe('scanEnvelopes', () => {
  test('scanEnvelopes names the envelope field', () => {
    const envelopes = [
      { meta: { protocolVersion: '27.0.0' } },
      { testStepFinished: { testStepResult: { status: 'FAILED', message: `login failed for key ${sessionKey.value}` } } },
    ];

    const scan = scanEnvelopes(envelopes, [sessionKey]);

    assert.deepEqual(scan.findings, [
      { label: 'session signing key', where: 'envelope 1 testStepFinished.testStepResult.message:1' },
    ]);
  });

  test('scanEnvelopes decodes base64 attachments', () => {
    const body = Buffer.from(JSON.stringify({ user: 'ops-demo', password: 'letmein-123' })).toString('base64');

    const scan = scanEnvelopes([{ attachment: { body, contentEncoding: 'BASE64', mediaType: 'application/json' } }], []);

    assert.deepEqual(scan.findings, [{ label: 'password in JSON', where: 'envelope 0 attachment (decoded):1' }]);
  });

  test('scanEnvelopes skips image attachments', () => {
    const body = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from(sessionKey.value)]).toString('base64');

    const scan = scanEnvelopes([{ attachment: { body, contentEncoding: 'BASE64', mediaType: 'image/jpeg' } }], [sessionKey]);

    assert.deepEqual(scan.findings, []);
    assert.deepEqual(scan.skipped, [{ where: 'envelope 0 attachment (decoded)', reason: 'JPEG image' }]);
  });
});

describe('runSecretScan', () => {
  let workingDirectory: string;

  before(async () => {
    workingDirectory = await mkdtemp(path.join(tmpdir(), 'kjp-secret-report-'));
  });

  after(async () => {
    await rm(workingDirectory, { recursive: true, force: true });
  });

  test('runSecretScan writes a report without values', async () => {
    const laneDirectory = path.join(workingDirectory, 'proof', 'upgrade-proof');
    await mkdir(laneDirectory, { recursive: true });
    await writeFile(path.join(laneDirectory, 'report.html'), `<p>${sessionKey.value}</p>`);
    await writeFile(path.join(laneDirectory, 'messages.ndjson'), `{"x":"${sessionKey.value}"}\n`);
    await writeFile(path.join(laneDirectory, 'evidence.json'), JSON.stringify({ sessionKey: sessionKey.value }));

    const report = await runSecretScan({ cwd: workingDirectory, lane: 'upgrade-proof', envelopes: [{}], secrets: [sessionKey] });
    const written = await readFile(path.join(laneDirectory, 'secret-scan.json'), 'utf8');

    assert.equal(report.filesScanned, 1, 'report.html and messages.ndjson are left to the envelope scan');
    assert.deepEqual(report.findings, [{ label: 'session signing key', where: 'evidence.json:1' }]);
    assert.deepEqual(JSON.parse(written), report);
    assert.ok(!written.includes(sessionKey.value));
  });

  test('runSecretScan fails the evidence of a leaking run', async () => {
    const laneDirectory = path.join(workingDirectory, 'proof', 'doctor');
    await mkdir(laneDirectory, { recursive: true });
    await writeFile(path.join(laneDirectory, 'evidence.json'), JSON.stringify({ lane: 'doctor', passed: true, claims: [{ status: 'PASSED' }] }));
    await writeFile(path.join(laneDirectory, 'leak.txt'), `postgres://app:${sessionKey.value}@db/app`);

    const report = await runSecretScan({ cwd: workingDirectory, lane: 'doctor', envelopes: [], secrets: [sessionKey] });
    const evidence = JSON.parse(await readFile(path.join(laneDirectory, 'evidence.json'), 'utf8'));

    assert.ok(report.findings.length > 0);
    assert.equal(evidence.passed, false);
    assert.deepEqual(evidence.secretScan, { findings: report.findings.length, filesScanned: report.filesScanned, envelopesScanned: 0, report: 'secret-scan.json' });
    assert.deepEqual(evidence.claims, [{ status: 'PASSED' }], 'the claims keep the status of their steps');
  });

  test('runSecretScan records a clean scan in the evidence', async () => {
    const laneDirectory = path.join(workingDirectory, 'proof', 'bridge');
    await mkdir(laneDirectory, { recursive: true });
    await writeFile(path.join(laneDirectory, 'evidence.json'), JSON.stringify({ lane: 'bridge', passed: true }));

    await runSecretScan({ cwd: workingDirectory, lane: 'bridge', envelopes: [{}], secrets: [sessionKey] });
    const evidence = JSON.parse(await readFile(path.join(laneDirectory, 'evidence.json'), 'utf8'));

    assert.equal(evidence.passed, true);
    assert.equal(evidence.secretScan.findings, 0);
  });

  test('runSecretScan leaves a run without evidence alone', async () => {
    const laneDirectory = path.join(workingDirectory, 'proof', 'native-first');
    await mkdir(laneDirectory, { recursive: true });

    await runSecretScan({ cwd: workingDirectory, lane: 'native-first', envelopes: [], secrets: [sessionKey] });

    await assert.rejects(readFile(path.join(laneDirectory, 'evidence.json'), 'utf8'), { code: 'ENOENT' });
  });
});

describe('secret-scan formatter', () => {
  let workingDirectory: string;

  before(async () => {
    workingDirectory = await mkdtemp(path.join(tmpdir(), 'kjp-secret-formatter-'));
    await mkdir(path.join(workingDirectory, 'features'));
    await writeFile(
      path.join(workingDirectory, 'features', 'login.feature'),
      'Feature: Login\n  Scenario: operator signs in\n    When the operator signs in\n',
    );
    await writeFile(
      path.join(workingDirectory, 'steps.js'),
      [
        `const { When } = require(${JSON.stringify(require.resolve('@cucumber/cucumber'))});`,
        `const { registerSecret } = require(${JSON.stringify(path.join(repositoryRoot, 'step-definitions/support/secret-scan.ts'))});`,
        "When('the operator signs in', function () {",
        `  registerSecret(${JSON.stringify(sessionKey.value)}, ${JSON.stringify(sessionKey.label)});`,
        `  if (process.env.LEAK === '1') this.attach('signed with ${sessionKey.value}', 'text/plain');`,
        '});',
      ].join('\n'),
    );
  });

  after(async () => {
    await rm(workingDirectory, { recursive: true, force: true });
  });

  function runCucumber(leak: boolean) {
    const formatter = path.join(repositoryRoot, 'step-definitions/support/secret-scan-formatter.js');
    return spawnSync(
      process.execPath,
      [
        path.join(repositoryRoot, 'node_modules/@cucumber/cucumber/bin/cucumber.js'),
        'features/login.feature',
        '--require-module',
        'ts-node/register/transpile-only',
        '--require',
        'steps.js',
        '--format',
        'summary',
        '--format',
        'html:proof/formatter-check/report.html',
        '--format',
        `${formatter}:proof/formatter-check/secret-scan.log`,
        '--format-options',
        '{"lane":"formatter-check"}',
      ],
      {
        cwd: workingDirectory,
        encoding: 'utf8',
        env: { ...process.env, LEAK: leak ? '1' : '0', TS_NODE_PROJECT: path.join(repositoryRoot, 'tsconfig.json'), NODE_PATH: path.join(repositoryRoot, 'node_modules') },
        timeout: 60_000,
      },
    );
  }

  test('secret-scan formatter passes a clean run', async () => {
    const run = runCucumber(false);

    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(await readFile(path.join(workingDirectory, 'proof/formatter-check/secret-scan.json'), 'utf8'));
    assert.deepEqual(report.findings, []);
    assert.ok(report.envelopesScanned > 0);
  });

  test('secret-scan formatter fails a leaking run', () => {
    const run = runCucumber(true);

    assert.equal(run.status, 1);
    assert.match(run.stdout, /1 scenario \(1 passed\)/, 'every scenario passed, so only the scan fails the run');
    assert.match(run.stderr, /found 1 leaked secret\(s\):\n {2}- session signing key at envelope \d+ attachment\.body:1/);
    assert.ok(!run.stderr.includes(sessionKey.value), 'the error never shows the secret');
  });
});
