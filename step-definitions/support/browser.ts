// Launches the Chromium that lanes drive: CHROMIUM_PATH when set, the distribution's
// /usr/bin/chromium when present, otherwise the build that `npx playwright install` downloads.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright';
import type { Logger } from 'pino';

export interface LaunchChromiumOptions {
  logger: Logger;
  headless?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface ChromiumBinary {
  /** Undefined means Playwright's own downloaded build. */
  executablePath: string | undefined;
  reason: string;
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

// Chromium refuses to start its sandbox as root, and CI containers often run as root. The other
// flags turn off background networking, component updates and sync, so the browser sends as
// little traffic of its own as its switches allow.
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Picks the Chromium binary. A CHROMIUM_PATH that does not exist is an error, not a fallback. */
export function chooseChromiumBinary(env: NodeJS.ProcessEnv = process.env, systemPath = SYSTEM_CHROMIUM): ChromiumBinary {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) {
      throw new Error(`CHROMIUM_PATH is set to ${configured}, but no file exists there. Fix the path or unset CHROMIUM_PATH.`);
    }
    return { executablePath: configured, reason: 'CHROMIUM_PATH is set' };
  }

  if (existsSync(systemPath)) {
    return { executablePath: systemPath, reason: `${systemPath} exists` };
  }

  return { executablePath: undefined, reason: `no CHROMIUM_PATH and no ${systemPath}; using the Playwright build` };
}

/** Launches Chromium with the lane arguments and logs which binary runs and why. */
export async function launchChromium(options: LaunchChromiumOptions): Promise<Browser> {
  const { logger, headless = true, env = process.env } = options;
  const binary = chooseChromiumBinary(env);

  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: binary.executablePath, headless, args: [...CHROMIUM_ARGS] });
  } catch (error) {
    logger.error({ executablePath: binary.executablePath ?? 'playwright', reason: binary.reason, err: error }, 'chromium launch failed');
    throw error;
  }

  logger.info(
    { executablePath: binary.executablePath ?? 'playwright', reason: binary.reason, version: browser.version(), headless },
    'chromium launched',
  );
  browser.on('disconnected', () => logger.debug({ version: browser.version() }, 'chromium disconnected'));
  return browser;
}
