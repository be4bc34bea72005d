import assert from 'node:assert/strict';

import type { Page } from 'playwright';
import { expect } from 'playwright/test';

import type { FirstSessionLaneDeclaration, LaneStep } from '../../lanes/lane-declaration';
import { signIn } from './control-plane-page';
import { type AppliedStep, isReferenceHostStep, type LaneHost, recordStep } from './lane-hosts';
import { timed } from './lane-resources';
import { openControlPlane, openEntryFromCronTab, pauseOpenCronEntry } from './operator-session';
import type { LaneWorld } from './world';

export type FirstSessionWorld = LaneWorld<FirstSessionLaneDeclaration>;

/** The host, operator, cron entry and reason of a session step, as the Gherkin step names them. */
export interface SessionSubject {
  host: LaneHost;
  operator: string;
  /** The cron entry the session acts on. Steps before the Cron tab need none. */
  entryName?: string;
  /** The reason the operator gives for the pause. */
  reason?: string;
}

type SessionStepRunner = (world: FirstSessionWorld, subject: SessionSubject) => Promise<string>;

// Each browser step of the first session, keyed by its id in lanes/first-session/lane.ts. The
// declared steps before them (migrate, seed, start) are useReferenceHost's.
const sessionStepRunners: Record<string, SessionStepRunner> = {
  async 'sign-in'(world, { host, operator }) {
    await signIn(world, host.run!.baseUrl!, operator);
    return `signed in as ${operator} through the host's login page`;
  },

  async 'land-on-overview'(world) {
    const page = pageOf(world, 'land-on-overview');
    await openControlPlane(page, world.lane.host.mountPath);
    const firstSection = await page.locator('section.bucket').first().getAttribute('data-bucket');
    return `${world.lane.host.mountPath}/ opened on the overview, first section ${firstSection}`;
  },

  async 'open-cron-surface'(world, subject) {
    const entryName = requireEntryName(subject, 'open-cron-surface');
    await openEntryFromCronTab(pageOf(world, 'open-cron-surface'), entryName);
    return `opened the Cron tab, then the cron entry ${entryName}`;
  },

  async 'pause-with-reason'(world, subject) {
    const entryName = requireEntryName(subject, 'pause-with-reason');
    await pauseOpenCronEntry(pageOf(world, 'pause-with-reason'), entryName, requireReason(subject, 'pause-with-reason'));
    return `confirmed the pause of ${entryName} after its preview, with a reason`;
  },

  async 'read-forensics'(world, subject) {
    const entryName = requireEntryName(subject, 'read-forensics');
    const page = pageOf(world, 'read-forensics');
    await page.getByRole('link', { name: `Forensics timeline of ${entryName}` }).click();
    await expect(page).toHaveURL(new RegExp(`/forensics/cron_entry/${entryName}$`));
    const row = page.getByRole('table', { name: 'Timeline' }).getByRole('row').filter({ hasText: requireReason(subject, 'read-forensics') });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(subject.operator);
    return `the forensics timeline of ${entryName} has one row by ${subject.operator} with the reason`;
  },

  async 'read-audit'(world, subject) {
    const page = pageOf(world, 'read-audit');
    await page.getByRole('navigation', { name: 'Control plane' }).getByRole('link', { name: 'Audit' }).click();
    const row = page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: requireReason(subject, 'read-audit') });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('pause_cron_entry');
    return 'the Audit tab has one pause_cron_entry row with the reason';
  },
};

/**
 * Performs the declared step `stepId` in the browser and appends its record to `performed`.
 * An id that is not declared is still performed and recorded, so the check of the walkthrough
 * reports it next to the declared steps.
 */
export async function performSessionStep(world: FirstSessionWorld, stepId: string, subject: SessionSubject, performed: AppliedStep[]): Promise<void> {
  const runner = sessionStepRunners[stepId];
  if (!runner) throw new TypeError(`No code performs the first-session step ${stepId}: add a runner keyed ${stepId} to sessionStepRunners.`);

  const declared = world.lane.steps.find((step) => step.id === stepId);
  const step = { id: stepId, description: declared?.description ?? 'not declared in the lane' };
  await recordStep(performed, step, () => timed('browserMs', () => runner(world, subject)));
}

/**
 * Asserts that the lane performed exactly its declared steps, in their declared order. A
 * failure names the step id where the two differ, or the declared steps no code performs.
 */
export function assertDeclaredStepsPerformed(declared: LaneStep[], performedIds: string[]): void {
  const withoutCode = declared.map((step) => step.id).filter((id) => !isReferenceHostStep(id) && !Object.hasOwn(sessionStepRunners, id));
  if (withoutCode.length > 0) {
    assert.fail(`No code performs the declared step(s) ${withoutCode.join(', ')}. Add a runner keyed by each id to step-definitions/support/first-session-steps.ts, or remove the step from lanes/first-session/lane.ts.`);
  }

  const orders = `Declared: ${declared.map((step) => step.id).join(', ')}. Performed: ${performedIds.join(', ')}.`;
  for (let index = 0; index < Math.max(declared.length, performedIds.length); index += 1) {
    const expected = declared[index]?.id;
    const actual = performedIds[index];
    if (expected === actual) continue;

    if (actual === undefined) assert.fail(`Declared step ${index + 1}, ${expected}, was not performed. ${orders}`);
    if (expected === undefined) assert.fail(`The lane performed ${actual} as step ${index + 1}, but only ${declared.length} steps are declared. ${orders}`);
    assert.fail(`Declared step ${index + 1} is ${expected}, but the lane performed ${actual} there. ${orders}`);
  }
}

function pageOf(world: FirstSessionWorld, stepId: string): Page {
  assert.ok(world.page, `Step ${stepId} needs a signed-in browser page; perform sign-in first.`);
  return world.page;
}

function requireEntryName(subject: SessionSubject, stepId: string): string {
  assert.ok(subject.entryName, `Step ${stepId} needs the cron entry the session acts on, and the scenario named none.`);
  return subject.entryName;
}

function requireReason(subject: SessionSubject, stepId: string): string {
  assert.ok(subject.reason, `Step ${stepId} needs the reason the operator gave, and the scenario gave none.`);
  return subject.reason;
}
