import type { Page } from 'playwright';
import { expect } from 'playwright/test';
import type { Pool } from 'pg';

import { confirmCronAction } from './control-plane-page';

/** Opens the control plane at its mount, as a link from the host would, and expects the overview. */
export async function openControlPlane(page: Page, mountPath: string): Promise<void> {
  await page.goto(`${mountPath}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
}

/** From any control-plane page: the Cron tab, the entry, then preview, reason and confirm of a pause. */
export async function pauseFromCronSurface(page: Page, entryName: string, reason: string): Promise<void> {
  await openEntryFromCronTab(page, entryName);
  await pauseOpenCronEntry(page, entryName, reason);
}

/** From any control-plane page: the Cron tab, then the entry's own page. */
export async function openEntryFromCronTab(page: Page, entryName: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Control plane' }).getByRole('link', { name: 'Cron' }).click();
  await page.getByRole('table', { name: 'Cron entries' }).getByRole('link', { name: entryName, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Cron entry ${entryName}`);
}

/** From the entry's own page: preview, reason and confirm of a pause, until the page reports it done. */
export async function pauseOpenCronEntry(page: Page, entryName: string, reason: string): Promise<void> {
  await confirmCronAction(page, entryName, 'Pause', reason);
  await expect(page.getByRole('status')).toContainText('Done.');
}

export interface AuditRow {
  id: string;
  action: string;
  resource_type: string;
  resource_id: string;
  actor_label: string;
  reason: string | null;
  occurred_at: Date;
}

export async function readNewestAuditId(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ id: string | null }>('select max(id)::text as id from jobs_powertools.audit_events');
  return Number(rows[0].id ?? 0);
}

export async function readAuditEventsSince(pool: Pool, afterId: number): Promise<AuditRow[]> {
  const { rows } = await pool.query<AuditRow>(
    'select id::text, action, resource_type, resource_id, actor_label, reason, occurred_at from jobs_powertools.audit_events where id > $1 order by id',
    [afterId],
  );
  return rows;
}

export async function readCronEntryState(pool: Pool, name: string): Promise<{ paused: boolean; pausedBy: string | null; pauseReason: string | null }> {
  const { rows } = await pool.query<{ paused: boolean; paused_by: string | null; pause_reason: string | null }>(
    'select paused_at is not null as paused, paused_by, paused_reason as pause_reason from jobs_powertools.cron_entries where name = $1',
    [name],
  );
  if (rows.length !== 1) throw new Error(`No cron entry ${name} in the host database; the host did not declare it.`);
  return { paused: rows[0].paused, pausedBy: rows[0].paused_by, pauseReason: rows[0].pause_reason };
}
