/** A row of `jobs_powertools.cron_entries`, with timestamps as Dates. */
export interface CronEntryRow {
  name: string;
  schedule: string;
  timezone: string;
  queue: string;
  args: Record<string, unknown>;
  paused_at: Date | null;
  paused_by: string | null;
  paused_reason: string | null;
  resumed_at: Date | null;
  /** Set while the host no longer declares the entry; a retired entry never fires. */
  retired_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const cronEntryColumns = `name, schedule, timezone, queue, args, paused_at, paused_by, paused_reason, resumed_at, retired_at, created_at, updated_at`;

/** The state an operator saw in a preview; a confirmation acts only if the entry still has it. */
export function fingerprintCronEntry(entry: CronEntryRow): { paused: boolean; updated_at: string } {
  // retired_at and the schedule change updated_at too, so these two fields cover every change an action cares about.
  return { paused: entry.paused_at !== null, updated_at: entry.updated_at.toISOString() };
}
