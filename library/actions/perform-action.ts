import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';

import { withTransaction } from '../db/with-transaction';
import { OperatorError } from '../errors';
import type { AuditPrincipal } from '../seams';
import { consumeActionPreview } from '../sql/consume-action-preview';
import { findActionPreviewForUpdate } from '../sql/find-action-preview';
import { type AuditEventRow, insertAuditEvent } from '../sql/insert-audit-event';
import type { AnyActionDefinition } from './action-definition';

export type ActionOutcome = { kind: 'performed'; auditEvent: AuditEventRow } | { kind: 'already_performed'; auditEventId: string };

/**
 * Confirms a previewed action: in one transaction it checks the preview (this actor, this
 * action and resource, unused, not expired), re-loads the target under a lock, checks it still
 * has the state the preview showed, applies the change, writes one audit event and marks the
 * preview used. A second submit of the same preview returns `already_performed` and changes
 * nothing. Every refusal is an `OperatorError` and leaves the database as it was.
 */
export async function performAction(
  deps: { pool: Pool; boss: PgBoss },
  request: { action: AnyActionDefinition; resourceId: string; previewId: string; principal: AuditPrincipal; reason: string },
): Promise<ActionOutcome> {
  const { action, resourceId, previewId, principal, reason } = request;

  return withTransaction(deps.pool, async (client) => {
    const preview = await findActionPreviewForUpdate(client, previewId);
    if (!preview || preview.actor_id !== principal.id || preview.action !== action.name || preview.resource_type !== action.resourceType || preview.resource_id !== resourceId) {
      throw new OperatorError(403, 'This confirmation does not belong to you or to this action. Open the preview again.');
    }
    if (preview.consumed_at) {
      if (preview.audit_event_id) return { kind: 'already_performed', auditEventId: preview.audit_event_id };
      throw new OperatorError(409, 'This preview was already used. Open a fresh preview.');
    }
    if (preview.expires_at.getTime() < Date.now()) {
      throw new OperatorError(409, `This preview expired at ${preview.expires_at.toISOString()}. Nothing was changed; open a fresh preview.`);
    }

    const target = await action.load(client, resourceId, { forUpdate: true });
    if (!target) throw new OperatorError(404, `${resourceId} no longer exists. Nothing was changed.`);
    const before = action.fingerprint(target);
    if (canonicalJson(before) !== canonicalJson(preview.expected_state)) {
      throw new OperatorError(409, `${resourceId} changed since the preview (it is now ${action.describeState(target)}). Nothing was changed; review it and preview again.`);
    }

    const change = await action.apply({ client, boss: deps.boss, principal, reason }, target);
    if (!change) throw new OperatorError(409, `${resourceId} no longer qualifies for ${action.name}. Nothing was changed.`);

    const auditEvent = await insertAuditEvent(client, {
      action: action.name,
      resource: { type: action.resourceType, id: resourceId },
      principal,
      reason,
      details: { preview_id: preview.id, before, ...change },
    });
    await consumeActionPreview(client, preview.id, auditEvent.id);
    return { kind: 'performed', auditEvent };
  });
}

/** JSON with object keys sorted, because jsonb hands keys back in its own order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : nested,
  );
}
