import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import type { Browser } from 'playwright';
import pino from 'pino';

import { launchChromium } from '../../step-definitions/support/browser';
import { redactedValue, redactTrace } from '../../step-definitions/support/redact-trace';
import { scanFiles } from '../../step-definitions/support/secret-scan';
import { readZipEntries } from '../../step-definitions/support/zip-entries';
import { writeZip } from '../../step-definitions/support/zip-writer';

const sessionCookie = 'session-value-that-must-not-leak-4f9a';
let server: Server;
let baseUrl: string;
let browser: Browser;
let directory: string;

before(async () => {
  // A loopback server that sets a session cookie and a page that sends it back.
  server = createServer((request, response) => {
    response.setHeader('Set-Cookie', `app.sid=${sessionCookie}; Path=/; HttpOnly`);
    response.setHeader('Content-Type', 'text/html');
    response.end(`<h1>${request.url === '/second' ? 'Second' : 'First'}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium({ logger: pino({ level: 'silent' }) });
  directory = await mkdtemp(path.join(tmpdir(), 'kjp-redact-'));
});

after(async () => {
  await browser.close();
  server.close();
  await rm(directory, { recursive: true, force: true });
});

async function recordTrace(name: string): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl}/first`);
  await context.tracing.start({ snapshots: true, screenshots: false });
  await page.goto(`${baseUrl}/second`);
  const tracePath = path.join(directory, name);
  await context.tracing.stop({ path: tracePath });
  await context.close();
  return tracePath;
}

test('redactTrace removes cookie values from a real trace', async () => {
  const tracePath = await recordTrace('cookie.zip');
  const before = await scanFiles(directory, { secrets: [{ value: sessionCookie, label: 'session cookie' }] });
  assert.ok(before.findings.length > 0, 'the unredacted trace should contain the cookie, or this test proves nothing');

  const replaced = redactTrace(tracePath);

  assert.ok(replaced > 0);
  const afterScan = await scanFiles(directory, { secrets: [{ value: sessionCookie, label: 'session cookie' }] });
  assert.deepEqual(afterScan.findings, []);
});

test('redactTrace keeps every entry and the page content', async () => {
  const tracePath = await recordTrace('entries.zip');
  const namesBefore = readZipEntries(await readFile(tracePath)).map((entry) => entry.name);

  redactTrace(tracePath);

  const entries = readZipEntries(await readFile(tracePath));
  assert.deepEqual(entries.map((entry) => entry.name), namesBefore);
  const network = entries.find((entry) => entry.name.endsWith('.network'))!.read().toString('utf8');
  assert.match(network, /\/second/);
  assert.ok(network.includes(redactedValue));
});

test('writeZip output reads back byte for byte', () => {
  const files = [
    { name: 'a.txt', data: Buffer.from('first file') },
    { name: 'nested/ü.bin', data: Buffer.from([0, 1, 2, 255]) },
    { name: 'empty', data: Buffer.alloc(0) },
  ];

  const entries = readZipEntries(writeZip(files));

  assert.deepEqual(entries.map((entry) => entry.name), files.map((file) => file.name));
  for (const [index, entry] of entries.entries()) assert.deepEqual(entry.read(), files[index].data);
});
