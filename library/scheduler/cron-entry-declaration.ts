import { CronExpressionParser } from 'cron-parser';

import { PowertoolsConfigError } from '../errors';

/** A cron entry as the host declares it in code. Pause state is never declared: operators own it. */
export interface CronEntryDeclaration {
  name: string;
  /** Five-field cron expression, or six with seconds first. */
  schedule: string;
  /** IANA time zone the schedule is read in. Default `UTC`. */
  timezone?: string;
  /** pg-boss queue the entry fires into. */
  queue: string;
  /** JSON object sent as the job's data. */
  args?: Record<string, unknown>;
}

export type ResolvedCronEntryDeclaration = Required<CronEntryDeclaration>;

export const cronEntryNamePattern = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Validates host-declared entries; throws naming the entry and the field at fault. */
export function validateCronEntryDeclarations(entries: unknown): ResolvedCronEntryDeclaration[] {
  if (!Array.isArray(entries)) {
    throw new PowertoolsConfigError('cronEntries', 'cronEntries must be an array of { name, schedule, timezone?, queue, args? }.');
  }

  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const where = `cronEntries[${index}]`;
    if (entry === null || typeof entry !== 'object') {
      throw new PowertoolsConfigError('cronEntries', `${where} must be an object with name, schedule and queue.`);
    }
    const { name, schedule, timezone = 'UTC', queue, args = {} } = entry as Record<string, unknown>;

    if (typeof name !== 'string' || !cronEntryNamePattern.test(name)) {
      throw new PowertoolsConfigError('cronEntries', `${where}.name must be 1 to 100 letters, digits, "_", ".", ":" or "-", got ${JSON.stringify(name)}.`);
    }
    if (seen.has(name)) {
      throw new PowertoolsConfigError('cronEntries', `${where}.name "${name}" is declared twice; cron entry names are unique.`);
    }
    seen.add(name);
    if (typeof queue !== 'string' || queue.length === 0) {
      throw new PowertoolsConfigError('cronEntries', `${where}.queue for "${name}" must name a pg-boss queue, got ${JSON.stringify(queue)}.`);
    }
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw new PowertoolsConfigError('cronEntries', `${where}.args for "${name}" must be a JSON object.`);
    }
    if (typeof timezone !== 'string' || !isTimeZone(timezone)) {
      throw new PowertoolsConfigError('cronEntries', `${where}.timezone for "${name}" must be an IANA time zone such as "Europe/Berlin", got ${JSON.stringify(timezone)}.`);
    }
    const problem = typeof schedule === 'string' ? findScheduleProblem(schedule, timezone) : 'it is not a string';
    if (problem) {
      throw new PowertoolsConfigError('cronEntries', `${where}.schedule for "${name}" is not a valid cron expression (${problem}), got ${JSON.stringify(schedule)}. Use five fields, for example "0 2 * * *".`);
    }

    return { name, schedule: schedule as string, timezone, queue, args: args as Record<string, unknown> };
  });
}

/** Returns why a cron expression cannot be used, or null when it can. */
export function findScheduleProblem(schedule: string, timezone: string): string | null {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return `expected 5 or 6 fields, got ${fields.length}`;
  try {
    CronExpressionParser.parse(schedule, { tz: timezone, strict: false });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    // Intl throws RangeError for an unknown zone; that is the answer, not a failure.
    return false;
  }
}
