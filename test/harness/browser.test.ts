import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { CHROMIUM_ARGS, chooseChromiumBinary, launchChromium } from '../../step-definitions/support/browser';

const missingPath = '/nonexistent/kjp/chromium';

describe('chooseChromiumBinary', () => {
  test('chooseChromiumBinary prefers CHROMIUM_PATH', () => {
    const binary = chooseChromiumBinary({ CHROMIUM_PATH: process.execPath }, missingPath);

    assert.deepEqual(binary, { executablePath: process.execPath, reason: 'CHROMIUM_PATH is set' });
  });

  test('chooseChromiumBinary rejects a missing CHROMIUM_PATH', () => {
    assert.throws(() => chooseChromiumBinary({ CHROMIUM_PATH: missingPath }), {
      message: /CHROMIUM_PATH is set to \/nonexistent\/kjp\/chromium, but no file exists there/,
    });
  });

  test('chooseChromiumBinary uses the system binary', () => {
    const binary = chooseChromiumBinary({}, process.execPath);

    assert.equal(binary.executablePath, process.execPath);
  });

  test('chooseChromiumBinary falls back to Playwright', () => {
    const binary = chooseChromiumBinary({}, missingPath);

    assert.equal(binary.executablePath, undefined);
    assert.match(binary.reason, /using the Playwright build/);
  });
});

describe('launchChromium', () => {
  test('launchChromium reads a data URL heading', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });

    const browser = await launchChromium({ logger });
    try {
      const page = await browser.newPage();
      await page.goto('data:text/html,<title>ops</title><h1>Cron entries</h1>');

      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Cron entries');
      assert.equal(browser.isConnected(), true);
    } finally {
      await browser.close();
    }

    const launched = JSON.parse(lines.find((line) => line.includes('chromium launched')) ?? '{}');
    assert.ok(launched.executablePath, 'the log names the binary');
    assert.ok(launched.reason, 'the log says why');
    assert.match(launched.version, /^\d+\./);
  });

  test('CHROMIUM_ARGS disable background services', () => {
    for (const flag of ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync']) {
      assert.ok(CHROMIUM_ARGS.includes(flag), `${flag} is passed`);
    }
  });
});
