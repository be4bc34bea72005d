import type { Pool } from 'pg';

import { withTransaction } from '../db/with-transaction';
import { OperatorError } from '../errors';
import type { AuditPrincipal } from '../seams';
import { consumeActionPreview } from '../sql/consume-action-preview';
import { type CronEntryRow, fingerprintCronEntry } from '../sql/cron-entry-row';
import { findActionPreviewForUpdate } from '../sql/find-action-preview';
import { findCronEntry } from '../sql/find-cron-entry';
import { type AuditEventRow, insertAuditEvent } from '../sql/insert-audit-event';
import type { CronActionDefinition } from './cron-actions';

export type CronActionOutcome =
  | { kind: 'performed'; auditEvent: AuditEventRow; entry: CronEntryRow }
  | { kind: 'already_performed'; auditEventId: string };

/**
 * Confirms a previewed action: in one transaction it checks the preview (this actor, unused,
 * not expired), checks the entry still has the state the preview showed, applies the change,
 * writes one audit event and marks the preview used. A second submit of the same preview
 * returns `already_performed` and changes nothing. Every refusal is an `OperatorError` and
 * leaves the database as it was.
 */
export async function performCronAction(
  pool: Pool,
  request: { action: CronActionDefinition; entryName: string; previewId: string; principal: AuditPrincipal; reason: string },
): Promise<CronActionOutcome> {
  const { action, entryName, previewId, principal, reason } = request;

  return withTransaction(pool, async (client) => {
    const preview = await findActionPreviewForUpdate(client, previewId);
    if (!preview || preview.actor_id !== principal.id || preview.action !== action.name || preview.resource_type !== 'cron_entry' || preview.resource_id !== entryName) {
      throw new OperatorError(403, 'This confirmation does not belong to you or to this action. Open the preview again.');
    }
    if (preview.consumed_at) {
      if (preview.audit_event_id) return { kind: 'already_performed', auditEventId: preview.audit_event_id };
      throw new OperatorError(409, 'This preview was already used. Open a fresh preview.');
    }
    if (preview.expires_at.getTime() < Date.now()) {
      throw new OperatorError(409, `This preview expired at ${preview.expires_at.toISOString()}. Nothing was changed; open a fresh preview.`);
    }

    const entry = await findCronEntry(client, entryName, { forUpdate: true });
    if (!entry) throw new OperatorError(404, `Cron entry ${entryName} no longer exists. Nothing was changed.`);
    const before = fingerprintCronEntry(entry);
    if (before.paused !== preview.expected_state.paused || before.updated_at !== preview.expected_state.updated_at) {
      throw new OperatorError(409, `${entryName} changed since the preview (it is now ${before.paused ? 'paused' : 'active'}). Nothing was changed; review it and preview again.`);
    }

    const changed = await action.apply(client, entry, principal.label, reason);
    if (!changed) {
      throw new OperatorError(409, `${entryName} no longer qualifies for ${action.name}. Nothing was changed.`);
    }

    const auditEvent = await insertAuditEvent(client, {
      action: action.name,
      resource: { type: 'cron_entry', id: entryName },
      principal,
      reason,
      details: { preview_id: preview.id, before, after: fingerprintCronEntry(changed) },
    });
    await consumeActionPreview(client, preview.id, auditEvent.id);
    return { kind: 'performed', auditEvent, entry: changed };
  });
}
