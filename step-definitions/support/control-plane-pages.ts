import type { Page } from 'playwright';
import type { Pool } from 'pg';

import type { NativePage } from '../../lanes/lane-declaration';

/** One native page as a lane visits it. */
export interface PageVisit {
  page: NativePage['page'];
  /** Path below the mount, without a leading slash. */
  path: string;
  /** True for pages about one resource that list operator actions for it. */
  offersActions: boolean;
}

// Every audited action's page link ends in its name; a page that offers none links to none of them.
const actionLink = /\/(pause_cron_entry|resume_cron_entry|run_cron_entry|retry_job|cancel_job|resume_job|delete_job|cancel_workflow|retry_workflow_step|cancel_workflow_step)(\?|$)|\/jobs-bulk\//;

/**
 * Lists every native page of the reference host's control plane, with the resources its seed
 * left: the job it failed and, when the seed made workflows, a blocked one (or any unsettled one).
 */
export async function listPageVisits(pool: Pool): Promise<PageVisit[]> {
  const failedJob = await findFailedJob(pool);
  const workflowId = await findActionableWorkflow(pool);
  return [
    { page: 'overview', path: '', offersActions: false },
    { page: 'jobs', path: 'jobs', offersActions: false },
    { page: 'job detail', path: `jobs/${failedJob.queue}/${failedJob.id}`, offersActions: true },
    { page: 'cron', path: 'cron', offersActions: false },
    { page: 'cron entry', path: 'cron/nightly_sync', offersActions: true },
    ...(workflowId
      ? [{ page: 'workflows', path: 'workflows', offersActions: false } as const, { page: 'workflow detail', path: `workflows/${workflowId}`, offersActions: true } as const]
      : [{ page: 'workflows', path: 'workflows', offersActions: false } as const]),
    { page: 'audit', path: 'audit', offersActions: false },
    { page: 'forensics', path: 'forensics/cron_entry/nightly_sync', offersActions: false },
  ];
}

const failedJobs = new WeakMap<Pool, Promise<{ queue: string; id: string }>>();

/**
 * Finds the job the reference host's seed failed in the emails queue, once per database. The
 * seed fails whichever of two fetched jobs pg-boss returns second, so the job is found by its
 * state, and its id is kept because a retry changes that state.
 */
export function findFailedJob(pool: Pool): Promise<{ queue: string; id: string }> {
  let found = failedJobs.get(pool);
  if (!found) {
    found = pool
      .query<{ name: string; id: string }>(`select name, id::text from pgboss.job where name = 'emails' and state = 'failed' order by created_on limit 1`)
      .then(({ rows }) => {
        if (rows.length === 0) throw new Error('The reference host seed left no failed job in the emails queue.');
        return { queue: rows[0].name, id: rows[0].id };
      });
    failedJobs.set(pool, found);
  }
  return found;
}

/** A blocked workflow, else any unsettled one, else null when the seed made none. */
export async function findActionableWorkflow(pool: Pool): Promise<string | null> {
  const { rows } = await pool.query<{ id: string }>(
    `select id::text from jobs_powertools.workflows
      where state::text not in ('completed', 'cancelled', 'recovered')
      order by (state::text = 'blocked') desc, created_at
      limit 1`,
  );
  return rows[0]?.id ?? null;
}

/** The href of every link on the page that would start an audited action. */
export async function listActionLinks(page: Page): Promise<string[]> {
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  return hrefs.filter((href) => actionLink.test(href));
}
