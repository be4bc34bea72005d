import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { runMigrations } from '../../library';
import { formatAuditCsv } from '../../library/audit/format-audit-export';
import { insertAuditEvent } from '../../library/sql/insert-audit-event';
import { startHttpHost } from './support/http-host';
import { principalOf, testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';

const database = useTestDatabase(__filename);

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  const events = [
    { action: 'pause_cron_entry', id: 'nightly_sync', user: testUsers.operator, reason: 'CRM maintenance window', at: '2026-11-01T10:00:00Z' },
    { action: 'resume_cron_entry', id: 'nightly_sync', user: testUsers.secondOperator, reason: 'CRM back online', at: '2026-11-02T10:00:00Z' },
    { action: 'run_cron_entry', id: 'weekly_report', user: testUsers.operator, reason: '=HYPERLINK("http://example.test")', at: '2026-11-03T10:00:00Z' },
  ];
  for (const event of events) {
    const row = await insertAuditEvent(database.pool, { action: event.action, resource: { type: 'cron_entry', id: event.id }, principal: principalOf(event.user), reason: event.reason, details: {} });
    // Only tests may move an event in time; the trigger forbids it, so it is switched off for this one update.
    await database.pool.query(`alter table jobs_powertools.audit_events disable trigger audit_events_are_immutable`);
    await database.pool.query(`update jobs_powertools.audit_events set occurred_at = $2 where id = $1`, [row.id, event.at]);
    await database.pool.query(`alter table jobs_powertools.audit_events enable trigger audit_events_are_immutable`);
  }
});

/** The reasons on an audit page or export, in page order. */
function reasonsIn(body: string): string[] {
  return ['CRM maintenance window', 'CRM back online', 'HYPERLINK'].filter((reason) => body.includes(reason));
}

describe('audit page filters', () => {
  test('audit page filters by actor', async () => {
    const host = await startHttpHost(database);

    const page = await host.request(`audit?actor=${testUsers.secondOperator.username}`, { user: testUsers.viewer });

    assert.equal(page.status, 200);
    assert.deepEqual(reasonsIn(page.body), ['CRM back online']);
  });

  test('audit page filters by action', async () => {
    const host = await startHttpHost(database);

    const page = await host.request('audit?action=pause_cron_entry', { user: testUsers.viewer });

    assert.deepEqual(reasonsIn(page.body), ['CRM maintenance window']);
  });

  test('audit page filters by time range', async () => {
    const host = await startHttpHost(database);

    const page = await host.request('audit?from=2026-11-02&to=2026-11-03T00:00', { user: testUsers.viewer });

    assert.deepEqual(reasonsIn(page.body), ['CRM back online']);
  });

  test('audit page rejects malformed filters', async () => {
    const host = await startHttpHost(database);

    for (const [query, message] of [
      ['from=yesterday', /The from time must look like/],
      ['action=drop%20table', /The action filter must be an action name/],
      [`actor=${'x'.repeat(201)}`, /The actor filter is longer than 200 characters/],
      ['actor=a%00b', /null character/],
    ] as const) {
      const page = await host.request(`audit?${query}`, { user: testUsers.viewer });
      assert.equal(page.status, 400, query);
      assert.match(page.body, message, query);
    }
  });
});

describe('audit exports', () => {
  test('audit.json exports through the display policy', async () => {
    const host = await startHttpHost(database, { displayPolicy: { display: (kind, value) => (kind === 'reason' ? `reason(${String(value).length})` : null) } });

    const response = await host.request('audit.json?resource_id=nightly_sync', { user: testUsers.viewer });
    const body = JSON.parse(response.body) as { events: Array<{ action: string; reason: string; actor_label: string }>; truncated: boolean };

    assert.equal(response.status, 200);
    assert.deepEqual(body.events.map((event) => event.action), ['resume_cron_entry', 'pause_cron_entry']);
    assert.deepEqual(body.events.map((event) => event.reason), ['reason(15)', 'reason(22)']);
    assert.equal(body.truncated, false);
  });

  test('audit.csv defuses spreadsheet formulas', async () => {
    const host = await startHttpHost(database);

    const response = await host.request('audit.csv?action=run_cron_entry', { user: testUsers.viewer });

    assert.equal(response.status, 200);
    const [header, row] = response.body.trim().split('\r\n');
    assert.equal(header, 'id,occurred_at,action,resource_type,resource_id,actor_id,actor_type,actor_label,reason,details');
    assert.match(row, /,"'=HYPERLINK\(""http:\/\/example.test""\)",/);
  });

  test('audit exports refuse actors without the export right', async () => {
    const host = await startHttpHost(database, {
      auth: {
        currentActor: () => ({ name: 'auditor' }),
        authorize: (_actor, action) => (action === 'view_audit' ? { allowed: true } : { allowed: false, reason: 'exports are for the compliance team' }),
        auditPrincipal: () => null,
      },
    });

    const response = await host.request('audit.csv', {});

    assert.equal(response.status, 403);
    assert.match(response.body, /exports are for the compliance team/);
  });
});

test('formatAuditCsv quotes commas and newlines', () => {
  const csv = formatAuditCsv([
    { id: '1', occurred_at: '2026-11-01T10:00:00.000Z', action: 'pause_cron_entry', resource_type: 'cron_entry', resource_id: 'a,b', actor_id: 'user:1', actor_type: 'user', actor_label: 'ops', reason: 'line one\nline two', details: {} },
  ]);

  assert.equal(csv.split('\r\n')[1], '1,2026-11-01T10:00:00.000Z,pause_cron_entry,cron_entry,"a,b",user:1,user,ops,"line one\nline two",{}');
});
