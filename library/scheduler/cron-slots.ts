import { CronExpressionParser } from 'cron-parser';

/**
 * Cron slots as instants, with one rule for daylight-saving changes. A wall-clock time that a
 * spring-forward change skips fires once, at the first instant after the gap. A wall-clock time
 * that a fall-back change repeats fires once, at its first occurrence. Several skipped slots
 * collapse into that one fire.
 *
 * The schedule is matched against wall-clock time: cron-parser walks "naive" dates whose UTC
 * fields are the local fields, and each match is then mapped to a real instant in the zone.
 */

const hour = 60 * 60 * 1000;
// A wall-clock time maps to an instant within this distance; zone offsets stay under 15 h.
const mappingMargin = 15 * hour;

export interface DueSlots {
  /** The newest slot in (notBefore, now], which fires now; null when none is due. */
  due: Date | null;
  /** Older slots in the same window that did not fire, newest first, at most `maxMissed`. */
  missed: Date[];
  /** True when more slots were missed than `missed` lists. */
  missedTruncated: boolean;
}

/**
 * Finds the slots due at `now` that fall strictly after `notBefore`. Catch-up policy: only the
 * newest due slot fires and the older ones are reported as missed. A host that was down for a
 * day therefore fires once, not once per slot.
 */
export function findDueSlots(schedule: string, timezone: string, notBefore: Date, now: Date, maxMissed = 100): DueSlots {
  const slots: Date[] = [];
  const expression = CronExpressionParser.parse(schedule, { tz: 'UTC', currentDate: new Date(toWallClock(now, timezone).getTime() + mappingMargin) });

  while (slots.length <= maxMissed + 1) {
    const naive = expression.prev().toDate();
    const instant = toInstant(naive, timezone);
    if (instant.getTime() <= notBefore.getTime() && naive.getTime() < toWallClock(notBefore, timezone).getTime() - mappingMargin) break;
    if (instant.getTime() > now.getTime() || instant.getTime() <= notBefore.getTime()) continue;
    if (slots.length > 0 && slots[slots.length - 1].getTime() === instant.getTime()) continue;
    slots.push(instant);
  }

  const [due = null, ...older] = slots;
  return { due, missed: older.slice(0, maxMissed), missedTruncated: older.length > maxMissed };
}

/** Returns the next `count` distinct slots after `from`, as instants. */
export function listNextSlots(schedule: string, timezone: string, from: Date, count: number): Date[] {
  const expression = CronExpressionParser.parse(schedule, { tz: 'UTC', currentDate: new Date(toWallClock(from, timezone).getTime() - mappingMargin) });
  const slots: Date[] = [];
  while (slots.length < count) {
    const instant = toInstant(expression.next().toDate(), timezone);
    if (instant.getTime() <= from.getTime()) continue;
    if (slots.some((slot) => slot.getTime() === instant.getTime())) continue;
    slots.push(instant);
  }
  return slots.sort((a, b) => a.getTime() - b.getTime());
}

/** Returns a Date whose UTC fields are the wall-clock fields of `instant` in `timezone`. */
export function toWallClock(instant: Date, timezone: string): Date {
  const parts = wallClockFormat(timezone).formatToParts(instant);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return new Date(Date.UTC(field('year'), field('month') - 1, field('day'), field('hour') % 24, field('minute'), field('second'), instant.getUTCMilliseconds()));
}

/**
 * Maps a wall-clock time (UTC fields of `naive`) in `timezone` to an instant: the earlier one
 * when the time occurs twice, the end of the gap when it does not occur at all.
 */
export function toInstant(naive: Date, timezone: string): Date {
  const wallMs = naive.getTime();
  const offsets = new Set([offsetAt(wallMs - mappingMargin, timezone), offsetAt(wallMs, timezone), offsetAt(wallMs + mappingMargin, timezone)]);
  const matches = [...offsets]
    .map((offset) => wallMs - offset)
    .filter((candidate) => toWallClock(new Date(candidate), timezone).getTime() === wallMs)
    .sort((a, b) => a - b);
  if (matches.length > 0) return new Date(matches[0]);

  // The time falls in a spring-forward gap: find the first instant of the new offset.
  const sorted = [...offsets].sort((a, b) => a - b);
  let low = wallMs - sorted[sorted.length - 1];
  let high = wallMs - sorted[0];
  const newOffset = offsetAt(high, timezone);
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2);
    if (offsetAt(middle, timezone) === newOffset) high = middle;
    else low = middle;
  }
  return new Date(Math.ceil(high / 1000) * 1000);
}

/** Returns the zone's offset from UTC at an instant, in milliseconds (east positive). */
function offsetAt(instantMs: number, timezone: string): number {
  const instant = new Date(Math.floor(instantMs / 1000) * 1000);
  return toWallClock(instant, timezone).getTime() - instant.getTime();
}

const formats = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timezone, format);
  }
  return format;
}
