import { OperatorError } from '../errors';
import { readQueryParameter } from './read-query-parameter';

/**
 * A keyset position in the newest-first job order: the `created_on` (UTC, microseconds) and
 * id of the last job on the previous page. The next page holds the jobs strictly after it in
 * `(created_on desc, id desc)` order, so inserts and deletes never shift or repeat rows.
 */
export interface JobCursor {
  createdOn: string;
  id: string;
}

const cursorPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Reads the `after` parameter. Throws a 400 `OperatorError` when it is not a cursor this page wrote. */
export function parseJobCursor(query: Record<string, unknown>): JobCursor | null {
  const value = readQueryParameter(query, 'after', 'page cursor', 80);
  if (!value) return null;

  const match = cursorPattern.exec(value);
  if (!match || Number.isNaN(Date.parse(match[1]))) {
    throw new OperatorError(400, 'The page cursor (after) is not one this page wrote: expected a creation time and a job id such as 2025-01-31T14:30:00.123456Z_<uuid>. Start again from the first page.');
  }
  return { createdOn: match[1], id: match[2] };
}

/** Writes the cursor that continues after `job`, whose `created_cursor` the list query returns. */
export function formatJobCursor(job: { created_cursor: string; id: string }): string {
  return `${job.created_cursor}_${job.id}`;
}
