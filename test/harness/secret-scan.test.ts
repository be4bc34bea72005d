import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import pino from 'pino';
import { launchChromium } from '../../step-definitions/support/browser';
import {
  clearRegisteredSecrets,
  findSecretsInText,
  registerSecret,
  registeredSecrets,
  scanFiles,
  type KnownSecret,
} from '../../step-definitions/support/secret-scan';

const dbPassword: KnownSecret = { value: 'kd83Jf!x@p9', label: 'postgres password' };
const hasZipTool = existsSync('/usr/bin/zip');

function labels(findings: { label: string }[]): string[] {
  return findings.map((finding) => finding.label);
}

// A real PNG whose tEXt chunk contains `text`, so a scan that read images would find it.
function makePng(text: string): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typeAndData));
    return Buffer.concat([length, typeAndData, crc]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1')),
    chunk('IDAT', deflateSync(Buffer.from([0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('secret registry', () => {
  beforeEach(() => clearRegisteredSecrets());

  test('registerSecret ignores short values', () => {
    registerSecret('abc12', 'too short');
    registerSecret('abc123', 'long enough');

    assert.deepEqual(registeredSecrets(), [{ value: 'abc123', label: 'long enough' }]);
  });

  test('findSecretsInText uses registered secrets by default', () => {
    registerSecret('session-key-4711', 'session key');

    const findings = findSecretsInText('boot\nkeys: session-key-4711\n');

    assert.deepEqual(findings, [{ label: 'session key', where: 'text:2' }]);
  });
});

describe('findSecretsInText', () => {
  test('findSecretsInText finds a registered secret', () => {
    const findings = findSecretsInText('line one\nconnect with kd83Jf!x@p9 now', [dbPassword], 'host.log');

    assert.deepEqual(findings, [{ label: 'postgres password', where: 'host.log:2' }]);
    assert.ok(!JSON.stringify(findings).includes(dbPassword.value), 'findings never contain the secret');
  });

  test('findSecretsInText finds a percent-encoded secret', () => {
    const findings = findSecretsInText(`url ${encodeURIComponent(dbPassword.value)} end`, [dbPassword]);

    assert.deepEqual(labels(findings), ['postgres password']);
  });

  test('findSecretsInText finds a URL password', () => {
    const findings = findSecretsInText('DATABASE_URL=postgres://app:hunter22@127.0.0.1:5432/app', []);

    assert.deepEqual(findings, [{ label: 'password in a connection URL', where: 'text:1' }]);
  });

  test('findSecretsInText ignores redacted and password-free URLs', () => {
    const text = [
      'postgres://app:***@127.0.0.1:5432/app',
      'postgres://app@127.0.0.1:5432/app',
      'https://example.com:8443/path@ref',
      'http://127.0.0.1:3000/ops/jobs',
    ].join('\n');

    assert.deepEqual(findSecretsInText(text, []), []);
  });

  test('findSecretsInText finds a bearer header', () => {
    const plain = findSecretsInText('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', []);
    const json = findSecretsInText('{"name":"authorization","value":"Bearer abcdef123456"}', []);

    assert.deepEqual(labels(plain), ['bearer token in an Authorization header']);
    assert.deepEqual(labels(json), ['bearer token in an Authorization header']);
    assert.deepEqual(findSecretsInText('the Bearer scheme is described in RFC 6750', []), []);
  });

  test('findSecretsInText finds koa session cookies', () => {
    const header = findSecretsInText('Cookie: koa.sess=eyJ1c2VyIjoib3BzLWRlbW8ifQ; koa.sess.sig=Zm9vYmFy', []);
    const json = findSecretsInText('{"name":"koa.sess","value":"eyJ1c2VyIjoib3BzIn0","domain":"127.0.0.1"}', []);

    assert.deepEqual(labels(header).sort(), ['koa.sess cookie value', 'koa.sess.sig cookie value']);
    assert.deepEqual(labels(json), ['koa.sess cookie value']);
  });

  test('findSecretsInText ignores a cleared cookie', () => {
    assert.deepEqual(findSecretsInText('Set-Cookie: koa.sess=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT', []), []);
  });

  test('findSecretsInText finds a JSON password', () => {
    const plain = findSecretsInText('{"user": "ops-demo", "password": "correct horse"}', []);
    const escaped = findSecretsInText('{"postData":"{\\"password\\":\\"correct horse\\"}"}', []);

    assert.deepEqual(labels(plain), ['password in JSON']);
    assert.deepEqual(labels(escaped), ['password in JSON']);
  });

  test('findSecretsInText ignores an empty JSON password', () => {
    assert.deepEqual(findSecretsInText('{"password": "", "other": "x"}', []), []);
    assert.deepEqual(findSecretsInText('{"password": "***"}', []), []);
  });
});

describe('scanFiles', () => {
  let directory: string;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'kjp-secret-scan-'));
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function makeCase(name: string): Promise<string> {
    const caseDirectory = path.join(directory, name);
    await mkdir(caseDirectory, { recursive: true });
    return caseDirectory;
  }

  test('scanFiles finds secrets in nested text files', async () => {
    const caseDirectory = await makeCase('text');
    await mkdir(path.join(caseDirectory, 'logs'));
    await writeFile(path.join(caseDirectory, 'evidence.json'), '{"provider": "embedded"}\n');
    await writeFile(path.join(caseDirectory, 'logs', 'host.log'), `started\npassword is ${dbPassword.value}\n`);

    const result = await scanFiles(caseDirectory, { secrets: [dbPassword] });

    assert.equal(result.filesScanned, 2);
    assert.deepEqual(result.findings, [{ label: 'postgres password', where: path.join('logs', 'host.log') + ':2' }]);
  });

  test('scanFiles honours exclude', async () => {
    const caseDirectory = await makeCase('exclude');
    await writeFile(path.join(caseDirectory, 'report.html'), `<p>${dbPassword.value}</p>`);
    await writeFile(path.join(caseDirectory, 'notes.txt'), 'nothing secret');

    const result = await scanFiles(caseDirectory, { secrets: [dbPassword], exclude: (file) => file === 'report.html' });

    assert.equal(result.filesScanned, 1);
    assert.deepEqual(result.findings, []);
  });

  test('scanFiles skips a PNG and notes it', async () => {
    const caseDirectory = await makeCase('png');
    await writeFile(path.join(caseDirectory, 'cron-paused.png'), makePng(dbPassword.value));

    const result = await scanFiles(caseDirectory, { secrets: [dbPassword] });

    assert.equal(result.filesScanned, 1);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.skipped, [{ where: 'cron-paused.png', reason: 'PNG image' }]);
  });

  test('scanFiles does not follow symlinks', async () => {
    const caseDirectory = await makeCase('symlink');
    const outside = await makeCase('outside');
    await writeFile(path.join(outside, 'secret.txt'), dbPassword.value);
    await symlink(outside, path.join(caseDirectory, 'linked'));

    const result = await scanFiles(caseDirectory, { secrets: [dbPassword] });

    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.skipped, [{ where: 'linked', reason: 'symbolic link, not followed' }]);
  });

  test('scanFiles reads zip entries', { skip: !hasZipTool && '/usr/bin/zip is not installed' }, async () => {
    const caseDirectory = await makeCase('zip');
    const sources = await makeCase('zip-sources');
    // Repetitive text so that zip -9 really deflates it (method 8).
    await writeFile(path.join(sources, 'network.log'), `${'GET /ops/jobs 200\n'.repeat(500)}url=postgres://app:${dbPassword.value}@db/app\n`);
    await writeFile(path.join(sources, 'plain.txt'), `stored ${dbPassword.value}\n`);

    const zip = (args: string[]) => execFileSync('zip', ['-q', '-j', ...args], { cwd: sources });
    zip(['-9', path.join(caseDirectory, 'deflated.zip'), 'network.log']);
    zip(['-0', path.join(caseDirectory, 'stored.zip'), 'plain.txt']);
    // -fz writes zip64 records, exercising the zip64 end-of-central-directory path.
    zip(['-fz', path.join(caseDirectory, 'zip64.zip'), 'plain.txt']);

    const result = await scanFiles(caseDirectory, { secrets: [dbPassword] });

    assert.equal(result.filesScanned, 3);
    assert.deepEqual(
      result.findings.map((finding) => finding.where).sort(),
      ['deflated.zip!network.log:501', 'deflated.zip!network.log:501', 'stored.zip!plain.txt:1', 'zip64.zip!plain.txt:1'],
    );
    assert.deepEqual(labels(result.findings.filter((finding) => finding.where.startsWith('deflated'))).sort(), [
      'password in a connection URL',
      'postgres password',
    ]);
  });

  test('scanFiles scans a damaged zip as text', async () => {
    const caseDirectory = await makeCase('damaged-zip');
    await writeFile(path.join(caseDirectory, 'trace.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from(dbPassword.value)]));

    const result = await scanFiles(caseDirectory, { secrets: [dbPassword] });

    assert.deepEqual(labels(result.findings), ['postgres password']);
    assert.match(result.skipped[0].reason, /zip not readable/);
  });

  test('scanFiles finds secrets in a Playwright trace', async () => {
    const caseDirectory = await makeCase('trace');
    const host = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end('<h1>Cron entries</h1><p>nightly_sync</p>');
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const port = (host.address() as { port: number }).port;

    const browser = await launchChromium({ logger: pino({ level: 'silent' }) });
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name: 'koa.sess', value: 'eyJvcGVyYXRvciI6Im9wcy1kZW1vIn0', url: `http://127.0.0.1:${port}` }]);
      await context.tracing.start({ screenshots: true, snapshots: true });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/ops/jobs/cron`);
      await page.evaluate((secret) => {
        document.body.insertAdjacentHTML('beforeend', `<p>${secret}</p>`);
      }, dbPassword.value);
      await page.getByText(dbPassword.value).waitFor();
      await context.tracing.stop({ path: path.join(caseDirectory, 'trace.zip') });
    } finally {
      await browser.close();
      host.close();
    }

    const result = await scanFiles(caseDirectory, { secrets: [dbPassword] });

    assert.equal(result.filesScanned, 1);
    assert.ok(labels(result.findings).includes('postgres password'), 'the DOM snapshot holds the secret');
    assert.ok(labels(result.findings).includes('koa.sess cookie value'), 'the network log holds the session cookie');
    assert.ok(result.findings.every((finding) => finding.where.startsWith('trace.zip!')));
    assert.ok(!JSON.stringify(result).includes(dbPassword.value), 'the result never contains the secret');
  });
});
