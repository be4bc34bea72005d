import type { Queryable } from '../db/with-transaction';
import { findCronEntry } from '../sql/find-cron-entry';
import { findMigrationAppliedAt } from '../sql/find-migration-applied-at';
import { listAuditEvents } from '../sql/list-audit-events';
import { listCronSlots } from '../sql/list-cron-slots';
import { auditItems, type Forensics, sortTimeline, type TimelineItem } from './timeline';

const slotLimit = 200;

/**
 * Puts a cron entry's evidence on one timeline: its audit events, its recorded slots (fired,
 * missed, run by an operator) and the state changes stored on the entry. Returns null when the
 * entry does not exist and no audit event mentions it.
 */
export async function buildCronEntryForensics(db: Queryable, name: string): Promise<Forensics | null> {
  const [entry, events, slots, slotsRecordedSince] = await Promise.all([
    findCronEntry(db, name),
    listAuditEvents(db, { resourceType: 'cron_entry', resourceId: name, limit: 200 }),
    listCronSlots(db, name, slotLimit + 1),
    findMigrationAppliedAt(db, '0005_create_cron_slots'),
  ]);
  if (!entry && events.length === 0) return null;

  const timeline: TimelineItem[] = [...auditItems(events)];
  for (const slot of slots.slice(0, slotLimit)) {
    const summary = slot.outcome === 'missed' ? 'slot missed: no scheduler ran, so it created no job' : slot.outcome === 'run_by_operator' ? 'run by an operator outside the schedule' : 'slot fired';
    timeline.push({ at: slot.slot_at, source: 'cron slot', summary: slot.job_id ? `${summary}, job ${slot.job_id}` : summary, link: slot.job_id && entry ? `jobs/${encodeURIComponent(entry.queue)}/${slot.job_id}` : undefined });
  }
  if (entry) {
    timeline.push({ at: entry.created_at, source: 'cron entry', summary: 'entry first stored' });
    if (entry.paused_at) timeline.push({ at: entry.paused_at, source: 'cron entry', summary: `paused by ${entry.paused_by ?? 'an unrecorded actor'}` });
    if (entry.resumed_at) timeline.push({ at: entry.resumed_at, source: 'cron entry', summary: 'resumed' });
    if (entry.retired_at) timeline.push({ at: entry.retired_at, source: 'cron entry', summary: 'retired: the host stopped declaring it' });
  }

  const gaps = [];
  if (slots.length > slotLimit) gaps.push({ label: 'partial evidence' as const, explanation: `Only the newest ${slotLimit} slots are shown.` });
  if (entry && slotsRecordedSince && entry.created_at < slotsRecordedSince) {
    gaps.push({ label: 'history unavailable' as const, explanation: `Slots before ${slotsRecordedSince.toISOString()} were not recorded: the library began recording them with migration 0005_create_cron_slots.` });
  }
  if (entry?.paused_at && !entry.paused_reason) {
    gaps.push({ label: 'history unavailable' as const, explanation: 'The current pause has no recorded reason: it was made before reasons were recorded.' });
  }
  if (!entry) gaps.push({ label: 'unknown' as const, explanation: `No cron entry named ${name} exists any more; only its audit events remain.` });

  const nextPaths = entry
    ? [
        { ownership: 'Powertools-native' as const, text: entry.paused_at ? `Resume ${name} or run it once from its page.` : `Pause ${name} or run it once from its page.`, link: `cron/${encodeURIComponent(name)}` },
        { ownership: 'host-owned follow-up' as const, text: `What the ${entry.queue} worker did with each job is in the host's logs.` },
      ]
    : [{ ownership: 'host-owned follow-up' as const, text: `The host removed ${name}; its deploy history says why.` }];

  return { title: `Forensics: cron entry ${name}`, resourceLink: entry ? `cron/${encodeURIComponent(name)}` : null, timeline: sortTimeline(timeline), gaps, nextPaths };
}
