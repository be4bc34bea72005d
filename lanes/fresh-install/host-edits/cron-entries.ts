import type { CronEntryDeclaration } from 'koa-jobs-powertools';

/** Cron entries the host declares in code; the library syncs them into its table at start. */
export const jobsCronEntries: CronEntryDeclaration[] = [
  { name: 'nightly_sync', schedule: '0 2 * * *', timezone: 'Europe/Berlin', queue: 'nightly_sync' },
];
