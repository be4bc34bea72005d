import type { PgBoss } from 'pg-boss';

import type { Queryable } from '../db/with-transaction';
import { listAuditEvents } from '../sql/list-audit-events';
import { auditItems, type EvidenceGap, type Forensics, type NextPath, sortTimeline, type TimelineItem } from './timeline';

/**
 * Puts a queue's evidence on one timeline: audit events on the queue, the cron entries that
 * fire into it with their newest slots, and pg-boss's record of the queue. Returns null when
 * pg-boss has no such queue and nothing else mentions it.
 */
export async function buildQueueForensics(db: Queryable, boss: PgBoss, queue: string): Promise<Forensics | null> {
  const [found, events, entries] = await Promise.all([
    boss.getQueue(queue),
    listAuditEvents(db, { resourceType: 'queue', resourceId: queue, limit: 200 }),
    db.query<{ name: string; last_slot_at: Date | null; paused_at: Date | null }>(
      `select e.name, e.paused_at, (select max(slot_at) from jobs_powertools.cron_slots s where s.entry_name = e.name) as last_slot_at
         from jobs_powertools.cron_entries e where e.queue = $1::text order by e.name`,
      [queue],
    ),
  ]);
  if (!found && events.length === 0 && entries.rows.length === 0) return null;

  const timeline: TimelineItem[] = [...auditItems(events)];
  const gaps: EvidenceGap[] = [];
  const nextPaths: NextPath[] = [];
  for (const entry of entries.rows) {
    if (entry.last_slot_at) timeline.push({ at: entry.last_slot_at, source: 'cron slot', summary: `cron entry ${entry.name} last fired into this queue`, link: `forensics/cron_entry/${encodeURIComponent(entry.name)}` });
    if (entry.paused_at) timeline.push({ at: entry.paused_at, source: 'cron entry', summary: `cron entry ${entry.name} paused`, link: `cron/${encodeURIComponent(entry.name)}` });
  }
  if (found) {
    timeline.push({ at: found.createdOn, source: 'queue', summary: `queue created; now ${found.queuedCount} queued, ${found.activeCount} active, ${found.failedCount} failed (pg-boss's monitor counts)` });
    nextPaths.push({ ownership: 'Powertools-native', text: `List the queue's jobs and act on failed ones.`, link: `jobs?queue=${encodeURIComponent(queue)}` });
  } else {
    gaps.push({ label: 'history unavailable', explanation: `pg-boss has no queue named ${queue} any more.` });
  }
  gaps.push({ label: 'partial evidence', explanation: 'Counts come from pg-boss\'s queue monitor and may lag by up to a minute; per-job history is on each job\'s forensics page.' });
  nextPaths.push({ ownership: 'host-owned follow-up', text: `Which workers serve ${queue}, and how many, is set in the host's code and deployment.` });

  return { title: `Forensics: queue ${queue}`, resourceLink: null, timeline: sortTimeline(timeline), gaps, nextPaths };
}
