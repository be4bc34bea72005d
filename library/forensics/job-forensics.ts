import type { PgBoss } from 'pg-boss';

import type { Queryable } from '../db/with-transaction';
import { evidenceLabels } from '../http/render-page';
import { listAuditEvents } from '../sql/list-audit-events';
import { auditItems, type EvidenceGap, type Forensics, type NextPath, sortTimeline, type TimelineItem } from './timeline';

/** The cron slot that created a job, if any. */
async function findCreatingSlot(db: Queryable, jobId: string): Promise<{ entry_name: string; slot_at: Date; outcome: string } | null> {
  const { rows } = await db.query<{ entry_name: string; slot_at: Date; outcome: string }>(
    `select entry_name, slot_at, outcome from jobs_powertools.cron_slots where job_id = $1::uuid`,
    [jobId],
  );
  return rows[0] ?? null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Puts a job's evidence on one timeline: what pg-boss stores of it (created, started,
 * completed), the cron slot that created it, and audit events on it. pg-boss keeps only the
 * latest attempt, so earlier attempts are a labelled gap. Returns null for an id that cannot
 * be a job id.
 */
export async function buildJobForensics(db: Queryable, boss: PgBoss, queue: string, jobId: string): Promise<Forensics | null> {
  if (!uuidPattern.test(jobId)) return null;
  const resourceId = `${queue}/${jobId}`;
  const [jobs, events, slot] = await Promise.all([
    boss.getQueue(queue).then((found) => (found ? boss.findJobs(queue, { id: jobId }) : [])),
    listAuditEvents(db, { resourceType: 'job', resourceId, limit: 200 }),
    findCreatingSlot(db, jobId),
  ]);
  const job = jobs[0];

  const timeline: TimelineItem[] = [...auditItems(events)];
  const gaps: EvidenceGap[] = [];
  const nextPaths: NextPath[] = [];
  if (slot) {
    timeline.push({ at: slot.slot_at, source: 'cron slot', summary: `created by cron entry ${slot.entry_name} (${slot.outcome.replaceAll('_', ' ')})`, link: `forensics/cron_entry/${encodeURIComponent(slot.entry_name)}` });
  }

  if (job) {
    timeline.push({ at: job.createdOn, source: 'job', summary: `created in queue ${queue}` });
    if (job.startedOn) timeline.push({ at: job.startedOn, source: 'job', summary: `latest attempt started (attempt ${job.retryCount + 1} of ${job.retryLimit + 1})` });
    if (job.completedOn) timeline.push({ at: job.completedOn, source: 'job', summary: `finished as ${job.state}` });
    // pg-boss 12 raises retry_count on every claim after the first, so it is 0 while a job has
    // had at most one attempt, and then no earlier attempt is missing.
    if (job.retryCount > 0) {
      gaps.push({ label: evidenceLabels.partial, explanation: `pg-boss keeps only the latest of ${job.retryCount + 1} attempts; the earlier attempts' start times and errors are not stored.` });
    }
    nextPaths.push({ ownership: 'Powertools-native', text: `Inspect the job, its data and output, and act on it from its page (state: ${job.state}).`, link: `jobs/${encodeURIComponent(queue)}/${jobId}` });
  } else {
    gaps.push({ label: evidenceLabels.unavailable, explanation: `pg-boss no longer stores job ${jobId} in queue ${queue}: its retention deleted it, or it never existed. Only the evidence above remains.` });
  }
  nextPaths.push({ ownership: 'host-owned follow-up', text: `What the ${queue} worker logged while handling this job is in the host's logs.` });

  if (!job && events.length === 0 && !slot) return null;
  return { title: `Forensics: job ${jobId}`, resourceLink: job ? `jobs/${encodeURIComponent(queue)}/${jobId}` : null, timeline: sortTimeline(timeline), gaps, nextPaths };
}
