import { CronExpressionParser } from 'cron-parser';

/**
 * Returns the newest slot of `schedule` that is due at `now` and falls strictly after
 * `notBefore`, or null when none is. Only the newest due slot fires: slots missed while the
 * host was down or the entry was paused are skipped rather than replayed in a burst.
 */
export function findDueSlot(schedule: string, timezone: string, notBefore: Date, now: Date): Date | null {
  const expression = CronExpressionParser.parse(schedule, { tz: timezone, currentDate: now });
  const previous = expression.prev().toDate();
  if (previous.getTime() <= notBefore.getTime()) return null;
  return previous;
}

/** Returns the next `count` fire times after `from`. */
export function listNextSlots(schedule: string, timezone: string, from: Date, count: number): Date[] {
  const expression = CronExpressionParser.parse(schedule, { tz: timezone, currentDate: from });
  return expression.take(count).map((date) => date.toDate());
}
