import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { BrowserContext, Page } from 'playwright';
import { expect } from 'playwright/test';

import { runSecrets, useBrowser } from './lane-resources';
import { redactTrace } from './redact-trace';
import { registerSecret } from './secret-scan';
import type { AnyLaneWorld } from './world';

/**
 * Opens a browser context for one actor, signs in through the host's own login form, and
 * starts the Playwright trace once the password has been typed, so the trace never contains it.
 */
export async function signIn(world: AnyLaneWorld, baseUrl: string, username: string): Promise<Page> {
  const browser = await useBrowser();
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  watchForErrors(world, context, page);
  world.context = context;
  world.page = page;

  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(runSecrets.operatorPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');

  // The session cookie is a credential: the secret scan looks for it, and closeSession strips it from the trace.
  for (const cookie of await context.cookies()) registerSecret(cookie.value, `session cookie ${cookie.name}`);
  await context.tracing.start({ screenshots: true, snapshots: true, title: world.scenarioName });
  return page;
}

/** Follows the operator's path: overview, the Cron tab, the entry. */
export async function openCronEntry(page: Page, mountPath: string, entryName: string): Promise<void> {
  await page.goto(`${mountPath}/`);
  await page.getByRole('navigation', { name: 'Control plane' }).getByRole('link', { name: 'Cron' }).click();
  await page.getByRole('table', { name: 'Cron entries' }).getByRole('link', { name: entryName, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Cron entry ${entryName}`);
}

/** Opens the preview of an action from the entry page, gives the reason and confirms. */
export async function confirmCronAction(page: Page, entryName: string, verb: string, reason: string): Promise<void> {
  await page.getByRole('link', { name: `${verb} ${entryName}` }).click();
  await expect(page.getByRole('heading', { name: 'What will change' })).toBeVisible();
  await page.getByLabel(/^Reason/).fill(reason);
  await page.getByRole('button', { name: `Confirm: ${verb} ${entryName}` }).click();
}

export async function saveScreenshot(world: AnyLaneWorld, proofDirectory: string, name: string): Promise<void> {
  const directory = path.join(proofDirectory, 'screenshots');
  mkdirSync(directory, { recursive: true });
  const image = await world.page!.screenshot({ path: path.join(directory, `${name}.png`), fullPage: true });
  world.attach(image, 'image/png');
}

/** Stops the trace into the proof bundle and closes the context. */
export async function closeSession(world: AnyLaneWorld, proofDirectory: string, traceName: string): Promise<void> {
  if (!world.context) return;
  const directory = path.join(proofDirectory, 'traces');
  mkdirSync(directory, { recursive: true });
  const tracePath = path.join(directory, `${traceName}.zip`);
  const stopped = await world.context.tracing.stop({ path: tracePath }).then(
    () => true,
    // Tracing never started when sign-in itself failed; there is no trace to keep then.
    () => false,
  );
  if (stopped) redactTrace(tracePath);
  await world.context.close();
  world.context = null;
  world.page = null;
}

/** Records a page's console errors (except 4xx documents), uncaught errors and 5xx responses on the world. */
export function watchForErrors(world: AnyLaneWorld, context: BrowserContext, page: Page): void {
  page.on('console', (message) => {
    // Chromium logs every 4xx document as a console error; refusals are expected outcomes here, and the response watcher below catches 5xx.
    if (message.type() !== 'error' || /status of 4\d\d/.test(message.text())) return;
    world.unexpectedErrors.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => world.unexpectedErrors.push(`page error: ${error.message}`));
  context.on('response', (response) => {
    if (response.status() >= 500) world.unexpectedErrors.push(`HTTP ${response.status()} from ${new URL(response.url()).pathname}`);
  });
}
