import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type BridgeDecision, type BridgeRequest, classifyBridgeRequest } from '../../library/bridge/classify-bridge-request';
import { type DashboardWrite, dashboardRoutes } from '../../library/bridge/dashboard-routes';

const jobId = 'b5ca06d7-26a1-4024-9ec4-d436d82f4ae4';

function request(method: string, target: string, options: { body?: unknown; headers?: Record<string, string> } = {}): BridgeRequest {
  const [path, query = ''] = target.split('?');
  const headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return { method, path, query: new URLSearchParams(query), header: (name) => headers[name] ?? '', body: options.body };
}

function classify(method: string, target: string, options?: { body?: unknown; headers?: Record<string, string> }): BridgeDecision {
  return classifyBridgeRequest(request(method, target, options));
}

/** A concrete path for each route of the table, and the route id it must match. */
const readTargets: Array<{ path: string; routeId: string }> = [
  { path: '', routeId: 'routes/_index' },
  { path: '/', routeId: 'routes/_index' },
  { path: '/jobs', routeId: 'routes/jobs' },
  { path: '/jobs?state=failed&queues=emails&page=2', routeId: 'routes/jobs' },
  { path: '/queues', routeId: 'routes/queues._index' },
  { path: '/queues?filter=attention&search=mail&sort=name&dir=desc', routeId: 'routes/queues._index' },
  { path: '/queues/create', routeId: 'routes/queues.create' },
  { path: '/queues/emails', routeId: 'routes/queues.$name' },
  { path: '/queues/emails?state=all&page=3', routeId: 'routes/queues.$name' },
  { path: '/queues/emails/metrics', routeId: 'routes/queues.$name.metrics' },
  { path: '/queues/emails/metrics?range=custom&from=2030-01-01&to=2030-01-02', routeId: 'routes/queues.$name.metrics' },
  { path: '/schedules', routeId: 'routes/schedules' },
  { path: '/schedules/new', routeId: 'routes/schedules.new' },
  { path: '/schedules/nightly_sync/__default__', routeId: 'routes/schedules.$name.$key' },
  { path: '/send', routeId: 'routes/send' },
  { path: '/migrations', routeId: 'routes/migrations' },
  { path: '/warnings?type=slow_query', routeId: 'routes/warnings' },
  { path: '/__manifest?paths=%2Fops%2Fjobs%2Fpg-boss%2Fqueues&version=ff95a21d', routeId: 'route-discovery' },
  { path: '/assets/entry.client-BxPmF_3a.js', routeId: 'assets' },
  { path: '/assets/root-ERxoZafa.css', routeId: 'assets' },
  { path: '/assets/manifest-ff95a21d.js', routeId: 'assets' },
];

describe('classifyBridgeRequest reads', () => {
  for (const { path, routeId } of readTargets) {
    test(`classifyBridgeRequest forwards GET ${path || '(base)'}`, () => {
      const decision = classify('GET', path);

      assert.equal(decision.kind, 'read');
      assert.equal(decision.route?.id, routeId);
    });
  }

  test('classifyBridgeRequest forwards HEAD like GET', () => {
    const decision = classify('HEAD', '/queues/emails');

    assert.equal(decision.kind, 'read');
    assert.equal(decision.route?.id, 'routes/queues.$name');
  });

  test('classifyBridgeRequest reads every .data form', () => {
    const cases: Array<[string, string]> = [
      ['.data', 'routes/_index'],
      ['/_.data', 'routes/_index'],
      ['/queues.data?_routes=root,routes/queues._index', 'routes/queues._index'],
      ['/queues/_.data', 'routes/queues._index'],
      ['/queues/emails.data?state=failed', 'routes/queues.$name'],
      ['/schedules/nightly_sync/__default__.data', 'routes/schedules.$name.$key'],
    ];
    for (const [path, routeId] of cases) {
      const decision = classify('GET', path);
      assert.equal(decision.kind, 'read', path);
      assert.equal(decision.route?.id, routeId, path);
      assert.equal(decision.kind === 'read' && decision.data, true, `${path} is a data request`);
    }
  });

  test('classifyBridgeRequest decodes route parameters', () => {
    const decision = classify('GET', '/queues/orders%2Frefunds/metrics');

    assert.equal(decision.kind, 'read');
    assert.deepEqual(decision.kind === 'read' && decision.params, { name: 'orders/refunds' });
  });

  test('classifyBridgeRequest answers the job page itself', () => {
    for (const path of [`/queues/emails/jobs/${jobId}`, `/queues/emails/jobs/${jobId}.data`]) {
      const decision = classify('GET', path);

      assert.equal(decision.kind, 'unavailable', path);
      assert.equal(decision.route?.id, 'routes/queues.$name.jobs.$jobId');
      assert.deepEqual(decision.kind === 'unavailable' && decision.params, { name: 'emails', jobId });
      assert.match(decision.kind === 'unavailable' ? decision.reason : '', /schema version 42/);
    }
  });
});

/** Every write the dashboard offers, sent the way its own forms and fetchers send it. */
const writes: Array<{ path: string; body: Record<string, string>; write: DashboardWrite }> = [
  { path: '/queues/emails', body: { intent: 'retry', jobId }, write: 'job:retry' },
  { path: '/queues/emails', body: { intent: 'cancel', jobId }, write: 'job:cancel' },
  { path: '/queues/emails', body: { intent: 'resume', jobId }, write: 'job:resume' },
  { path: '/queues/emails', body: { intent: 'delete', jobId }, write: 'job:delete' },
  { path: `/queues/emails/jobs/${jobId}`, body: { intent: 'retry' }, write: 'job:retry' },
  { path: `/queues/emails/jobs/${jobId}`, body: { intent: 'cancel' }, write: 'job:cancel' },
  { path: `/queues/emails/jobs/${jobId}`, body: { intent: 'resume' }, write: 'job:resume' },
  { path: `/queues/emails/jobs/${jobId}`, body: { intent: 'delete' }, write: 'job:delete' },
  { path: '/send', body: { queueName: 'emails', data: '{"template":"receipt"}' }, write: 'job:send' },
  { path: '/queues/create', body: { queueName: 'intruder', policy: 'standard' }, write: 'queue:create' },
  { path: '/schedules/new', body: { name: 'emails', cron: '* * * * *' }, write: 'schedule:create' },
  { path: '/schedules/nightly_sync/__default__', body: { intent: 'unschedule' }, write: 'schedule:delete' },
];

describe('classifyBridgeRequest writes', () => {
  for (const { path, body, write } of writes) {
    for (const suffix of ['', '.data']) {
      test(`classifyBridgeRequest refuses ${write} at ${path}${suffix}`, () => {
        const decision = classify('POST', `${path}${suffix}`, { body });

        assert.equal(decision.kind, 'refused');
        assert.equal(decision.kind === 'refused' && decision.write, write);
      });
    }
  }

  test('classifyBridgeRequest refuses a submission without intent', () => {
    const decision = classify('POST', '/queues/emails', { body: { jobId } });

    assert.equal(decision.kind, 'refused');
    assert.equal(decision.kind === 'refused' && decision.write, null);
    assert.equal(decision.route?.id, 'routes/queues.$name');
  });

  test('classifyBridgeRequest refuses an unparsed body', () => {
    const decision = classify('POST', `/queues/emails/jobs/${jobId}`, { body: undefined });

    assert.equal(decision.kind, 'refused');
  });

  test('classifyBridgeRequest refuses submissions to read-only routes', () => {
    for (const path of ['', '/jobs', '/queues', '/queues/emails/metrics', '/schedules', '/migrations', '/warnings', '/__manifest', '/assets/root-ERxoZafa.css']) {
      assert.equal(classify('POST', path, { body: {} }).kind, 'refused', path);
    }
  });

  test('classifyBridgeRequest refuses every submission method', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) {
      assert.equal(classify(method, '/queues/emails', { body: { intent: 'delete', jobId } }).kind, 'refused', method);
    }
  });

  test('classifyBridgeRequest refuses other methods', () => {
    for (const method of ['OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'PURGE']) {
      const decision = classify(method, '/queues');
      assert.equal(decision.kind, 'refused', method);
      assert.match(decision.kind === 'refused' ? decision.reason : '', /only GET and HEAD/);
    }
  });

  test('classifyBridgeRequest refuses a read with write intent', () => {
    const decision = classify('GET', '/queues/emails?intent=delete&jobId=x');

    assert.equal(decision.kind, 'refused');
    assert.equal(decision.kind === 'refused' && decision.write, 'job:delete');
  });

  test('classifyBridgeRequest refuses method overrides', () => {
    assert.equal(classify('GET', '/queues/emails?_method=POST').kind, 'refused');
    for (const header of ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override']) {
      assert.equal(classify('GET', '/queues/emails', { headers: { [header]: 'POST' } }).kind, 'refused', header);
    }
  });
});

describe('classifyBridgeRequest unknown routes', () => {
  test('classifyBridgeRequest refuses unknown paths', () => {
    const unknown = [
      '/nope',
      '/queues/emails/jobs',
      '/queues/emails/jobs/x/extra',
      '/schedules/only-name',
      '/favicon.ico',
      '/assets',
      '/assets/../package.json',
      '/assets/%2e%2e%2fpackage.json',
      '/assets/.hidden.js',
      '/assets/entry.client.data',
      '/__manifest.data',
      '//queues',
      '/queues//emails',
      '/queues/%E0%A4%A',
      'queues',
      '/build/server/index.js',
    ];
    for (const path of unknown) {
      const decision = classify('GET', path);
      assert.equal(decision.kind, 'refused', path);
      assert.equal(decision.route, null, path);
    }
  });
});

describe('classifyBridgeRequest route table', () => {
  test('route table matches the installed dashboard', async () => {
    // Importing the server build without this marker would install its own SIGINT handlers.
    (globalThis as Record<symbol, unknown>)[Symbol.for('pgboss.dashboard.embedded')] = true;
    const build = (await import('@pg-boss/dashboard/build/server/index.js' as string)) as {
      assets: { routes: Record<string, { path?: string; index?: boolean; hasAction: boolean; parentId?: string }> };
      routeDiscovery: { manifestPath: string };
    };

    const installed = Object.entries(build.assets.routes)
      .filter(([id]) => id !== 'root')
      .map(([id, route]) => ({ id, pattern: route.index ? '' : (route.path ?? ''), hasAction: route.hasAction, parentId: route.parentId }));
    const declared = dashboardRoutes.map((route) => ({ id: route.id, pattern: route.pattern, hasAction: Object.keys(route.writes).length > 0, parentId: 'root' }));

    assert.deepEqual(
      [...installed].sort((a, b) => a.id.localeCompare(b.id)),
      [...declared].sort((a, b) => a.id.localeCompare(b.id)),
    );
    assert.equal(build.routeDiscovery.manifestPath, '/__manifest');
  });

  test('route table names every write once per intent', () => {
    const named = new Set(dashboardRoutes.flatMap((route) => Object.values(route.writes)));

    assert.deepEqual([...named].sort(), ['job:cancel', 'job:delete', 'job:resume', 'job:retry', 'job:send', 'queue:create', 'schedule:create', 'schedule:delete']);
  });
});
