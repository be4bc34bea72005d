import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { type CronEntryDeclaration, type DisplayPolicy, runMigrations } from '../../library';
import type { CronEntryRow } from '../../library/sql/cron-entry-row';
import { insertAuditEvent } from '../../library/sql/insert-audit-event';
import { pauseCronEntry } from '../../library/sql/pause-cron-entry';
import { insertCronEntries, listAllAuditEvents, nightlySync, readCronEntry, readPreviewUse, weeklyReport } from './support/cron-fixtures';
import { principalOf, testUsers } from './support/test-roles';
import { useTestDatabase } from '../support/use-test-database';
import { startHttpHost } from './support/http-host';

const database = useTestDatabase(__filename);
const pauseReason = 'CRM maintenance window until 06:00';
const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

let bystanderBefore: CronEntryRow;
/** Cleared by a test that drops a library table on purpose, which leaves no bystander to compare. */
let bystanderReadable = true;

beforeEach(async () => {
  await database.resetSchemas();
  await runMigrations(database.pool);
  await insertCronEntries(database.pool, [nightlySync, weeklyReport]);
  bystanderBefore = await readCronEntry(database.pool, weeklyReport.name);
  bystanderReadable = true;
});

afterEach(async () => {
  if (!bystanderReadable) return;
  assert.deepEqual(await readCronEntry(database.pool, weeklyReport.name), bystanderBefore, 'bystander weekly_report is untouched');
});

function readPreviewId(body: string): string {
  const match = /name="preview" value="([0-9a-f-]{36})"/.exec(body);
  assert.ok(match, 'the preview page carries a one-time preview id');
  return match[1];
}

/** Lists every href and form action on a page, with `&amp;` decoded. */
function listLinks(body: string): string[] {
  return [...body.matchAll(/\s(?:href|action)="([^"]*)"/g)].map((match) => match[1].replaceAll('&amp;', '&'));
}

async function countActionPreviews(): Promise<number> {
  const { rows } = await database.pool.query<{ count: number }>('select count(*)::int as count from jobs_powertools.action_previews');
  return rows[0].count;
}

const controlPlanePages = ['', 'cron', 'cron/nightly_sync', 'audit', 'cron/nightly_sync/pause_cron_entry'];

describe('router mount', () => {
  test('router redirects mount to slash form', async () => {
    const host = await startHttpHost(database);

    const response = await host.request(`${host.prefix}?resource=x`, { user: testUsers.operator });

    assert.equal(response.status, 301);
    assert.equal(response.location?.pathname, '/ops/jobs/');
    assert.equal(response.location?.search, '?resource=x', 'the query string survives the redirect');
  });

  test('router redirects deep mount to slash form', async () => {
    const host = await startHttpHost(database, { prefix: '/a/b/ops' });

    const response = await host.request('/a/b/ops', { user: testUsers.operator });

    assert.equal(response.status, 301);
    assert.equal(response.location?.pathname, '/a/b/ops/');
  });

  for (const prefix of ['/ops/jobs', '/a/b/ops']) {
    test(`router links resolve under ${prefix}`, async () => {
      const host = await startHttpHost(database, { prefix });
      const pages = [...controlPlanePages, 'cron/missing_entry'];
      const followed = new Set<string>();

      for (const page of pages) {
        const pageUrl = new URL(page, host.mountUrl);
        const response = await host.request(page, { user: testUsers.operator });
        const links = listLinks(response.body);
        assert.ok(links.length > 0, `page ${page} has links`);

        for (const link of links) {
          assert.ok(!/^([a-z]+:|\/)/i.test(link), `link "${link}" on page "${page}" is relative`);
          const target = new URL(link, pageUrl);
          assert.ok(target.pathname.startsWith(`${prefix}/`), `link "${link}" on page "${page}" resolves to ${target.pathname}, outside ${prefix}/`);
          followed.add(target.pathname + target.search);
        }
      }

      const expected = ['', 'cron', 'audit', 'cron/nightly_sync', 'cron/nightly_sync/pause_cron_entry', 'assets/powertools.css'];
      for (const path of expected) assert.ok(followed.has(`${prefix}/${path}`), `some page links to ${prefix}/${path}`);
      for (const target of followed) {
        const response = await host.request(target, { user: testUsers.operator });
        assert.equal(response.status, 200, `link target ${target} answers 200`);
      }
    });
  }

  test('router redirects trailing-slash pages', async () => {
    // Relative links on /ops/jobs/cron/ would resolve one level too deep, so only the canonical form renders.
    const host = await startHttpHost(database);
    const cases: Array<[string, 'GET' | 'POST', number, string]> = [
      ['cron/', 'GET', 301, '/ops/jobs/cron'],
      ['cron/nightly_sync/', 'GET', 301, '/ops/jobs/cron/nightly_sync'],
      ['audit/?resource_type=cron_entry', 'GET', 301, '/ops/jobs/audit?resource_type=cron_entry'],
      ['cron/nightly_sync/pause_cron_entry/', 'GET', 301, '/ops/jobs/cron/nightly_sync/pause_cron_entry'],
      ['cron/nightly_sync/pause_cron_entry/', 'POST', 308, '/ops/jobs/cron/nightly_sync/pause_cron_entry'],
    ];

    for (const [page, method, status, canonical] of cases) {
      const response = method === 'GET' ? await host.request(page, { user: testUsers.operator }) : await host.confirm(page, { reason: pauseReason });

      assert.equal(response.status, status, `${method} ${page}`);
      assert.equal(`${response.location?.pathname}${response.location?.search}`, canonical, `${method} ${page}`);
    }
    assert.equal(await countActionPreviews(), 0, 'the slash form did not reach the handler');
  });

  test('router notice links back under prefix', async () => {
    const host = await startHttpHost(database, { prefix: '/a/b/ops' });

    const response = await host.request('cron/missing_entry/pause_cron_entry', { user: testUsers.operator });

    assert.equal(response.status, 404);
    const back = /href="([^"]*)">Back to the overview/.exec(response.body);
    assert.ok(back);
    assert.equal(new URL(back[1], new URL('cron/missing_entry/pause_cron_entry', host.mountUrl)).pathname, '/a/b/ops/');
  });
});

describe('router access', () => {
  test('router redirects anonymous requests to root', async () => {
    const host = await startHttpHost(database);

    for (const page of controlPlanePages) {
      const response = await host.request(page);

      assert.equal(response.status, 302, `anonymous GET ${page}`);
      assert.equal(response.rawLocation, '/', `anonymous GET ${page}`);
    }
    const post = await host.request('cron/nightly_sync/pause_cron_entry', { method: 'POST', form: { reason: pauseReason }, headers: { origin: host.origin } });
    assert.equal(post.status, 302);
    assert.equal(post.rawLocation, '/');
    assert.equal(await countActionPreviews(), 0);
    assert.equal((await readCronEntry(database.pool, nightlySync.name)).paused_at, null);
  });

  test('router redirects no-access user to root', async () => {
    const host = await startHttpHost(database);

    for (const page of controlPlanePages) {
      const response = await host.request(page, { user: testUsers.nobody });

      assert.equal(response.status, 302, `no-access GET ${page}`);
      assert.equal(response.rawLocation, '/', `no-access GET ${page}`);
    }
    assert.equal(await countActionPreviews(), 0);
    assert.ok(host.events['action:refused']?.some((event) => event.action === 'view_cron' && event.why === 'role none does not grant view_cron'));
  });

  test('router honours deniedRedirect option', async () => {
    const host = await startHttpHost(database, { deniedRedirect: '/login?next=ops' });

    const response = await host.request('cron', { user: testUsers.nobody });

    assert.equal(response.status, 302);
    assert.equal(response.rawLocation, '/login?next=ops');
  });

  test('router shows viewer a read-only entry', async () => {
    const host = await startHttpHost(database);

    const response = await host.request('cron/nightly_sync', { user: testUsers.viewer });

    assert.equal(response.status, 200);
    assert.match(response.body, /Read-only: you can inspect this entry but not change it \(role viewer does not grant pause_cron_entry\)/);
    assert.match(response.body, /data-posture="Inspection only"/);
    assert.ok(!response.body.includes('nightly_sync/pause_cron_entry"'), 'no pause link for a viewer');
  });

  test('router rejects viewer preview and confirm', async () => {
    const host = await startHttpHost(database);
    const operatorPreview = readPreviewId((await host.request('cron/nightly_sync/pause_cron_entry', { user: testUsers.operator })).body);

    const preview = await host.request('cron/nightly_sync/pause_cron_entry', { user: testUsers.viewer });
    const confirm = await host.confirm('cron/nightly_sync/pause_cron_entry', { preview: operatorPreview, reason: pauseReason }, testUsers.viewer);

    for (const response of [preview, confirm]) {
      assert.equal(response.status, 403);
      assert.match(response.body, /Read-only: you can inspect nightly_sync but not use pause_cron_entry \(role viewer does not grant pause_cron_entry\)\. Nothing was changed\./);
    }
    assert.equal(await countActionPreviews(), 1, 'the viewer got no preview of their own');
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.deepEqual(await readPreviewUse(database.pool, operatorPreview), { consumed: false, auditEventId: null });
    assert.equal((await readCronEntry(database.pool, nightlySync.name)).paused_at, null);
  });

  test('router rejects operator without audit identity', async () => {
    const host = await startHttpHost(database);

    const response = await host.request('cron/nightly_sync/pause_cron_entry', { user: testUsers.unaudited });

    assert.equal(response.status, 403);
    assert.match(response.body, /your account has no audit identity/);
    assert.equal(await countActionPreviews(), 0);
  });
});

describe('router actions', () => {
  test('router operator pauses through preview', async () => {
    const host = await startHttpHost(database);
    const entryPage = await host.request('cron/nightly_sync', { user: testUsers.operator });
    assert.match(entryPage.body, /href="\.\.\/cron\/nightly_sync\/pause_cron_entry"/);

    const preview = await host.request('cron/nightly_sync/pause_cron_entry', { user: testUsers.operator });
    assert.equal(preview.status, 200);
    assert.match(preview.body, /What will change/);
    const confirm = await host.confirm('cron/nightly_sync/pause_cron_entry', { preview: readPreviewId(preview.body), reason: pauseReason });

    assert.equal(confirm.status, 303);
    assert.equal(confirm.location?.pathname, '/ops/jobs/cron/nightly_sync');
    assert.equal(confirm.location?.search, '?outcome=performed');
    const events = await listAllAuditEvents(database.pool);
    assert.equal(events.length, 1);
    assert.equal(events[0].actor_id, principalOf(testUsers.operator).id);
    assert.equal(events[0].reason, pauseReason);
    assert.deepEqual(host.events['action:performed'], [
      { action: 'pause_cron_entry', resourceType: 'cron_entry', resourceId: 'nightly_sync', actorId: 'user:ops-demo', auditEventId: events[0].id },
    ]);

    const after = await host.request(confirm.location!.href, { user: testUsers.operator });
    assert.match(after.body, /<dd data-testid="cron-state"><span class="state-paused">paused<\/span><\/dd>/);
    assert.match(after.body, /Done\. The change and its audit event were committed together\./);
    assert.ok(after.body.includes(pauseReason), 'the audit trail shows the reason');
  });

  test('router ignores unknown outcome values', async () => {
    const host = await startHttpHost(database);

    for (const outcome of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'failed']) {
      const response = await host.request(`cron/nightly_sync?outcome=${outcome}`, { user: testUsers.operator });

      assert.equal(response.status, 200, `outcome=${outcome}`);
      assert.ok(!response.body.includes('role="status"'), `outcome=${outcome} shows no outcome notice`);
    }
  });

  test('router double submit acts once', async () => {
    const host = await startHttpHost(database);
    const previewId = readPreviewId((await host.request('cron/nightly_sync/pause_cron_entry', { user: testUsers.operator })).body);
    await host.confirm('cron/nightly_sync/pause_cron_entry', { preview: previewId, reason: pauseReason });

    const second = await host.confirm('cron/nightly_sync/pause_cron_entry', { preview: previewId, reason: pauseReason });

    assert.equal(second.status, 303);
    assert.equal(second.location?.search, '?outcome=already_performed');
    assert.equal((await listAllAuditEvents(database.pool)).length, 1);
    const page = await host.request(second.location!.href, { user: testUsers.operator });
    assert.match(page.body, /This confirmation was already applied; nothing was changed a second time\./);
  });

  test('router rejects cross-site confirms', async () => {
    const host = await startHttpHost(database);
    const previewId = readPreviewId((await host.request('cron/nightly_sync/pause_cron_entry', { user: testUsers.operator })).body);
    const crossSiteHeaders: Array<Record<string, string>> = [{ origin: 'http://evil.example' }, { origin: 'null' }, { origin: '', 'sec-fetch-site': 'cross-site' }];

    for (const headers of crossSiteHeaders) {
      const response = await host.confirm('cron/nightly_sync/pause_cron_entry', { preview: previewId, reason: pauseReason }, testUsers.operator, headers);

      assert.equal(response.status, 403, `headers ${JSON.stringify(headers)}`);
      assert.match(response.body, /Cross-site request rejected/);
    }
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.equal((await readCronEntry(database.pool, nightlySync.name)).paused_at, null);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: false, auditEventId: null });

    const sameOrigin = await host.confirm('cron/nightly_sync/pause_cron_entry', { preview: previewId, reason: pauseReason });
    assert.equal(sameOrigin.status, 303, 'the rejected attempts left the preview usable');
  });

  test('router rejects a too-short reason', async () => {
    const host = await startHttpHost(database);
    const previewId = readPreviewId((await host.request('cron/nightly_sync/pause_cron_entry', { user: testUsers.operator })).body);
    const cases: Array<[string, RegExp]> = [
      ['later', /The reason is too short \(5 characters\); write at least 8\./],
      ['   ', /A reason is required: say why, for the audit trail\./],
      ['x'.repeat(1001), /The reason is too long \(1001 characters\); keep it under 1000\./],
      ['CRM maintenance\u0000window', /The reason contains a null character/],
    ];

    for (const [reason, message] of cases) {
      const response = await host.confirm('cron/nightly_sync/pause_cron_entry', { preview: previewId, reason });

      assert.equal(response.status, 422);
      assert.match(response.body, message);
      assert.equal(readPreviewId(response.body), previewId, 'the form keeps the preview for a retry');
    }
    assert.deepEqual(await listAllAuditEvents(database.pool), []);
    assert.equal((await readCronEntry(database.pool, nightlySync.name)).paused_at, null);
    assert.deepEqual(await readPreviewUse(database.pool, previewId), { consumed: false, auditEventId: null });
    assert.deepEqual(host.events['request:failed'], [], 'no reason becomes a 500');
  });

  test('router returns 404 for unknown actions', async () => {
    const host = await startHttpHost(database);

    for (const action of ['delete_cron_entry', 'constructor', '__proto__', 'toString']) {
      const preview = await host.request(`cron/nightly_sync/${action}`, { user: testUsers.operator });
      const confirm = await host.confirm(`cron/nightly_sync/${action}`, { preview: '00000000-0000-4000-8000-000000000000', reason: pauseReason });

      for (const response of [preview, confirm]) {
        assert.equal(response.status, 404, `action ${action}`);
        assert.match(response.body, /There is no cron entry action named .*Known actions: pause_cron_entry, resume_cron_entry, run_cron_entry\./);
      }
    }
    assert.equal(await countActionPreviews(), 0);
    assert.deepEqual(host.events['request:failed'], []);
  });

  test('router returns 404 for unknown entries', async () => {
    const host = await startHttpHost(database);

    for (const page of ['cron/missing_entry', 'cron/missing_entry/pause_cron_entry']) {
      const response = await host.request(page, { user: testUsers.operator });

      assert.equal(response.status, 404, page);
      assert.match(response.body, /No cron entry is named missing_entry\./);
    }
  });

  test('router returns 404 for malformed names', async () => {
    // Postgres rejects a null character in text, so such a name must not reach a query.
    const host = await startHttpHost(database);

    for (const page of ['cron/nightly%00sync', 'cron/nightly%00sync/pause_cron_entry', `cron/${'x'.repeat(500)}`]) {
      const response = await host.request(page, { user: testUsers.operator });

      assert.equal(response.status, 404, page);
      assert.match(response.body, /No cron entry is named/);
    }
    assert.deepEqual(host.events['request:failed'], [], 'no malformed name becomes a 500');
  });

  test('router rejects preview of inapplicable action', async () => {
    const host = await startHttpHost(database);
    await pauseCronEntry(database.pool, nightlySync.name, 'ops-second', 'paused from another tab for the CRM upgrade');

    const response = await host.request('cron/nightly_sync/pause_cron_entry', { user: testUsers.operator });

    assert.equal(response.status, 409);
    assert.match(response.body, /nightly_sync is already paused\. Nothing to do\./);
    assert.equal(await countActionPreviews(), 0);
  });
});

describe('router rendering', () => {
  const hostileEntry: CronEntryDeclaration = {
    name: 'hostile:entry-1',
    schedule: '0 3 * * *',
    queue: '<img src=x onerror=alert("queue")>',
    args: { note: '<script>alert("args")</script>' },
  };

  test('router escapes hostile values', async () => {
    const host = await startHttpHost(database);
    await insertCronEntries(database.pool, [hostileEntry]);
    const previewId = readPreviewId((await host.request('cron/hostile%3Aentry-1/pause_cron_entry', { user: testUsers.operator })).body);
    const confirmed = await host.confirm('cron/hostile%3Aentry-1/pause_cron_entry', { preview: previewId, reason: '<script>alert("reason")</script> CRM down' });
    assert.equal(confirmed.status, 303);

    const pages = ['', 'cron', 'cron/hostile%3Aentry-1', 'audit', 'audit?resource_id=%22%3E%3Cscript%3Ealert(%22filter%22)%3C%2Fscript%3E', 'cron/%3Cscript%3Ealert(%22name%22)%3C%2Fscript%3E'];
    for (const page of pages) {
      const response = await host.request(page, { user: testUsers.operator });

      assert.ok(!/<script|<img/i.test(response.body), `page ${page} contains markup from stored or requested values`);
      assert.ok(response.body.includes('&lt;'), `page ${page} shows the hostile value as text`);
    }
    const entryPage = await host.request('cron/hostile%3Aentry-1', { user: testUsers.operator });
    assert.ok(entryPage.body.includes('&lt;script&gt;alert(&quot;reason&quot;)&lt;/script&gt; CRM down'), 'the reason is escaped, not dropped');
  });

  test('router redacts when display policy throws', async () => {
    const throwingPolicy: DisplayPolicy = {
      display(kind) {
        throw new Error(`policy bug for ${kind}`);
      },
    };
    const host = await startHttpHost(database, { displayPolicy: throwingPolicy });
    await pauseCronEntry(database.pool, nightlySync.name, 'ops-demo', 'secret reason text');
    await insertAuditEvent(database.pool, {
      action: 'pause_cron_entry',
      resource: { type: 'cron_entry', id: nightlySync.name },
      principal: principalOf(testUsers.operator),
      reason: 'secret reason text',
      details: {},
    });

    const entryPage = await host.request('cron/nightly_sync', { user: testUsers.operator });
    const auditPage = await host.request('audit', { user: testUsers.operator });

    for (const response of [entryPage, auditPage]) {
      assert.equal(response.status, 200);
      assert.match(response.body, /\[redacted\]/);
      assert.ok(!response.body.includes('secret reason text'), 'the reason is not shown');
    }
    assert.ok(!entryPage.body.includes('crm'), 'the job data is not shown');
    const failedKinds = new Set(host.events['display:failed']?.map((event) => `${event.page}:${event.kind}`));
    assert.deepEqual([...failedKinds].sort(), ['view_audit:actor_label', 'view_audit:reason', 'view_cron:actor_label', 'view_cron:cron_args', 'view_cron:reason']);
  });

  test('router redacts non-string policy results', async () => {
    const numberPolicy = { display: () => 42 } as unknown as DisplayPolicy;
    const host = await startHttpHost(database, { displayPolicy: numberPolicy });

    const response = await host.request('cron/nightly_sync', { user: testUsers.operator });

    assert.match(response.body, /<code>\[redacted\]<\/code>/);
    assert.ok(!response.body.includes('crm'));
    assert.equal(host.events['display:failed']?.[0].kind, 'cron_args');
  });

  test('router hides repo failure details', async () => {
    const host = await startHttpHost(database);
    bystanderReadable = false;
    await database.pool.query('drop table jobs_powertools.cron_entries cascade');

    const response = await host.request('cron', { user: testUsers.operator });

    assert.equal(response.status, 500);
    const errorId = uuidPattern.exec(response.body)?.[0];
    assert.ok(errorId, 'the page shows an error id');
    assert.match(response.body, /Give your host team the error id/);
    for (const leak of ['cron_entries', 'jobs_powertools', 'relation', 'does not exist', 'select', 'at async', '.ts:']) {
      assert.ok(!response.body.includes(leak), `the 500 page contains "${leak}"`);
    }
    const failures = host.events['request:failed'] ?? [];
    assert.equal(failures.length, 1);
    assert.equal(failures[0].errorId, errorId, 'the log event carries the id the operator sees');
    assert.equal(failures[0].path, '/ops/jobs/cron');
    assert.match(String((failures[0].error as Error).message), /cron_entries/, 'the details go to the log');
    assert.deepEqual(host.koaErrors, [], 'the library handled the error itself');
  });
});

describe('router audit filters', () => {
  test('router rejects bad audit filters', async () => {
    const host = await startHttpHost(database);
    const cases: Array<[string, RegExp]> = [
      ['audit?before=abc', /The page cursor must be an audit event id/],
      ['audit?before=0', /The page cursor must be an audit event id/],
      ['audit?before=99999999999999999999', /The page cursor must be an audit event id/],
      ['audit?resource_type=%3Cx%3E', /Unknown resource type filter\. Use one of: cron_entry, job, queue, workflow, workflow_step\./],
      [`audit?resource_id=${'x'.repeat(201)}`, /longer than 200 characters/],
      ['audit?resource_id=nightly%00sync', /The resource filter contains a null character/],
    ];

    for (const [page, message] of cases) {
      const response = await host.request(page, { user: testUsers.operator });

      assert.equal(response.status, 400, page);
      assert.match(response.body, message);
      assert.ok(!response.body.includes('<x>'), 'the bad value is not echoed as markup');
    }
    assert.deepEqual(host.events['request:failed'], [], 'no filter becomes a 500');
  });

  test('router filters audit events by resource', async () => {
    const host = await startHttpHost(database);
    for (const entryName of [nightlySync.name, weeklyReport.name]) {
      await insertAuditEvent(database.pool, {
        action: 'pause_cron_entry',
        resource: { type: 'cron_entry', id: entryName },
        principal: principalOf(testUsers.operator),
        reason: `reason for ${entryName}`,
        details: {},
      });
    }

    const response = await host.request('audit?resource_type=cron_entry&resource_id=nightly_sync', { user: testUsers.operator });

    assert.equal(response.status, 200);
    assert.ok(response.body.includes('reason for nightly_sync'));
    assert.ok(!response.body.includes('reason for weekly_report'), 'the other entry is filtered out');
  });

  test('router pages audit events with cursor', async () => {
    const host = await startHttpHost(database);
    for (let index = 1; index <= 55; index += 1) {
      await insertAuditEvent(database.pool, {
        action: 'pause_cron_entry',
        resource: { type: 'cron_entry', id: nightlySync.name },
        principal: principalOf(testUsers.operator),
        reason: `audit reason number ${index}.`,
        details: {},
      });
    }

    const first = await host.request('audit', { user: testUsers.operator });
    const older = /href="([^"]*)">Older events/.exec(first.body);
    assert.ok(older, 'the first page links to older events');
    const second = await host.request(new URL(older[1].replaceAll('&amp;', '&'), new URL('audit', host.mountUrl)).href, { user: testUsers.operator });

    // Events are newest first by id. With ten or more events, ordering ids as text would show 9 before 55.
    assert.deepEqual(listReasonNumbers(first.body), range(55, 6));
    assert.equal(second.status, 200);
    assert.deepEqual(listReasonNumbers(second.body), range(5, 1));
    assert.ok(!/Older events/.test(second.body), 'the last page has no further link');
  });
});

function listReasonNumbers(body: string): number[] {
  return [...body.matchAll(/audit reason number (\d+)\./g)].map((match) => Number(match[1]));
}

/** Returns the whole numbers from `from` down to `to`, inclusive. */
function range(from: number, to: number): number[] {
  return Array.from({ length: from - to + 1 }, (_, index) => from - index);
}
