import type { Queryable } from '../db/with-transaction';
import type { Resource } from '../seams';

export interface ActionPreviewRow {
  id: string;
  action: string;
  resource_type: string;
  resource_id: string;
  actor_id: string;
  expected_state: Record<string, unknown>;
  created_at: Date;
  expires_at: Date;
  consumed_at: Date | null;
  audit_event_id: string | null;
}

export const actionPreviewColumns = `id::text as id, action, resource_type, resource_id, actor_id, expected_state, created_at, expires_at, consumed_at, audit_event_id::text as audit_event_id`;

/**
 * Records what an operator was shown before confirming an action. Its random id is the
 * one-time confirmation token: only the actor it was made for can use it, once, before it
 * expires.
 */
export async function createActionPreview(
  db: Queryable,
  preview: { action: string; resource: Resource; actorId: string; expectedState: Record<string, unknown>; ttlSeconds: number },
): Promise<ActionPreviewRow> {
  const { rows } = await db.query<ActionPreviewRow>(
    `insert into jobs_powertools.action_previews (action, resource_type, resource_id, actor_id, expected_state, expires_at)
     values ($1::text, $2::text, $3::text, $4::text, $5::jsonb, now() + make_interval(secs => $6::int))
     returning ${actionPreviewColumns}`,
    [preview.action, preview.resource.type, preview.resource.id, preview.actorId, JSON.stringify(preview.expectedState), preview.ttlSeconds],
  );
  return rows[0];
}
