import type { Queryable } from '../db/with-transaction';
import type { ResolvedCronEntryDeclaration } from '../scheduler/cron-entry-declaration';

/**
 * Writes host-declared entries into the table. Schedule, time zone, queue and args follow the
 * code, and a retired entry that is declared again comes back; the pause columns are left
 * alone, so an operator's pause survives a deploy.
 */
export async function upsertCronEntries(db: Queryable, entries: ResolvedCronEntryDeclaration[]): Promise<number> {
  let changed = 0;
  for (const entry of entries) {
    const { rowCount } = await db.query(
      `insert into jobs_powertools.cron_entries (name, schedule, timezone, queue, args)
       values ($1::text, $2::text, $3::text, $4::text, $5::jsonb)
       on conflict (name) do update
          set schedule = excluded.schedule, timezone = excluded.timezone,
              queue = excluded.queue, args = excluded.args, retired_at = null, updated_at = now()
        where (cron_entries.schedule, cron_entries.timezone, cron_entries.queue, cron_entries.args, cron_entries.retired_at)
              is distinct from (excluded.schedule, excluded.timezone, excluded.queue, excluded.args, null::timestamptz)`,
      [entry.name, entry.schedule, entry.timezone, entry.queue, JSON.stringify(entry.args)],
    );
    changed += rowCount ?? 0;
  }
  return changed;
}
