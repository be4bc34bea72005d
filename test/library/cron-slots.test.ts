import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { findDueSlots, listNextSlots, toInstant } from '../../library/scheduler/cron-slots';

const berlin = 'Europe/Berlin';
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('listNextSlots across daylight-saving changes', () => {
  test('listNextSlots fires a skipped 02:00 at 03:00', () => {
    // 2025-03-30: Berlin jumps from 02:00 CET to 03:00 CEST, so 02:00 does not exist that day.
    const slots = listNextSlots('0 2 * * *', berlin, new Date('2025-03-28T12:00:00Z'), 4);

    assert.deepEqual(iso(slots), ['2025-03-29T01:00:00.000Z', '2025-03-30T01:00:00.000Z', '2025-03-31T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
  });

  test('listNextSlots collapses slots inside the gap', () => {
    const slots = listNextSlots('*/30 * * * *', berlin, new Date('2025-03-30T00:10:00Z'), 4);

    // 01:30 CET, then 02:00 and 02:30 (skipped) collapse into 03:00 CEST, then 03:30 and 04:00 CEST.
    assert.deepEqual(iso(slots), ['2025-03-30T00:30:00.000Z', '2025-03-30T01:00:00.000Z', '2025-03-30T01:30:00.000Z', '2025-03-30T02:00:00.000Z']);
  });

  test('listNextSlots fires a repeated hour once', () => {
    // 2025-10-26: Berlin goes back from 03:00 CEST to 02:00 CET, so 02:00-02:59 happens twice.
    const slots = listNextSlots('*/30 * * * *', berlin, new Date('2025-10-26T00:10:00Z'), 4);

    assert.deepEqual(iso(slots), ['2025-10-26T00:30:00.000Z', '2025-10-26T02:00:00.000Z', '2025-10-26T02:30:00.000Z', '2025-10-26T03:00:00.000Z']);
  });

  test('listNextSlots fires a daily 02:30 once in autumn', () => {
    const slots = listNextSlots('30 2 * * *', berlin, new Date('2025-10-25T12:00:00Z'), 3);

    assert.deepEqual(iso(slots), ['2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z', '2025-10-28T01:30:00.000Z']);
  });

  test('listNextSlots keeps zones without DST steady', () => {
    const slots = listNextSlots('0 9 * * *', 'Asia/Tokyo', new Date('2025-03-29T12:00:00Z'), 3);

    assert.deepEqual(iso(slots), ['2025-03-30T00:00:00.000Z', '2025-03-31T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
  });
});

describe('toInstant', () => {
  test('toInstant maps a gap time to its end', () => {
    assert.equal(toInstant(new Date('2025-03-30T02:30:00Z'), berlin).toISOString(), '2025-03-30T01:00:00.000Z');
  });

  test('toInstant picks the first repeated time', () => {
    assert.equal(toInstant(new Date('2025-10-26T02:30:00Z'), berlin).toISOString(), '2025-10-26T00:30:00.000Z');
  });

  test('toInstant handles a half-hour zone', () => {
    assert.equal(toInstant(new Date('2025-06-01T09:00:00Z'), 'Asia/Kolkata').toISOString(), '2025-06-01T03:30:00.000Z');
  });
});

describe('findDueSlots', () => {
  test('findDueSlots returns the newest and the missed', () => {
    const slots = findDueSlots('0 * * * *', 'UTC', new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T05:30:00Z'));

    assert.equal(slots.due?.toISOString(), '2025-01-01T05:00:00.000Z');
    assert.deepEqual(iso(slots.missed), ['2025-01-01T04:00:00.000Z', '2025-01-01T03:00:00.000Z', '2025-01-01T02:00:00.000Z', '2025-01-01T01:00:00.000Z']);
    assert.equal(slots.missedTruncated, false);
  });

  test('findDueSlots excludes the notBefore slot', () => {
    const slots = findDueSlots('0 * * * *', 'UTC', new Date('2025-01-01T05:00:00Z'), new Date('2025-01-01T05:30:00Z'));

    assert.equal(slots.due, null);
    assert.deepEqual(slots.missed, []);
  });

  test('findDueSlots caps missed evidence after long downtime', () => {
    const slots = findDueSlots('* * * * *', 'UTC', new Date('2024-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'), 5);

    assert.equal(slots.due?.toISOString(), '2025-01-01T00:00:00.000Z');
    assert.equal(slots.missed.length, 5);
    assert.equal(slots.missedTruncated, true);
  });

  test('findDueSlots finds the collapsed gap slot once', () => {
    const slots = findDueSlots('*/30 * * * *', berlin, new Date('2025-03-30T00:30:00Z'), new Date('2025-03-30T01:10:00Z'));

    assert.equal(slots.due?.toISOString(), '2025-03-30T01:00:00.000Z');
    assert.deepEqual(slots.missed, []);
  });
});
