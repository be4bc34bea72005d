import type { PgBoss } from 'pg-boss';

type CommandResponse = Awaited<ReturnType<PgBoss['retry']>>;

/**
 * Reads how many jobs a pg-boss command (retry, cancel, resume, deleteJob) changed. pg-boss
 * 12.38 returns `{ jobs, requested, affected }` at run time but declares `CommandResponse` as
 * an empty interface, so the count is read defensively here.
 * NOTE: drop the cast once pg-boss declares `affected` on `CommandResponse`.
 */
export function readAffectedCount(response: CommandResponse): number {
  const affected = (response as { affected?: unknown }).affected;
  if (typeof affected !== 'number') {
    throw new TypeError(`pg-boss returned no affected count (got ${JSON.stringify(response)}); koa-jobs-powertools expects pg-boss 12.38 command responses.`);
  }
  return affected;
}
