import cronstrue from 'cronstrue';

/**
 * Describes a cron expression in English, e.g. "At 02:00" for `0 2 * * *`, with the time zone
 * the schedule is read in. Returns null when cronstrue cannot describe it; pages then show the
 * expression alone.
 */
export function describeSchedule(schedule: string, timezone: string): string | null {
  try {
    return `${cronstrue.toString(schedule, { use24HourTimeFormat: true, verbose: false })} (${timezone})`;
  } catch {
    // cronstrue throws on expressions it cannot read; cron-parser already accepted them, so the raw expression is still right.
    return null;
  }
}
