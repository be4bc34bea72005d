import type { evidenceLabels } from '../http/render-page';
import type { AuditEventRow } from '../sql/insert-audit-event';

/** Where a piece of evidence came from; the same words label timeline rows on the page. */
export type EvidenceSource = 'audit event' | 'cron slot' | 'cron entry' | 'job' | 'queue';

export interface TimelineItem {
  at: Date;
  source: EvidenceSource;
  /** One line of what happened, without values the display policy governs. */
  summary: string;
  /** Link to the next place to look, relative to the mount point, if any. */
  link?: string;
  /** An audit event's actor and reason, rendered through the display policy by the page. */
  audit?: Pick<AuditEventRow, 'actor_label' | 'reason' | 'action'>;
}

/** An evidence gap, labelled with one of the evidence labels and the reason for it. */
export interface EvidenceGap {
  label: (typeof evidenceLabels)[keyof typeof evidenceLabels];
  explanation: string;
}

/** The next step for an operator, with who owns it. */
export interface NextPath {
  ownership: 'Powertools-native' | 'pg-boss dashboard bridge' | 'host-owned follow-up';
  text: string;
  link?: string;
}

export interface Forensics {
  title: string;
  /** Link to the resource's own page, relative to the mount point. */
  resourceLink: string | null;
  timeline: TimelineItem[];
  gaps: EvidenceGap[];
  nextPaths: NextPath[];
}

/** Turns audit events into timeline rows. */
export function auditItems(events: AuditEventRow[]): TimelineItem[] {
  return events.map((event) => ({
    at: event.occurred_at,
    source: 'audit event',
    summary: `${event.action} on ${event.resource_type} ${event.resource_id}`,
    audit: { actor_label: event.actor_label, reason: event.reason, action: event.action },
  }));
}

/** Sorts a timeline newest first; evidence with equal times keeps its order. */
export function sortTimeline(items: TimelineItem[]): TimelineItem[] {
  return [...items].sort((a, b) => b.at.getTime() - a.at.getTime());
}
