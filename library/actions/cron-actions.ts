import type { Queryable } from '../db/with-transaction';
import type { CronEntryRow } from '../sql/cron-entry-row';
import { pauseCronEntry } from '../sql/pause-cron-entry';
import { resumeCronEntry } from '../sql/resume-cron-entry';

/** An audited operator action on one cron entry. */
export interface CronActionDefinition {
  name: 'pause_cron_entry' | 'resume_cron_entry';
  /** Button and heading text, e.g. "Pause". */
  verb: string;
  /** Why the action does not apply to the entry as it is now, or null when it does. */
  findInapplicability(entry: CronEntryRow): string | null;
  /** The lines a preview shows under "What will change". */
  describeChange(entry: CronEntryRow): string[];
  /** Performs the change; returns null if the entry no longer qualifies (the where clause guards it). */
  apply(db: Queryable, entry: CronEntryRow, actorLabel: string, reason: string): Promise<CronEntryRow | null>;
}

export const pauseCronEntryAction: CronActionDefinition = {
  name: 'pause_cron_entry',
  verb: 'Pause',
  findInapplicability: (entry) => (entry.paused_at ? `${entry.name} is already paused.` : null),
  describeChange: (entry) => [
    `${entry.name} stops firing into queue ${entry.queue}; every slot while it is paused is skipped, not queued up.`,
    'Jobs it already created are not touched.',
    'The pause survives restarts and deploys until an operator resumes the entry.',
  ],
  apply: (db, entry, actorLabel, reason) => pauseCronEntry(db, entry.name, actorLabel, reason),
};

export const resumeCronEntryAction: CronActionDefinition = {
  name: 'resume_cron_entry',
  verb: 'Resume',
  findInapplicability: (entry) => (entry.paused_at ? null : `${entry.name} is not paused.`),
  describeChange: (entry) => [
    `${entry.name} fires into queue ${entry.queue} again from its next slot.`,
    'Slots skipped while it was paused are not replayed.',
  ],
  apply: (db, entry) => resumeCronEntry(db, entry.name),
};

export const cronActions: Record<string, CronActionDefinition> = {
  pause_cron_entry: pauseCronEntryAction,
  resume_cron_entry: resumeCronEntryAction,
};
