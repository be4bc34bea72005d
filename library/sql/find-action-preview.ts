import type { Queryable } from '../db/with-transaction';
import { type ActionPreviewRow, actionPreviewColumns } from './create-action-preview';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Finds a preview by id and locks it, so two submits of the same confirmation queue up and
 * the second sees the first one's outcome. A malformed id finds nothing instead of failing
 * the query.
 */
export async function findActionPreviewForUpdate(db: Queryable, id: string): Promise<ActionPreviewRow | null> {
  if (!uuidPattern.test(id)) return null;
  const { rows } = await db.query<ActionPreviewRow>(
    `select ${actionPreviewColumns} from jobs_powertools.action_previews where id = $1::uuid for update`,
    [id],
  );
  return rows[0] ?? null;
}
