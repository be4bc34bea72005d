import type { Display } from '../display/make-display';
import type { AuditEventRow } from '../sql/insert-audit-event';

/** An audit event as exports carry it: actor label and reason through the display policy. */
export interface ExportedAuditEvent {
  id: string;
  occurred_at: string;
  action: string;
  resource_type: string;
  resource_id: string;
  actor_id: string;
  actor_type: string;
  actor_label: string;
  reason: string;
  details: Record<string, unknown>;
}

export function toExportedEvent(event: AuditEventRow, show: Display): ExportedAuditEvent {
  return {
    id: event.id,
    occurred_at: event.occurred_at.toISOString(),
    action: event.action,
    resource_type: event.resource_type,
    resource_id: event.resource_id,
    actor_id: event.actor_id,
    actor_type: event.actor_type,
    actor_label: show('actor_label', event.actor_label),
    reason: event.reason === null ? '' : show('reason', event.reason),
    details: event.details,
  };
}

const columns: (keyof ExportedAuditEvent)[] = ['id', 'occurred_at', 'action', 'resource_type', 'resource_id', 'actor_id', 'actor_type', 'actor_label', 'reason', 'details'];

/**
 * Formats events as RFC 4180 CSV. A cell that a spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or carriage return) is prefixed with a single quote.
 */
export function formatAuditCsv(events: ExportedAuditEvent[]): string {
  const lines = [columns.join(',')];
  for (const event of events) {
    lines.push(columns.map((column) => csvCell(column === 'details' ? JSON.stringify(event.details) : String(event[column]))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}
